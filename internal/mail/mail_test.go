package mail_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var ctx = context.Background()

var quiet = slog.New(slog.DiscardHandler)

const wait = 10 * time.Second

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)} }

func sender(t *testing.T, addr string) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mail.Config{Addr: addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reminder(l *i18n.Localizer) mail.Content {
	return mail.Content{Subject: l.T("admin.jobs.title") + " — Malmö", Text: "Rad 1\nRad 2", HTML: mail.TextToHTML("Rad 1\nRad 2")}
}

func TestConfigValidate(t *testing.T) {
	good := mail.Config{Addr: "127.0.0.1:25", From: "Liaison <l@example.com>", TLS: mail.TLSStartTLS}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for name, tc := range map[string]struct {
		mod  func(*mail.Config)
		want string
	}{
		"no port":       {func(c *mail.Config) { c.Addr = "127.0.0.1" }, "--smtp-addr"},
		"bad port":      {func(c *mail.Config) { c.Addr = "127.0.0.1:99999" }, "bad port"},
		"no from":       {func(c *mail.Config) { c.From = "" }, "--smtp-from"},
		"bad tls":       {func(c *mail.Config) { c.TLS = "ssl" }, "none, starttls or tls"},
		"user, no pass": {func(c *mail.Config) { c.User = "u" }, "LIAISON_SMTP_PASSWORD"},
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			tc.mod(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// TestDeliverInRecipientLanguage: a message to a Swedish user is composed
// in Swedish and reaches a real SMTP server with text and HTML parts.
func TestDeliverInRecipientLanguage(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		srv := smtptest.Start(t)
		out := &mail.Outbox{Store: db}
		u := &liaison.User{ID: "u1", Name: "Åsa Öberg", Email: "asa@example.com", Language: "sv"}
		if added, err := out.EnqueueFor(ctx, u, "", reminder); err != nil || !added {
			t.Fatalf("EnqueueFor = %v, %v", added, err)
		}
		d := &mail.Deliverer{Store: db, Sender: sender(t, srv.Addr), Log: quiet}
		if err := d.Run(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(1, wait)
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != "asa@example.com" || m.From != "liaison@example.com" {
			t.Fatalf("envelope from %q to %v", m.From, m.To)
		}
		if got, want := m.Subject(), "Bakgrundsjobb — Malmö"; got != want {
			t.Errorf("subject = %q, want %q", got, want)
		}
		if !strings.Contains(m.Text(), "Rad 1\r\nRad 2") && !strings.Contains(m.Text(), "Rad 1\nRad 2") {
			t.Errorf("text = %q", m.Text())
		}
		if !strings.Contains(m.Text(), i18n.For("sv").T("mail.footer")) {
			t.Errorf("text lacks the Swedish footer: %q", m.Text())
		}
		if !strings.Contains(m.HTML(), "<p>Rad 1<br>Rad 2</p>") {
			t.Errorf("html = %q", m.HTML())
		}
		if got := m.Header("To"); !strings.Contains(got, "Åsa Öberg") {
			t.Errorf("To header = %q", got)
		}
		if got := m.Header("Content-Language"); got != "sv" {
			t.Errorf("Content-Language = %q", got)
		}
		sent, err := db.FindMail(ctx, liaison.MailFilter{Status: liaison.MailSent})
		if err != nil || len(sent) != 1 || sent[0].Attempts != 1 {
			t.Fatalf("sent = %+v, %v", sent, err)
		}
		// Nothing is due any more: a second run sends nothing.
		if err := d.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("after a second run the server has %d messages, want 1", n)
		}
	})
}

// TestQueuedWhileServerDownDeliveredLater: the SMTP server is down when a
// message is queued; the delivery job fails, the message waits, and once
// the server is up the next due run delivers it.
func TestQueuedWhileServerDownDeliveredLater(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock()
		addr := smtptest.FreeAddr(t)
		db.Now = clk.Now
		d := &mail.Deliverer{Store: db, Sender: sender(t, addr), Log: quiet, Now: clk.Now, RetryMin: time.Minute}
		s := jobs.New(db, "one", quiet)
		s.Now = clk.Now
		s.Register(d.Job())
		out := &mail.Outbox{Store: db}
		if _, err := out.EnqueueFor(ctx, &liaison.User{Name: "Bo", Email: "bo@example.com", Language: "fi"}, "k1", reminder); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RunDue(ctx); err != nil || n != 1 {
			t.Fatalf("RunDue = %d, %v", n, err)
		}
		pending, err := db.FindMail(ctx, liaison.MailFilter{Status: liaison.MailPending})
		if err != nil || len(pending) != 1 || pending[0].Attempts != 1 || pending[0].LastError == "" {
			t.Fatalf("after a failed delivery pending = %+v, %v", pending, err)
		}
		failed, _ := db.FindJobRuns(ctx, liaison.JobRunFilter{FailedOnly: true})
		if len(failed) != 1 || !strings.Contains(failed[0].Error, "connect") {
			t.Fatalf("failed runs = %+v, want one naming the connection", failed)
		}

		srv := smtptest.StartAt(t, addr)
		clk.Advance(15 * time.Second) // the job's retry is due, the message's (1 minute) not yet
		if _, err := s.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("delivered %d before the message's retry was due", n)
		}
		clk.Advance(time.Minute)
		if _, err := s.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(1, wait)
		if len(msgs) != 1 || msgs[0].To[0] != "bo@example.com" || !strings.HasPrefix(msgs[0].Subject(), "Taustatyöt") {
			t.Fatalf("received %d messages: %+v", len(msgs), msgs)
		}
		sent, _ := db.FindMail(ctx, liaison.MailFilter{Status: liaison.MailSent})
		if len(sent) != 1 || sent[0].Attempts != 2 || sent[0].LastError != "" {
			t.Fatalf("sent = %+v, want one after 2 attempts", sent)
		}
	})
}

// TestDedupeAcrossInstances: two instances on one database queue the same
// reminder and both run the delivery job; it arrives once.
func TestDedupeAcrossInstances(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			srv := smtptest.Start(t)
			var scheds []*jobs.Scheduler
			var outs []*mail.Outbox
			for i := range 2 {
				db, err := sqlstore.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				s := jobs.New(db, fmt.Sprint("instance-", i), quiet)
				s.Register((&mail.Deliverer{Store: db, Sender: sender(t, srv.Addr), Log: quiet}).Job())
				scheds = append(scheds, s)
				outs = append(outs, &mail.Outbox{Store: db})
			}
			u := &liaison.User{ID: "u1", Name: "Ann", Email: "ann@example.com", Language: "zh"}
			var wg sync.WaitGroup
			added := make([]bool, 8)
			for i := range added {
				wg.Go(func() {
					var err error
					added[i], err = outs[i%2].EnqueueFor(ctx, u, "agreement:42:end:30", reminder)
					if err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			n := 0
			for _, a := range added {
				if a {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d of 8 enqueues with one key were added, want 1", n)
			}
			for range 2 {
				for _, s := range scheds {
					wg.Go(func() {
						if _, err := s.RunDue(ctx); err != nil {
							t.Error(err)
						}
					})
				}
			}
			wg.Wait()
			msgs := srv.WaitFor(1, wait)
			if len(msgs) != 1 {
				t.Fatalf("the server received %d messages, want 1", len(msgs))
			}
			if got := msgs[0].Subject(); !strings.HasPrefix(got, "后台任务") {
				t.Errorf("subject = %q, want Chinese", got)
			}
		})
	}
}

// TestPermanentRefusalFailsOnlyThatMessage: a 5xx for one recipient fails
// that message for good; the rest of the batch goes out.
func TestPermanentRefusalFailsOnlyThatMessage(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	srv := smtptest.Start(t)
	srv.RejectRcpt(func(to string) error {
		if strings.HasPrefix(to, "nobody@") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	for _, to := range []string{"a@example.com", "nobody@example.com", "b@example.com"} {
		if _, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: to, Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	d := &mail.Deliverer{Store: db, Sender: sender(t, srv.Addr), Log: quiet}
	if err := d.Run(ctx); err != nil {
		t.Fatalf("Run = %v; a refused recipient is the message's failure, not the run's", err)
	}
	srv.WaitFor(2, wait)
	failed, _ := db.FindMail(ctx, liaison.MailFilter{Status: liaison.MailFailed})
	if len(failed) != 1 || failed[0].To != "nobody@example.com" || !strings.Contains(failed[0].LastError, "550") {
		t.Fatalf("failed = %+v", failed)
	}
	counts, _ := db.CountMail(ctx)
	if counts[liaison.MailSent] != 2 || counts[liaison.MailPending] != 0 {
		t.Fatalf("counts = %v", counts)
	}
}

// TestTLSModesAndAuth: STARTTLS and implicit TLS, with SMTP AUTH (which
// go-mail offers only over an encrypted connection); a wrong password fails.
func TestTLSModesAndAuth(t *testing.T) {
	for _, mode := range []string{mail.TLSStartTLS, mail.TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			db := sqlstoretest.Open(t, sqlstoretest.SQLite)
			clk := newClock()
			clk.t = time.Now().UTC()
			db.Now = clk.Now
			srv, tc := smtptest.StartTLS(t, mode == mail.TLSImplicit)
			srv.RequireAuth("liaison", "s3cret")
			if _, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
				t.Fatal(err)
			}
			cfg := mail.Config{Addr: srv.Addr, From: "l@example.com", TLS: mode, User: "liaison", Password: "wrong", TLSConfig: tc}
			bad, err := mail.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := (&mail.Deliverer{Store: db, Sender: bad, Log: quiet, Now: clk.Now}).Run(ctx); err == nil {
				t.Fatal("delivery with a wrong password succeeded")
			}
			cfg.Password = "s3cret"
			good, err := mail.NewSMTP(cfg)
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(time.Hour) // past the retry of the failed attempt
			if err := (&mail.Deliverer{Store: db, Sender: good, Log: quiet, Now: clk.Now}).Run(ctx); err != nil {
				t.Fatal(err)
			}
			srv.WaitFor(1, wait)
		})
	}
}

// TestStartTLSRequired: in starttls mode a server without STARTTLS gets nothing.
func TestStartTLSRequired(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	srv := smtptest.Start(t)
	if _, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTP(mail.Config{Addr: srv.Addr, From: "l@example.com", TLS: mail.TLSStartTLS})
	if err != nil {
		t.Fatal(err)
	}
	if err := (&mail.Deliverer{Store: db, Sender: s, Log: quiet}).Run(ctx); err == nil {
		t.Fatal("starttls mode sent over a plain connection")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("server received %d messages", n)
	}
}
