package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/liaisonhq/liaison"
)

// Imports (SPEC C15): the jobs of the import wizard and the one
// transaction that writes an import.

const subjectImport = "import"

// CreateImportJob stores a new job. Jobs are working records of one user's
// import, not business data: they are not audited (the import they commit is).
func (db *DB) CreateImportJob(ctx context.Context, j *liaison.ImportJob) error {
	j.ID, j.Version = newID(), 1
	j.CreatedAt, j.UpdatedAt = db.now(), db.now()
	mapping, report, err := importJobJSON(j)
	if err != nil {
		return err
	}
	_, err = db.wdb.ExecContext(ctx, `INSERT INTO import_jobs (id, kind, file_name, data, mapping, status, total, done, report,
		created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)`,
		j.ID, string(j.Kind), j.FileName, j.Data, mapping, string(j.Status), j.Total, j.Done, report, j.CreatedBy, db.dialect.timeArg(j.CreatedAt))
	if err != nil {
		return fmt.Errorf("create import job: %w", err)
	}
	return nil
}

func importJobJSON(j *liaison.ImportJob) (string, string, error) {
	m := j.Mapping
	if m == nil {
		m = []string{}
	}
	mapping, err := json.Marshal(m)
	if err != nil {
		return "", "", err
	}
	report := []byte("{}")
	if j.Report != nil {
		if report, err = json.Marshal(j.Report); err != nil {
			return "", "", err
		}
	}
	return string(mapping), string(report), nil
}

// FindImportJob returns a job and its file.
func (db *DB) FindImportJob(ctx context.Context, id string) (*liaison.ImportJob, error) {
	var j liaison.ImportJob
	var kind, status string
	var mapping, report []byte
	err := db.ro.QueryRowContext(ctx, `SELECT id, kind, file_name, data, mapping, status, total, done, report, created_by,
		version, created_at, updated_at FROM import_jobs WHERE id = $1`, id).Scan(&j.ID, &kind, &j.FileName, &j.Data, &mapping,
		&status, &j.Total, &j.Done, &report, &j.CreatedBy, &j.Version, timeCol{&j.CreatedAt}, timeCol{&j.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "Import not found.", Key: "import.error_not_found"}
	}
	if err != nil {
		return nil, fmt.Errorf("find import job: %w", err)
	}
	j.Kind, j.Status = liaison.ImportKind(kind), liaison.ImportStatus(status)
	if err := json.Unmarshal(mapping, &j.Mapping); err != nil {
		return nil, fmt.Errorf("import job %s mapping: %w", id, err)
	}
	var r liaison.ImportSummary
	if len(report) > 2 {
		if err := json.Unmarshal(report, &r); err != nil {
			return nil, fmt.Errorf("import job %s report: %w", id, err)
		}
		j.Report = &r
	}
	return &j, nil
}

// SaveImportJob writes the job's mapping, status, progress and report.
// Progress writes are small and frequent: each is its own statement.
func (db *DB) SaveImportJob(ctx context.Context, j *liaison.ImportJob) error {
	mapping, report, err := importJobJSON(j)
	if err != nil {
		return err
	}
	j.UpdatedAt = db.now()
	res, err := db.wdb.ExecContext(ctx, `UPDATE import_jobs SET mapping = $2, status = $3, total = $4, done = $5, report = $6,
		version = version + 1, updated_at = $7 WHERE id = $1`, j.ID, mapping, string(j.Status), j.Total, j.Done, report,
		db.dialect.timeArg(j.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save import job: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &liaison.Error{Code: liaison.ENOTFOUND, Message: "Import not found.", Key: "import.error_not_found"}
	}
	j.Version++
	return nil
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// ApplyImport plans the rows against the live records, read in the
// transaction that writes them, and writes the plan in bulk: multi-row
// INSERTs (COPY on PostgreSQL) for the records created, one UPDATE each
// for those changed, an audit entry per record and one for the import.
func (db *DB) ApplyImport(ctx context.Context, kind liaison.ImportKind, rows []liaison.ImportRow, dryRun bool) (*liaison.ImportPlan, error) {
	var plan *liaison.ImportPlan
	err := db.Bulk(ctx, func(b *BulkTx) error {
		snap, err := b.importSnapshot(ctx, kind)
		if err != nil {
			return err
		}
		plan = liaison.PlanImport(kind, snap, rows, newID, db.now())
		if len(plan.Rejected) > 0 || dryRun {
			return errDryRun
		}
		return b.writeImport(ctx, plan, snap)
	})
	if errors.Is(err, errDryRun) {
		return plan, nil
	}
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// importReads are the records a plan of each kind matches against.
var importReads = map[liaison.ImportKind][]string{
	liaison.ImportUnits:      {"units"},
	liaison.ImportPeople:     {"units", "people"},
	liaison.ImportRoles:      {"units", "people", "roles"},
	liaison.ImportServices:   {"users", "services"},
	liaison.ImportAgreements: {"units", "people", "roles", "services", "agreements"},
	liaison.ImportSLAResults: {"units", "services", "agreements", "sla_results"}, // units: the accounts of the audit entries
}

// importSnapshot reads the live records a plan of kind matches against.
func (b *BulkTx) importSnapshot(ctx context.Context, kind liaison.ImportKind) (*liaison.ImportSnapshot, error) {
	snap := &liaison.ImportSnapshot{}
	read := func(what, query string, row func(scanner) error) error {
		if err := b.query(ctx, row, query); err != nil {
			return fmt.Errorf("import: read %s: %w", what, err)
		}
		return nil
	}
	for _, what := range importReads[kind] {
		var err error
		switch what {
		case "units":
			err = read(what, `SELECT `+organisationColumns+` FROM organisations o WHERE o.deleted_at IS NULL`, func(s scanner) error {
				o, _, err := scanOrganisation(s)
				snap.Units = append(snap.Units, o)
				return err
			})
		case "people":
			err = read(what, `SELECT `+personColumns+` FROM people p WHERE p.deleted_at IS NULL`, func(s scanner) error {
				p, err := scanPerson(s)
				snap.People = append(snap.People, p)
				return err
			})
		case "roles":
			err = read(what, `SELECT `+roleColumns+` FROM contact_roles r`, func(s scanner) error {
				r, err := scanRole(s)
				snap.Roles = append(snap.Roles, r)
				return err
			})
		case "users":
			err = read(what, `SELECT `+userColumns+` FROM users u`, func(s scanner) error {
				u, err := scanUser(s)
				snap.Users = append(snap.Users, u)
				return err
			})
		case "services":
			byID := map[string]*liaison.Service{}
			err = read(what, `SELECT `+serviceColumns+` FROM services s`, func(s scanner) error {
				x, err := scanService(s)
				if err == nil {
					snap.Services, byID[x.ID] = append(snap.Services, x), x
				}
				return err
			})
			if err == nil {
				err = read("service levels", `SELECT `+levelColumns+` FROM service_levels l ORDER BY l.service_id, l.position`, func(s scanner) error {
					id, l, err := scanLevel(s)
					if x := byID[id]; err == nil && x != nil {
						x.Levels = append(x.Levels, l)
					}
					return err
				})
			}
		case "agreements":
			byID := map[string]*liaison.Agreement{}
			err = read(what, `SELECT `+agreementColumns+` FROM agreements a WHERE a.deleted_at IS NULL`, func(s scanner) error {
				a, err := scanAgreement(s)
				if err == nil {
					snap.Agreements, byID[a.ID] = append(snap.Agreements, a), a
				}
				return err
			})
			if err == nil {
				err = read("covered services", `SELECT agreement_id, service_id, level FROM agreement_services ORDER BY agreement_id, position`, func(s scanner) error {
					var id string
					var c liaison.ServiceCover
					err := s.Scan(&id, &c.ServiceID, &c.Level)
					if a := byID[id]; err == nil && a != nil {
						a.Services = append(a.Services, c)
					}
					return err
				})
			}
		case "sla_results":
			err = read(what, `SELECT `+slaColumns+slaFrom, func(s scanner) error {
				r, err := scanSLAResult(s)
				snap.SLAResults = append(snap.SLAResults, r)
				return err
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return snap, nil
}

// writeImport writes a plan without rejections.
func (b *BulkTx) writeImport(ctx context.Context, p *liaison.ImportPlan, snap *liaison.ImportSnapshot) error {
	now := b.db.now()
	actorID, actorName := "", ""
	if pr := liaison.PrincipalFrom(ctx); pr != nil && pr.User != nil {
		actorID, actorName = pr.User.ID, pr.User.Name
	}
	// The account of each unit (nearest budget holder at or above it),
	// as the write path's audit rows name it.
	parent, holder := map[string]string{}, map[string]bool{}
	for _, u := range snap.Units {
		parent[u.ID], holder[u.ID] = deref(u.ParentID), u.BudgetHolder
	}
	for _, u := range append(append([]*liaison.Organisation{}, p.Units...), p.UnitsUpd...) {
		parent[u.ID], holder[u.ID] = deref(u.ParentID), u.BudgetHolder
	}
	account := func(id string) string {
		for n := 0; id != "" && n < 10000; n++ {
			if holder[id] {
				return id
			}
			id = parent[id]
		}
		return ""
	}
	var audit []*liaison.AuditEntry
	var add importAudit = func(action, subjectType, subjectID, org, summary string, before, after any) error {
		bj, err := auditJSON(before)
		if err != nil {
			return err
		}
		aj, err := auditJSON(after)
		if err != nil {
			return err
		}
		e := &liaison.AuditEntry{ID: newID(), At: now, ActorID: actorID, ActorName: actorName, Action: action, SubjectType: subjectType,
			SubjectID: subjectID, OrganisationID: org, AccountID: account(org), Summary: summary}
		if s, ok := bj.(string); ok {
			e.Before = json.RawMessage(s)
		}
		if s, ok := aj.(string); ok {
			e.After = json.RawMessage(s)
		}
		audit = append(audit, e)
		return nil
	}
	t := b.db.dialect.timeArg
	if err := importCreates(ctx, p.Units, func(o *liaison.Organisation) (*time.Time, *time.Time) { return &o.CreatedAt, &o.UpdatedAt }, now, b.Organisations,
		func(o *liaison.Organisation) error {
			return add(liaison.ActionCreate, subjectOrganisation, o.ID, o.ID, o.Name, nil, o)
		}); err != nil {
		return err
	}
	before := map[string]any{}
	for _, o := range snap.Units {
		before[o.ID] = o
	}
	for _, x := range snap.People {
		before[x.ID] = x
	}
	for _, x := range snap.Roles {
		before[x.ID] = x
	}
	for _, x := range snap.Services {
		before[x.ID] = x
	}
	for _, x := range snap.Agreements {
		before[x.ID] = x
	}
	for _, x := range snap.SLAResults {
		before[x.ID] = x
	}
	for _, o := range p.UnitsUpd {
		v := o.Version
		o.Version, o.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE organisations SET name = $2, budget_holder = $3, description = $4, external_id = $5,
			search_text = $6, version = $7, updated_at = $8 WHERE id = $1 AND version = $9 AND deleted_at IS NULL`,
			o.ID, o.Name, o.BudgetHolder, o.Description, o.ExternalID, organisationSearchText(o), o.Version, t(now), v); err != nil {
			return err
		}
		if err := add(liaison.ActionUpdate, subjectOrganisation, o.ID, o.ID, o.Name, before[o.ID], o); err != nil {
			return err
		}
	}
	if err := importCreates(ctx, p.People, func(x *liaison.Person) (*time.Time, *time.Time) { return &x.CreatedAt, &x.UpdatedAt }, now, b.People,
		func(x *liaison.Person) error {
			return add(liaison.ActionCreate, subjectPerson, x.ID, x.OrganisationID, x.Name, nil, x)
		}); err != nil {
		return err
	}
	for _, x := range p.PeopleUpd {
		v := x.Version
		x.Version, x.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE people SET name = $2, email = $3, phone = $4, title = $5, organisation_id = $6,
			language = $7, external_id = $8, notes = $9, search_text = $10, version = $11, updated_at = $12
			WHERE id = $1 AND version = $13 AND deleted_at IS NULL`, x.ID, x.Name, x.Email, x.Phone, x.Title, x.OrganisationID,
			string(x.Language), x.ExternalID, x.Notes, personSearchText(x), x.Version, t(now), v); err != nil {
			return err
		}
		if err := add(liaison.ActionUpdate, subjectPerson, x.ID, x.OrganisationID, x.Name, before[x.ID], x); err != nil {
			return err
		}
	}
	if err := importCreates(ctx, p.Roles, func(r *liaison.ContactRole) (*time.Time, *time.Time) { return &r.CreatedAt, &r.UpdatedAt }, now, b.Roles,
		func(r *liaison.ContactRole) error {
			return add(liaison.ActionCreate, subjectRole, r.ID, r.OrganisationID, string(r.Role), nil, r)
		}); err != nil {
		return err
	}
	for _, r := range p.RolesUpd {
		v := r.Version
		r.Version, r.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE contact_roles SET active = $2, label = $3, version = $4, updated_at = $5
			WHERE id = $1 AND version = $6`, r.ID, r.Active, r.Label, r.Version, t(now), v); err != nil {
			return err
		}
		if err := add(liaison.ActionUpdate, subjectRole, r.ID, r.OrganisationID, string(r.Role), before[r.ID], r); err != nil {
			return err
		}
	}
	b.actorID, b.actorName = actorID, actorName
	if err := b.writeCatalogueImport(ctx, p, before, add); err != nil {
		return err
	}
	// The search index of the records updated is rebuilt with that of
	// the records created (Bulk's rebuildSearch, by table).
	for table, n := range map[string]int{"organisations": len(p.UnitsUpd), "people": len(p.PeopleUpd), "agreements": len(p.AgreementsUpd)} {
		if n > 0 {
			b.loaded[table] = true
		}
	}
	rep := p.Report(false)
	rep.Committed = true
	if err := add(liaison.ActionCreate, subjectImport, newID(), "", fmt.Sprintf("import of %s: %d rows, %d created, %d updated, %d unchanged",
		p.Kind, p.Rows, rep.Created, rep.Updated, rep.Unchanged), nil, rep); err != nil {
		return err
	}
	return b.AuditEntries(ctx, audit)
}

// importCreates writes the records an import creates, their times
// (stamp's) set to now, with write, a bulk loader, then adds the audit
// entry of each as written.
func importCreates[T any](ctx context.Context, xs []*T, stamp func(*T) (created, updated *time.Time), now time.Time,
	write func(context.Context, []*T) error, audit func(*T) error) error {
	for _, x := range xs {
		c, u := stamp(x)
		*c, *u = now, now
	}
	if err := write(ctx, xs); err != nil {
		return importConstraint(err)
	}
	for _, x := range xs {
		if err := audit(x); err != nil {
			return err
		}
	}
	return nil
}

// importAudit adds the audit entry of a record an import writes.
type importAudit func(action, subjectType, subjectID, org, summary string, before, after any) error

// writeCatalogueImport writes the services, agreements and SLA results
// of a plan: bulk inserts for those created, one UPDATE each (with the
// version read) for those changed. before holds the stored records by id.
func (b *BulkTx) writeCatalogueImport(ctx context.Context, p *liaison.ImportPlan, before map[string]any, add importAudit) error {
	now := b.db.now()
	t := b.db.dialect.timeArg
	if err := importCreates(ctx, p.Services, func(s *liaison.Service) (*time.Time, *time.Time) { return &s.CreatedAt, &s.UpdatedAt }, now, b.Services,
		func(s *liaison.Service) error {
			return add(liaison.ActionCreate, subjectService, s.ID, "", s.Name, nil, s)
		}); err != nil {
		return err
	}
	for _, s := range p.ServicesUpd {
		old, _ := before[s.ID].(*liaison.Service)
		if old == nil {
			return fmt.Errorf("import: service %s was not read", s.ID)
		}
		v := s.Version
		s.Version, s.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE services SET name = $2, description = $3, status = $4, owner_id = $5,
			customer_specific = $6, price_model = $7, currency = $8, external_id = $9, search_text = $10, version = $11,
			updated_at = $12 WHERE id = $1 AND version = $13`, s.ID, s.Name, s.Description, string(s.Status), nullPtr(s.OwnerID),
			s.CustomerSpecific, string(s.PriceModel), s.Currency, s.ExternalID, serviceSearchText(s), s.Version, t(now), v); err != nil {
			return err
		}
		// The plan keeps the stored levels first and appends the new.
		for i := len(old.Levels); i < len(s.Levels); i++ {
			l := &s.Levels[i]
			if err := b.exec(ctx, `INSERT INTO service_levels (service_id, name, position, description, availability_percent,
				response_minutes, resolution_minutes, support_hours, price) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				s.ID, l.Name, i, l.Description, floatArg(l.AvailabilityPercent), intArg(l.ResponseMinutes), intArg(l.ResolutionMinutes),
				l.SupportHours, floatArg(l.Price)); err != nil {
				return importConstraint(err)
			}
		}
		if err := add(liaison.ActionUpdate, subjectService, s.ID, "", s.Name, old, s); err != nil {
			return err
		}
	}
	if err := importCreates(ctx, p.Agreements, func(a *liaison.Agreement) (*time.Time, *time.Time) { return &a.CreatedAt, &a.UpdatedAt }, now, b.Agreements,
		func(a *liaison.Agreement) error {
			return add(liaison.ActionCreate, subjectAgreement, a.ID, a.OrganisationID, a.Title, nil, a)
		}); err != nil {
		return err
	}
	var covers []*liaison.Agreement // whose covered services are written again
	for _, a := range p.AgreementsUpd {
		v := a.Version
		a.Version, a.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE agreements SET organisation_id = $2, title = $3, type = $4, status = $5,
			signed_by_person_id = $6, signed_on = $7, start_date = $8, end_date = $9, notice_months = $10, renewal = $11,
			renewal_months = $12, review_interval_months = $13, next_review_date = $14, annual_amount = $15, currency = $16,
			cost_centre = $17, business_value = $18, value_measures = $19, notes = $20, external_id = $21, search_text = $22,
			version = $23, updated_at = $24, service_review_months = $25 WHERE id = $1 AND version = $26 AND deleted_at IS NULL`,
			a.ID, a.OrganisationID, a.Title, string(a.Type), string(a.Status), nullPtr(a.SignedByPersonID), nullPtr(a.SignedOn),
			nullPtr(a.StartDate), nullPtr(a.EndDate), a.NoticeMonths, string(a.Renewal), a.RenewalMonths, a.ReviewIntervalMonths,
			nullPtr(a.NextReviewDate), floatArg(a.AnnualAmount), a.Currency, a.CostCentre, a.BusinessValue, measuresJSON(a), a.Notes,
			a.ExternalID, agreementSearchText(a), a.Version, t(now), a.ServiceReviewMonths, v); err != nil {
			return err
		}
		if err := b.exec(ctx, `DELETE FROM agreement_services WHERE agreement_id = $1`, a.ID); err != nil {
			return fmt.Errorf("import: covered services of %s: %w", a.ID, err)
		}
		covers = append(covers, a)
		summary := a.Title
		if old, _ := before[a.ID].(*liaison.Agreement); old != nil && old.Status != a.Status {
			summary = fmt.Sprintf("%s: %s → %s", a.Title, old.Status, a.Status)
		}
		if err := add(liaison.ActionUpdate, subjectAgreement, a.ID, a.OrganisationID, summary, before[a.ID], a); err != nil {
			return err
		}
	}
	if err := b.agreementChildren(ctx, covers); err != nil {
		return importConstraint(err)
	}
	account := map[string]*liaison.Agreement{}
	for _, x := range before {
		if a, ok := x.(*liaison.Agreement); ok {
			account[a.ID] = a
		}
	}
	if err := importCreates(ctx, p.SLAResults, func(r *liaison.SLAResult) (*time.Time, *time.Time) { return &r.CreatedAt, &r.UpdatedAt }, now, b.SLAResults,
		func(r *liaison.SLAResult) error {
			ag := account[r.AgreementID]
			return add(liaison.ActionCreate, subjectSLAResult, r.ID, ag.OrganisationID, ag.Title+" "+r.String(), nil, r)
		}); err != nil {
		return err
	}
	for _, r := range p.SLAResultsUpd {
		v := r.Version
		r.Version, r.UpdatedAt = v+1, now
		if err := b.updateOne(ctx, `UPDATE sla_results SET higher_is_better = $2, target = $3, actual = $4, unit = $5, note = $6,
			source = $7, breached = $8, version = $9, updated_at = $10 WHERE id = $1 AND version = $11`,
			r.ID, r.HigherIsBetter, r.Target, r.Actual, r.Unit, r.Note, r.Source, r.Breached, r.Version, t(now), v); err != nil {
			return err
		}
		ag := account[r.AgreementID]
		if err := add(liaison.ActionUpdate, subjectSLAResult, r.ID, ag.OrganisationID, ag.Title+" "+r.String(), before[r.ID], r); err != nil {
			return err
		}
	}
	return nil
}

// updateOne runs an UPDATE that must change one row; a record changed
// meanwhile (another version) fails the import with ESTALE.
func (b *BulkTx) updateOne(ctx context.Context, query string, args ...any) error {
	var n int64
	if b.pgTx != nil {
		tag, err := b.pgTx.Exec(ctx, query, args...)
		if err != nil {
			return importConstraint(err)
		}
		n = tag.RowsAffected()
	} else {
		res, err := b.sqlTx.ExecContext(ctx, query, args...)
		if err != nil {
			return importConstraint(err)
		}
		n, _ = res.RowsAffected()
	}
	if n != 1 {
		return &liaison.Error{Code: liaison.ESTALE, Message: "A record was changed while the import ran; import again.", Key: "import.error_stale"}
	}
	return nil
}

// importConstraint turns a unique index's refusal (a record written by
// someone else since the plan was read: the plan reads in the same
// transaction, so only on PostgreSQL) into a conflict.
func importConstraint(err error) error {
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) || errors.Is(err, pgx.ErrNoRows) {
		return &liaison.Error{Code: liaison.ECONFLICT, Message: "A record the import writes was written meanwhile; import again.", Key: "import.error_conflict"}
	}
	return err
}
