package cli_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestServeRunsJobsAndDeliversMail: with jobs on, two instances started on
// one database deliver a queued message through the SMTP server, once.
func TestServeRunsJobsAndDeliversMail(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			srv := smtptest.Start(t)
			cfg := cli.Config{DB: dsn, Addr: "127.0.0.1:0", Log: slog.New(slog.DiscardHandler), Jobs: true, JobsPoll: 20 * time.Millisecond, MailEvery: 50 * time.Millisecond,
				SMTP: mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone}}
			var rs []*cli.Running
			stopped := false
			t.Cleanup(func() {
				if !stopped {
					for _, r := range rs {
						r.Stop()
					}
				}
			})
			for _, id := range []string{"one", "two"} {
				cfg.InstanceID = id
				r, err := cli.Start(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, r)
			}
			if rs[0].Jobs == nil || rs[0].Jobs.Instance() != "one" {
				t.Fatal("jobs on, but no scheduler named one")
			}
			u := &liaison.User{ID: "u", Name: "Ann", Email: "ann@example.com", Language: "en"}
			for _, r := range rs {
				if _, err := r.Mail.EnqueueFor(context.Background(), u, "cli-test", func(*i18n.Localizer) mail.Content {
					return mail.Content{Subject: "Hello", Text: "Body"}
				}); err != nil {
					t.Fatal(err)
				}
			}
			msgs := srv.WaitFor(1, 60*time.Second)
			if msgs[0].Subject() != "Hello" {
				t.Fatalf("subject = %q", msgs[0].Subject())
			}
			stopped = true
			for _, r := range rs {
				if err := r.Stop(); err != nil && !strings.Contains(err.Error(), "context canceled") {
					t.Fatal(err)
				}
			}
			if n := len(srv.Messages()); n != 1 {
				t.Fatalf("the server received %d messages, want 1", n)
			}
		})
	}
}

func TestServeRefusesBadSMTPFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	code := cli.Main(context.Background(), []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--smtp-addr", "127.0.0.1:25", "--smtp-tls", "ssl"},
		nil, &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "--smtp-tls") {
		t.Fatalf("exit %d, stderr %q; want a refusal naming --smtp-tls", code, errOut.String())
	}
}
