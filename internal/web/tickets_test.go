package web_test

import (
	"context"
	"fmt"
	"net/http"
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
	e := newEnv(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
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
