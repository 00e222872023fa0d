package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// dashboardScope is the one cache row: the facts cover every account and
// the scopes (manager, segment) are added up from them in memory.
const dashboardScope = "all"

// dashboardGeneration reads the change count of the records the facts read
// (migration 0024: every change to them bumps one of 16 slots).
func dashboardGeneration(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM dashboard_generation`).Scan(&n)
	return n, err
}

// DashboardFacts returns the cached facts when they were computed at the
// current generation on today, else computes them from the records in one
// read snapshot and caches them. A request finding the cache stale waits
// for this process's computation rather than starting its own.
func (db *DB) DashboardFacts(ctx context.Context, today time.Time) (*liaison.DashboardFacts, error) {
	day := liaison.FormatDate(liaison.DateOf(today))
	if f, err := db.cachedDashboard(ctx, day); f != nil || err != nil {
		return f, err
	}
	db.dash.Lock()
	defer db.dash.Unlock()
	if f, err := db.cachedDashboard(ctx, day); f != nil || err != nil {
		return f, err
	}
	f, err := db.computeDashboard(ctx, today)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	err = db.write(ctx, func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dashboard_cache (scope, generation, day, body, computed_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation, day = excluded.day, body = excluded.body, computed_at = excluded.computed_at
			WHERE dashboard_cache.generation <= excluded.generation`,
			dashboardScope, f.Generation, day, string(body), tx.t(f.ComputedAt))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: cache: %w", err)
	}
	return f, nil
}

// cachedDashboard returns the cached facts when they are current, else nil.
func (db *DB) cachedDashboard(ctx context.Context, day string) (*liaison.DashboardFacts, error) {
	gen, err := dashboardGeneration(ctx, db.ro)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	// The row decoded last time, while it is still the current one: the
	// generation read just now is the database's, so a change made through
	// any instance is seen; only the decoding of the same row is saved.
	if f := db.dashFacts.Load(); f != nil && f.Generation == gen && f.Today == day {
		return f, nil
	}
	var cgen int64
	var cday, body string
	err = db.ro.QueryRowContext(ctx, `SELECT generation, day, body FROM dashboard_cache WHERE scope = $1`, dashboardScope).Scan(&cgen, &cday, &body)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (cgen != gen || cday != day)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	var f liaison.DashboardFacts
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		return nil, nil // a cache we cannot read is recomputed
	}
	f.Generation, f.Today = cgen, cday
	db.dashFacts.Store(&f)
	return &f, nil
}

// computeDashboard reads the records in one snapshot (the generation with
// them, so that a change committed meanwhile makes the result stale) and
// applies the definitions of liaison.ComputeDashboardFacts.
func (db *DB) computeDashboard(ctx context.Context, today time.Time) (*liaison.DashboardFacts, error) {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(liaison.DashboardMonths - 1), 0)
	return db.dashboardSnapshot(ctx, today, first, func(r *liaison.DashboardRecords) *liaison.DashboardFacts {
		return liaison.ComputeDashboardFacts(r, today)
	})
}

// DashboardPeriodFacts reads the records of the period in one snapshot and
// applies liaison.ComputePeriodFacts; nothing is cached.
func (db *DB) DashboardPeriodFacts(ctx context.Context, today time.Time, from, to string) (*liaison.DashboardFacts, error) {
	var first time.Time // no beginning: every record
	if from != "" {
		t, err := liaison.ParseDate(from)
		if err != nil {
			return nil, &liaison.Error{Code: liaison.EINVALID, Message: "from must be a date as YYYY-MM-DD.", Key: "error.date_invalid"}
		}
		first = t
	}
	return db.dashboardSnapshot(ctx, today, first, func(r *liaison.DashboardRecords) *liaison.DashboardFacts {
		return liaison.ComputePeriodFacts(r, today, from, to)
	})
}

// dashboardSnapshot reads the records that may count from first on, and
// computes the facts of them with compute.
func (db *DB) dashboardSnapshot(ctx context.Context, today, first time.Time, compute func(*liaison.DashboardRecords) *liaison.DashboardFacts) (*liaison.DashboardFacts, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.rdb.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("dashboard: begin: %w", err)
	}
	defer tx.Rollback()
	gen, err := dashboardGeneration(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	r, err := db.dashboardRecords(ctx, tx, today, first)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	_ = tx.Rollback()
	f := compute(r)
	f.Generation, f.ComputedAt = gen, db.now()
	return f, nil
}

func dateOf(t time.Time) string { return liaison.FormatDate(t.UTC()) }

// dashboardRecords reads the rows of liaison.DashboardRecords: each a
// narrow select of live rows; the history before first (the trend's or the
// period's first day) is left out where it cannot count.
func (db *DB) dashboardRecords(ctx context.Context, tx *sql.Tx, today, first time.Time) (*liaison.DashboardRecords, error) {
	r := &liaison.DashboardRecords{}
	start := liaison.FormatDate(first)
	// The health reads ratings of the last 180 days, which may reach before the trend.
	ratingsFrom := min(start, liaison.FormatDate(liaison.DateOf(today).AddDate(0, 0, -180)))
	each := func(query string, args []any, scan func(scanner) error) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if err := each(`SELECT id, name, COALESCE(parent_id, ''), COALESCE(segment_id, ''), COALESCE(relationship_manager_id, ''), COALESCE(deputy_id, ''), budget_holder
		FROM organisations WHERE deleted_at IS NULL`, nil, func(sc scanner) error {
		var u liaison.DashUnit
		if err := sc.Scan(&u.ID, &u.Name, &u.ParentID, &u.SegmentID, &u.ManagerID, &u.DeputyID, &u.BudgetHolder); err != nil {
			return err
		}
		r.Units = append(r.Units, u)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	if err := each(`SELECT r.organisation_id, r.role, r.created_at, r.it_contact_user_id IS NOT NULL FROM contact_roles r JOIN people p ON p.id = r.person_id
		WHERE r.active AND r.role IN ('customer', 'orderer') AND p.deleted_at IS NULL`, nil, func(sc scanner) error {
		var ro liaison.DashRole
		var created time.Time
		if err := sc.Scan(&ro.UnitID, &ro.Role, timeCol{&created}, &ro.ITContact); err != nil {
			return err
		}
		ro.Created = dateOf(created)
		r.Roles = append(r.Roles, ro)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	if err := each(`SELECT organisation_id, status, COALESCE(start_date, signed_on, ''), created_at, COALESCE(end_date, ''), service_review_months
		FROM agreements WHERE deleted_at IS NULL AND status IN ('active', 'expired') AND (end_date IS NULL OR end_date >= $1)`, []any{start}, func(sc scanner) error {
		var g liaison.DashAgreement
		var created time.Time
		if err := sc.Scan(&g.UnitID, &g.Status, &g.Begins, timeCol{&created}, &g.EndDate, &g.ReviewMonths); err != nil {
			return err
		}
		if g.Begins == "" {
			g.Begins = dateOf(created)
		}
		r.Agreements = append(r.Agreements, g)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	if err := each(`SELECT organisation_id, closed_on, rating FROM ticket_ratings WHERE closed_on >= $1`, []any{ratingsFrom}, func(sc scanner) error {
		var t liaison.DashRating
		if err := sc.Scan(&t.UnitID, &t.Closed, &t.Rating); err != nil {
			return err
		}
		r.Ratings = append(r.Ratings, t)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("ratings: %w", err)
	}
	if err := each(`SELECT COALESCE(account_id, organisation_id), received_at, COALESCE(resolved_at, closed_at) FROM complaints
		WHERE deleted_at IS NULL AND classification = 'complaint' AND (received_at >= $1 OR COALESCE(resolved_at, closed_at) IS NULL OR COALESCE(resolved_at, closed_at) >= $1)`,
		[]any{db.dialect.timeArg(first)}, func(sc scanner) error {
			var c liaison.DashComplaint
			var received time.Time
			var ended *time.Time
			if err := sc.Scan(&c.UnitID, timeCol{&received}, nullTimeCol{&ended}); err != nil {
				return err
			}
			c.Received = dateOf(received)
			if ended != nil {
				c.Ended = dateOf(*ended)
			}
			r.Complaints = append(r.Complaints, c)
			return nil
		}); err != nil {
		return nil, fmt.Errorf("complaints: %w", err)
	}
	if err := each(`SELECT organisation_id, created_at, COALESCE(due_date, ''), status, done_at FROM actions
		WHERE deleted_at IS NULL AND organisation_id IS NOT NULL AND (status = 'open' OR (status = 'done' AND due_date IS NOT NULL AND done_at >= $1))`,
		[]any{db.dialect.timeArg(first)}, func(sc scanner) error {
			var x liaison.DashAction
			var created time.Time
			var done *time.Time
			if err := sc.Scan(&x.UnitID, timeCol{&created}, &x.Due, &x.Status, nullTimeCol{&done}); err != nil {
				return err
			}
			x.Created = dateOf(created)
			if done != nil {
				x.Done = dateOf(*done)
			}
			r.Actions = append(r.Actions, x)
			return nil
		}); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	if err := db.dashboardResponses(ctx, tx, first, r); err != nil {
		return nil, fmt.Errorf("survey responses: %w", err)
	}
	if err := each(`SELECT organisation_id, starts_at FROM meetings WHERE type = 'service_review' AND status = 'held' AND deleted_at IS NULL`, nil, func(sc scanner) error {
		var rv liaison.DashReview
		var on time.Time
		if err := sc.Scan(&rv.UnitID, timeCol{&on}); err != nil {
			return err
		}
		rv.On = dateOf(on)
		r.Reviews = append(r.Reviews, rv)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	if err := each(`SELECT id, name FROM users ORDER BY name, id`, nil, func(sc scanner) error {
		var ref liaison.Ref
		if err := sc.Scan(&ref.ID, &ref.Name); err != nil {
			return err
		}
		r.Managers = append(r.Managers, ref)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("managers: %w", err)
	}
	if err := each(`SELECT id, name FROM segments ORDER BY name, id`, nil, func(sc scanner) error {
		var ref liaison.Ref
		if err := sc.Scan(&ref.ID, &ref.Name); err != nil {
			return err
		}
		r.Segments = append(r.Segments, ref)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	return r, nil
}

// dashboardResponses reads the responses submitted from first on to live
// campaigns, each scored against its campaign's questions (the survey
// version the campaign sent).
func (db *DB) dashboardResponses(ctx context.Context, tx *sql.Tx, first time.Time, r *liaison.DashboardRecords) error {
	type version struct {
		survey string
		number int
	}
	questions := map[version][]liaison.Question{}
	rows, err := tx.QueryContext(ctx, `SELECT survey_id, number, questions_json FROM survey_versions
		WHERE (survey_id, number) IN (SELECT survey_id, survey_version FROM campaigns WHERE deleted_at IS NULL)`)
	if err != nil {
		return err
	}
	if _, err := collectRows(rows, func(sc scanner) (struct{}, error) {
		var v version
		var js string
		if err := sc.Scan(&v.survey, &v.number, &js); err != nil {
			return struct{}{}, err
		}
		var qs []liaison.Question
		if err := json.Unmarshal([]byte(js), &qs); err != nil {
			return struct{}{}, fmt.Errorf("survey %s version %d: %w", v.survey, v.number, err)
		}
		questions[v] = qs
		return struct{}{}, nil
	}); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT s.organisation_id, s.submitted_at, s.answers_json, c.anonymous, c.survey_id, c.survey_version
		FROM survey_responses s JOIN campaigns c ON c.id = s.campaign_id
		WHERE c.deleted_at IS NULL AND s.submitted_at >= $1`, db.dialect.timeArg(first))
	if err != nil {
		return err
	}
	r.Responses, err = collectRows(rows, func(sc scanner) (liaison.DashResponse, error) {
		var x liaison.DashResponse
		var at time.Time
		var js string
		var v version
		if err := sc.Scan(&x.UnitID, timeCol{&at}, &js, &x.Anonymous, &v.survey, &v.number); err != nil {
			return x, err
		}
		var answers []liaison.Answer
		if err := json.Unmarshal([]byte(js), &answers); err != nil {
			return x, err
		}
		x.Submitted, x.Score = dateOf(at), liaison.ScoreResponse(questions[v], answers)
		return x, nil
	})
	return err
}
