package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Subject types of the service catalogue in the audit trail.
const (
	subjectService      = "service"
	subjectSubscription = "subscription"
)

const serviceColumns = `s.id, s.name, s.description, s.status, s.owner_id, s.customer_specific, s.price_model, s.currency,
	s.external_id, s.version, s.created_at, s.updated_at,
	(SELECT COUNT(*) FROM subscriptions sub WHERE sub.service_id = s.id) -
	(SELECT COUNT(*) FROM organisations o CROSS JOIN subscriptions sub
		WHERE o.deleted_at IS NOT NULL AND sub.organisation_id = o.id AND sub.service_id = s.id) AS usages`

// The usages of a service are those of live accounts. Counted as all minus
// those of trashed units, both halves read indexes only (the trash is
// small; CROSS JOIN makes SQLite start from it): joining every usage to its
// unit to test deleted_at cost ~1 ms per page of 50 services at dataset L.

func scanService(sc scanner) (*liaison.Service, error) {
	var s liaison.Service
	var owner sql.NullString
	if err := sc.Scan(&s.ID, &s.Name, &s.Description, &s.Status, &owner, &s.CustomerSpecific, &s.PriceModel, &s.Currency,
		&s.ExternalID, &s.Version, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}, &s.Usages); err != nil {
		return nil, err
	}
	s.OwnerID = strPtr(owner)
	s.Levels = []liaison.ServiceLevel{}
	return &s, nil
}

func serviceSearchText(s *liaison.Service) string {
	return liaison.SearchText(s.Name, s.ExternalID)
}

const levelColumns = `l.service_id, l.name, l.description, l.availability_percent, l.response_minutes, l.resolution_minutes,
	l.support_hours, l.price`

// attachLevels reads the levels of services in one query.
func attachLevels(ctx context.Context, q queryer, services ...*liaison.Service) error {
	if len(services) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Service, len(services))
	marks := make([]string, len(services))
	args := make([]any, len(services))
	for i, s := range services {
		byID[s.ID] = s
		marks[i] = fmt.Sprintf("$%d", i+1)
		args[i] = s.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT `+levelColumns+` FROM service_levels l WHERE l.service_id IN (`+
		strings.Join(marks, ", ")+`) ORDER BY l.service_id, l.position`, args...)
	if err != nil {
		return fmt.Errorf("find service levels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		id, l, err := scanLevel(rows)
		if err != nil {
			return fmt.Errorf("find service levels: %w", err)
		}
		if s := byID[id]; s != nil {
			s.Levels = append(s.Levels, l)
		}
	}
	return rows.Err()
}

// scanLevel reads a row of levelColumns: the service's id and the level.
func scanLevel(sc scanner) (string, liaison.ServiceLevel, error) {
	var id string
	var l liaison.ServiceLevel
	var avail, price sql.NullFloat64
	var resp, resol sql.NullInt64
	if err := sc.Scan(&id, &l.Name, &l.Description, &avail, &resp, &resol, &l.SupportHours, &price); err != nil {
		return "", l, err
	}
	if avail.Valid {
		l.AvailabilityPercent = &avail.Float64
	}
	if price.Valid {
		l.Price = &price.Float64
	}
	if resp.Valid {
		l.ResponseMinutes = liaison.Ptr(int(resp.Int64))
	}
	if resol.Valid {
		l.ResolutionMinutes = liaison.Ptr(int(resol.Int64))
	}
	return id, l, nil
}

func findService(ctx context.Context, q queryer, id, lock string) (*liaison.Service, error) {
	s, err := scanService(q.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services s WHERE s.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("service", id)
	} else if err != nil {
		return nil, fmt.Errorf("find service %s: %w", id, err)
	}
	if err := attachLevels(ctx, q, s); err != nil {
		return nil, err
	}
	if err := attachSuppliers(ctx, q, s); err != nil {
		return nil, err
	}
	return s, nil
}

// FindServiceByID returns a service with its levels.
func (db *DB) FindServiceByID(ctx context.Context, id string) (*liaison.Service, error) {
	return findService(ctx, db.ro, id, "")
}

// FindServices lists services with their levels.
func (db *DB) FindServices(ctx context.Context, f liaison.ServiceFilter) ([]*liaison.Service, string, error) {
	so, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, so)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Status != "" {
		q.and("s.status = " + q.arg(string(f.Status)))
	}
	if f.OwnerID != "" {
		q.and("s.owner_id = " + q.arg(f.OwnerID))
	}
	if f.CustomerSpecific != nil {
		q.and("s.customer_specific = " + q.arg(*f.CustomerSpecific))
	}
	if f.ExternalID != "" {
		q.and("s.external_id = " + q.arg(f.ExternalID) + " AND s.external_id <> ''")
	}
	q.search("s.search_text", f.Q)
	tail := q.page("s", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+serviceColumns+` FROM services s`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find services: %w", err)
	}
	services, err := collectRows(rows, scanService)
	if err != nil {
		return nil, "", fmt.Errorf("find services: %w", err)
	}
	services, next := nextPage(services, limit, so, func(s *liaison.Service) (string, string) {
		return sortValue(so, s.Name, s.CreatedAt, s.UpdatedAt), s.ID
	})
	if err := attachLevels(ctx, db.ro, services...); err != nil {
		return nil, "", err
	}
	if err := attachSuppliers(ctx, db.ro, services...); err != nil {
		return nil, "", err
	}
	return services, next, nil
}

// checkUser refuses a reference to a user that does not exist.
func checkUser(ctx context.Context, tx *writeTx, v *liaison.Validation, field string, id *string) error {
	if id == nil {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, *id).Scan(&n); err != nil {
		return fmt.Errorf("check user %s: %w", *id, err)
	} else if n == 0 {
		unknownRef(v, field, "user")
	}
	return nil
}

// checkServiceKeys refuses an external id another service has.
func checkServiceKeys(ctx context.Context, tx *writeTx, s *liaison.Service) error {
	if s.ExternalID == "" {
		return nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM services WHERE external_id = $1 AND external_id <> '' AND id <> $2`,
		s.ExternalID, s.ID).Scan(&name)
	if err == nil {
		return conflict("error.external_id_taken", "the external id %s already belongs to %s", s.ExternalID, name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check service keys: %w", err)
	}
	return nil
}

const serviceKeyTaken = "another service has this external id"

func checkService(ctx context.Context, tx *writeTx, s *liaison.Service) error {
	var v liaison.Validation
	if err := checkUser(ctx, tx, &v, "owner_id", s.OwnerID); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	return checkServiceKeys(ctx, tx, s)
}

func insertLevel(ctx context.Context, tx *writeTx, serviceID string, pos int, l *liaison.ServiceLevel) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO service_levels (service_id, name, position, description, availability_percent,
		response_minutes, resolution_minutes, support_hours, price) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		serviceID, l.Name, pos, l.Description, l.AvailabilityPercent, intArg(l.ResponseMinutes), intArg(l.ResolutionMinutes),
		l.SupportHours, l.Price)
	if err != nil {
		return fmt.Errorf("save level %s: %w", l.Name, err)
	}
	return nil
}

func intArg(n *int) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}

// CreateService stores a new service with its levels.
func (db *DB) CreateService(ctx context.Context, s *liaison.Service) error {
	n := *s
	n.Levels = append([]liaison.ServiceLevel(nil), s.Levels...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkService(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.Usages, n.Suppliers = newID(), 1, tx.now, tx.now, 0, []liaison.SupplierRef{}
		_, err := tx.ExecContext(ctx, `INSERT INTO services (id, name, description, status, owner_id, customer_specific,
			price_model, currency, external_id, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			n.ID, n.Name, n.Description, n.Status, nullPtr(n.OwnerID), n.CustomerSpecific, n.PriceModel, n.Currency,
			n.ExternalID, serviceSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create service: %w", constraintError(err, serviceKeyTaken))
		}
		for i := range n.Levels {
			if err := insertLevel(ctx, tx, n.ID, i, &n.Levels[i]); err != nil {
				return err
			}
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectService, subjectID: n.ID,
			summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UpdateService replaces the service's fields and levels. Levels are
// matched by name: kept ones are updated in place, so that the usages
// naming them stay valid; a removed level that usages name is refused.
func (db *DB) UpdateService(ctx context.Context, s *liaison.Service, ifVersion int) error {
	n := *s
	n.Levels = append([]liaison.ServiceLevel(nil), s.Levels...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findService(ctx, tx, n.ID, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkService(ctx, tx, &n); err != nil {
			return err
		}
		// Keep the stored spelling of a kept level's name: its key.
		keep := map[string]bool{}
		for i := range n.Levels {
			if l := cur.Level(n.Levels[i].Name); l != nil {
				keep[l.Name] = true
			}
		}
		for _, l := range cur.Levels {
			if keep[l.Name] {
				continue
			}
			var used int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE service_id = $1 AND level = $2`,
				n.ID, l.Name).Scan(&used); err != nil {
				return fmt.Errorf("update service %s: %w", n.ID, err)
			}
			if used > 0 {
				return levelInUse(cur.Name, l.Name, used)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM service_levels WHERE service_id = $1 AND name = $2`, n.ID, l.Name); err != nil {
				if violationOf(err) == foreignKeyViolation {
					return levelInUse(cur.Name, l.Name, 1)
				}
				return fmt.Errorf("remove level %s: %w", l.Name, err)
			}
		}
		for i := range n.Levels {
			l := &n.Levels[i]
			if old := cur.Level(l.Name); old != nil {
				l.Name = old.Name
				if _, err := tx.ExecContext(ctx, `UPDATE service_levels SET position = $1, description = $2,
					availability_percent = $3, response_minutes = $4, resolution_minutes = $5, support_hours = $6, price = $7
					WHERE service_id = $8 AND name = $9`, i, l.Description, l.AvailabilityPercent, intArg(l.ResponseMinutes),
					intArg(l.ResolutionMinutes), l.SupportHours, l.Price, n.ID, l.Name); err != nil {
					return fmt.Errorf("save level %s: %w", l.Name, err)
				}
				continue
			}
			if err := insertLevel(ctx, tx, n.ID, i, l); err != nil {
				return err
			}
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.Usages, n.Suppliers = cur.Version+1, cur.CreatedAt, tx.now, cur.Usages, cur.Suppliers
		res, err := tx.ExecContext(ctx, `UPDATE services SET name = $1, description = $2, status = $3, owner_id = $4,
			customer_specific = $5, price_model = $6, currency = $7, external_id = $8, search_text = $9, version = $10,
			updated_at = $11 WHERE id = $12 AND version = $13`,
			n.Name, n.Description, n.Status, nullPtr(n.OwnerID), n.CustomerSpecific, n.PriceModel, n.Currency, n.ExternalID,
			serviceSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update service %s: %w", n.ID, constraintError(err, serviceKeyTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectService, subjectID: n.ID,
			summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

func levelInUse(service, level string, n int) error {
	return conflict("error.level_in_use", "%d usages of %s are at the level %s; move them to another level first", n, service, level)
}

// DeleteService removes a service nothing uses. Usages of trashed units
// count: the units may come back.
func (db *DB) DeleteService(ctx context.Context, id string, ifVersion int) error {
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findService(ctx, tx, id, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE service_id = $1`, id).Scan(&used); err != nil {
			return fmt.Errorf("delete service %s: %w", id, err)
		}
		if used > 0 {
			return conflict("error.service_in_use", "%s has %d usages; remove them, or retire the service instead", cur.Name, used)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM service_levels WHERE service_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM services WHERE id = $1`, id); err != nil {
			return err // something else refers to it: explained below
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectService, subjectID: id,
			summary: cur.Name, before: cur})
	})
	if violationOf(err) == foreignKeyViolation {
		return conflict("error.service_referenced", "the service is in use; retire it instead")
	}
	return err
}

// --- subscriptions ---

// subscriptionSource joins a usage with the names lists show. Lists page
// over it with alias x, so that sort "name" is the service's name.
const subscriptionSource = `(SELECT sub.id, sub.organisation_id, sub.service_id, sub.level, sub.users, sub.workload,
	sub.contact_user_id, sub.started_on, sub.notes, sub.version, sub.created_at, sub.updated_at,
	s.name AS name, s.status AS service_status, s.customer_specific, o.name AS organisation_name,
	COALESCE(u.name, '') AS contact_name, s.search_text AS service_search, o.search_text AS organisation_search,
	o.deleted_at AS organisation_deleted_at
	FROM subscriptions sub JOIN services s ON s.id = sub.service_id JOIN organisations o ON o.id = sub.organisation_id
	LEFT JOIN users u ON u.id = sub.contact_user_id) x`

const subscriptionColumns = `x.id, x.organisation_id, x.service_id, x.level, x.users, x.workload, x.contact_user_id,
	x.started_on, x.notes, x.version, x.created_at, x.updated_at, x.name, x.service_status, x.customer_specific,
	x.organisation_name, x.contact_name`

func scanSubscription(sc scanner) (*liaison.Subscription, error) {
	var s liaison.Subscription
	var users sql.NullInt64
	var contact, started sql.NullString
	if err := sc.Scan(&s.ID, &s.OrganisationID, &s.ServiceID, &s.Level, &users, &s.Workload, &contact, &started, &s.Notes,
		&s.Version, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}, &s.ServiceName, &s.ServiceStatus, &s.CustomerSpecific,
		&s.OrganisationName, &s.ContactName); err != nil {
		return nil, err
	}
	if users.Valid {
		s.Users = liaison.Ptr(int(users.Int64))
	}
	s.ContactUserID, s.StartedOn = strPtr(contact), strPtr(started)
	return &s, nil
}

func findSubscription(ctx context.Context, q queryer, id string) (*liaison.Subscription, error) {
	s, err := scanSubscription(q.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM `+subscriptionSource+` WHERE x.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("subscription", id)
	} else if err != nil {
		return nil, fmt.Errorf("find subscription %s: %w", id, err)
	}
	return s, nil
}

// FindSubscriptionByID returns a usage.
func (db *DB) FindSubscriptionByID(ctx context.Context, id string) (*liaison.Subscription, error) {
	return findSubscription(ctx, db.ro, id)
}

// FindSubscriptions lists the usages of live units.
func (db *DB) FindSubscriptions(ctx context.Context, f liaison.SubscriptionFilter) ([]*liaison.Subscription, string, error) {
	so, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, so)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	q.and("x.organisation_deleted_at IS NULL")
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.Level != "" {
		q.and("x.level = " + q.arg(f.Level))
	}
	if f.ContactUserID != "" {
		q.and("x.contact_user_id = " + q.arg(f.ContactUserID))
	}
	if f.NoContact {
		q.and("x.contact_user_id IS NULL")
	}
	q.search("(x.service_search || ' ' || x.organisation_search)", f.Q)
	tail := q.page("x", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM `+subscriptionSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find subscriptions: %w", err)
	}
	subs, err := collectRows(rows, scanSubscription)
	if err != nil {
		return nil, "", fmt.Errorf("find subscriptions: %w", err)
	}
	subs, next := nextPage(subs, limit, so, func(s *liaison.Subscription) (string, string) {
		return sortValue(so, s.ServiceName, s.CreatedAt, s.UpdatedAt), s.ID
	})
	return subs, next, nil
}

// SubscriptionCoverage counts the usages of live units.
func (db *DB) SubscriptionCoverage(ctx context.Context) (liaison.Coverage, error) {
	// Every usage, less those of trashed units (the trash is small; see
	// serviceColumns): joining each usage to its unit cost more than the rest.
	const counts = `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN sub.contact_user_id IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN s.customer_specific THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN s.customer_specific AND sub.contact_user_id IS NULL THEN 1 ELSE 0 END), 0)`
	var all, trashed liaison.Coverage
	err := db.ro.QueryRowContext(ctx, counts+` FROM subscriptions sub JOIN services s ON s.id = sub.service_id`).
		Scan(&all.Usages, &all.WithContact, &all.CustomerSpecific, &all.CustomerSpecificNoContact)
	if err == nil {
		err = db.ro.QueryRowContext(ctx, counts+` FROM organisations o CROSS JOIN subscriptions sub JOIN services s ON s.id = sub.service_id
			WHERE o.deleted_at IS NOT NULL AND sub.organisation_id = o.id`).
			Scan(&trashed.Usages, &trashed.WithContact, &trashed.CustomerSpecific, &trashed.CustomerSpecificNoContact)
	}
	if err != nil {
		return liaison.Coverage{}, fmt.Errorf("subscription coverage: %w", err)
	}
	return liaison.Coverage{Usages: all.Usages - trashed.Usages, WithContact: all.WithContact - trashed.WithContact,
		CustomerSpecific:          all.CustomerSpecific - trashed.CustomerSpecific,
		CustomerSpecificNoContact: all.CustomerSpecificNoContact - trashed.CustomerSpecificNoContact}, nil
}

// checkSubscription checks what a usage refers to and the rules between it
// and its service. The unit and service rows are share-locked on
// PostgreSQL so that neither changes under the check.
func checkSubscription(ctx context.Context, tx *writeTx, s *liaison.Subscription, before *liaison.Subscription) (*liaison.Service, string, error) {
	var v liaison.Validation
	var unitName string
	var budgetHolder bool
	err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		s.OrganisationID).Scan(&unitName, &budgetHolder)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(&v, "organisation_id", "unit")
	} else if err != nil {
		return nil, "", fmt.Errorf("check usage unit %s: %w", s.OrganisationID, err)
	} else if !budgetHolder && (before == nil || before.OrganisationID != s.OrganisationID) {
		v.Add("organisation_id", liaison.CodeInvalid, "error.usage_needs_account",
			"%s is not a customer account: record the usage on the account it belongs to", unitName)
	}
	if err := checkUser(ctx, tx, &v, "contact_user_id", s.ContactUserID); err != nil {
		return nil, "", err
	}
	svc, err := findService(ctx, tx, s.ServiceID, tx.db.dialect.forShare)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		unknownRef(&v, "service_id", "service")
	} else if err != nil {
		return nil, "", err
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if err := liaison.CheckSubscription(s, svc, before); err != nil {
		return nil, "", err
	}
	// One usage per account, service and level.
	var other string
	err = tx.QueryRowContext(ctx, `SELECT id FROM subscriptions WHERE organisation_id = $1 AND service_id = $2 AND level = $3 AND id <> $4`,
		s.OrganisationID, s.ServiceID, s.Level, s.ID).Scan(&other)
	if err == nil {
		return nil, "", usageTaken(unitName, svc.Name, s.Level)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("check usage: %w", err)
	}
	return svc, unitName, nil
}

func usageTaken(unit, service, level string) error {
	return conflict("error.usage_taken", "%s already uses %s at the level %s; change that usage's volume instead", unit, service, level)
}

func subscriptionSummary(unit, service, level string) string {
	return unit + " – " + service + " (" + level + ")"
}

// fillSubscriptionNames sets the derived names of s after a write.
func fillSubscriptionNames(ctx context.Context, tx *writeTx, s *liaison.Subscription, svc *liaison.Service, unit string) error {
	s.ServiceName, s.ServiceStatus, s.CustomerSpecific, s.OrganisationName, s.ContactName = svc.Name, svc.Status, svc.CustomerSpecific, unit, ""
	if s.ContactUserID != nil {
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, *s.ContactUserID).Scan(&s.ContactName); err != nil {
			return fmt.Errorf("usage contact: %w", err)
		}
	}
	return nil
}

const usageKeyTaken = "the account already uses the service at this level"

// CreateSubscription stores a new usage.
func (db *DB) CreateSubscription(ctx context.Context, s *liaison.Subscription) error {
	n := *s
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID = newID()
		svc, unit, err := checkSubscription(ctx, tx, &n, nil)
		if err != nil {
			return err
		}
		if err := fillSubscriptionNames(ctx, tx, &n, svc, unit); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = 1, tx.now, tx.now
		_, err = tx.ExecContext(ctx, `INSERT INTO subscriptions (id, organisation_id, service_id, level, users, workload,
			contact_user_id, started_on, notes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
			n.ID, n.OrganisationID, n.ServiceID, n.Level, intArg(n.Users), n.Workload, nullPtr(n.ContactUserID),
			nullPtr(n.StartedOn), n.Notes, n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create subscription: %w", constraintError(err, usageKeyTaken))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSubscription, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: subscriptionSummary(unit, svc.Name, n.Level), after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UpdateSubscription replaces the usage's fields.
func (db *DB) UpdateSubscription(ctx context.Context, s *liaison.Subscription, ifVersion int) error {
	n := *s
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM subscriptions WHERE id = $1`+tx.db.dialect.forUpdate, n.ID); err != nil {
			return fmt.Errorf("lock subscription %s: %w", n.ID, err)
		}
		cur, err := findSubscription(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		svc, unit, err := checkSubscription(ctx, tx, &n, cur)
		if err != nil {
			return err
		}
		if err := fillSubscriptionNames(ctx, tx, &n, svc, unit); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET organisation_id = $1, service_id = $2, level = $3, users = $4,
			workload = $5, contact_user_id = $6, started_on = $7, notes = $8, version = $9, updated_at = $10
			WHERE id = $11 AND version = $12`,
			n.OrganisationID, n.ServiceID, n.Level, intArg(n.Users), n.Workload, nullPtr(n.ContactUserID), nullPtr(n.StartedOn),
			n.Notes, n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update subscription %s: %w", n.ID, constraintError(err, usageKeyTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSubscription, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: subscriptionSummary(unit, svc.Name, n.Level), before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// DeleteSubscription removes a usage for good; the audit trail keeps it.
func (db *DB) DeleteSubscription(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM subscriptions WHERE id = $1`+tx.db.dialect.forUpdate, id); err != nil {
			return fmt.Errorf("lock subscription %s: %w", id, err)
		}
		cur, err := findSubscription(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete subscription %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectSubscription, subjectID: id,
			organisationID: cur.OrganisationID, summary: subscriptionSummary(cur.OrganisationName, cur.ServiceName, cur.Level),
			before: cur})
	})
}
