package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// moreExportCases are the exporting lists beyond the complaints, each
// counted through the service layer with the filter its page applies.
func moreExportCases(e *env) []exportCase {
	en := func(h string) map[liaison.Language]string { return map[liaison.Language]string{liaison.English: h} }
	yes := true
	return []exportCase{
		{path: "/accounts", header: map[liaison.Language]string{liaison.English: "Name", liaison.Finnish: "Nimi"}, count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Organisation, string, error) {
				return e.app.Organisations(ctx, liaison.OrganisationFilter{BudgetHolder: &yes, Cursor: c, Limit: 500})
			})
		}},
		{path: "/agreements", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Agreement, string, error) {
				return e.app.Agreements(ctx, liaison.AgreementFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/actions?view=open", header: en("Action"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Action, string, error) {
				return e.app.Actions(ctx, liaison.ActionFilter{Status: liaison.ActionOpen, Cursor: c, Limit: 500})
			})
		}},
		{path: "/improvements", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Improvement, string, error) {
				return e.app.Improvements(ctx, liaison.ImprovementFilter{Cursor: c, Limit: 500}, false)
			})
		}},
		{path: "/meetings?when=all", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Meeting, string, error) {
				return e.app.Meetings(ctx, liaison.MeetingFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/triggers", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Trigger, string, error) {
				return e.app.Triggers(ctx, liaison.TriggerFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/projects", header: en("Name"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Project, string, error) {
				return e.app.Projects(ctx, liaison.ProjectFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/watch", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.WatchNote, string, error) {
				return e.app.WatchNotes(ctx, liaison.WatchFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/campaigns", header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Campaign, string, error) {
				return e.app.Campaigns(ctx, liaison.CampaignFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/services", header: en("Name"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Service, string, error) {
				return e.app.Services(ctx, liaison.ServiceFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/suppliers", header: en("Name"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Supplier, string, error) {
				return e.app.Suppliers(ctx, liaison.SupplierFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/escalations", header: en("Reason"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Escalation, string, error) {
				return e.app.Escalations(ctx, liaison.EscalationFilter{Cursor: c, Limit: 500})
			})
		}},
	}
}

// listExportCases are the lists that exported last (issue 9): the admin
// lists, the reviews, the annual cycle, the account plan analysis, the
// data map, contacts, announcements and an account's list tabs. It adds to
// the demo a row with a formula in a free-text field of each list that
// has one.
func listExportCases(t *testing.T, e *env) []exportCase {
	t.Helper()
	ctx := adminCtx()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	en := func(h string) map[liaison.Language]string { return map[liaison.Language]string{liaison.English: h} }
	users, _, err := e.app.Users(ctx, liaison.UserFilter{Email: demo.AdminEmail, Limit: 1})
	if err != nil || len(users) != 1 {
		t.Fatalf("the demo admin: %v", err)
	}
	me := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: users[0], Scope: liaison.ScopeWrite})
	first := func(orgs func() (string, error)) string {
		t.Helper()
		id, err := orgs()
		if err != nil || id == "" {
			t.Fatalf("no account with rows: %v", err)
		}
		return id
	}

	// The formulas, one per list with free text.
	must(e.app.CreateSegment(me, &liaison.Segment{Name: "Formula segment", Description: "=1+2"}))
	secret, _, err := e.app.CreateToken(me, "=TOKEN()", liaison.ScopeRead)
	must(err)
	acc := first(func() (string, error) {
		as, _, err := e.app.Actions(me, liaison.ActionFilter{Status: liaison.ActionOpen, Limit: 1})
		if len(as) == 0 || as[0].OrganisationID == nil {
			return "", err
		}
		return *as[0].OrganisationID, err
	})
	gone := &liaison.Person{Name: `=HYPERLINK("http://evil.example")`, OrganisationID: acc}
	must(e.app.CreatePerson(me, gone))
	must(e.app.DeletePerson(me, gone.ID, gone.Version))
	must(e.app.CreatePerson(me, &liaison.Person{Name: "Eva Export", Title: "=TITLE()", OrganisationID: acc}))
	must(e.app.CreateContact(me, &liaison.Contact{OrganisationID: acc, Channel: liaison.ChannelPhone, Kind: liaison.ContactQuestion,
		Subject: "Licences for the new office", Description: "@SUM(1,1)"}))
	must(e.app.CreateContact(me, &liaison.Contact{OrganisationID: acc, Channel: liaison.ChannelEmail, Kind: liaison.ContactRequest,
		Subject: "+CONTACT()"}))
	must(e.app.CreateAnnouncement(me, &liaison.Announcement{Kind: liaison.AnnouncementUpdate, Title: "Mail migration",
		Body: "=BODY()", OrganisationIDs: []string{acc}}))
	_, err = e.app.CreateCycleActivity(me, &liaison.CycleActivity{Title: "=CYCLE()", Kind: liaison.CycleOther, Recurrence: liaison.RecurYearly,
		Month: 5, Day: 1, Scope: liaison.ScopeAllAccounts})
	must(err)
	must(e.app.CreateBusinessPlanItem(me, &liaison.BusinessPlanItem{OrganisationID: acc, Title: "Move to the cloud", Horizon: liaison.HorizonShort,
		ITEffect: "-2+3", ReviewDate: "2020-01-15", Status: liaison.PlanItemActive}))
	must(e.app.CreateDataSource(me, &liaison.DataSource{Name: "=SOURCE()", Data: "Customer numbers"}))
	runner := jobs.New(e.db, "export-test", nil)
	runner.Register(jobs.Job{Name: "mail.deliver", Every: time.Minute, Run: func(context.Context) error { return errors.New("=ERROR()") }})
	_, err = runner.RunDue(context.Background())
	must(err)

	accountTab := func(tab string) string { return "/organisations/" + acc + "/" + tab }
	return []exportCase{
		{path: "/admin/users", header: map[liaison.Language]string{liaison.English: "Name", liaison.Swedish: "Namn"}, known: demo.AdminEmail,
			count: func(ctx context.Context) (int, error) {
				return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.User, string, error) {
					return e.app.Users(ctx, liaison.UserFilter{Cursor: c, Limit: 500})
				})
			}},
		{path: "/admin/segments", header: en("Name"), known: "Formula segment", formula: "=1+2", count: func(ctx context.Context) (int, error) {
			segs, err := e.app.Segments(ctx)
			return len(segs), err
		}},
		{path: "/admin/trash", header: map[liaison.Language]string{liaison.English: "Type", liaison.Finnish: "Tyyppi"}, formula: gone.Name,
			count: func(ctx context.Context) (int, error) {
				units, err := countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Organisation, string, error) {
					return e.app.Organisations(ctx, liaison.OrganisationFilter{Trashed: true, Cursor: c, Limit: 500})
				})
				people, err2 := countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Person, string, error) {
					return e.app.People(ctx, liaison.PersonFilter{Trashed: true, Cursor: c, Limit: 500})
				})
				return units + people, errors.Join(err, err2)
			}},
		{path: "/settings/tokens", header: en("Name"), formula: "=TOKEN()", absent: secret, count: func(context.Context) (int, error) {
			tokens, err := e.app.Tokens(me)
			return len(tokens), err
		}},
		{path: "/admin/jobs", header: en("Job"), known: "Deliver email", formula: "=ERROR()", count: func(ctx context.Context) (int, error) {
			o, err := e.app.JobsOverview(ctx)
			if err != nil {
				return 0, err
			}
			return len(o.Jobs), nil
		}},
		{path: "/reviews-due", header: en("Account"), count: func(ctx context.Context) (int, error) {
			items, err := e.app.ReviewsDue(ctx, liaison.ReviewFilter{}, "")
			return len(items), err
		}},
		{path: "/reviews-due?state=overdue", header: en("Account"), count: func(ctx context.Context) (int, error) {
			items, err := e.app.ReviewsDue(ctx, liaison.ReviewFilter{}, liaison.ReviewOverdue)
			return len(items), err
		}},
		{path: "/business-plans/overdue", header: en("Goal"), known: "Move to the cloud", formula: "-2+3", count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.BusinessPlanItem, string, error) {
				return e.app.BusinessPlanItems(ctx, liaison.BusinessPlanFilter{ReviewOverdue: true, Cursor: c, Limit: 500})
			})
		}},
		{path: "/cycle/activities", header: map[liaison.Language]string{liaison.English: "Title", liaison.Swedish: "Titel"}, formula: "=CYCLE()",
			count: func(ctx context.Context) (int, error) {
				return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.CycleActivity, string, error) {
					return e.app.CycleActivities(ctx, liaison.CycleActivityFilter{Cursor: c, Limit: 500})
				})
			}},
		{path: "/account-plans?from=2000-01-01&to=2100-12-31", header: en("Date"), count: func(ctx context.Context) (int, error) {
			rows, err := e.app.PlanAnalysis(ctx, liaison.PlanItemFilter{Section: liaison.PlanDevelopmentInitiatives, From: "2000-01-01", To: "2100-12-31"})
			return len(rows), err
		}},
		{path: "/account-plans?section=&from=2000-01-01&to=2100-12-31", header: en("Date"), count: func(ctx context.Context) (int, error) {
			rows, err := e.app.PlanAnalysis(ctx, liaison.PlanItemFilter{From: "2000-01-01", To: "2100-12-31"}) // every dated section
			return len(rows), err
		}},
		{path: "/data-map", header: en("System"), known: "Customer numbers", formula: "=SOURCE()", count: func(ctx context.Context) (int, error) {
			m, err := e.app.DataMap(ctx, time.Now())
			if err != nil {
				return 0, err
			}
			return len(m.Sources), nil
		}},
		{path: "/contacts", header: map[liaison.Language]string{liaison.English: "Subject", liaison.Swedish: "Ämne"}, known: "Licences for the new office",
			formula: "+CONTACT()", count: func(ctx context.Context) (int, error) {
				return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Contact, string, error) {
					return e.app.Contacts(ctx, liaison.ContactFilter{Cursor: c, Limit: 500})
				})
			}},
		{path: "/contacts?kind=question", header: en("Subject"), known: "Licences for the new office", formula: "@SUM(1,1)",
			count: func(ctx context.Context) (int, error) {
				return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Contact, string, error) {
					return e.app.Contacts(ctx, liaison.ContactFilter{Kind: liaison.ContactQuestion, Cursor: c, Limit: 500})
				})
			}},
		{path: accountTab("contacts"), header: en("Subject"), formula: "+CONTACT()", count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Contact, string, error) {
				return e.app.Contacts(ctx, liaison.ContactFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
		{path: "/announcements", header: en("Title"), known: "Mail migration", formula: "=BODY()", count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Announcement, string, error) {
				return e.app.Announcements(ctx, liaison.AnnouncementFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("business-plans"), header: en("Goal"), known: "Move to the cloud", formula: "-2+3", count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.BusinessPlanItem, string, error) {
				return e.app.BusinessPlanItems(ctx, liaison.BusinessPlanFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("actions"), header: en("Action"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Action, string, error) {
				return e.app.Actions(ctx, liaison.ActionFilter{OrganisationID: acc, Status: liaison.ActionOpen, Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("agreements"), header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Agreement, string, error) {
				return e.app.Agreements(ctx, liaison.AgreementFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("improvements"), header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Improvement, string, error) {
				return e.app.Improvements(ctx, liaison.ImprovementFilter{OrganisationID: acc, Cursor: c, Limit: 500}, false)
			})
		}},
		{path: accountTab("projects"), header: en("Name"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Project, string, error) {
				return e.app.Projects(ctx, liaison.ProjectFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("triggers"), header: en("Title"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Trigger, string, error) {
				return e.app.Triggers(ctx, liaison.TriggerFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("people"), header: map[liaison.Language]string{liaison.English: "Name", liaison.Chinese: "名称"}, known: "Eva Export",
			formula: "=TITLE()", count: func(ctx context.Context) (int, error) {
				v, err := e.app.AccountView(ctx, acc)
				if err != nil {
					return 0, err
				}
				return len(v.People), nil
			}},
		{path: "/surveys", header: en("Name"), known: "Kundnöjdhetsenkät", count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Survey, string, error) {
				return e.app.Surveys(ctx, liaison.SurveyFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: accountTab("services"), header: en("Service"), count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Subscription, string, error) {
				return e.app.Subscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: acc, Cursor: c, Limit: 500})
			})
		}},
	}
}

// TestListExportRights: an export is refused to whoever may not see its
// page, and holds only what its page shows them: the admin lists to an
// admin, the tokens of the reader alone, and nothing of the internal
// account plan, nor of any internal list, to a customer-scoped token.
func TestListExportRights(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := context.Background()
	acc, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{BudgetHolder: liaison.Ptr(true), Limit: 1})
	if err != nil || len(acc) == 0 {
		t.Fatalf("an account: %v", err)
	}
	customer, _, err := e.app.CreateCustomerTokenFor(ctx, demo.ManagerEmail, "portal", acc[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.CreateTokenFor(ctx, demo.AdminEmail, "Admin's own", liaison.ScopeRead); err != nil {
		t.Fatal(err)
	}
	manager := e.signedIn(demo.ManagerEmail, demo.Password)
	for _, tc := range []struct {
		path  string
		token string // a bearer token, else the manager's session
		code  int
	}{
		{"/admin/jobs", "", http.StatusForbidden},
		{"/admin/trash", "", http.StatusForbidden},
		{"/settings/tokens", "", http.StatusOK},
		{"/account-plans", customer, http.StatusForbidden},
		{"/organisations/" + acc[0].ID + "/contacts", customer, http.StatusForbidden},
		{"/organisations/" + acc[0].ID + "/business-plans", customer, http.StatusForbidden},
		{"/contacts", customer, http.StatusForbidden},
		{"/data-map", customer, http.StatusForbidden},
	} {
		for _, format := range []string{"csv", "xlsx"} {
			var res *http.Response
			var body string
			if tc.token != "" {
				req, _ := http.NewRequest(http.MethodGet, e.srv.URL+tc.path+"?format="+format, nil)
				req.Header.Set("Authorization", "Bearer "+tc.token)
				res, body = manager.do(req)
			} else {
				res, body = manager.get(tc.path + "?format=" + format)
			}
			if res.StatusCode != tc.code {
				t.Errorf("%s (%s): %d, want %d", tc.path, format, res.StatusCode, tc.code)
			}
			if tc.code != http.StatusOK && strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("%s (%s): a refused export answered a file", tc.path, format)
			}
			if strings.Contains(body, "Admin's own") {
				t.Errorf("%s (%s): the manager's export holds the admin's token", tc.path, format)
			}
		}
	}
}
