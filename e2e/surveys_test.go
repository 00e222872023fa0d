package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestSurveyEditorFlow: the admin builds a survey in the browser. With
// htmx the editor's buttons swap the form in place; Save stores it.
func TestSurveyEditorFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	signIn(t, ctx, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, ctx)
	step := stepper(t, ctx, "survey-editor")
	step("open the editor", chromedp.Navigate(srv.URL+"/surveys/new"), chromedp.WaitVisible(`#f-q0\.text\.en`))
	step("write the first question", chromedp.SendKeys("#f-name", "Browser survey"),
		chromedp.SendKeys(`#f-q0\.text\.en`, "How was it?"), chromedp.SendKeys(`#f-q0\.text\.sv`, "Hur var det?"))
	step("add a question", chromedp.Click(`button[value="add_question"]`), chromedp.WaitVisible(`#f-q1\.text\.en`), htmxSettled())
	step("make it a choice question", chromedp.SetValue(`#f-q1\.type`, "single_choice"),
		evalJS(`document.getElementById('f-q1.type').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(`#f-q1\.c1\.en`), htmxSettled())
	step("write it", chromedp.SendKeys(`#f-q1\.text\.en`, "Which?"), chromedp.SendKeys(`#f-q1\.c0\.en`, "This"),
		chromedp.SendKeys(`#f-q1\.c1\.en`, "That"), chromedp.SendKeys(`#f-q1\.c1\.zh`, "那个"))
	step("save", chromedp.Click(`#survey-editor .form-actions button[value="save"]`), waitPath("/surveys/", "/surveys/new"), chromedp.WaitVisible("#questions"))
	text := textOf(t, ctx)
	if got := text("#questions"); !strings.Contains(got, "How was it?") || !strings.Contains(got, "Hur var det?") || !strings.Contains(got, "那个") {
		t.Fatalf("the survey page shows %q", got)
	}
	ss, _, err := srv.Store.FindSurveys(context.Background(), liaison.SurveyFilter{Q: "Browser survey", Limit: 1})
	if err != nil || len(ss) != 1 || len(ss[0].Questions) != 2 || len(ss[0].Questions[1].Choices) != 2 || ss[0].Questions[0].ID != "q1" {
		t.Fatalf("stored %+v, %v", ss, err)
	}
}

// TestSurveyScreenshots photographs the survey template pages and the
// settings page as the admin, in every language, light and dark, when
// LIAISON_SHOTS names a folder.
func TestSurveyScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	ss, _, err := srv.Store.FindSurveys(context.Background(), liaison.SurveyFilter{Limit: 1})
	if err != nil || len(ss) == 0 {
		t.Fatalf("no demo survey: %v", err)
	}
	id := ss[0].ID
	pages := map[string]string{"surveys": "/surveys", "survey": "/surveys/" + id, "survey-edit": "/surveys/" + id + "/edit",
		"survey-new": "/surveys/new", "settings": "/admin/settings"}
	signIn(t, ctx, srv.URL, demo.AdminEmail, demo.AdminPassword)
	for _, lang := range []string{"en", "sv", "fi", "zh"} {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range pages {
				widths := []int64{1366}
				if lang == "en" && theme == "light" {
					widths = append(widths, 390)
				}
				for _, width := range widths {
					actx, cancel := context.WithTimeout(ctx, 20*time.Second)
					err := chromedp.Do(actx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path), chromedp.Sleep(150*time.Millisecond))
					cancel()
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.png", name, lang, theme, width)), buf, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
