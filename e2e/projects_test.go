package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestProjectFlow: Anna, relationship manager of Hälso- och sjukvård,
// adds a project for the account, names its steering group — the
// account's customer as executive, Jukka (an IT user who reads Finnish)
// as senior supplier, herself in the relationship manager's seat for the
// customer — is refused a second executive, and prints the guide for
// Jukka's seat: the printable page and the PDF are in Finnish, his seat
// marked; the executive's copy is in Swedish.
func TestProjectFlow(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	acc := ""
	refs, err := srv.Store.AccountNames(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		if r.Name == "Hälso- och sjukvård" {
			acc = r.ID
		}
	}
	d, err := srv.Store.WhoDecides(bg, acc)
	if err != nil || d.Customer == nil {
		t.Fatalf("the account names no customer: %v", err)
	}
	jukka, err := srv.Store.FindUserByEmail(bg, "jukka.laine@liaison.demo")
	if err != nil {
		t.Fatal(err)
	}
	annaU, err := srv.Store.FindUserByEmail(bg, demo.ManagerEmail)
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-project-")
	text := textOf(t, anna)
	const name = "Digital vårdplanering"

	step("add a project from the account's projects tab",
		chromedp.Navigate(srv.URL+"/organisations/"+acc+"/projects"),
		chromedp.WaitVisible(`#h-projects`),
		chromedp.Click(`a[href="/projects/new?organisation_id=`+acc+`"]`),
		waitPath("/projects/new", "x"),
		chromedp.WaitVisible(`#f-name`),
	)
	if v, _ := chromedp.Run(anna, chromedp.Value(`#f-organisation_id`)); v != acc {
		loc, _ := chromedp.Run(anna, chromedp.Location())
		t.Fatalf("the form does not preselect the account: %q at %s", v, loc)
	}
	step("fill in the project",
		chromedp.SendKeys(`#f-name`, name),
		chromedp.SendKeys(`#f-phase`, "Förstudie"),
		chromedp.SetValue(`#f-tool_url`, "https://projekt.liaison.demo/p/vardplanering"),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#board`),
		htmxSettled(),
	)
	if s := text(`#project-status`); !strings.Contains(s, "Proposed") {
		t.Fatalf("status after creating: %q", s)
	}
	ps, _, err := srv.Store.FindProjects(bg, liaison.ProjectFilter{Q: "vårdplanering", Limit: 2})
	if err != nil || len(ps) != 1 || ps[0].OrganisationID == nil || *ps[0].OrganisationID != acc || ps[0].ProjectManagerID == nil ||
		*ps[0].ProjectManagerID != annaU.ID {
		if len(ps) == 1 {
			t.Fatalf("stored: %+v %v", *ps[0], err)
		}
		t.Fatalf("stored: %+v %v", ps, err)
	}
	page := srv.URL + "/projects/" + ps[0].ID
	seat := func(label, role, member, side string) {
		actions := []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(`#board-form`),
			chromedp.SetValue(`#f-role`, role),
			chromedp.SetValue(`#f-member`, member),
		}
		if side != "" {
			actions = append(actions, chromedp.Click(`#board-form input[name=represents][value=`+side+`]`))
		}
		actions = append(actions, chromedp.Click(`#board-form button[type=submit]`), chromedp.WaitVisible(`#board-list`), htmxSettled())
		step(label, actions...)
	}
	seat("the customer as executive", "executive", "p:"+d.Customer.ID, "")
	seat("Jukka as senior supplier", "senior_supplier", "u:"+jukka.ID, "")
	seat("Anna in the relationship manager's seat for the customer", "relationship_manager", "u:"+annaU.ID, "customer")
	if s := text(`#board-list`); !strings.Contains(s, d.Customer.Name) || !strings.Contains(s, "Jukka Laine") ||
		!strings.Contains(s, "Relationship manager (Customer representative)") || !strings.Contains(s, "Executive") {
		t.Fatalf("board: %q", s)
	}
	step("a second executive is refused",
		chromedp.SetValue(`#f-role`, "executive"),
		chromedp.SetValue(`#f-member`, "u:"+jukka.ID),
		chromedp.Click(`#board-form button[type=submit]`),
		chromedp.WaitVisible(`#refusal`),
	)
	if s := text(`#refusal`); !strings.Contains(s, d.Customer.Name) {
		t.Fatalf("refusal: %q", s)
	}
	// The members with an email were sent the guide in their language.
	step("back to the project", chromedp.Navigate(page), chromedp.WaitVisible(`#deliveries`))
	if s := text(`#deliveries`); !strings.Contains(s, "Jukka Laine") || !strings.Contains(s, "Suomi") {
		t.Fatalf("deliveries: %q", s)
	}
	shot(t, anna, "project-board")

	board, err := srv.Store.FindBoard(bg, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var jukkaSeat, execSeat string
	for _, m := range board {
		switch m.Role {
		case liaison.RoleSeniorSupplier:
			jukkaSeat = m.ID
		case liaison.RoleExecutive:
			execSeat = m.ID
		}
	}
	step("print the guide for Jukka's seat",
		chromedp.Click(`a[data-guide-print="`+jukkaSeat+`"]`),
		waitPath("/projects/"+ps[0].ID+"/guide", "x"),
		chromedp.WaitVisible(`#guide-page`),
	)
	lang, _ := chromedp.Run(anna, chromedp.AttributeValue(`#guide-page`, "lang"))
	if lang.Value != "fi" {
		t.Fatalf("guide language %q", lang.Value)
	}
	if s := text(`#guide-page`); !strings.Contains(s, "Ohjausryhmäopas") || !strings.Contains(s, "Päätoimittaja") || !strings.Contains(s, "sinun roolisi") {
		t.Fatalf("the guide is not Jukka's in Finnish: %q", s)
	}
	if s := text(`section.is-yours h3`); !strings.Contains(s, "Päätoimittaja") {
		t.Fatalf("marked seat: %q", s)
	}
	// The page's chrome stays in Anna's language.
	if s := text(`#guide-print`); !strings.Contains(s, "Print") {
		t.Fatalf("print button: %q", s)
	}
	shot(t, anna, "project-guide")
	href, _ := chromedp.Run(anna, chromedp.AttributeValue(`#guide-pdf`, "href"))
	if !strings.Contains(href.Value, "/guide/pdf?member_id="+jukkaSeat) {
		t.Fatalf("pdf link %q", href.Value)
	}
	pdf := fetchBytes(t, anna, srv, href.Value)
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	step("the executive's copy is in Swedish",
		chromedp.Navigate(page+"/guide?member_id="+execSeat),
		chromedp.WaitVisible(`#guide-page`),
	)
	if s := text(`#guide-page`); !strings.Contains(s, "Styrgruppsguide") || !strings.Contains(s, "Projektägare") {
		t.Fatalf("the executive's guide is not in Swedish: %q", s)
	}
}

// fetchBytes reads a same-origin URL with the browser's session.
func fetchBytes(t *testing.T, ctx context.Context, srv *cli.Running, href string) []byte {
	t.Helper()
	js := `fetch(` + "`" + href + "`" + `).then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b)).slice(0, 64))`
	bs, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(bs))
	for i, b := range bs {
		out[i] = byte(b)
	}
	return out
}

// projectPages are the screenshot test's project pages: the list, a demo
// project with a red period in its history, its form, a member's guide,
// and the account's projects tab.
func projectPages(t *testing.T, srv *cli.Running, acc string) map[string]string {
	ps, _, err := srv.Store.FindProjects(context.Background(), liaison.ProjectFilter{OrganisationID: acc, Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no demo project of the account: %v", err)
	}
	board, err := srv.Store.FindBoard(context.Background(), ps[0].ID)
	if err != nil || len(board) == 0 {
		t.Fatalf("no demo board: %v", err)
	}
	p := "/projects/" + ps[0].ID
	return map[string]string{"projects": "/projects", "project": p, "project-edit": p + "/edit", "project-new": "/projects/new",
		"project-guide": p + "/guide?member_id=" + board[len(board)-1].ID, "account-projects": "/organisations/" + acc + "/projects"}
}
