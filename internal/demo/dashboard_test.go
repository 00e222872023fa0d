package demo_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestDashboardFigures computes each KPI of today, and the complaints of
// every month, independently: plain loops over the records the app lists
// (not the store's dashboard queries nor liaison.ComputeDashboardFacts),
// and compares them with the dashboard's figures on the demo data. It
// also checks that the demo makes every figure non-trivial.
func TestDashboardFigures(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	db.Now = func() time.Time { return today } // the records' stamps and the app's today agree, as they do live
	a := newApp(db)
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	now := a.Now()
	day := liaison.FormatDate(liaison.DateOf(now))
	d, _, err := a.Dashboard(ctx, liaison.DashboardScope{})
	if err != nil {
		t.Fatal(err)
	}

	// The tree: each unit's account is the nearest budget holder at or above it.
	units, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*liaison.Organisation{}
	for _, u := range units {
		byID[u.ID] = u
	}
	accountOf := func(id string) *liaison.Organisation {
		for u := byID[id]; u != nil; {
			if u.BudgetHolder {
				return u
			}
			if u.ParentID == nil {
				return nil
			}
			u = byID[*u.ParentID]
		}
		return nil
	}
	accounts := 0
	for _, u := range units {
		if u.BudgetHolder {
			accounts++
		}
	}

	want := map[liaison.KPI][2]float64{} // numerator, denominator of day

	// (1) customers and orderers with a designated IT contact.
	var roles []*liaison.ContactRole
	for rf := (liaison.RoleFilter{Limit: 500}); ; {
		page, next, err := a.Roles(ctx, rf)
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, page...)
		if next == "" {
			break
		}
		rf.Cursor = next
	}
	var itNum, itDen float64
	split := map[liaison.KPI]*[2]float64{liaison.KPICustomerITContact: {}, liaison.KPIOrdererITContact: {}}
	for _, r := range roles {
		if !r.Active || (r.Role != liaison.RoleCustomer && r.Role != liaison.RoleOrderer) {
			continue
		}
		if _, err := a.Person(ctx, r.PersonID); err != nil {
			continue // a trashed person
		}
		acct := accountOf(r.OrganisationID)
		if acct == nil {
			continue
		}
		itDen++
		sp := split[liaison.KPICustomerITContact]
		if r.Role == liaison.RoleOrderer {
			sp = split[liaison.KPIOrdererITContact]
		}
		sp[1]++
		if r.ITContactUserID != nil || acct.RelationshipManagerID != nil {
			itNum++
			sp[0]++
		}
	}
	want[liaison.KPIITContact] = [2]float64{itNum, itDen}
	for k, v := range split {
		want[k] = *v
	}

	// (2) accounts with a written agreement in force; agreements ending soon.
	var agreements []*liaison.Agreement
	for af := (liaison.AgreementFilter{Limit: 500}); ; {
		page, next, err := a.Agreements(ctx, af)
		if err != nil {
			t.Fatal(err)
		}
		agreements = append(agreements, page...)
		if next == "" {
			break
		}
		af.Cursor = next
	}
	soon := liaison.FormatDate(liaison.DateOf(now).AddDate(0, 0, liaison.EndingSoonDays))
	withAgreement := map[string]bool{}
	ending := 0.0
	for _, g := range agreements {
		if g.Status != liaison.StatusActive && g.Status != liaison.StatusExpired {
			continue
		}
		begins := liaison.FormatDate(g.CreatedAt)
		if g.SignedOn != nil {
			begins = *g.SignedOn
		}
		if g.StartDate != nil {
			begins = *g.StartDate
		}
		if begins > day || (g.EndDate != nil && *g.EndDate < day) {
			continue
		}
		if acct := accountOf(g.OrganisationID); acct != nil {
			withAgreement[acct.ID] = true
			if g.EndDate != nil && *g.EndDate <= soon {
				ending++
			}
		}
	}
	want[liaison.KPIAgreements] = [2]float64{float64(len(withAgreement)), float64(accounts)}
	want[liaison.KPIEndingSoon] = [2]float64{ending, 0}

	// (3) satisfaction: ticket ratings closed this month.
	monthStart := day[:8] + "01"
	var rSum, rN float64
	for tf := (liaison.TicketRatingFilter{Limit: 500}); ; {
		page, next, err := a.TicketRatings(ctx, tf)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			if r.ClosedOn >= monthStart && r.ClosedOn <= day && accountOf(r.OrganisationID) != nil {
				rSum += r.Rating
				rN++
			}
		}
		if next == "" {
			break
		}
		tf.Cursor = next
	}
	want[liaison.KPISatisfaction] = [2]float64{math.Round(rSum*100) / 100, rN}

	// (3b) survey CSAT and NPS of the responses submitted this month to
	// live campaigns: the rows themselves, read from a copy of the database.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := db.BackupSQLiteFile(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	qtypes := map[string]string{} // survey/version/question → type
	vrows, err := raw.Query(`SELECT survey_id, number, questions_json FROM survey_versions`)
	if err != nil {
		t.Fatal(err)
	}
	for vrows.Next() {
		var sid, js string
		var num int
		var qs []struct{ ID, Type string }
		if err := vrows.Scan(&sid, &num, &js); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(js), &qs); err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			qtypes[sid+"/"+strconv.Itoa(num)+"/"+q.ID] = q.Type
		}
	}
	vrows.Close()
	rrows, err := raw.Query(`SELECT r.organisation_id, r.submitted_at, r.answers_json, c.anonymous, c.deleted_at IS NULL, c.survey_id, c.survey_version
		FROM survey_responses r JOIN campaigns c ON c.id = r.campaign_id`)
	if err != nil {
		t.Fatal(err)
	}
	var sat, ratings, promoters, detractors, npsAnswers, anonCSAT, anonNPS, responses float64
	for rrows.Next() {
		var org, at, js, sid string
		var anonymous, live bool
		var num int
		if err := rrows.Scan(&org, &at, &js, &anonymous, &live, &sid, &num); err != nil {
			t.Fatal(err)
		}
		if !live || accountOf(org) == nil || at[:10] < monthStart || at[:10] > day {
			continue
		}
		responses++
		var answers []struct {
			QuestionID string `json:"question_id"`
			Value      *int   `json:"value"`
		}
		if err := json.Unmarshal([]byte(js), &answers); err != nil {
			t.Fatal(err)
		}
		var rated, recommended bool
		for _, a := range answers {
			if a.Value == nil {
				continue
			}
			switch qtypes[sid+"/"+strconv.Itoa(num)+"/"+a.QuestionID] {
			case "rating":
				rated = true
				ratings++
				if *a.Value >= 4 {
					sat++
				}
			case "nps":
				recommended = true
				npsAnswers++
				if *a.Value >= 9 {
					promoters++
				} else if *a.Value <= 6 {
					detractors++
				}
			}
		}
		if anonymous && rated {
			anonCSAT++
		}
		if anonymous && recommended {
			anonNPS++
		}
	}
	rrows.Close()
	want[liaison.KPISurveyCSAT] = [2]float64{sat, ratings}
	want[liaison.KPISurveyNPS] = [2]float64{promoters - detractors, npsAnswers}
	anonOf := map[liaison.KPI]float64{liaison.KPISurveyCSAT: anonCSAT, liaison.KPISurveyNPS: anonNPS}
	if responses == 0 || ratings == 0 || npsAnswers == 0 {
		t.Errorf("no survey responses this month in the demo: %v responses, %v ratings, %v NPS answers", responses, ratings, npsAnswers)
	}

	// (4) complaints by month received, and the open ones' age day.
	var complaints []*liaison.Complaint
	for cf := (liaison.ComplaintFilter{Limit: 500}); ; {
		page, next, err := a.Complaints(ctx, cf)
		if err != nil {
			t.Fatal(err)
		}
		complaints = append(complaints, page...)
		if next == "" {
			break
		}
		cf.Cursor = next
	}
	perMonth := map[string]float64{}
	var ageSum, open float64
	for _, c := range complaints {
		if c.Classification != liaison.ClassComplaint {
			continue
		}
		unit := c.AccountID
		if unit == "" {
			unit = c.OrganisationID
		}
		if accountOf(unit) == nil {
			continue
		}
		received := liaison.FormatDate(c.ReceivedAt.UTC())
		if received <= day {
			perMonth[received[:7]]++
		}
		ended := c.ResolvedAt
		if ended == nil {
			ended = c.ClosedAt
		}
		if received <= day && (ended == nil || liaison.FormatDate(ended.UTC()) > day) {
			open++
			ageSum += math.Floor(liaison.DateOf(now).Sub(liaison.DateOf(c.ReceivedAt)).Hours() / 24)
		}
	}
	want[liaison.KPIComplaints] = [2]float64{perMonth[day[:7]], 0}
	want[liaison.KPIOpenComplaintAge] = [2]float64{ageSum, open}

	// Overdue actions on accounts.
	overdue := 0.0
	for xf := (liaison.ActionFilter{Status: liaison.ActionOpen, Limit: 500}); ; {
		page, next, err := a.Actions(ctx, xf)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page {
			if x.OrganisationID != nil && accountOf(*x.OrganisationID) != nil && x.DueDate != nil && *x.DueDate < day {
				overdue++
			}
		}
		if next == "" {
			break
		}
		xf.Cursor = next
	}
	want[liaison.KPIOverdueActions] = [2]float64{overdue, 0}

	// Overdue reviews: the service-review cadence list of the app.
	due, err := a.ReviewsDue(ctx, liaison.ReviewFilter{}, liaison.ReviewOverdue)
	if err != nil {
		t.Fatal(err)
	}
	all, err := a.Store.ReviewCadence(ctx, liaison.ReviewFilter{}) // every agreement customer, in time or not
	if err != nil {
		t.Fatal(err)
	}
	want[liaison.KPIOverdueReviews] = [2]float64{float64(len(due)), float64(len(all))}

	// The same counts through GET kpis's computation: this month as its period.
	keys := append(append([]liaison.KPI{}, liaison.KPIs...), liaison.KPICustomerITContact, liaison.KPIOrdererITContact)
	period, err := a.PeriodKPIs(ctx, app.KPIPeriod{From: monthStart, To: day}, keys...)
	if err != nil {
		t.Fatal(err)
	}
	for _, dd := range []struct {
		name string
		d    *liaison.Dashboard
		keys []liaison.KPI
	}{{"dashboard", d, liaison.KPIs}, {"kpis", period, keys}} {
		for _, k := range dd.keys {
			fig := dd.d.Figure(k)
			w := want[k]
			if anon := anonOf[k]; anon > 0 && anon < liaison.AnonymityThreshold {
				if !fig.Current.Suppressed || fig.Current.Value != nil {
					t.Errorf("%s %s: %v anonymous responses, not suppressed: %+v", dd.name, k, anon, fig.Current)
				}
				continue
			}
			got := [2]float64{fig.Current.Numerator, fig.Current.Denominator}
			if k.Unit() == liaison.UnitCount && k != liaison.KPIOverdueReviews {
				got[1] = 0
			}
			if math.Abs(got[0]-w[0]) > 0.011 || got[1] != w[1] {
				t.Errorf("%s %s: computed %v/%v, counted %v/%v", dd.name, k, got[0], got[1], w[0], w[1])
			}
		}
	}
	for _, k := range []liaison.KPI{liaison.KPISurveyCSAT, liaison.KPISurveyNPS} {
		if w, v := want[k], d.Figure(k).Current.Value; v != nil && math.Abs(*v-math.Round(w[0]/w[1]*1000)/10) > 0.05 {
			t.Errorf("%s: value %v, counted %v of %v", k, *v, w[0], w[1])
		}
	}
	// The complaints trend, month by month.
	fig := d.Figure(liaison.KPIComplaints)
	for i, m := range d.Months {
		if got := fig.Trend[i].Numerator; got != perMonth[m] {
			t.Errorf("complaints in %s: dashboard %v, counted %v", m, got, perMonth[m])
		}
	}
	// The breakdown by manager adds up to the whole.
	for _, k := range liaison.KPIs {
		sum, suppressed := 0.0, false
		for _, b := range d.Figure(k).ByManager {
			sum += b.Numerator
			suppressed = suppressed || b.Suppressed
		}
		if !suppressed && math.Abs(sum-d.Figure(k).Current.Numerator) > 0.011 {
			t.Errorf("%s: managers add up to %v, the whole is %v", k, sum, d.Figure(k).Current.Numerator)
		}
	}
	// The demo makes the dashboard meaningful: every figure has something to show.
	for _, k := range liaison.KPIs {
		any := false
		for _, v := range d.Figure(k).Trend {
			any = any || v.Numerator != 0 // an NPS may be below 0
		}
		if !any {
			t.Errorf("%s: nothing to show in the demo", k)
		}
	}
	t.Logf("day %s: %+v", day, want)
}
