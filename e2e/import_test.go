package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestImportFlow: the administrator imports a semicolon-separated
// Windows-1252 file of people with Swedish and Finnish letters, as a
// spreadsheet in a Nordic locale saves it, for Gymnasieskolan Polaris
// (external id RN-3200). The dry run rejects the row with a broken email,
// naming its line and the reason; fixed in the file and uploaded again,
// the file commits with a progress bar; the search then finds the new
// person by her name typed without diacritics.
func TestImportFlow(t *testing.T) {
	admin := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	dir := t.TempDir()
	write := func(name, email string) string {
		body := "Namn;E-post;Titel;Enhetens externa id;Språk\n" +
			"Åsa Öberg-Lindström;asa.oberg-lindstrom@polaris.example;Studierektor;RN-3200;sv\n" +
			"Måns Åkesson;" + email + ";Lärare;RN-3200;sv\n" +
			"Päivi Räsänen;paivi.rasanen@polaris.example;Lärare;RN-3200;fi\n"
		data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad, good := write("personer.csv", "mans.akesson(at)polaris.example"), write("personer-rattad.csv", "mans.akesson@polaris.example")

	signIn(t, admin, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, admin)
	step := stepper(t, admin, "fail-import-")
	text := textOf(t, admin)
	upload := func(file string) {
		step("upload "+filepath.Base(file),
			chromedp.Navigate(srv.URL+"/admin/import"),
			chromedp.WaitVisible(`#f-file`),
			chromedp.SetValue(`#f-kind`, "people"),
			chromedp.SetUploadFiles(`#f-file`, []string{file}),
			chromedp.Click(`form[action="/admin/import"] button[type=submit]`),
			chromedp.WaitVisible(`#import-mapping`),
		)
	}
	upload(bad)
	// The Swedish headers are mapped to the fields by their names.
	for sel, want := range map[string]string{"#f-col0": "name", "#f-col1": "email", "#f-col2": "title", "#f-col3": "organisation_external_id", "#f-col4": "language"} {
		got, err := chromedp.Run(admin, chromedp.Value(sel))
		if err != nil || got != want {
			t.Fatalf("%s maps to %q (%v), want %s", sel, got, err, want)
		}
	}
	if s := text(`#import-mapping`); !strings.Contains(s, "Åsa Öberg-Lindström") {
		t.Fatalf("the first row, decoded from Windows-1252: %q", s)
	}
	shot(t, admin, "import-mapping")
	step("dry run", chromedp.Click(`#import-mapping button[type=submit]`), chromedp.WaitVisible(`#import-rejected`))
	if s := text(`#import-rejected`); !strings.Contains(s, "3") || !strings.Contains(s, "email") || !strings.Contains(s, "valid email") {
		t.Fatalf("rejected rows: %q", s)
	}
	shot(t, admin, "import-rejected")
	if n, _, err := srv.Store.FindPeople(bg, liaison.PersonFilter{Q: "asa oberg"}); err != nil || len(n) != 0 {
		t.Fatalf("the dry run stored people: %v %v", n, err)
	}

	upload(good)
	step("dry run of the fixed file", chromedp.Click(`#import-mapping button[type=submit]`), chromedp.WaitVisible(`#import-checked`))
	if s := text(`#import-checked`); !strings.Contains(s, "create 3") {
		t.Fatalf("dry run: %q", s)
	}
	step("commit", chromedp.Click(`#import-commit`), chromedp.WaitVisible(`#import-done`))
	if s := text(`#import-done`); !strings.Contains(s, "Created 3") {
		t.Fatalf("commit: %q", s)
	}
	shot(t, admin, "import-done")

	step("find her without diacritics",
		chromedp.Navigate(srv.URL+"/search"),
		chromedp.WaitVisible(`#f-sq`),
		chromedp.SendKeys(`#f-sq`, "asa oberg\n"),
		chromedp.WaitVisible(`.search-group:has(#h-person) a.title`),
	)
	if s := text(`.search-group:has(#h-person)`); !strings.Contains(s, "Åsa Öberg-Lindström") || !strings.Contains(s, "Gymnasieskolan Polaris") {
		t.Fatalf("search for asa oberg: %q", s)
	}
	shot(t, admin, "import-search")

	// The wizard in Finnish and in both themes, to look at (LIAISON_SHOTS).
	if os.Getenv("LIAISON_SHOTS") == "" {
		return
	}
	upload(bad)
	step("dry run for the shots", chromedp.Click(`#import-mapping button[type=submit]`), chromedp.WaitVisible(`#import-rejected`))
	job, err := chromedp.Run(admin, chromedp.Evaluate[string]("location.pathname"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fi", "en"} {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(admin, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range map[string]string{"upload": "/admin/import", "rejected": job} {
				step("shot "+name, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(`.page-header h1`), htmxSettled())
				shot(t, admin, fmt.Sprintf("import-%s-%s-%s", name, lang, theme))
			}
		}
	}
}
