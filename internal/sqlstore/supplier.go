package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

const subjectSupplier = "supplier"

var _ liaison.SupplierStore = (*DB)(nil)

const supplierColumns = `p.id, p.name, p.registration_id, p.description, p.contact_name, p.contact_email, p.contact_phone,
	p.website, p.contract_reference, p.contract_end_date, p.status, p.notes, p.version, p.created_at, p.updated_at, p.deleted_at`

func scanSupplier(sc scanner) (*liaison.Supplier, error) {
	var s liaison.Supplier
	var end sql.NullString
	if err := sc.Scan(&s.ID, &s.Name, &s.RegistrationID, &s.Description, &s.ContactName, &s.ContactEmail, &s.ContactPhone,
		&s.Website, &s.ContractReference, &end, &s.Status, &s.Notes, &s.Version, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt},
		nullTimeCol{&s.DeletedAt}); err != nil {
		return nil, err
	}
	s.ContractEndDate = strPtr(end)
	s.Services = []liaison.SupplierService{}
	return &s, nil
}

// supplierNameKey folds a name for the uniqueness of live suppliers' names.
func supplierNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func supplierSearchText(s *liaison.Supplier) string {
	return liaison.SearchText(s.Name, s.RegistrationID, s.ContactName, s.ContractReference, s.Description)
}

// loadSupplierServices fills the service links of suppliers in one query.
func loadSupplierServices(ctx context.Context, q queryer, ss ...*liaison.Supplier) error {
	if len(ss) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Supplier, len(ss))
	args := make([]any, len(ss))
	marks := make([]string, len(ss))
	for i, s := range ss {
		byID[s.ID] = s
		args[i] = s.ID
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.supplier_id, l.service_id, l.note, s.name FROM supplier_services l
		JOIN services s ON s.id = l.service_id
		WHERE l.supplier_id IN (`+strings.Join(marks, ", ")+`) ORDER BY l.supplier_id, l.position`, args...)
	if err != nil {
		return fmt.Errorf("load supplier services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l liaison.SupplierService
		if err := rows.Scan(&id, &l.ServiceID, &l.Note, &l.ServiceName); err != nil {
			return fmt.Errorf("load supplier services: %w", err)
		}
		byID[id].Services = append(byID[id].Services, l)
	}
	return rows.Err()
}

func findSupplier(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.Supplier, error) {
	live := " AND p.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	s, err := scanSupplier(q.QueryRowContext(ctx, `SELECT `+supplierColumns+` FROM suppliers p WHERE p.id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("supplier", id)
	} else if err != nil {
		return nil, fmt.Errorf("find supplier %s: %w", id, err)
	}
	if err := loadSupplierServices(ctx, q, s); err != nil {
		return nil, err
	}
	return s, nil
}

// FindSupplierByID returns a supplier not in the trash with its service links.
func (db *DB) FindSupplierByID(ctx context.Context, id string) (*liaison.Supplier, error) {
	return findSupplier(ctx, db.ro, id, false, "")
}

// FindSuppliers lists suppliers (the trash with f.Trashed).
func (db *DB) FindSuppliers(ctx context.Context, f liaison.SupplierFilter) ([]*liaison.Supplier, string, error) {
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
	if f.Trashed {
		q.and("p.deleted_at IS NOT NULL")
	} else {
		q.and("p.deleted_at IS NULL")
	}
	if f.Status != "" {
		q.and("p.status = " + q.arg(string(f.Status)))
	}
	if f.ServiceID != "" {
		q.and("p.id IN (SELECT l.supplier_id FROM supplier_services l WHERE l.service_id = " + q.arg(f.ServiceID) + ")")
	}
	q.search("p.search_text", f.Q)
	tail := q.page("p", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+supplierColumns+` FROM suppliers p`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find suppliers: %w", err)
	}
	ss, err := collectRows(rows, scanSupplier)
	if err != nil {
		return nil, "", fmt.Errorf("find suppliers: %w", err)
	}
	ss, next := nextPage(ss, limit, so, func(s *liaison.Supplier) (string, string) {
		return sortValue(so, s.Name, s.CreatedAt, s.UpdatedAt), s.ID
	})
	if err := loadSupplierServices(ctx, db.ro, ss...); err != nil {
		return nil, "", err
	}
	return ss, next, nil
}

// ServiceSuppliers returns the live suppliers behind a service, by name.
func (db *DB) ServiceSuppliers(ctx context.Context, serviceID string) ([]liaison.SupplierRef, error) {
	return serviceSuppliers(ctx, db.ro, serviceID)
}

func serviceSuppliers(ctx context.Context, q queryer, serviceID string) ([]liaison.SupplierRef, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, p.status, l.note FROM supplier_services l
		JOIN suppliers p ON p.id = l.supplier_id
		WHERE l.service_id = $1 AND p.deleted_at IS NULL ORDER BY p.name, p.id`, serviceID)
	if err != nil {
		return nil, fmt.Errorf("suppliers of service %s: %w", serviceID, err)
	}
	defer rows.Close()
	out := []liaison.SupplierRef{}
	for rows.Next() {
		var r liaison.SupplierRef
		if err := rows.Scan(&r.ID, &r.Name, &r.Status, &r.Note); err != nil {
			return nil, fmt.Errorf("suppliers of service %s: %w", serviceID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// attachSuppliers fills the suppliers behind services in one query.
func attachSuppliers(ctx context.Context, q queryer, services ...*liaison.Service) error {
	if len(services) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Service, len(services))
	marks := make([]string, len(services))
	args := make([]any, len(services))
	for i, s := range services {
		s.Suppliers = []liaison.SupplierRef{}
		byID[s.ID] = s
		marks[i] = fmt.Sprintf("$%d", i+1)
		args[i] = s.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT l.service_id, p.id, p.name, p.status, l.note FROM supplier_services l
		JOIN suppliers p ON p.id = l.supplier_id
		WHERE l.service_id IN (`+strings.Join(marks, ", ")+`) AND p.deleted_at IS NULL ORDER BY l.service_id, p.name, p.id`, args...)
	if err != nil {
		return fmt.Errorf("find service suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var r liaison.SupplierRef
		if err := rows.Scan(&id, &r.ID, &r.Name, &r.Status, &r.Note); err != nil {
			return fmt.Errorf("find service suppliers: %w", err)
		}
		if s := byID[id]; s != nil {
			s.Suppliers = append(s.Suppliers, r)
		}
	}
	return rows.Err()
}

const supplierNameTaken = "another supplier has this name"

// checkSupplier checks the name is free among live suppliers and the
// linked services exist, and fills the services' names.
func checkSupplier(ctx context.Context, tx *writeTx, s *liaison.Supplier) error {
	var v liaison.Validation
	var other string
	err := tx.QueryRowContext(ctx, `SELECT id FROM suppliers WHERE name_key = $1 AND deleted_at IS NULL AND id <> $2`,
		supplierNameKey(s.Name), s.ID).Scan(&other)
	switch {
	case err == nil:
		v.Add("name", "taken", "supplier.error.name_taken", "another supplier is called %s", s.Name)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("check supplier name: %w", err)
	}
	for i := range s.Services {
		l := &s.Services[i]
		err := tx.QueryRowContext(ctx, `SELECT name FROM services WHERE id = $1`+tx.db.dialect.forShare, l.ServiceID).Scan(&l.ServiceName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, fmt.Sprintf("services[%d].service_id", i), "service")
		} else if err != nil {
			return fmt.Errorf("check supplier service: %w", err)
		}
	}
	if err := v.Err(); err != nil {
		if other != "" {
			// A taken name is a conflict with an existing record.
			err.(*liaison.Error).Code = liaison.ECONFLICT
		}
		return err
	}
	return nil
}

func writeSupplierServices(ctx context.Context, tx *writeTx, s *liaison.Supplier) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM supplier_services WHERE supplier_id = $1`, s.ID); err != nil {
		return fmt.Errorf("write supplier services: %w", err)
	}
	for i, l := range s.Services {
		if _, err := tx.ExecContext(ctx, `INSERT INTO supplier_services (supplier_id, service_id, note, position) VALUES ($1, $2, $3, $4)`,
			s.ID, l.ServiceID, l.Note, i); err != nil {
			return fmt.Errorf("write supplier services: %w", constraintError(err, "a service is linked twice"))
		}
	}
	return nil
}

// CreateSupplier stores a supplier with its service links.
func (db *DB) CreateSupplier(ctx context.Context, s *liaison.Supplier) error {
	n := *s
	n.Services = append([]liaison.SupplierService(nil), s.Services...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID = newID()
		if err := checkSupplier(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = 1, tx.now, tx.now, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO suppliers (id, name, name_key, registration_id, description, contact_name,
			contact_email, contact_phone, website, contract_reference, contract_end_date, status, notes, search_text, version,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
			n.ID, n.Name, supplierNameKey(n.Name), n.RegistrationID, n.Description, n.ContactName, n.ContactEmail, n.ContactPhone,
			n.Website, n.ContractReference, nullPtr(n.ContractEndDate), n.Status, n.Notes, supplierSearchText(&n), n.Version,
			tx.t(tx.now)); err != nil {
			return fmt.Errorf("create supplier: %w", constraintError(err, supplierNameTaken))
		}
		if err := writeSupplierServices(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSupplier, subjectID: n.ID,
			summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UpdateSupplier replaces the supplier's fields and service links.
func (db *DB) UpdateSupplier(ctx context.Context, s *liaison.Supplier, ifVersion int) error {
	n := *s
	n.Services = append([]liaison.SupplierService(nil), s.Services...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSupplier(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkSupplier(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE suppliers SET name = $1, name_key = $2, registration_id = $3, description = $4,
			contact_name = $5, contact_email = $6, contact_phone = $7, website = $8, contract_reference = $9,
			contract_end_date = $10, status = $11, notes = $12, search_text = $13, version = $14, updated_at = $15
			WHERE id = $16 AND version = $17 AND deleted_at IS NULL`,
			n.Name, supplierNameKey(n.Name), n.RegistrationID, n.Description, n.ContactName, n.ContactEmail, n.ContactPhone,
			n.Website, n.ContractReference, nullPtr(n.ContractEndDate), n.Status, n.Notes, supplierSearchText(&n), n.Version,
			tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update supplier %s: %w", n.ID, constraintError(err, supplierNameTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeSupplierServices(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSupplier, subjectID: n.ID,
			summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// DeleteSupplier moves a supplier to the trash; its links and the SLA
// results that name it stay, so a restore brings everything back.
func (db *DB) DeleteSupplier(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findSupplier(ctx, tx, id, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE suppliers SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete supplier %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectSupplier, subjectID: id,
			summary: cur.Name, before: cur, after: &after})
	})
}

// RestoreSupplier brings a supplier back from the trash.
func (db *DB) RestoreSupplier(ctx context.Context, id string) (*liaison.Supplier, error) {
	var restored *liaison.Supplier
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSupplier(ctx, tx, id, true, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		var other string
		err = tx.QueryRowContext(ctx, `SELECT id FROM suppliers WHERE name_key = $1 AND deleted_at IS NULL`, supplierNameKey(cur.Name)).Scan(&other)
		if err == nil {
			return conflict("supplier.error.restore_name_taken", "another supplier is called %s now; rename it first", cur.Name)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("restore supplier %s: %w", id, err)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE suppliers SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore supplier %s: %w", id, constraintError(err, supplierNameTaken))
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectSupplier, subjectID: id,
			summary: cur.Name, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// checkSLASupplier checks the supplier an SLA result names: live when it
// is newly named (a result keeps a supplier trashed since), and fills its
// name. before is the stored supplier id, nil for a new result.
func checkSLASupplier(ctx context.Context, tx *writeTx, r *liaison.SLAResult, before *string, v *liaison.Validation, field string) error {
	r.SupplierName = ""
	if r.SupplierID == nil {
		return nil
	}
	cond := " AND deleted_at IS NULL"
	if before != nil && *before == *r.SupplierID {
		cond = ""
	}
	err := tx.QueryRowContext(ctx, `SELECT name FROM suppliers WHERE id = $1`+cond+tx.db.dialect.forShare, *r.SupplierID).Scan(&r.SupplierName)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(v, field+"supplier_id", "supplier")
		return nil
	} else if err != nil {
		return fmt.Errorf("check SLA supplier: %w", err)
	}
	return nil
}
