package web_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/jobs"
)

// TestJobsPage shows jobs, a failed run and waiting mail to an admin, in
// every language, and refuses everyone else.
func TestJobsPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		db := e.db
		ctx := context.Background()
		s := jobs.New(db, "web-test-1", nil)
		s.Register(jobs.Job{Name: "mail.deliver", Every: time.Minute, Run: func(context.Context) error {
			return errors.New("smtp: connect to 127.0.0.1:2525: connection refused")
		}})
		s.Register(jobs.Job{Name: "custom.job", Every: time.Minute, Run: func(context.Context) error { return nil }})
		if _, err := s.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: "waiting@example.com", Subject: "Avtal <löper ut>", Text: "t"}); err != nil {
			t.Fatal(err)
		}
		counts, err := db.CountMail(ctx) // the demo's complaint notifications wait too
		if err != nil {
			t.Fatal(err)
		}
		admin := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			admin.setLanguage(lang)
			res, body := admin.get("/admin/jobs")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", lang, res.StatusCode)
			}
			checkPage(t, "/admin/jobs", body, lang)
			l := i18n.For(lang)
			for _, want := range []string{l.T("job.name.mail.deliver"), "custom.job", l.T("job.status.failed"),
				l.T("job.status.ok"), "connection refused", "waiting@example.com", html.EscapeString("Avtal <löper ut>"),
				l.T("mail.status.pending"), "web-test-1", html.EscapeString(l.T("mail.count.pending", l.Number(counts[liaison.MailPending])))} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: /admin/jobs lacks %q", lang, want)
				}
			}
		}
		for _, who := range []string{demo.ManagerEmail} {
			c := e.signedIn(who, demo.Password)
			if res, _ := c.get("/admin/jobs"); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: /admin/jobs answered %d, want 403", who, res.StatusCode)
			}
		}
	})
}
