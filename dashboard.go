package liaison

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"
)

// The dashboard (SPEC C14, seed 000 "Mätning"): the four measures of the
// process and the operational ones, each by month, manager and segment.
//
// What counts, per live account (budget holder). A record on a unit below
// an account counts for that account (the nearest budget holder at or
// above its unit); a record on no account counts nowhere. Each figure has a
// value for each of the last DashboardMonths months: a flow (complaints,
// ratings) over the month, a state (everything else) at the end of the
// month, and the current month up to today.
//
//   - it_contact: the share of active customer and orderer roles (of live
//     people) whose person has a designated IT contact: one named on the
//     role (contact_roles.it_contact_user_id), else the account's
//     relationship manager, who is the contact when none is named. The
//     history of a designation is not kept: an earlier month counts the
//     roles created by its end with their designation of today.
//   - written_agreements: the share of accounts with a written agreement in
//     force: an agreement active or expired (a draft, one in negotiation and
//     a terminated one never count: the date of a termination is not kept),
//     begun (start_date, else signed_on, on or before the day; an agreement
//     with neither counts from its creation) and not ended (no end_date, or
//     one on or after the day).
//     Split by role (customer_it_contact, orderer_it_contact) for the API.
//   - satisfaction: the mean ticket rating (normalised to 1–5) of the
//     tickets closed in the month.
//   - survey_csat, survey_nps: the CSAT and NPS (SurveyScore, as campaign
//     results compute them) of the survey responses submitted in the month
//     to live campaigns; the response counts for the account it was given
//     for. A value made of 1 to AnonymityThreshold−1 responses of anonymous
//     campaigns is suppressed wherever it is added up, as campaign results are.
//   - complaints: complaints received in the month (classification
//     complaint: not suggestions or service requests, as the complaint
//     analysis counts), and likewise for their age.
//   - overdue_reviews: agreement customers (an account with an agreement in
//     force) whose service review is overdue by ReviewCadence, the interval
//     being the smallest service_review_months of the agreements in force.
//   - overdue_actions: open actions on the account due before the day (an
//     action done later counts until its done date; a cancelled one never).
//   - agreements_ending: agreements in force that end within
//     EndingSoonDays after the day.
//   - open_complaint_age: the mean age in days of the complaints open on the
//     day (received, not yet resolved: resolved_at, else closed_at).
//
// Trashed records never count.

// DashboardMonths is how many months each trend covers, this one included.
const DashboardMonths = 12

// EndingSoonDays is how far ahead an agreement counts as ending soon.
const EndingSoonDays = 90

// KPI names one dashboard figure.
type KPI string

const (
	KPIITContact        KPI = "it_contact"
	KPIAgreements       KPI = "written_agreements"
	KPISatisfaction     KPI = "satisfaction"
	KPISurveyCSAT       KPI = "survey_csat"
	KPISurveyNPS        KPI = "survey_nps"
	KPIComplaints       KPI = "complaints"
	KPIOverdueReviews   KPI = "overdue_reviews"
	KPIOverdueActions   KPI = "overdue_actions"
	KPIEndingSoon       KPI = "agreements_ending"
	KPIOpenComplaintAge KPI = "open_complaint_age"
	// it_contact of customer roles only and of orderer roles only (GET kpis).
	KPICustomerITContact KPI = "customer_it_contact"
	KPIOrdererITContact  KPI = "orderer_it_contact"
)

// KPIs lists the figures in the order the dashboard shows them: the four
// of the seed first.
var KPIs = []KPI{KPIITContact, KPIAgreements, KPISatisfaction, KPISurveyCSAT, KPISurveyNPS, KPIComplaints,
	KPIOverdueReviews, KPIOverdueActions, KPIEndingSoon, KPIOpenComplaintAge}

// factKPIs are the figures the facts keep: the dashboard's and the splits
// that GET kpis answers.
var factKPIs = append(slices.Clone(KPIs), KPICustomerITContact, KPIOrdererITContact)

// KPIUnit is how a figure's numerator and denominator make its value.
type KPIUnit string

const (
	UnitCount   KPIUnit = "count"   // the numerator
	UnitPercent KPIUnit = "percent" // numerator / denominator × 100
	UnitRating  KPIUnit = "rating"  // numerator / denominator, on 1–5
	UnitDays    KPIUnit = "days"    // numerator / denominator, in days
	UnitNPS     KPIUnit = "nps"     // numerator / denominator × 100, −100 to 100
)

// Unit returns how k's value is made.
func (k KPI) Unit() KPIUnit {
	switch k {
	case KPIITContact, KPIAgreements, KPISurveyCSAT, KPICustomerITContact, KPIOrdererITContact:
		return UnitPercent
	case KPISurveyNPS:
		return UnitNPS
	case KPISatisfaction:
		return UnitRating
	case KPIOpenComplaintAge:
		return UnitDays
	}
	return UnitCount
}

// LowerIsBetter reports whether a falling value is good news.
func (k KPI) LowerIsBetter() bool {
	switch k {
	case KPIITContact, KPIAgreements, KPISatisfaction, KPISurveyCSAT, KPISurveyNPS, KPICustomerITContact, KPIOrdererITContact:
		return false
	}
	return true
}

// Series is one account's numerators and denominators of a figure, one
// per month, oldest first; Anon counts the responses of anonymous
// campaigns among them (survey figures only).
type Series struct {
	Num  []float64 `json:"num"`
	Den  []float64 `json:"den"`
	Anon []float64 `json:"anon,omitempty"`
}

// AccountFacts is what the dashboard counts of one account.
type AccountFacts struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	ManagerID string         `json:"manager_id"`
	DeputyID  string         `json:"deputy_id"`
	SegmentID string         `json:"segment_id"`
	Series    map[KPI]Series `json:"series"`
	Health    HealthInputs   `json:"health"`
}

// DashboardFacts are every live account's facts as of a day: what the
// store computes (and keeps until a record they read changes or the day
// turns) and the dashboard adds up.
type DashboardFacts struct {
	Today      string          `json:"today" format:"date"`
	Months     []string        `json:"months" doc:"The months of the trends, oldest first, as YYYY-MM."`
	Generation int64           `json:"generation" doc:"The change count of the records the facts read, when they were computed."`
	ComputedAt time.Time       `json:"computed_at"`
	Accounts   []*AccountFacts `json:"accounts"`
	Managers   []Ref           `json:"managers"`
	Segments   []Ref           `json:"segments"`
}

// DashboardStore computes and caches the dashboard's facts.
type DashboardStore interface {
	// DashboardFacts returns the facts of every live account as of today:
	// the cached ones when no record they read has changed since they were
	// computed on the same day, else fresh ones (which it caches).
	DashboardFacts(ctx context.Context, today time.Time) (*DashboardFacts, error)
	// DashboardPeriodFacts computes (and does not cache) the facts of one
	// period (ComputePeriodFacts): from ("" for no beginning) to to, dates.
	DashboardPeriodFacts(ctx context.Context, today time.Time, from, to string) (*DashboardFacts, error)
}

// DashboardRecords are the raw rows the facts are computed from, read by
// the store in one snapshot. Dates are YYYY-MM-DD; Month values YYYY-MM.
type DashboardRecords struct {
	Units      []DashUnit
	Roles      []DashRole
	Agreements []DashAgreement
	Ratings    []DashRating
	Complaints []DashComplaint
	Actions    []DashAction
	Reviews    []DashReview
	Responses  []DashResponse
	Managers   []Ref
	Segments   []Ref
}

// DashUnit is a live organisation unit.
type DashUnit struct {
	ID, Name, ParentID, SegmentID, ManagerID, DeputyID string
	BudgetHolder                                       bool
}

// DashRole is an active customer or orderer role of a live person.
type DashRole struct {
	UnitID    string
	Role      RoleKind // customer or orderer
	Created   string   // date
	ITContact bool
}

// DashAgreement is a live agreement that is or was in force (active or expired).
type DashAgreement struct {
	UnitID       string
	Status       AgreementStatus
	Begins       string // start_date, else signed_on, else the creation date
	EndDate      string // "" for none
	ReviewMonths int
}

// DashRating is a ticket rating.
type DashRating struct {
	UnitID string
	Closed string // date
	Rating float64
}

// DashComplaint is a live complaint (classification complaint).
type DashComplaint struct {
	UnitID   string // the account when known, else the unit
	Received string // date
	Ended    string // date resolved, else closed; "" while open
}

// DashAction is a live action with a due date.
type DashAction struct {
	UnitID  string
	Created string // date
	Due     string
	Status  ActionStatus
	Done    string // date done; "" for none
}

// DashResponse is a survey response to a live campaign.
type DashResponse struct {
	UnitID    string
	Submitted string // date
	Anonymous bool   // the campaign is anonymous
	Score     SurveyScore
}

// DashReview is a held service review.
type DashReview struct {
	UnitID string
	On     string // date
}

// dashPoints returns the months of the trend and the day each is measured
// on: the last day of a past month, today for this one.
func dashPoints(today time.Time) (months []string, days []string, starts []string) {
	today = DateOf(today)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i := DashboardMonths - 1; i >= 0; i-- {
		m := first.AddDate(0, -i, 0)
		end := m.AddDate(0, 1, -1)
		if i == 0 {
			end = today
		}
		months = append(months, m.Format("2006-01"))
		days = append(days, FormatDate(end))
		starts = append(starts, FormatDate(m))
	}
	return months, days, starts
}

// ComputeDashboardFacts applies the definitions above to the records,
// for each month of the trend.
func ComputeDashboardFacts(r *DashboardRecords, today time.Time) *DashboardFacts {
	months, days, starts := dashPoints(today)
	return computeFacts(r, today, months, days, starts)
}

// ComputePeriodFacts applies the same definitions to one period, from
// from to to (dates; from "" for no beginning): a flow counts over the
// period, a state on its last day. The facts have one "month", "".
func ComputePeriodFacts(r *DashboardRecords, today time.Time, from, to string) *DashboardFacts {
	return computeFacts(r, today, []string{""}, []string{to}, []string{from})
}

// computeFacts counts, per account, each figure on each of the points: a
// flow from starts[i] to days[i], a state on days[i]; the health as of today.
func computeFacts(r *DashboardRecords, today time.Time, months, days, starts []string) *DashboardFacts {
	n := len(months)
	todayS := FormatDate(DateOf(today))
	f := &DashboardFacts{Today: todayS, Months: months, Managers: r.Managers, Segments: r.Segments}
	parent := map[string]string{}
	byID := map[string]*AccountFacts{}
	holder := map[string]bool{}
	for _, u := range r.Units {
		parent[u.ID] = u.ParentID
		if u.BudgetHolder {
			holder[u.ID] = true
			a := &AccountFacts{ID: u.ID, Name: u.Name, ManagerID: u.ManagerID, DeputyID: u.DeputyID, SegmentID: u.SegmentID, Series: map[KPI]Series{}}
			for _, k := range factKPIs {
				a.Series[k] = Series{Num: make([]float64, n), Den: make([]float64, n)}
			}
			for _, k := range []KPI{KPISurveyCSAT, KPISurveyNPS} {
				s := a.Series[k]
				s.Anon = make([]float64, n)
				a.Series[k] = s
			}
			byID[u.ID] = a
			f.Accounts = append(f.Accounts, a)
		}
	}
	accountOf := map[string]*AccountFacts{}
	account := func(unit string) *AccountFacts {
		if a, ok := accountOf[unit]; ok {
			return a
		}
		var a *AccountFacts
		for u, hops := unit, 0; u != "" && hops < 64; u, hops = parent[u], hops+1 {
			if holder[u] {
				a = byID[u]
				break
			}
		}
		accountOf[unit] = a
		return a
	}
	add := func(a *AccountFacts, k KPI, i int, num, den float64) {
		s := a.Series[k]
		s.Num[i] += num
		s.Den[i] += den
	}
	for _, a := range f.Accounts {
		for i := range n {
			add(a, KPIAgreements, i, 0, 1)
		}
	}
	for _, ro := range r.Roles {
		a := account(ro.UnitID)
		if a == nil {
			continue
		}
		split := KPICustomerITContact
		if ro.Role == RoleOrderer {
			split = KPIOrdererITContact
		}
		for i, d := range days {
			if ro.Created <= d {
				has := b2f(ro.ITContact || a.ManagerID != "")
				add(a, KPIITContact, i, has, 1)
				add(a, split, i, has, 1)
			}
		}
	}
	// Agreements in force per account and day, and the smallest interval.
	inForce := func(g DashAgreement, d string) bool {
		return g.Begins <= d && (g.EndDate == "" || g.EndDate >= d)
	}
	interval := map[*AccountFacts][]int{}
	for _, g := range r.Agreements {
		a := account(g.UnitID)
		if a == nil {
			continue
		}
		if interval[a] == nil {
			interval[a] = make([]int, n)
		}
		for i, d := range days {
			if !inForce(g, d) {
				continue
			}
			if iv := interval[a][i]; iv == 0 || g.ReviewMonths < iv {
				interval[a][i] = g.ReviewMonths
			}
			if g.EndDate != "" && g.EndDate <= addDays(d, EndingSoonDays) {
				add(a, KPIEndingSoon, i, 1, 0)
			}
		}
	}
	for a, ivs := range interval {
		for i, iv := range ivs {
			if iv > 0 {
				add(a, KPIAgreements, i, 1, 0)
			}
		}
	}
	for _, t := range r.Ratings {
		a := account(t.UnitID)
		if a == nil {
			continue
		}
		for i := range n {
			if t.Closed >= starts[i] && t.Closed <= days[i] {
				add(a, KPISatisfaction, i, t.Rating, 1)
			}
		}
	}
	for _, x := range r.Responses {
		a := account(x.UnitID)
		if a == nil {
			continue
		}
		for i := range n {
			if x.Submitted < starts[i] || x.Submitted > days[i] {
				continue
			}
			for _, f := range []struct {
				k        KPI
				num, den int
			}{{KPISurveyCSAT, x.Score.Satisfied, x.Score.Ratings}, {KPISurveyNPS, x.Score.Promoters - x.Score.Detractors, x.Score.NPSAnswers}} {
				if f.den == 0 {
					continue
				}
				add(a, f.k, i, float64(f.num), float64(f.den))
				if x.Anonymous {
					a.Series[f.k].Anon[i]++
				}
			}
		}
	}
	for _, c := range r.Complaints {
		a := account(c.UnitID)
		if a == nil {
			continue
		}
		for i, d := range days {
			if c.Received >= starts[i] && c.Received <= d {
				add(a, KPIComplaints, i, 1, 0)
			}
			if c.Received <= d && (c.Ended == "" || c.Ended > d) {
				add(a, KPIOpenComplaintAge, i, float64(daysBetween(c.Received, d)), 1)
			}
		}
	}
	for _, x := range r.Actions {
		a := account(x.UnitID)
		if a == nil || x.Status == ActionCancelled || x.Due == "" {
			continue
		}
		for i, d := range days {
			if x.Created <= d && x.Due < d && (x.Status == ActionOpen || (x.Done != "" && x.Done > d)) {
				add(a, KPIOverdueActions, i, 1, 0)
			}
		}
	}
	reviews := map[*AccountFacts][]string{}
	for _, rv := range r.Reviews {
		if a := account(rv.UnitID); a != nil {
			reviews[a] = append(reviews[a], rv.On)
		}
	}
	for a, ivs := range interval {
		dates := reviews[a]
		slices.Sort(dates)
		for i, d := range days {
			if ivs[i] == 0 {
				continue
			}
			add(a, KPIOverdueReviews, i, 0, 1)
			if reviewState(dates, ivs[i], d) == ReviewOverdue {
				add(a, KPIOverdueReviews, i, 1, 0)
			}
		}
	}
	// Health inputs, as of today.
	for _, a := range f.Accounts {
		a.Health = HealthInputs{Agreement: "none"}
	}
	for a, ivs := range interval {
		if ivs[n-1] > 0 {
			a.Health.Agreement = "active"
			a.Health.AgreementCustomer = true
			dates := reviews[a]
			a.Health.Review = reviewState(dates, ivs[n-1], todayS)
			if len(dates) > 0 {
				a.Health.LastReview = dates[len(dates)-1]
			}
		}
	}
	for _, g := range r.Agreements {
		if a := account(g.UnitID); a != nil && inForce(g, todayS) && g.EndDate != "" && g.EndDate <= addDays(todayS, EndingSoonDays) && a.Health.Agreement == "active" {
			a.Health.Agreement = "ending"
		}
	}
	recent, previous := addDays(todayS, -90), addDays(todayS, -180)
	type mean struct{ sum, n float64 }
	rs := map[*AccountFacts]*[2]mean{}
	for _, t := range r.Ratings {
		a := account(t.UnitID)
		if a == nil || t.Closed > todayS || t.Closed <= previous {
			continue
		}
		if rs[a] == nil {
			rs[a] = &[2]mean{}
		}
		w := 1
		if t.Closed > recent {
			w = 0
		}
		rs[a][w].sum += t.Rating
		rs[a][w].n++
	}
	for a, m := range rs {
		a.Health.RatingsRecent = int(m[0].n)
		if m[0].n > 0 {
			a.Health.RatingRecent = Ptr(round2(m[0].sum / m[0].n))
		}
		if m[1].n > 0 {
			a.Health.RatingPrevious = Ptr(round2(m[1].sum / m[1].n))
		}
	}
	for _, c := range r.Complaints {
		a := account(c.UnitID)
		if a == nil || c.Received > todayS {
			continue
		}
		if c.Ended == "" || c.Ended > todayS {
			a.Health.ComplaintsOpen++
		}
		if c.Received > recent {
			a.Health.ComplaintsRecent++
		}
	}
	for _, x := range r.Actions {
		if a := account(x.UnitID); a != nil && x.Status == ActionOpen && x.Created <= todayS {
			a.Health.OpenActions++
			if x.Due != "" && x.Due < todayS {
				a.Health.OverdueActions++
			}
		}
	}
	sort.Slice(f.Accounts, func(i, j int) bool {
		if f.Accounts[i].Name != f.Accounts[j].Name {
			return f.Accounts[i].Name < f.Accounts[j].Name
		}
		return f.Accounts[i].ID < f.Accounts[j].ID
	})
	return f
}

// reviewState applies ReviewCadence on day d to the sorted review dates.
func reviewState(dates []string, months int, d string) ReviewState {
	day, err := ParseDate(d)
	if err != nil {
		return ReviewOverdue
	}
	var last *time.Time
	// the last review on or before d
	i := sort.SearchStrings(dates, d+"~") // "~" sorts after any date character
	if i > 0 {
		if t, err := ParseDate(dates[i-1]); err == nil {
			last = &t
		}
	}
	s, _ := ReviewCadence(last, months, day)
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func addDays(d string, n int) string {
	t, err := ParseDate(d)
	if err != nil {
		return d
	}
	return FormatDate(t.AddDate(0, 0, n))
}

func daysBetween(from, to string) int {
	a, err1 := ParseDate(from)
	b, err2 := ParseDate(to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// DashboardScope chooses the accounts a dashboard adds up.
type DashboardScope struct {
	// ManagerID keeps the accounts the user manages or deputises.
	ManagerID string
	SegmentID string
}

// Dashboard is the added-up figures of a scope (API resource "dashboard").
type Dashboard struct {
	Today      string      `json:"today" format:"date"`
	Months     []string    `json:"months" doc:"The months of every trend, oldest first (YYYY-MM); the last one runs to today."`
	ManagerID  string      `json:"manager_id,omitempty" doc:"The scope: the accounts this user manages or deputises; empty for all."`
	SegmentID  string      `json:"segment_id,omitempty" doc:"The scope: the accounts of this segment; empty for all."`
	Accounts   int         `json:"accounts" doc:"Live accounts in the scope."`
	ComputedAt time.Time   `json:"computed_at" doc:"When the facts were computed (they are kept until a record they read changes)."`
	KPIs       []KPIFigure `json:"kpis"`
}

// KPIFigure is one figure with its trend and breakdowns.
type KPIFigure struct {
	Key           KPI            `json:"key" enum:"it_contact,written_agreements,satisfaction,survey_csat,survey_nps,complaints,overdue_reviews,overdue_actions,agreements_ending,open_complaint_age,customer_it_contact,orderer_it_contact"`
	Unit          KPIUnit        `json:"unit" enum:"count,percent,rating,days,nps"`
	LowerIsBetter bool           `json:"lower_is_better"`
	Current       KPIValue       `json:"current" doc:"This month up to today."`
	Trend         []KPIValue     `json:"trend" doc:"One value per month of months."`
	ByManager     []KPIBreakdown `json:"by_manager" doc:"This month's value per relationship manager (\"\" for accounts without one)."`
	BySegment     []KPIBreakdown `json:"by_segment" doc:"This month's value per segment (\"\" for accounts without one)."`
}

// KPIValue is a figure's value with what it was made of.
type KPIValue struct {
	Value       *float64 `json:"value" doc:"null when the denominator is 0 or the value is suppressed."`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Suppressed  bool     `json:"suppressed,omitempty" doc:"A survey figure made of 1 to 4 responses of anonymous campaigns: no value, numerator or denominator is shown."`
}

// KPIBreakdown is a figure's value for one manager or segment.
type KPIBreakdown struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	KPIValue
}

func kpiValue(k KPI, num, den, anon float64) KPIValue {
	if anon > 0 && anon < AnonymityThreshold {
		return KPIValue{Suppressed: true}
	}
	v := KPIValue{Numerator: round2(num), Denominator: den}
	switch k.Unit() {
	case UnitCount:
		v.Value = Ptr(num)
	case UnitPercent, UnitNPS:
		if den > 0 {
			v.Value = Ptr(math.Round(num/den*1000) / 10)
		}
	default:
		if den > 0 {
			v.Value = Ptr(round2(num / den))
		}
	}
	return v
}

// In reports whether the account is in scope.
func (s DashboardScope) In(a *AccountFacts) bool {
	if s.ManagerID != "" && a.ManagerID != s.ManagerID && a.DeputyID != s.ManagerID {
		return false
	}
	return s.SegmentID == "" || a.SegmentID == s.SegmentID
}

// BuildDashboard adds up the facts of the accounts in scope: the figures
// ks, else the dashboard's (KPIs). The breakdown by manager counts each
// account under its relationship manager only.
func BuildDashboard(f *DashboardFacts, s DashboardScope, ks ...KPI) *Dashboard {
	if len(ks) == 0 {
		ks = KPIs
	}
	d := &Dashboard{Today: f.Today, Months: f.Months, ManagerID: s.ManagerID, SegmentID: s.SegmentID, ComputedAt: f.ComputedAt}
	n := len(f.Months)
	var in []*AccountFacts
	for _, a := range f.Accounts {
		if s.In(a) {
			in = append(in, a)
		}
	}
	d.Accounts = len(in)
	names := func(refs []Ref) map[string]string {
		m := map[string]string{}
		for _, r := range refs {
			m[r.ID] = r.Name
		}
		return m
	}
	managers, segments := names(f.Managers), names(f.Segments)
	for _, k := range ks {
		fig := KPIFigure{Key: k, Unit: k.Unit(), LowerIsBetter: k.LowerIsBetter(), Trend: make([]KPIValue, n)}
		num, den, anon := make([]float64, n), make([]float64, n), make([]float64, n)
		type part struct{ num, den, anon float64 }
		byM, byS := map[string]*part{}, map[string]*part{}
		for _, a := range in {
			sr := a.Series[k]
			for i := 0; i < n && i < len(sr.Num); i++ {
				num[i] += sr.Num[i]
				den[i] += sr.Den[i]
				if i < len(sr.Anon) {
					anon[i] += sr.Anon[i]
				}
			}
			if n == 0 || len(sr.Num) < n {
				continue
			}
			for _, g := range []struct {
				m   map[string]*part
				key string
			}{{byM, a.ManagerID}, {byS, a.SegmentID}} {
				if g.m[g.key] == nil {
					g.m[g.key] = &part{}
				}
				g.m[g.key].num += sr.Num[n-1]
				g.m[g.key].den += sr.Den[n-1]
				if len(sr.Anon) == n {
					g.m[g.key].anon += sr.Anon[n-1]
				}
			}
		}
		for i := range n {
			fig.Trend[i] = kpiValue(k, num[i], den[i], anon[i])
		}
		if n > 0 {
			fig.Current = fig.Trend[n-1]
		}
		breakdown := func(m map[string]*part, names map[string]string) []KPIBreakdown {
			out := []KPIBreakdown{}
			for id, p := range m {
				out = append(out, KPIBreakdown{ID: id, Name: names[id], KPIValue: kpiValue(k, p.num, p.den, p.anon)})
			}
			sort.Slice(out, func(i, j int) bool {
				if (out[i].ID == "") != (out[j].ID == "") {
					return out[j].ID == ""
				}
				return out[i].Name < out[j].Name || (out[i].Name == out[j].Name && out[i].ID < out[j].ID)
			})
			return out
		}
		fig.ByManager, fig.BySegment = breakdown(byM, managers), breakdown(byS, segments)
		d.KPIs = append(d.KPIs, fig)
	}
	return d
}

// Figure returns the dashboard's figure k, or nil.
func (d *Dashboard) Figure(k KPI) *KPIFigure {
	for i := range d.KPIs {
		if d.KPIs[i].Key == k {
			return &d.KPIs[i]
		}
	}
	return nil
}
