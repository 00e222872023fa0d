package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// subjectDataSource is the audit subject type of the data map's systems.
const subjectDataSource = "data_source"

var _ liaison.DataSourceStore = (*DB)(nil)

const dataSourceSource = `(SELECT d.id, d.name, d.description, d.data, d.maintainer_unit, d.maintainer_user_id, d.refresh_days,
	d.last_updated_on, d.needs, d.flows, d.search_text, d.version, d.created_at, d.updated_at, d.deleted_at,
	COALESCE(u.name, '') AS maintainer_name
	FROM data_sources d LEFT JOIN users u ON u.id = d.maintainer_user_id) x`

const dataSourceColumns = `x.id, x.name, x.description, x.data, x.maintainer_unit, x.maintainer_user_id, x.refresh_days,
	x.last_updated_on, x.needs, x.flows, x.version, x.created_at, x.updated_at, x.deleted_at, x.maintainer_name`

func scanDataSource(sc scanner) (*liaison.DataSource, error) {
	var d liaison.DataSource
	var user sql.NullString
	var needs, flows string
	if err := sc.Scan(&d.ID, &d.Name, &d.Description, &d.Data, &d.MaintainerUnit, &user, &d.RefreshDays, &d.LastUpdatedOn,
		&needs, &flows, &d.Version, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt}, nullTimeCol{&d.DeletedAt}, &d.MaintainerName); err != nil {
		return nil, err
	}
	d.MaintainerUserID = strPtr(user)
	if err := json.Unmarshal([]byte(needs), &d.Needs); err != nil {
		return nil, fmt.Errorf("data source %s needs: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(flows), &d.Flows); err != nil {
		return nil, fmt.Errorf("data source %s flows: %w", d.ID, err)
	}
	return &d, nil
}

func findDataSource(ctx context.Context, q queryer, id string) (*liaison.DataSource, error) {
	d, err := scanDataSource(q.QueryRowContext(ctx, `SELECT `+dataSourceColumns+` FROM `+dataSourceSource+
		` WHERE x.id = $1 AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("data source", id)
	} else if err != nil {
		return nil, fmt.Errorf("find data source %s: %w", id, err)
	}
	return d, nil
}

// FindDataSourceByID returns a live data source.
func (db *DB) FindDataSourceByID(ctx context.Context, id string) (*liaison.DataSource, error) {
	d, err := findDataSource(ctx, db.ro, id)
	if err != nil {
		return nil, err
	}
	d.Stale = d.IsStale(db.now())
	return d, nil
}

// FindDataSources lists data sources by name (or another order).
func (db *DB) FindDataSources(ctx context.Context, f liaison.DataSourceFilter) ([]*liaison.DataSource, string, error) {
	s, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Trashed {
		q.and("x.deleted_at IS NOT NULL")
	} else {
		q.and("x.deleted_at IS NULL")
	}
	if f.MaintainerUnit != "" {
		q.and("LOWER(x.maintainer_unit) = " + q.arg(strings.ToLower(f.MaintainerUnit)))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+dataSourceColumns+` FROM `+dataSourceSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find data sources: %w", err)
	}
	items, err := collectRows(rows, scanDataSource)
	if err != nil {
		return nil, "", fmt.Errorf("find data sources: %w", err)
	}
	now := db.now()
	for _, d := range items {
		d.Stale = d.IsStale(now)
	}
	items, next := nextPage(items, limit, s, func(d *liaison.DataSource) (string, string) {
		return sortValue(s, d.Name, d.CreatedAt, d.UpdatedAt), d.ID
	})
	return items, next, nil
}

// AllDataSources returns every live data source by name.
func (db *DB) AllDataSources(ctx context.Context) ([]*liaison.DataSource, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+dataSourceColumns+` FROM `+dataSourceSource+
		` WHERE x.deleted_at IS NULL ORDER BY x.name, x.id LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("all data sources: %w", err)
	}
	items, err := collectRows(rows, scanDataSource)
	if err != nil {
		return nil, fmt.Errorf("all data sources: %w", err)
	}
	return items, nil
}

func dataSourceSearchText(d *liaison.DataSource) string {
	parts := []string{d.Name, d.Description, d.Data, d.MaintainerUnit, d.MaintainerName}
	for _, n := range d.Needs {
		parts = append(parts, n.Unit, n.Data)
	}
	for _, f := range d.Flows {
		parts = append(parts, f.System, f.Data)
	}
	return liaison.SearchText(parts...)
}

// checkDataSource checks the maintainer and the name's uniqueness (other
// than self) and fills the maintainer's name.
func checkDataSource(ctx context.Context, tx *writeTx, d *liaison.DataSource) error {
	var v liaison.Validation
	d.MaintainerName = ""
	if d.MaintainerUserID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, *d.MaintainerUserID).Scan(&d.MaintainerName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "maintainer_user_id", "user")
		} else if err != nil {
			return fmt.Errorf("check data source maintainer: %w", err)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	var other string
	err := tx.QueryRowContext(ctx, `SELECT id FROM data_sources WHERE name_key = $1 AND deleted_at IS NULL AND id <> $2`,
		strings.ToLower(d.Name), d.ID).Scan(&other)
	if err == nil {
		return conflict("datamap.error.name_taken", "another system is already called %q", d.Name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check data source name: %w", err)
	}
	return nil
}

func dataSourceJSON(d *liaison.DataSource) (string, string) {
	if d.Needs == nil {
		d.Needs = []liaison.DataNeed{}
	}
	if d.Flows == nil {
		d.Flows = []liaison.DataFlow{}
	}
	needs, _ := json.Marshal(d.Needs)
	flows, _ := json.Marshal(d.Flows)
	return string(needs), string(flows)
}

// CreateDataSource stores a new data source.
func (db *DB) CreateDataSource(ctx context.Context, d *liaison.DataSource) error {
	n := *d
	n.Normalize()
	if err := n.Validate(db.now()); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID = newID()
		if err := checkDataSource(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = 1, tx.now, tx.now, nil
		n.Stale = n.IsStale(tx.now)
		needs, flows := dataSourceJSON(&n)
		if _, err := tx.ExecContext(ctx, `INSERT INTO data_sources (id, name, name_key, description, data, maintainer_unit,
			maintainer_user_id, refresh_days, last_updated_on, needs, flows, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			n.ID, n.Name, strings.ToLower(n.Name), n.Description, n.Data, n.MaintainerUnit, nullPtr(n.MaintainerUserID), n.RefreshDays,
			n.LastUpdatedOn, needs, flows, dataSourceSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create data source: %w", constraintError(err, "another system has this name"))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectDataSource, subjectID: n.ID,
			summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

// UpdateDataSource saves a data source's fields.
func (db *DB) UpdateDataSource(ctx context.Context, d *liaison.DataSource, ifVersion int) error {
	n := *d
	n.Normalize()
	if err := n.Validate(db.now()); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findDataSource(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkDataSource(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		n.Stale = n.IsStale(tx.now)
		cur.Stale = cur.IsStale(tx.now)
		needs, flows := dataSourceJSON(&n)
		res, err := tx.ExecContext(ctx, `UPDATE data_sources SET name = $1, name_key = $2, description = $3, data = $4,
			maintainer_unit = $5, maintainer_user_id = $6, refresh_days = $7, last_updated_on = $8, needs = $9, flows = $10,
			search_text = $11, version = $12, updated_at = $13 WHERE id = $14 AND version = $15 AND deleted_at IS NULL`,
			n.Name, strings.ToLower(n.Name), n.Description, n.Data, n.MaintainerUnit, nullPtr(n.MaintainerUserID), n.RefreshDays,
			n.LastUpdatedOn, needs, flows, dataSourceSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update data source %s: %w", n.ID, constraintError(err, "another system has this name"))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectDataSource, subjectID: n.ID,
			summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

// DeleteDataSource moves a data source to the trash.
func (db *DB) DeleteDataSource(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findDataSource(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		res, err := tx.ExecContext(ctx, `UPDATE data_sources SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3 AND version = $4`,
			tx.t(tx.now), after.Version, id, ifVersion)
		if err != nil {
			return fmt.Errorf("delete data source %s: %w", id, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectDataSource, subjectID: id,
			summary: cur.Name, before: cur, after: &after})
	})
}
