package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Technology watch notes (SPEC C11) with their accounts and services. A
// note's audit rows carry its first linked account, so that it shows on
// that account's timeline; a note without accounts is audited outside the
// tree.

const subjectWatch = "watch"

var _ liaison.WatchStore = (*DB)(nil)

const watchSource = `(SELECT w.id, w.title, w.summary, w.relevance, w.relevance_note, w.status, w.source_url, w.owner_id,
	w.improvement_id, w.created_by_id, w.search_text, w.version, w.created_at, w.updated_at, w.deleted_at,
	COALESCE(ow.name, '') AS owner_name, COALESCE(cb.name, '') AS created_by_name
	FROM watch_notes w LEFT JOIN users ow ON ow.id = w.owner_id LEFT JOIN users cb ON cb.id = w.created_by_id) x`

const watchColumns = `x.id, x.title, x.summary, x.relevance, x.relevance_note, x.status, x.source_url, x.owner_id, x.improvement_id,
	x.created_by_id, x.version, x.created_at, x.updated_at, x.deleted_at, x.owner_name, x.created_by_name`

func scanWatch(sc scanner) (*liaison.WatchNote, error) {
	var w liaison.WatchNote
	var owner, imp, by sql.NullString
	if err := sc.Scan(&w.ID, &w.Title, &w.Summary, &w.Relevance, &w.RelevanceNote, &w.Status, &w.SourceURL, &owner, &imp, &by,
		&w.Version, timeCol{&w.CreatedAt}, timeCol{&w.UpdatedAt}, nullTimeCol{&w.DeletedAt}, &w.OwnerName, &w.CreatedByName); err != nil {
		return nil, err
	}
	w.OwnerID, w.ImprovementID, w.CreatedByID = strPtr(owner), strPtr(imp), strPtr(by)
	w.OrganisationIDs, w.ServiceIDs = []string{}, []string{}
	return &w, nil
}

func loadWatchLinks(ctx context.Context, q queryer, ws ...*liaison.WatchNote) error {
	byID := make(map[string]*liaison.WatchNote, len(ws))
	ids := make([]string, 0, len(ws))
	for _, w := range ws {
		byID[w.ID] = w
		ids = append(ids, w.ID)
	}
	if err := loadLinks(ctx, q, ids, func(in string) string {
		return `SELECT note_id, organisation_id FROM watch_note_accounts WHERE note_id IN (` + in + `) ORDER BY note_id, position`
	}, func(id, ref string) { byID[id].OrganisationIDs = append(byID[id].OrganisationIDs, ref) }); err != nil {
		return err
	}
	return loadLinks(ctx, q, ids, func(in string) string {
		return `SELECT note_id, service_id FROM watch_note_services WHERE note_id IN (` + in + `) ORDER BY note_id, position`
	}, func(id, ref string) { byID[id].ServiceIDs = append(byID[id].ServiceIDs, ref) })
}

func findWatch(ctx context.Context, q queryer, id string, trashed bool) (*liaison.WatchNote, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	w, err := scanWatch(q.QueryRowContext(ctx, `SELECT `+watchColumns+` FROM `+watchSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("watch note", id)
	} else if err != nil {
		return nil, fmt.Errorf("find watch note %s: %w", id, err)
	}
	return w, loadWatchLinks(ctx, q, w)
}

// FindWatchNoteByID returns a live watch note.
func (db *DB) FindWatchNoteByID(ctx context.Context, id string) (*liaison.WatchNote, error) {
	return findWatch(ctx, db.ro, id, false)
}

// FindWatchNotes lists watch notes (the trash with f.Trashed).
func (db *DB) FindWatchNotes(ctx context.Context, f liaison.WatchFilter) ([]*liaison.WatchNote, string, error) {
	s, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	if s.column == "name" {
		s.column = "title"
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
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.OwnerID != "" {
		q.and("x.owner_id = " + q.arg(f.OwnerID))
	}
	if f.OrganisationID != "" {
		q.and("x.id IN (SELECT note_id FROM watch_note_accounts WHERE organisation_id = " + q.arg(f.OrganisationID) + ")")
	}
	if f.ServiceID != "" {
		q.and("x.id IN (SELECT note_id FROM watch_note_services WHERE service_id = " + q.arg(f.ServiceID) + ")")
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+watchColumns+` FROM `+watchSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find watch notes: %w", err)
	}
	ws, err := collectRows(rows, scanWatch)
	if err != nil {
		return nil, "", fmt.Errorf("find watch notes: %w", err)
	}
	ws, next := nextPage(ws, limit, s, func(w *liaison.WatchNote) (string, string) {
		return sortValue(s, w.Title, w.CreatedAt, w.UpdatedAt), w.ID
	})
	return ws, next, loadWatchLinks(ctx, db.ro, ws...)
}

// checkWatchRefs checks the services, accounts and owner as an
// improvement's are checked (a note becomes one), and fills the owner's name.
func checkWatchRefs(ctx context.Context, tx *writeTx, w *liaison.WatchNote) error {
	probe := &liaison.Improvement{ServiceIDs: w.ServiceIDs, OrganisationIDs: w.OrganisationIDs, OwnerID: w.OwnerID}
	err := checkImprovementRefs(ctx, tx, probe)
	w.OwnerName = probe.OwnerName
	return err
}

func watchSearchText(w *liaison.WatchNote) string {
	return liaison.SearchText(w.Title, w.Summary, w.RelevanceNote, w.OwnerName)
}

// watchAccount is the unit a note's audit rows belong to: its first account.
func watchAccount(w *liaison.WatchNote) string {
	if len(w.OrganisationIDs) > 0 {
		return w.OrganisationIDs[0]
	}
	return ""
}

func writeWatchLinks(ctx context.Context, tx *writeTx, w *liaison.WatchNote) error {
	if err := writeLinks(ctx, tx, "watch_note_accounts", "note_id", "organisation_id", w.ID, w.OrganisationIDs); err != nil {
		return err
	}
	return writeLinks(ctx, tx, "watch_note_services", "note_id", "service_id", w.ID, w.ServiceIDs)
}

// CreateWatchNote stores a new note, created by the principal of ctx.
func (db *DB) CreateWatchNote(ctx context.Context, w *liaison.WatchNote) error {
	n := *w
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkWatchRefs(ctx, tx, &n); err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.CreatedByID, n.CreatedByName, n.ImprovementID = nil, actorName, nil
		if actorID != "" {
			n.CreatedByID = &actorID
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO watch_notes (id, title, summary, relevance, relevance_note, status, source_url,
			owner_id, created_by_id, search_text, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			n.ID, n.Title, n.Summary, n.Relevance, n.RelevanceNote, n.Status, n.SourceURL, nullPtr(n.OwnerID), nullPtr(n.CreatedByID),
			watchSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create watch note: %w", err)
		}
		if err := writeWatchLinks(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectWatch, subjectID: n.ID,
			organisationID: watchAccount(&n), summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*w = n
	return nil
}

func lockedWatch(ctx context.Context, tx *writeTx, id string, ifVersion int) (*liaison.WatchNote, error) {
	if err := lockRow(ctx, tx, "watch_notes", "watch note", id, false); err != nil {
		return nil, err
	}
	cur, err := findWatch(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if ifVersion >= 0 && cur.Version != ifVersion {
		return nil, stale(cur.Version)
	}
	return cur, nil
}

// saveWatch writes n over cur and audits the change.
func saveWatch(ctx context.Context, tx *writeTx, cur, n *liaison.WatchNote) error {
	n.CreatedByID, n.CreatedByName = cur.CreatedByID, cur.CreatedByName
	n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
	res, err := tx.ExecContext(ctx, `UPDATE watch_notes SET title = $1, summary = $2, relevance = $3, relevance_note = $4, status = $5,
		source_url = $6, owner_id = $7, improvement_id = $8, search_text = $9, version = $10, updated_at = $11 WHERE id = $12 AND version = $13`,
		n.Title, n.Summary, n.Relevance, n.RelevanceNote, n.Status, n.SourceURL, nullPtr(n.OwnerID), nullPtr(n.ImprovementID),
		watchSearchText(n), n.Version, tx.t(tx.now), n.ID, cur.Version)
	if err != nil {
		return fmt.Errorf("update watch note %s: %w", n.ID, err)
	}
	if k, err := rowsAffected(res); err != nil {
		return err
	} else if k == 0 {
		return stale(cur.Version)
	}
	if err := writeWatchLinks(ctx, tx, n); err != nil {
		return err
	}
	summary := n.Title
	if cur.Status != n.Status {
		summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
	}
	return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectWatch, subjectID: n.ID,
		organisationID: watchAccount(n), summary: summary, before: cur, after: n})
}

// UpdateWatchNote saves the note's fields and status.
func (db *DB) UpdateWatchNote(ctx context.Context, w *liaison.WatchNote, ifVersion int) error {
	n := *w
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedWatch(ctx, tx, n.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := liaison.CheckWatchTransition(cur.Status, n.Status); err != nil {
			return err
		}
		if err := checkWatchRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ImprovementID = cur.ImprovementID
		return saveWatch(ctx, tx, cur, &n)
	})
	if err != nil {
		return err
	}
	*w = n
	return nil
}

// ProposeWatchNote turns the note into an improvement suggestion, links it
// and moves the note to proposed, in one transaction.
func (db *DB) ProposeWatchNote(ctx context.Context, noteID string, i *liaison.Improvement) (*liaison.WatchNote, error) {
	imp := *i
	imp.Normalize()
	imp.Origin, imp.Status, imp.ComplaintID = liaison.OriginWatch, liaison.ImprovementProposed, nil
	if err := imp.Validate(); err != nil {
		return nil, err
	}
	var out *liaison.WatchNote
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedWatch(ctx, tx, noteID, -1)
		if err != nil {
			return err
		}
		if cur.ImprovementID != nil {
			return &liaison.Error{Code: liaison.ECONFLICT, Key: "watch.error.already_proposed", Args: []any{*cur.ImprovementID},
				Message: fmt.Sprintf("the note is already improvement suggestion %s", *cur.ImprovementID)}
		}
		if !liaison.CanProposeWatch(cur.Status) {
			var v liaison.Validation
			v.Add("status", "transition", "watch.error.not_proposable", "is %s: only a noted or evaluating note becomes an improvement suggestion", cur.Status)
			return v.Err()
		}
		if err := insertImprovement(ctx, tx, &imp); err != nil {
			return err
		}
		n := *cur
		n.OrganisationIDs, n.ServiceIDs = append([]string{}, cur.OrganisationIDs...), append([]string{}, cur.ServiceIDs...)
		n.ImprovementID, n.Status = &imp.ID, liaison.WatchProposed
		out = &n
		return saveWatch(ctx, tx, cur, &n)
	})
	if err != nil {
		return nil, err
	}
	*i = imp
	return out, nil
}

// DeleteWatchNote moves a note to the trash.
func (db *DB) DeleteWatchNote(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedWatch(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE watch_notes SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete watch note %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectWatch, subjectID: id,
			organisationID: watchAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreWatchNote brings a note back from the trash.
func (db *DB) RestoreWatchNote(ctx context.Context, id string) (*liaison.WatchNote, error) {
	var restored *liaison.WatchNote
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockRow(ctx, tx, "watch_notes", "watch note", id, true); err != nil {
			return err
		}
		cur, err := findWatch(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE watch_notes SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore watch note %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectWatch, subjectID: id,
			organisationID: watchAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
	return restored, err
}
