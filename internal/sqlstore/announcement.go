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

const announcementSource = `(SELECT a.id, a.kind, a.title, a.body, a.service_id, a.organisation_ids, a.starts_on, a.ends_on, a.status,
	a.published_at, a.recipients, a.author_id, a.search_text, a.version, a.created_at, a.updated_at, a.deleted_at,
	COALESCE(s.name, '') AS service_name, COALESCE(u.name, '') AS author_name
	FROM announcements a LEFT JOIN services s ON s.id = a.service_id LEFT JOIN users u ON u.id = a.author_id) x`

const announcementColumns = `x.id, x.kind, x.title, x.body, x.service_id, x.organisation_ids, x.starts_on, x.ends_on, x.status,
	x.published_at, x.recipients, x.author_id, x.version, x.created_at, x.updated_at, x.deleted_at, x.service_name, x.author_name`

func scanAnnouncement(sc scanner) (*liaison.Announcement, error) {
	var a liaison.Announcement
	var service, author sql.NullString
	var orgs string
	if err := sc.Scan(&a.ID, &a.Kind, &a.Title, &a.Body, &service, &orgs, &a.StartsOn, &a.EndsOn, &a.Status, nullTimeCol{&a.PublishedAt},
		&a.Recipients, &author, &a.Version, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, nullTimeCol{&a.DeletedAt}, &a.ServiceName,
		&a.AuthorName); err != nil {
		return nil, err
	}
	a.ServiceID, a.AuthorID = strPtr(service), strPtr(author)
	if err := json.Unmarshal([]byte(orgs), &a.OrganisationIDs); err != nil {
		return nil, fmt.Errorf("announcement %s targets: %w", a.ID, err)
	}
	return &a, nil
}

func findAnnouncement(ctx context.Context, q queryer, id string) (*liaison.Announcement, error) {
	a, err := scanAnnouncement(q.QueryRowContext(ctx, `SELECT `+announcementColumns+` FROM `+announcementSource+
		` WHERE x.id = $1 AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("announcement", id)
	} else if err != nil {
		return nil, fmt.Errorf("find announcement %s: %w", id, err)
	}
	return a, nil
}

// FindAnnouncementByID returns a live announcement.
func (db *DB) FindAnnouncementByID(ctx context.Context, id string) (*liaison.Announcement, error) {
	return findAnnouncement(ctx, db.ro, id)
}

// FindAnnouncements lists announcements, newest first.
func (db *DB) FindAnnouncements(ctx context.Context, f liaison.AnnouncementFilter) ([]*liaison.Announcement, string, error) {
	s, err := parseSort("-created_at")
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	q.and("x.deleted_at IS NULL")
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Kind != "" {
		q.and("x.kind = " + q.arg(string(f.Kind)))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.OrganisationID != "" {
		arg := q.arg(f.OrganisationID)
		q.and(`(x.id IN (SELECT announcement_id FROM announcement_targets WHERE organisation_id = ` + arg + `)
			OR x.service_id IN (SELECT service_id FROM subscriptions WHERE organisation_id = ` + arg + `))`)
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+announcementColumns+` FROM `+announcementSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find announcements: %w", err)
	}
	items, err := collectRows(rows, scanAnnouncement)
	if err != nil {
		return nil, "", fmt.Errorf("find announcements: %w", err)
	}
	items, next := nextPage(items, limit, s, func(a *liaison.Announcement) (string, string) {
		return sortValue(s, a.Title, a.CreatedAt, a.UpdatedAt), a.ID
	})
	return items, next, nil
}

// checkAnnouncement checks the service and the accounts (live budget holders).
func checkAnnouncement(ctx context.Context, tx *writeTx, a *liaison.Announcement) error {
	var v liaison.Validation
	if err := refName(ctx, tx, &v, "services", "service_id", "service", a.ServiceID, &a.ServiceName); err != nil {
		return err
	}
	for i, id := range a.OrganisationIDs {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`, id).Scan(&holder)
		field := fmt.Sprintf("organisation_ids[%d]", i)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, field, "account")
		case err != nil:
			return fmt.Errorf("check announcement account: %w", err)
		case !holder:
			v.Add(field, liaison.CodeInvalid, "announcement.error.not_account", "is not a customer account")
		}
	}
	return v.Err()
}

func writeTargets(ctx context.Context, tx *writeTx, a *liaison.Announcement) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM announcement_targets WHERE announcement_id = $1`, a.ID); err != nil {
		return fmt.Errorf("announcement targets: %w", err)
	}
	for _, id := range a.OrganisationIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO announcement_targets (announcement_id, organisation_id) VALUES ($1, $2)`, a.ID, id); err != nil {
			return fmt.Errorf("announcement targets: %w", err)
		}
	}
	return nil
}

func announcementSearchText(a *liaison.Announcement) string {
	return liaison.SearchText(a.Title, a.Body, a.ServiceName)
}

// CreateAnnouncement stores a draft.
func (db *DB) CreateAnnouncement(ctx context.Context, a *liaison.Announcement) error {
	n := *a
	n.Status = liaison.AnnouncementDraft
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkAnnouncement(ctx, tx, &n); err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.AuthorID, n.AuthorName = nil, actorName
		if actorID != "" {
			n.AuthorID = &actorID
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt, n.PublishedAt, n.Recipients = newID(), 1, tx.now, tx.now, nil, nil, 0
		orgs, _ := json.Marshal(n.OrganisationIDs)
		if _, err := tx.ExecContext(ctx, `INSERT INTO announcements (id, kind, title, body, service_id, organisation_ids, starts_on, ends_on,
			status, author_id, search_text, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			n.ID, n.Kind, n.Title, n.Body, nullPtr(n.ServiceID), string(orgs), n.StartsOn, n.EndsOn, n.Status, nullPtr(n.AuthorID),
			announcementSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create announcement: %w", constraintError(err, "conflict"))
		}
		if err := writeTargets(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectAnnouncement, subjectID: n.ID, summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// UpdateAnnouncement saves a draft; a published announcement is what was
// sent and does not change (409).
func (db *DB) UpdateAnnouncement(ctx context.Context, a *liaison.Announcement, ifVersion int) error {
	n := *a
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findAnnouncement(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if cur.Status == liaison.AnnouncementPublished {
			return conflict("announcement.error.published", "the announcement is published: it went to the customers as it is")
		}
		if err := checkAnnouncement(ctx, tx, &n); err != nil {
			return err
		}
		n.Status, n.AuthorID, n.AuthorName, n.PublishedAt, n.Recipients = cur.Status, cur.AuthorID, cur.AuthorName, nil, 0
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		orgs, _ := json.Marshal(n.OrganisationIDs)
		res, err := tx.ExecContext(ctx, `UPDATE announcements SET kind = $1, title = $2, body = $3, service_id = $4, organisation_ids = $5,
			starts_on = $6, ends_on = $7, search_text = $8, version = $9, updated_at = $10 WHERE id = $11 AND version = $12`,
			n.Kind, n.Title, n.Body, nullPtr(n.ServiceID), string(orgs), n.StartsOn, n.EndsOn, announcementSearchText(&n), n.Version,
			tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update announcement %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeTargets(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAnnouncement, subjectID: n.ID, summary: n.Title,
			before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// DeleteAnnouncement moves an announcement to the trash.
func (db *DB) DeleteAnnouncement(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findAnnouncement(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE announcements SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete announcement %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectAnnouncement, subjectID: id, summary: cur.Title,
			before: cur, after: &after})
	})
}

// AnnouncementRecipients lists the people with an email and an active
// role at a targeted account or a unit below it, once each, by name.
func (db *DB) AnnouncementRecipients(ctx context.Context, a *liaison.Announcement) ([]liaison.AnnouncementRecipient, error) {
	q := query{d: db.dialect}
	var accounts []string
	for _, id := range a.OrganisationIDs {
		accounts = append(accounts, q.arg(id))
	}
	conds := []string{}
	if len(accounts) > 0 {
		conds = append(conds, "acc.id IN ("+strings.Join(accounts, ", ")+")")
	}
	if a.ServiceID != nil {
		conds = append(conds, "acc.id IN (SELECT organisation_id FROM subscriptions WHERE service_id = "+q.arg(*a.ServiceID)+")")
	}
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT DISTINCT `+personColumns+`, acc.name FROM organisations acc
		JOIN organisations d ON d.path >= acc.path AND d.path < substr(acc.path, 1, length(acc.path) - 1) || '0'
		JOIN contact_roles r ON r.organisation_id = d.id AND r.active = `+q.arg(true)+`
		JOIN people p ON p.id = r.person_id AND p.deleted_at IS NULL AND p.email <> ''
		WHERE acc.deleted_at IS NULL AND acc.budget_holder = `+q.arg(true)+` AND d.deleted_at IS NULL AND (`+strings.Join(conds, " OR ")+`)
		ORDER BY p.name, p.id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("announcement recipients: %w", err)
	}
	out, err := collectRows(rows, func(sc scanner) (liaison.AnnouncementRecipient, error) {
		var p liaison.Person
		var acc string
		err := sc.Scan(&p.ID, &p.Name, &p.Email, &p.Phone, &p.Title, &p.OrganisationID, &p.Language, &p.ExternalID,
			&p.Notes, &p.Version, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, nullTimeCol{&p.DeletedAt}, &acc)
		return liaison.AnnouncementRecipient{Person: &p, AccountName: acc}, err
	})
	if err != nil {
		return nil, fmt.Errorf("announcement recipients: %w", err)
	}
	// One mail a person: the first account named.
	seen := map[string]bool{}
	kept := out[:0]
	for _, r := range out {
		if !seen[r.Person.ID] {
			seen[r.Person.ID] = true
			kept = append(kept, r)
		}
	}
	return kept, nil
}

// PublishAnnouncement marks a draft published.
func (db *DB) PublishAnnouncement(ctx context.Context, id string, ifVersion int, recipients int) (*liaison.Announcement, error) {
	var out *liaison.Announcement
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findAnnouncement(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if cur.Status == liaison.AnnouncementPublished {
			return conflict("announcement.error.published", "the announcement is published already")
		}
		n := *cur
		n.Status, n.PublishedAt, n.Recipients, n.Version, n.UpdatedAt = liaison.AnnouncementPublished, &tx.now, recipients, cur.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE announcements SET status = $1, published_at = $2, recipients = $3, version = $4, updated_at = $2
			WHERE id = $5`, n.Status, tx.t(tx.now), recipients, n.Version, id); err != nil {
			return fmt.Errorf("publish announcement %s: %w", id, err)
		}
		out = &n
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAnnouncement, subjectID: id, summary: n.Title,
			before: cur, after: &n})
	})
	return out, err
}
