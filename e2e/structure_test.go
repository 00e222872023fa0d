package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func TestMain(m *testing.M) { sqlstoretest.Main(m) }

// demoDSN is a fresh SQLite database holding the demo organisation, as
// `liaison serve --demo` fills it: a copy of one loaded once per run.
func demoDSN(t *testing.T) string {
	return sqlstoretest.SeededDSN(t, sqlstoretest.SQLite, "demo", func(ctx context.Context, db *sqlstore.DB) error {
		_, err := demo.Load(ctx, app.New(db, slog.New(slog.DiscardHandler)))
		return err
	})
}

// startDemo runs the server as `liaison serve --demo` does, on a free port
// and a fresh SQLite database.
func startDemo(t *testing.T) *cli.Running {
	t.Helper()
	r, err := cli.Start(context.Background(), cli.Config{DB: demoDSN(t), Addr: "127.0.0.1:0", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	return r
}

// clickText clicks the first element matching css whose text is text, as
// a user picks a link by what it says.
func clickText(css, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		js := `(() => { const el = [...document.querySelectorAll(` + jsString(css) + `)].find(e => e.textContent.trim() === ` + jsString(text) + `);
			if (!el) return false; el.click(); return true; })()`
		// Poll: the page the click before led to may still be loading.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
			if time.Now().After(deadline) {
				return &notFound{css, text}
			}
		}
	})
}

// waitPath waits until the page's path starts with prefix: the form posted
// and the browser followed the redirect.
func waitPath(prefix, not string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			loc, err := chromedp.Run(ctx, chromedp.Evaluate[string]("location.pathname"))
			if err == nil && strings.HasPrefix(loc, prefix) && !strings.HasPrefix(loc, not) {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s, at %s: %w", prefix, loc, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

type notFound struct{ css, text string }

func (e *notFound) Error() string { return "no " + e.css + " with text " + e.text }

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// shot saves a screenshot when LIAISON_SHOTS names a folder, to look at.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

// TestStructureFlow walks the customer structure as an administrator
// would: sign in, open a division from the tree, add a unit under it that
// holds a budget, add a person and make them its customer, and find the
// unit in the tree with the customer deciding for it.
func TestStructureFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	const unit, person = "Distansundervisning", "Maja Nyberg"

	step := stepper(t, ctx, "fail-")
	text := textOf(t, ctx)

	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/organisations"]`),
	)
	shot(t, ctx, "home")

	step("open the division from the tree",
		chromedp.Click(`nav a[href="/organisations"]`),
		htmxSettled(),
		chromedp.WaitVisible(`main`),
		clickText("main a", "Utbildning"),
		chromedp.WaitVisible(`#add-menu summary`),
	)
	if h1 := text("h1"); h1 != "Utbildning" {
		t.Fatalf("division page heading = %q", h1)
	}

	step("add a unit under it",
		chromedp.Click(`#add-menu summary`),
		chromedp.Click(`#add-menu a[href^="/organisations/new?parent="]`),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, unit),
		chromedp.Click(`#f-budget_holder`),
		chromedp.SetValue(`#f-relationship_manager_id`, mustUserID(t, srv, demo.ManagerEmail)),
	)
	shot(t, ctx, "unit-form")
	step("save the unit",
		chromedp.Click(`#form-main button[type=submit]`),
		chromedp.WaitVisible(`nav.tabs`),
	)
	if h1 := text("h1"); h1 != unit {
		t.Fatalf("after saving, heading = %q; want the new unit", h1)
	}
	// The new account has no customer yet, and says so.
	if body := text("main"); !strings.Contains(body, "No customer named") {
		t.Errorf("new account page does not warn of the missing customer:\n%s", body)
	}

	step("add a person to the unit",
		chromedp.Click(`#add-menu summary`),
		chromedp.Click(`#add-menu a[href^="/people/new?organisation="]`),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, person),
		chromedp.SendKeys(`#f-email`, "maja.nyberg@regionnorrsken.example"),
		chromedp.SendKeys(`#f-title`, "Rektor"),
		chromedp.Click(`#form-main button[type=submit]`),
		waitPath("/people/", "/people/new"),
	)

	unitID := mustOrgID(t, srv, unit)
	step("mark the person as the unit's customer",
		chromedp.Navigate(srv.URL+"/organisations/"+unitID),
		chromedp.Click(`#add-menu summary`),
		chromedp.Click(`#add-menu a[href$="/roles/new"]`),
		chromedp.WaitVisible(`#f-person_id`),
		chromedp.SetValue(`#f-person_id`, mustPersonID(t, srv, person)),
		chromedp.Click(`input[name=role][value=customer]`),
	)
	shot(t, ctx, "role-form")
	step("save the role",
		chromedp.Click(`form[action$="/roles"] button[type=submit]`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Navigate(srv.URL+"/organisations/"+unitID),
		chromedp.WaitVisible(`nav.tabs`),
	)
	shot(t, ctx, "unit")
	if body := text("main"); !strings.Contains(body, person) || strings.Contains(body, "No customer named") {
		t.Errorf("the account page does not show %s deciding:\n%s", person, body)
	}

	step("see it in the tree",
		chromedp.Click(`nav a[href="/organisations"]`),
		htmxSettled(),
		chromedp.WaitVisible(`main`),
	)
	shot(t, ctx, "tree")
	if body := text("main"); !strings.Contains(body, unit) {
		t.Errorf("the tree does not show %s", unit)
	}

	// And the store agrees: the unit is an account under the division whose customer is the person.
	d, err := srv.Store.WhoDecides(context.Background(), unitID)
	if err != nil || d.Customer == nil || d.Customer.Name != person || d.Account.ID != unitID {
		t.Errorf("WhoDecides(%s) = %+v, %v", unit, d, err)
	}
}

func mustOrgID(t *testing.T, r *cli.Running, name string) string {
	t.Helper()
	orgs, _, err := r.Store.FindOrganisations(context.Background(), liaison.OrganisationFilter{Q: name, Limit: 5})
	if err != nil || len(orgs) == 0 {
		t.Fatalf("find unit %q: %v", name, err)
	}
	return orgs[0].ID
}

func mustPersonID(t *testing.T, r *cli.Running, name string) string {
	t.Helper()
	people, _, err := r.Store.FindPeople(context.Background(), liaison.PersonFilter{Q: name, Limit: 5})
	if err != nil || len(people) == 0 {
		t.Fatalf("find person %q: %v", name, err)
	}
	return people[0].ID
}

func mustUserID(t *testing.T, r *cli.Running, email string) string {
	t.Helper()
	u, err := r.Store.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("find user %s: %v", email, err)
	}
	return u.ID
}
