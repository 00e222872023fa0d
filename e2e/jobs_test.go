package e2e

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
)

// TestJobsPageFlow: with jobs on and an SMTP server that refuses one
// address, the admin opens Background jobs from the navigation and sees
// the jobs that ran and the refused email.
func TestJobsPageFlow(t *testing.T) {
	ctx := Browser(t)
	srv := smtptest.Start(t)
	srv.RejectRcpt(func(to string) error {
		if strings.HasPrefix(to, "nobody@") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	r, err := cli.Start(context.Background(), cli.Config{DB: demoDSN(t), Addr: "127.0.0.1:0",
		Log: slog.New(slog.DiscardHandler), Jobs: true, JobsPoll: 20 * time.Millisecond, MailEvery: 50 * time.Millisecond,
		SMTP: mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	for _, to := range []string{"nobody@example.com", "someone@example.com"} {
		if _, err := r.Mail.Enqueue(context.Background(), &liaison.MailMessage{To: to, Subject: "Hello " + to, Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms, err := r.Store.FindMail(context.Background(), liaison.MailFilter{Status: liaison.MailFailed})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the refused message was not marked failed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	step := stepper(t, ctx, "fail-")
	step("sign in",
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/admin/jobs"]`),
	)
	step("open background jobs", chromedp.Click(`nav a[href="/admin/jobs"]`), chromedp.WaitVisible(`#h-outbox`))
	body, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Deliver email", "Agreement reminders", "nobody@example.com", "Failed for good", "550"} {
		if !strings.Contains(body, want) {
			t.Errorf("the jobs page lacks %q", want)
		}
	}
	shot(t, ctx, "admin-jobs")
}
