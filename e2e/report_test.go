package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liaisonhq/liaison/internal/demo"
)

// TestReportFlow: Karin opens a demo account's report pack from the
// account page, sees its sections and charts, switches the pack to
// Chinese, and downloads the PDF, which holds the Chinese headings.
func TestReportFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	// The demo account with the most complaints.
	st, err := srv.Store.ComplaintStats(context.Background(), time.Time{}, time.Time{})
	if err != nil || len(st.ByAccount) == 0 || st.ByAccount[0].Key == "" {
		t.Fatalf("a demo account with complaints: %v %v", st, err)
	}
	acct := st.ByAccount[0].Key
	signIn(t, ctx, srv.URL, "karin.holmberg@liaison.demo", demo.Password)
	english(t, ctx)
	step := stepper(t, ctx, "fail-report-")
	text := textOf(t, ctx)

	step("open the report from the account page",
		chromedp.Navigate(srv.URL+"/organisations/"+acct),
		chromedp.WaitVisible(`#account-report`),
		chromedp.Click(`#account-report`),
		waitPath("/organisations/"+acct+"/report", "x"),
		chromedp.WaitVisible(`#report-complaints`),
		htmxSettled(),
	)
	if s := text(`#h-complaints`); s != "Complaints" {
		t.Fatalf("complaints heading %q", s)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#report svg.chart').length`)); n < 2 {
		t.Fatalf("%d charts on the report page", n)
	}
	shot(t, ctx, "report-en")

	step("switch the pack to Chinese",
		chromedp.SetValue(`#f-lang`, "zh"),
		chromedp.Click(`.report-picker button[type=submit]`),
		chromedp.WaitVisible(`#report[lang=zh]`),
		htmxSettled(),
	)
	if s := text(`#h-complaints`); s != "投诉" {
		t.Fatalf("complaints heading in Chinese %q", s)
	}
	shot(t, ctx, "report-zh")
	if os.Getenv("LIAISON_SHOTS") != "" {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:'dark',next:'/'})}).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		step("the same pack in the dark theme", chromedp.Reload(), chromedp.WaitVisible(`#report[lang=zh]`))
		shot(t, ctx, "report-zh-dark")
	}

	// Download the PDF the button links to, with the browser's session.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#report-pdf').getAttribute('href')`))
	if err != nil || !strings.Contains(href, "lang=zh") || !strings.HasSuffix(strings.Split(href, "?")[0], "/report.pdf") {
		t.Fatalf("PDF link %q %v", href, err)
	}
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#report-pdf').href).then(r => {
		if (r.headers.get('Content-Type') !== 'application/pdf') throw new Error('type ' + r.headers.get('Content-Type'));
		return r.arrayBuffer();
	}).then(b => { let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the PDF: %v", err)
	}
	pdf, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF (%d bytes): %v", len(pdf), err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing in CI: install poppler-utils")
		}
		t.Log("pdftotext not installed: the PDF's text is not checked")
		return
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"投诉", "服务水平表现", "未完成的行动项"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}
