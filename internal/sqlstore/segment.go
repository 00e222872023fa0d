package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

const segmentColumns = `s.id, s.name, s.description, s.version, s.created_at, s.updated_at`

func scanSegment(sc scanner) (*liaison.Segment, error) {
	var s liaison.Segment
	if err := sc.Scan(&s.ID, &s.Name, &s.Description, &s.Version, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}); err != nil {
		return nil, err
	}
	return &s, nil
}

func findSegment(ctx context.Context, q queryer, id, lock string) (*liaison.Segment, error) {
	s, err := scanSegment(q.QueryRowContext(ctx, `SELECT `+segmentColumns+` FROM segments s WHERE s.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("segment", id)
	} else if err != nil {
		return nil, fmt.Errorf("find segment %s: %w", id, err)
	}
	return s, nil
}

// FindSegmentByID returns a segment.
func (db *DB) FindSegmentByID(ctx context.Context, id string) (*liaison.Segment, error) {
	return findSegment(ctx, db.ro, id, "")
}

// FindSegments returns every segment, by name: a short, configured list.
func (db *DB) FindSegments(ctx context.Context) ([]*liaison.Segment, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+segmentColumns+` FROM segments s ORDER BY s.name, s.id`)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	segments, err := collectRows(rows, scanSegment)
	if err != nil {
		return nil, fmt.Errorf("find segments: %w", err)
	}
	return segments, nil
}

// CreateSegment stores a new segment.
func (db *DB) CreateSegment(ctx context.Context, s *liaison.Segment) error {
	n := *s
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt = newID(), 1, tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO segments (id, name, description, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, n.ID, n.Name, n.Description, n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create segment: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSegment, subjectID: n.ID,
			summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UpdateSegment replaces the segment's fields.
func (db *DB) UpdateSegment(ctx context.Context, s *liaison.Segment, ifVersion int) error {
	n := *s
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSegment(ctx, tx, n.ID, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET name = $1, description = $2, version = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, n.Name, n.Description, n.Version, tx.t(tx.now), n.ID, ifVersion); err != nil {
			return fmt.Errorf("update segment %s: %w", n.ID, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSegment, subjectID: n.ID,
			summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// DeleteSegment removes a segment no unit uses (trashed units count: they
// may come back, and the foreign key holds them too).
func (db *DB) DeleteSegment(ctx context.Context, id string, ifVersion int) error {
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSegment(ctx, tx, id, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE segment_id = $1`, id).Scan(&used); err != nil {
			return fmt.Errorf("delete segment %s: %w", id, err)
		}
		if used > 0 {
			return segmentInUse(cur.Name, used)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE id = $1`, id); err != nil {
			return err // a unit took the segment meanwhile: explained below
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectSegment, subjectID: id,
			summary: cur.Name, before: cur})
	})
	if violationOf(err) == foreignKeyViolation {
		return conflict("error.segment_in_use", "the segment is in use; give its units another segment first")
	}
	return err
}

func segmentInUse(name string, n int) error {
	return conflict("error.segment_in_use", "%s is the segment of %s; give them another segment first", name, units(n))
}
