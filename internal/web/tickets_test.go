package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var ticketLeak = regexp.MustCompile(`(?:^|[\s>"(])(ticket\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestTicketPanelInEveryLanguage renders an account's ticket satisfaction
// panel (figures and the monthly CSAT columns) and the panel of an account
// without ratings in each language.
func TestTicketPanelInEveryLanguage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	admin, err := e.db.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	withRatings := &liaison.Organisation{Name: "Ticket Test Account", BudgetHolder: true}
	without := &liaison.Organisation{Name: "Quiet Account", BudgetHolder: true}
	for _, o := range []*liaison.Organisation{withRatings, without} {
		if err := e.app.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	today := time.Now().UTC()
	var batch []*liaison.TicketRating
	for i, score := range []float64{5, 4, 2, 5} { // this month: average 4, CSAT 75 %
		batch = append(batch, &liaison.TicketRating{Source: "webtest", ExternalID: fmt.Sprint("T-", i), OrganisationID: withRatings.ID,
			Score: score, ClosedOn: liaison.FormatDate(today)})
	}
	batch[2].Comment = "Slow <b>answer</b>"

	rep, err := e.app.ImportTicketRatings(ctx, batch)
	if err != nil || len(rep.Rejected) > 0 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	want := map[liaison.Language]string{liaison.English: "Ticket satisfaction", liaison.Swedish: "Nöjdhet med ärenden",
		liaison.Finnish: "Tikettien tyytyväisyys", liaison.Chinese: "工单满意度"}
	for _, lang := range liaison.Languages {
		c.setLanguage(lang)
		p := "/organisations/" + withRatings.ID
		res, body := c.get(p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s (%s): status %d", p, lang, res.StatusCode)
		}
		checkPage(t, p, body, lang)
		if m := ticketLeak.FindStringSubmatch(body); m != nil {
			t.Errorf("%s (%s): leaked %q", p, lang, m[1])
		}
		for _, s := range []string{`id="account-tickets"`, want[lang], `id="chart-tickets"`, "<svg", `data-ticket-count>4<`, "75 %", `id="ticket-comments"`, "Slow &lt;b&gt;answer&lt;/b&gt;", "T-2"} {
			if !strings.Contains(body, s) {
				t.Errorf("%s (%s): the panel lacks %q", p, lang, s)
			}
		}
		if !strings.Contains(body, "data-ticket-average>4.0 / 5<") && !strings.Contains(body, "data-ticket-average>4,0 / 5<") {
			t.Errorf("%s (%s): average 4.0 not shown", p, lang)
		}
		p = "/organisations/" + without.ID
		res, body = c.get(p)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="ticket-none"`) || strings.Contains(body, `id="chart-tickets"`) {
			t.Errorf("%s (%s): status %d; want the panel saying there are no ratings", p, lang, res.StatusCode)
		}
		if m := ticketLeak.FindStringSubmatch(body); m != nil {
			t.Errorf("%s (%s): leaked %q", p, lang, m[1])
		}
	}
}

// upload posts a multipart form with one file field named "file".
func (c *client) upload(path, filename, content string, fields url.Values) (*http.Response, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		_, _ = io.WriteString(fw, content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestTicketImportPage walks the upload form: a dry run imports nothing, a
// file with a bad row imports nothing and names the line, a good file
// imports and the account's panel shows the ratings.
func TestTicketImportPage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	admin, err := e.db.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	acct := &liaison.Organisation{Name: "Upload Account", BudgetHolder: true, ExternalID: "CUST-9"}
	if err := e.app.CreateOrganisation(ctx, acct); err != nil {
		t.Fatal(err)
	}
	day := liaison.FormatDate(time.Now().UTC())
	good := "ticket_id;account_external_id;score;closed_on;comment\nINC-1;CUST-9;9;" + day + ";Quick fix\nINC-2;CUST-9;4;" + day + ";\n"
	bad := good + "INC-3;CUST-9;eleven;" + day + ";\n"
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)

	res, body := c.get("/ticket-satisfaction/import")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="ticket-columns"`) || !strings.Contains(body, `value="0-10"`) {
		t.Fatalf("GET form: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name, file, content string
		fields              url.Values
		code                int
		want                string
	}{
		{"no file", "", "", url.Values{"source": {"topdesk"}}, http.StatusUnprocessableEntity, `id="f-file-error"`},
		{"bad row", "bad.csv", bad, url.Values{"source": {"topdesk"}, "scale": {"0-10"}}, http.StatusUnprocessableEntity, "Line 4"},
		{"dry run", "good.csv", good, url.Values{"source": {"topdesk"}, "scale": {"0-10"}, "dry_run": {"1"}}, http.StatusOK, "2 rows would be imported"},
		{"import", "good.csv", good, url.Values{"source": {"topdesk"}, "scale": {"0-10"}}, http.StatusOK, "2 ratings imported"},
	} {
		res, body := c.upload("/ticket-satisfaction/import", tc.file, tc.content, tc.fields)
		if res.StatusCode != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s: status %d, want %d with %q", tc.name, res.StatusCode, tc.code, tc.want)
		}
		n, err := e.app.TicketSummary(ctx, acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if tc.name == "import" {
			want = 2
		}
		if n.Count != want {
			t.Errorf("%s: %d ratings stored, want %d", tc.name, n.Count, want)
		}
	}
	// The account's panel shows them, with the link to the form for a curator.
	res, body = c.get("/organisations/" + acct.ID)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "data-ticket-count>2<") || !strings.Contains(body, `id="ticket-import-link"`) {
		t.Errorf("account panel after the import: status %d", res.StatusCode)
	}
	res, body = e.signedIn(demo.ManagerEmail, demo.Password).get("/organisations/" + acct.ID)
	if res.StatusCode != http.StatusOK || strings.Contains(body, `id="ticket-import-link"`) {
		t.Errorf("a relationship manager (no curate access) is offered the import: status %d", res.StatusCode)
	}
}
