// Package dataset generates the benchmark datasets of SPEC §6: dataset L
// and its fractions M (1/10) and S (1/100), for the entities that exist
// today, the customer structure and its history:
//
//   - internal users: an administrator, heads, relationship managers,
//     staff and viewers (every one with the password Password);
//   - segments;
//   - a forest of organisation units, one tree per customer organisation,
//     from single companies to regions seven levels deep, named in
//     Swedish, Finnish, Chinese and English; accounts (budget holders)
//     with a relationship manager, mostly a deputy, a segment and one
//     active customer, some of them with a former customer;
//   - people spread over the units with a skew (a few huge units, many
//     small), each with the roles they hold, some at several units;
//   - the timeline: audit entries of every creation and of years of
//     changes (reviews, handovers, new titles and phone numbers, roles
//     ended, people trashed and restored), as the store would have written
//     them, the records' versions and times matching their history.
//
// Generation is deterministic: the same size, seed and end date give the
// same rows, ids included. Ids have the store's format and encode each
// record's creation time, so they sort in time order like real ones.
//
// The data goes in through sqlstore's bulk loader in one transaction,
// into a database that must hold no data yet.
package dataset

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// Size names a dataset.
type Size string

// The sizes of SPEC §6.
const (
	S Size = "S" // 1/100 of L
	M Size = "M" // 1/10 of L
	L Size = "L"
)

// Plan is what a dataset holds.
type Plan struct {
	Size     Size
	Trees    int // top units: one per customer organisation
	Units    int // organisation units, all live
	Accounts int // budget holders among them, each with one active customer
	People   int // people, the few in the trash included
	Managers int // relationship managers
	Heads    int
	Staff    int
	Viewers  int
	Segments int
	// Events is the number of audit entries: the timeline, creations included.
	Events int
	// Agreements are spread over the accounts, five an account at L.
	Agreements int
}

// Users is the number of internal users: the administrator and the rest.
func (p Plan) Users() int { return 1 + p.Heads + p.Managers + p.Staff + p.Viewers }

var plans = map[Size]Plan{
	L: {Size: L, Trees: 80, Units: 2000, Accounts: 600, People: 20000, Managers: 40, Heads: 3, Staff: 16, Viewers: 4, Segments: 8, Events: 1_000_000, Agreements: 3000},
	M: {Size: M, Trees: 8, Units: 200, Accounts: 60, People: 2000, Managers: 4, Heads: 1, Staff: 2, Viewers: 1, Segments: 8, Events: 100_000, Agreements: 300},
	S: {Size: S, Trees: 4, Units: 20, Accounts: 6, People: 200, Managers: 3, Heads: 1, Staff: 1, Viewers: 1, Segments: 5, Events: 10_000, Agreements: 30},
}

// PlanFor returns the plan of a size: S, M or L (any case).
func PlanFor(size Size) (Plan, error) {
	p, ok := plans[Size(strings.ToUpper(string(size)))]
	if !ok {
		return Plan{}, fmt.Errorf("dataset: unknown size %q: use S, M or L", size)
	}
	return p, nil
}

// Options choose a dataset.
type Options struct {
	Size Size
	Seed uint64
	// End is when the generated history ends; it starts three years
	// before. Zero means today at midnight UTC. The same size, seed and
	// end give the same data.
	End time.Time
}

// ErrNotEmpty is returned (wrapped) when the database already holds data.
// Its code is ECONFLICT.
var ErrNotEmpty = &liaison.Error{Code: liaison.ECONFLICT,
	Message: "The database is not empty: a dataset loads only into a database without users, units, people or history."}

// Result tells what Generate wrote.
type Result struct {
	Plan       Plan
	Seed       uint64
	Start, End time.Time // the span of the history

	Users, Segments           int
	Units, Accounts, MaxDepth int
	People, TrashedPeople     int
	Roles, ActiveCustomers    int
	AuditEntries              int
	Services, Subscriptions   int
	Suppliers                 int
	Complaints                int
	Meetings, Actions         int
	CycleTasks                int // annual-cycle tasks (actions) generated for the accounts
	Surveys, Campaigns        int // survey templates; campaigns, OpenCampaigns of them open
	Recipients                int // campaign recipients, each with a link (SurveyToken)
	SurveyResponses           int

	AdminEmail, Password string

	Build, Load time.Duration // generating in memory; writing (with the rest of the generation, which streams)
}

// Generate builds the dataset of opts and writes it into db, which must
// be migrated and hold no data (else ErrNotEmpty). Nothing is written
// when it fails.
func Generate(ctx context.Context, db *sqlstore.DB, opts Options) (*Result, error) {
	plan, err := PlanFor(opts.Size)
	if err != nil {
		return nil, err
	}
	end := opts.End
	if end.IsZero() {
		end = time.Now().UTC().Truncate(24 * time.Hour)
	}
	t0 := time.Now()
	w, err := build(plan, opts.Seed, end.UTC())
	if err != nil {
		return nil, err
	}
	built := time.Since(t0)
	t1 := time.Now()
	err = db.Bulk(ctx, func(b *sqlstore.BulkTx) error {
		empty, err := b.Empty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("dataset: %w", ErrNotEmpty)
		}
		return w.load(ctx, b)
	})
	if err != nil {
		var le *liaison.Error
		if errors.As(err, &le) {
			return nil, err
		}
		return nil, fmt.Errorf("dataset: load: %w", err)
	}
	res := w.result()
	res.Seed, res.Build, res.Load = opts.Seed, built, time.Since(t1)
	return res, nil
}

// load writes the world: the timeline first, streamed while the history
// is played (audit entries refer to nothing, so they need no order), then
// every record in its final state, parents before what refers to them.
func (w *world) load(ctx context.Context, b *sqlstore.BulkTx) error {
	// The biggest tables get their secondary indexes built once, after
	// their rows, instead of row by row.
	for _, table := range []string{"audit_entries", "timeline_entries", "complaints", "meetings", "actions", "campaign_recipients", "survey_responses"} {
		if err := b.DeferIndexes(ctx, table); err != nil {
			return err
		}
	}
	if err := w.play(ctx, b.AuditEntries); err != nil {
		return err
	}
	if err := w.check(); err != nil {
		return err
	}
	if err := b.Users(ctx, w.users); err != nil {
		return err
	}
	segments := make([]*liaison.Segment, len(w.segments))
	for i, s := range w.segments {
		segments[i] = s.s
	}
	if err := b.Segments(ctx, segments); err != nil {
		return err
	}
	units := make([]*liaison.Organisation, len(w.units))
	for i, u := range w.units {
		units[i] = u.o
	}
	if err := b.Organisations(ctx, units); err != nil {
		return err
	}
	people := make([]*liaison.Person, len(w.people))
	for i, p := range w.people {
		people[i] = p.p
	}
	if err := b.People(ctx, people); err != nil {
		return err
	}
	var roles []*liaison.ContactRole
	for _, r := range w.roles {
		if !r.isRemoved() {
			roles = append(roles, r.r)
		}
	}
	if err := b.Roles(ctx, roles); err != nil {
		return err
	}
	if err := w.loadServices(ctx, b); err != nil {
		return err
	}
	if err := b.Agreements(ctx, w.agreements()); err != nil {
		return err
	}
	complaints := w.buildComplaints(w.catalogue, w.subList)
	w.complaints = len(complaints)
	if err := b.Complaints(ctx, complaints); err != nil {
		return err
	}

	if err := w.loadSuppliers(ctx, b); err != nil {
		return err
	}
	if err := w.loadMeetings(ctx, b); err != nil {
		return err
	}
	if err := w.loadCycle(ctx, b); err != nil {
		return err
	}
	return w.loadSurveys(ctx, b)
}

// loadSurveys writes the surveys, campaigns, recipients and responses.
func (w *world) loadSurveys(ctx context.Context, b *sqlstore.BulkTx) error {
	d := w.buildSurveys()
	w.surveys, w.campaigns, w.recipients, w.surveyResponses = len(d.surveys), len(d.campaigns), len(d.recipients), len(d.responses)
	if err := b.Surveys(ctx, d.surveys); err != nil {
		return err
	}
	if err := b.Campaigns(ctx, d.campaigns); err != nil {
		return err
	}
	if err := b.Recipients(ctx, d.recipients); err != nil {
		return err
	}
	return b.SurveyResponses(ctx, d.responses)
}

func (w *world) result() *Result {
	res := &Result{Plan: w.plan, Start: time.UnixMicro(w.start).UTC(), End: time.UnixMicro(w.end).UTC(),
		Users: len(w.users), Segments: len(w.segments), Units: len(w.units), People: len(w.people),
		AuditEntries: w.audited, AdminEmail: AdminEmail, Password: Password,
		Services: w.services, Subscriptions: w.subscriptions, Suppliers: w.suppliers, Complaints: w.complaints,
		Meetings: w.meetings, Actions: w.actions,
		CycleTasks: w.cycleTasks, Surveys: w.surveys, Campaigns: w.campaigns, Recipients: w.recipients, SurveyResponses: w.surveyResponses}
	for _, u := range w.units {
		if u.o.BudgetHolder {
			res.Accounts++
		}
		res.MaxDepth = max(res.MaxDepth, u.o.Depth)
	}
	for _, p := range w.people {
		if p.p.DeletedAt != nil {
			res.TrashedPeople++
		}
	}
	for _, r := range w.roles {
		if r.isRemoved() {
			continue
		}
		res.Roles++
		if r.r.Role == liaison.RoleCustomer && r.r.Active {
			res.ActiveCustomers++
		}
	}
	return res
}
