package reminders_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/reminders"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var ctx = context.Background()

var quiet = slog.New(slog.DiscardHandler)

type fixture struct {
	manager, deputy *liaison.User
	account         *liaison.Organisation
	agreement       *liaison.Agreement
}

// seed makes an account managed by a Swedish manager with a Finnish
// deputy, and an active agreement ending endsIn days from today.
func seed(t *testing.T, db *sqlstore.DB, endsIn int) fixture {
	t.Helper()
	var f fixture
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.manager = &liaison.User{Name: "Anna Lindqvist", Email: "anna@example.com", Role: liaison.RoleManager, Language: "sv", Active: true}
	f.deputy = &liaison.User{Name: "Eero Virtanen", Email: "eero@example.com", Role: liaison.RoleManager, Language: "fi", Active: true}
	must(db.CreateUser(ctx, f.manager))
	must(db.CreateUser(ctx, f.deputy))
	f.account = &liaison.Organisation{Name: "Lunds kommun", BudgetHolder: true, RelationshipManagerID: &f.manager.ID, DeputyID: &f.deputy.ID}
	must(db.CreateOrganisation(ctx, f.account))
	customer := &liaison.Person{Name: "Karin Berg", OrganisationID: f.account.ID}
	must(db.CreatePerson(ctx, customer))
	must(db.CreateRole(ctx, &liaison.ContactRole{PersonID: customer.ID, OrganisationID: f.account.ID, Role: liaison.RoleCustomer, Active: true}))
	today := time.Now().UTC()
	f.agreement = &liaison.Agreement{OrganisationID: f.account.ID, Title: "IT-tjänster 2026", Type: liaison.AgreementServiceLevel,
		Status: liaison.StatusNegotiation, SignedByPersonID: &customer.ID,
		StartDate: liaison.Ptr(today.AddDate(-1, 0, 0).Format(liaison.DateLayout)),
		EndDate:   liaison.Ptr(today.AddDate(0, 0, endsIn).Format(liaison.DateLayout))}
	must(db.CreateAgreement(ctx, f.agreement))
	f.agreement.Status = liaison.StatusActive
	must(db.UpdateAgreement(ctx, f.agreement, f.agreement.Version))
	return f
}

// TestQueueOncePerRecipientInTheirLanguage: the manager and the deputy get
// one reminder each, in their own language; running again adds nothing.
func TestQueueOncePerRecipientInTheirLanguage(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		f := seed(t, db, 30)
		r := &reminders.Reminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: quiet, BaseURL: "https://liaison.example.com/"}
		n, err := r.Queue(ctx)
		if err != nil || n != 2 {
			t.Fatalf("Queue = %d, %v; want 2", n, err)
		}
		if n, err := r.Queue(ctx); err != nil || n != 0 {
			t.Fatalf("second Queue = %d, %v; want 0", n, err)
		}
		for _, u := range []*liaison.User{f.manager, f.deputy} {
			ms, err := db.FindMail(ctx, liaison.MailFilter{To: u.Email})
			if err != nil || len(ms) != 1 {
				t.Fatalf("mail to %s: %d, %v", u.Email, len(ms), err)
			}
			m, l := ms[0], i18n.For(u.Language)
			end, _ := liaison.ParseDate(*f.agreement.EndDate)
			if want := l.T("reminder.subject.end", "IT-tjänster 2026", "Lunds kommun", l.Date(end)); m.Subject != want {
				t.Errorf("subject to %s = %q, want %q", u.Email, m.Subject, want)
			}
			for _, want := range []string{l.N("reminder.body.days_left", 30), "https://liaison.example.com/agreements/" + f.agreement.ID,
				l.T("reminder.body.greeting", u.Name)} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text to %s lacks %q:\n%s", u.Email, want, m.Text)
				}
			}
			if !strings.HasSuffix(m.DedupeKey, ":end:"+*f.agreement.EndDate+":30:"+u.ID) {
				t.Errorf("dedupe key = %q", m.DedupeKey)
			}
		}
	})
}

func TestNoReminderOutsideTheStagesOrWhenOff(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	seed(t, db, 120)
	r := &reminders.Reminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: quiet}
	if n, err := r.Queue(ctx); err != nil || n != 0 {
		t.Fatalf("120 days ahead: Queue = %d, %v; want 0", n, err)
	}
	s, _ := db.Settings(ctx)
	s.ReminderDays = []int{150}
	if err := db.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Queue(ctx); err != nil || n != 2 {
		t.Fatalf("with a 150-day stage: Queue = %d, %v; want 2", n, err)
	}
	s.ReminderDays = []int{}
	if err := db.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	s, _ = db.Settings(ctx)
	if len(s.ReminderDays) != 0 {
		t.Fatalf("reminders off read back as %v", s.ReminderDays)
	}
}

// TestReminderArrivesOnceWithTwoInstances is issue 4's demonstration: a
// reminder for an agreement ending in 30 days arrives at the in-process
// SMTP server exactly once (per recipient: the manager and the deputy)
// with two instances running against one database, both looking for
// reminders and delivering mail many times a second.
func TestReminderArrivesOnceWithTwoInstances(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			db, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			f := seed(t, db, 30)
			db.Close()

			srv := smtptest.Start(t)
			cfg := cli.Config{DB: dsn, Addr: "127.0.0.1:0", Log: quiet, Jobs: true, JobsPoll: 10 * time.Millisecond,
				MailEvery: 20 * time.Millisecond, ReminderEvery: 20 * time.Millisecond,
				SMTP: mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone}}
			var rs []*cli.Running
			var wg sync.WaitGroup
			var mu sync.Mutex
			for _, id := range []string{"instance-a", "instance-b"} {
				wg.Go(func() {
					c := cfg
					c.InstanceID = id
					r, err := cli.Start(ctx, c)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					rs = append(rs, r)
					mu.Unlock()
				})
			}
			wg.Wait()
			var stop sync.Once
			stopAll := func() {
				stop.Do(func() {
					for _, r := range rs {
						r.Stop()
					}
				})
			}
			t.Cleanup(stopAll)
			if len(rs) != 2 {
				t.Fatal("the instances did not both start")
			}
			// The account never had a service review: the review reminders go out too (reviews_test.go).
			srv.WaitFor(4, 60*time.Second)
			// Let both instances go on looking and delivering for a while.
			time.Sleep(500 * time.Millisecond)
			stopAll()
			var msgs []smtptest.Message
			for _, m := range srv.Messages() {
				if strings.Contains(m.Subject(), "IT-tjänster 2026") {
					msgs = append(msgs, m)
				}
			}
			got := map[string]int{}
			for _, m := range msgs {
				got[strings.Join(m.To, ",")]++
			}
			if len(msgs) != 2 || got[f.manager.Email] != 1 || got[f.deputy.Email] != 1 {
				t.Fatalf("received %d messages %v; want one to the manager and one to the deputy", len(msgs), got)
			}
			for _, m := range msgs {
				if !strings.Contains(m.Subject(), "IT-tjänster 2026") || !strings.Contains(m.Text(), f.agreement.ID) {
					t.Errorf("message to %v: subject %q", m.To, m.Subject())
				}
			}
		})
	}
}
