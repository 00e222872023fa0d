package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestUnsavedChanges: a form with typed text asks before a link leaves
// it, and only then. Filling one field from the server (the agenda from a
// template) keeps the page and asks nothing; leaving for the home page
// asks, and staying keeps what was typed.
func TestUnsavedChanges(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-unsaved-")

	var mu sync.Mutex
	var asked []string
	dialogs := chromedp.Events(anna, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			mu.Lock()
			asked = append(asked, ev.Message)
			mu.Unlock()
			// Stay on the page, as a user who remembers the typed text.
			chromedp.Call(anna, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	questions := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}

	const title = "Planering inför budgetåret"
	step("type a title and fill the agenda from a template",
		chromedp.Navigate(srv.URL+"/meetings/new"),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.Poll[chromedp.Void](`(() => { const s = document.getElementById('f-template_id'); s.value = '`+liaison.BuiltinServiceReviewTemplate+`'; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`),
		chromedp.Poll[chromedp.Void](`document.getElementById('f-agenda').value.includes('Service scope')`),
		htmxSettled(),
	)
	if q := questions(); len(q) != 0 {
		t.Fatalf("filling the agenda asked %q", q)
	}
	step("leave for the home page and stay", chromedp.Click(`nav a[href="/"]`))
	for i := 0; i < 50 && len(questions()) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if q := questions(); len(q) != 1 {
		t.Fatalf("leaving with typed text asked %q, want one question", q)
	}
	step("still on the form with the title", htmxSettled())
	if path, _ := chromedp.Run(anna, chromedp.Evaluate[string]("location.pathname")); path != "/meetings/new" {
		t.Fatalf("left for %s", path)
	}
	if v, _ := chromedp.Run(anna, chromedp.Evaluate[string](`document.getElementById('f-title').value`)); v != title {
		t.Fatalf("title after staying: %q", v)
	}
	if v, _ := chromedp.Run(anna, chromedp.Evaluate[string](`document.getElementById('f-agenda').value`)); !strings.Contains(v, "Service scope") {
		t.Fatalf("agenda after staying: %q", v)
	}
}
