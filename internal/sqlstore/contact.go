package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of C16.
const (
	subjectChannel      = "channel"
	subjectContact      = "contact"
	subjectAnnouncement = "announcement"
)

var _ liaison.ContactStore = (*DB)(nil)

// unitAccount returns the account of a live unit (the deepest budget
// holder on its path) with its name and relationship manager; field names
// the unit's field in the errors.
func unitAccount(ctx context.Context, tx *writeTx, unitID, field string) (unitName, accountID, accountName, manager string, err error) {
	var v liaison.Validation
	var path string
	err = tx.QueryRowContext(ctx, `SELECT name, path FROM organisations WHERE id = $1 AND deleted_at IS NULL`, unitID).Scan(&unitName, &path)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(&v, field, "unit")
		return "", "", "", "", v.Err()
	} else if err != nil {
		return "", "", "", "", fmt.Errorf("check unit: %w", err)
	}
	ids := pathIDs(path)
	q := query{d: tx.db.dialect}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = q.arg(id)
	}
	var m sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT id, name, relationship_manager_id FROM organisations WHERE id IN (`+strings.Join(ph, ", ")+
		`) AND budget_holder = `+q.arg(true)+` AND deleted_at IS NULL ORDER BY depth DESC LIMIT 1`, q.args...).Scan(&accountID, &accountName, &m)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add(field, liaison.CodeInvalid, "contact.error.no_account", "lies under no customer account: choose an account or a unit below one")
		return "", "", "", "", v.Err()
	} else if err != nil {
		return "", "", "", "", fmt.Errorf("check account: %w", err)
	}
	return unitName, accountID, accountName, m.String, nil
}

// refName fills *name from a row's name column, recording an unknown
// reference on v.
func refName(ctx context.Context, q queryer, v *liaison.Validation, table, field, what string, id *string, name *string) error {
	*name = ""
	if id == nil {
		return nil
	}
	err := q.QueryRowContext(ctx, `SELECT name FROM `+table+` WHERE id = $1`, *id).Scan(name)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(v, field, what)
		return nil
	}
	if err != nil {
		return fmt.Errorf("check %s: %w", what, err)
	}
	return nil
}

// ---------- channels ----------

const channelSource = `(SELECT c.id, c.organisation_id, c.kind, c.name, c.address, c.user_id, c.service_id, c.note, c.version,
	c.created_at, c.updated_at, c.deleted_at, COALESCE(o.name, '') AS organisation_name, COALESCE(u.name, '') AS user_name,
	COALESCE(s.name, '') AS service_name
	FROM channels c LEFT JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.user_id
	LEFT JOIN services s ON s.id = c.service_id) x`

const channelColumns = `x.id, x.organisation_id, x.kind, x.name, x.address, x.user_id, x.service_id, x.note, x.version,
	x.created_at, x.updated_at, x.deleted_at, x.organisation_name, x.user_name, x.service_name`

func scanChannel(sc scanner) (*liaison.Channel, error) {
	var c liaison.Channel
	var user, service sql.NullString
	if err := sc.Scan(&c.ID, &c.OrganisationID, &c.Kind, &c.Name, &c.Address, &user, &service, &c.Note, &c.Version,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, nullTimeCol{&c.DeletedAt}, &c.OrganisationName, &c.UserName, &c.ServiceName); err != nil {
		return nil, err
	}
	c.UserID, c.ServiceID = strPtr(user), strPtr(service)
	return &c, nil
}

func findChannel(ctx context.Context, q queryer, id string) (*liaison.Channel, error) {
	c, err := scanChannel(q.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM `+channelSource+` WHERE x.id = $1 AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("channel", id)
	} else if err != nil {
		return nil, fmt.Errorf("find channel %s: %w", id, err)
	}
	return c, nil
}

// FindChannelByID returns a live channel.
func (db *DB) FindChannelByID(ctx context.Context, id string) (*liaison.Channel, error) {
	return findChannel(ctx, db.ro, id)
}

// FindChannels lists channels by account, kind and name.
func (db *DB) FindChannels(ctx context.Context, f liaison.ChannelFilter) ([]*liaison.Channel, string, error) {
	s, err := parseSort("")
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
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.UserID != "" {
		q.and("x.user_id = " + q.arg(f.UserID))
	}
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+channelColumns+` FROM `+channelSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find channels: %w", err)
	}
	items, err := collectRows(rows, scanChannel)
	if err != nil {
		return nil, "", fmt.Errorf("find channels: %w", err)
	}
	items, next := nextPage(items, limit, s, func(c *liaison.Channel) (string, string) { return c.Name, c.ID })
	return items, next, nil
}

func checkChannel(ctx context.Context, tx *writeTx, c *liaison.Channel) error {
	var v liaison.Validation
	var holder bool
	err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`, c.OrganisationID).
		Scan(&c.OrganisationName, &holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "account")
	case err != nil:
		return fmt.Errorf("check channel account: %w", err)
	case !holder:
		v.Add("organisation_id", liaison.CodeInvalid, "channel.error.not_account", "is not a customer account: channels belong to accounts")
	}
	if err := refName(ctx, tx, &v, "users", "user_id", "user", c.UserID, &c.UserName); err != nil {
		return err
	}
	if err := refName(ctx, tx, &v, "services", "service_id", "service", c.ServiceID, &c.ServiceName); err != nil {
		return err
	}
	return v.Err()
}

// CreateChannel stores a new channel on an account.
func (db *DB) CreateChannel(ctx context.Context, c *liaison.Channel) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkChannel(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO channels (id, organisation_id, kind, name, address, user_id, service_id, note,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			n.ID, n.OrganisationID, n.Kind, n.Name, n.Address, nullPtr(n.UserID), nullPtr(n.ServiceID), n.Note, n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create channel: %w", constraintError(err, "conflict"))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectChannel, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// UpdateChannel saves a channel; its account stays.
func (db *DB) UpdateChannel(ctx context.Context, c *liaison.Channel, ifVersion int) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findChannel(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.OrganisationID = cur.OrganisationID
		if err := checkChannel(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE channels SET kind = $1, name = $2, address = $3, user_id = $4, service_id = $5, note = $6,
			version = $7, updated_at = $8 WHERE id = $9 AND version = $10 AND deleted_at IS NULL`,
			n.Kind, n.Name, n.Address, nullPtr(n.UserID), nullPtr(n.ServiceID), n.Note, n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update channel %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectChannel, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// DeleteChannel moves a channel to the trash.
func (db *DB) DeleteChannel(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findChannel(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE channels SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete channel %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectChannel, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Name, before: cur, after: &after})
	})
}

// ---------- contacts ----------

const contactSource = `(SELECT c.id, c.organisation_id, c.account_id, c.channel, c.kind, c.subject, c.description, c.received_on,
	c.person_id, c.service_id, c.responsible_id, c.status, c.resolution, c.project_id, c.action_id, c.received_by_id, c.manager_id,
	c.closed_at, c.search_text, c.version, c.created_at, c.updated_at, c.deleted_at,
	COALESCE(o.name, '') AS organisation_name, COALESCE(ac.name, '') AS account_name, COALESCE(p.name, '') AS person_name,
	COALESCE(s.name, '') AS service_name, COALESCE(r.name, '') AS responsible_name, COALESCE(rb.name, '') AS received_by_name
	FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id LEFT JOIN organisations ac ON ac.id = c.account_id
	LEFT JOIN people p ON p.id = c.person_id LEFT JOIN services s ON s.id = c.service_id LEFT JOIN users r ON r.id = c.responsible_id
	LEFT JOIN users rb ON rb.id = c.received_by_id) x`

const contactColumns = `x.id, x.organisation_id, x.account_id, x.channel, x.kind, x.subject, x.description, x.received_on,
	x.person_id, x.service_id, x.responsible_id, x.status, x.resolution, x.project_id, x.action_id, x.received_by_id, x.manager_id,
	x.closed_at, x.version, x.created_at, x.updated_at, x.deleted_at, x.organisation_name, x.account_name, x.person_name,
	x.service_name, x.responsible_name, x.received_by_name`

func scanContact(sc scanner) (*liaison.Contact, error) {
	var c liaison.Contact
	var person, service, resp, project, action, by sql.NullString
	if err := sc.Scan(&c.ID, &c.OrganisationID, &c.AccountID, &c.Channel, &c.Kind, &c.Subject, &c.Description, &c.ReceivedOn,
		&person, &service, &resp, &c.Status, &c.Resolution, &project, &action, &by, &c.ManagerID, nullTimeCol{&c.ClosedAt},
		&c.Version, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, nullTimeCol{&c.DeletedAt}, &c.OrganisationName, &c.AccountName,
		&c.PersonName, &c.ServiceName, &c.ResponsibleName, &c.ReceivedByName); err != nil {
		return nil, err
	}
	c.PersonID, c.ServiceID, c.ResponsibleID = strPtr(person), strPtr(service), strPtr(resp)
	c.ProjectID, c.ActionID, c.ReceivedByID = strPtr(project), strPtr(action), strPtr(by)
	return &c, nil
}

func findContact(ctx context.Context, q queryer, id string) (*liaison.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactColumns+` FROM `+contactSource+` WHERE x.id = $1 AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("contact", id)
	} else if err != nil {
		return nil, fmt.Errorf("find contact %s: %w", id, err)
	}
	return c, nil
}

// FindContactByID returns a live contact.
func (db *DB) FindContactByID(ctx context.Context, id string) (*liaison.Contact, error) {
	return findContact(ctx, db.ro, id)
}

func parseContactSort(raw string) (sortOrder, error) {
	switch raw {
	case "", "-received_on":
		return sortOrder{key: "-received_on", column: "received_on", desc: true}, nil
	case "received_on":
		return sortOrder{key: "received_on", column: "received_on"}, nil
	}
	s, err := parseSort(raw)
	if err != nil {
		return s, err
	}
	if s.column == "name" {
		s.column = "subject"
	}
	return s, nil
}

// FindContacts lists logged contacts, newest first.
func (db *DB) FindContacts(ctx context.Context, f liaison.ContactFilter) ([]*liaison.Contact, string, error) {
	s, err := parseContactSort(f.Sort)
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
	if f.OrganisationID != "" {
		q.and(`x.organisation_id IN (SELECT d.id FROM organisations u JOIN organisations d
			ON d.path >= u.path AND d.path < substr(u.path, 1, length(u.path) - 1) || '0'
			WHERE u.id = ` + q.arg(f.OrganisationID) + `)`)
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Open {
		q.and("x.status <> " + q.arg(string(liaison.ContactClosed)))
	}
	if f.Kind != "" {
		q.and("x.kind = " + q.arg(string(f.Kind)))
	}
	if f.Channel != "" {
		q.and("x.channel = " + q.arg(string(f.Channel)))
	}
	if f.ResponsibleID != "" {
		q.and("x.responsible_id = " + q.arg(f.ResponsibleID))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+contactColumns+` FROM `+contactSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find contacts: %w", err)
	}
	items, err := collectRows(rows, scanContact)
	if err != nil {
		return nil, "", fmt.Errorf("find contacts: %w", err)
	}
	items, next := nextPage(items, limit, s, func(x *liaison.Contact) (string, string) {
		if s.column == "received_on" {
			return x.ReceivedOn, x.ID
		}
		return sortValue(s, x.Subject, x.CreatedAt, x.UpdatedAt), x.ID
	})
	return items, next, nil
}

func contactSearchText(c *liaison.Contact) string {
	return liaison.SearchText(c.Subject, c.Description, c.Resolution, c.OrganisationName, c.AccountName, c.PersonName,
		c.ServiceName, c.ResponsibleName, c.ReceivedByName)
}

// checkContact checks the unit, person, service and responsible user and
// fills the account, its manager and the names.
func checkContact(ctx context.Context, tx *writeTx, c *liaison.Contact) error {
	var err error
	if c.OrganisationName, c.AccountID, c.AccountName, c.ManagerID, err = unitAccount(ctx, tx, c.OrganisationID, "organisation_id"); err != nil {
		return err
	}
	var v liaison.Validation
	if err := refName(ctx, tx, &v, "people", "person_id", "person", c.PersonID, &c.PersonName); err != nil {
		return err
	}
	if err := refName(ctx, tx, &v, "services", "service_id", "service", c.ServiceID, &c.ServiceName); err != nil {
		return err
	}
	if c.ResponsibleID != nil {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT name, active FROM users WHERE id = $1`, *c.ResponsibleID).Scan(&c.ResponsibleName, &active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "responsible_id", "user")
		case err != nil:
			return fmt.Errorf("check contact responsible: %w", err)
		case !active:
			v.Add("responsible_id", liaison.CodeInvalid, "contact.error.responsible_inactive", "is not an active user: route it to someone who can act on it")
		}
	} else {
		c.ResponsibleName = ""
	}
	return v.Err()
}

// contactTask opens the task of a contact routed to someone other than
// the account's manager: an action on the account, owned by the
// responsible user, due in five working days.
func contactTask(ctx context.Context, tx *writeTx, c *liaison.Contact) error {
	if c.ResponsibleID == nil || *c.ResponsibleID == c.ManagerID || c.Status == liaison.ContactClosed {
		return nil
	}
	title := c.Subject
	task := &liaison.Action{Title: title, Description: c.Description, OrganisationID: &c.AccountID, OwnerID: *c.ResponsibleID,
		DueDate: liaison.Ptr(liaison.FormatDate(liaison.AddWorkingDays(tx.now, 5))), Status: liaison.ActionOpen}
	task.Normalize()
	if err := task.Validate(); err != nil {
		return err
	}
	if err := insertAction(ctx, tx, task, ""); err != nil {
		return err
	}
	c.ActionID = &task.ID
	if _, err := tx.ExecContext(ctx, `UPDATE contacts SET action_id = $1 WHERE id = $2`, task.ID, c.ID); err != nil {
		return fmt.Errorf("link contact task: %w", err)
	}
	return auditActionCreate(ctx, tx, task)
}

// finishTask marks a closed contact's open task done.
func finishTask(ctx context.Context, tx *writeTx, actionID *string) error {
	if actionID == nil {
		return nil
	}
	task, err := findAction(ctx, tx, *actionID, false)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if task.Status != liaison.ActionOpen {
		return nil
	}
	after := *task
	after.Status, after.DoneAt, after.Version, after.UpdatedAt = liaison.ActionDone, &tx.now, task.Version+1, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE actions SET status = $1, done_at = $2, version = $3, updated_at = $2 WHERE id = $4`,
		after.Status, tx.t(tx.now), after.Version, task.ID); err != nil {
		return fmt.Errorf("finish contact task: %w", err)
	}
	return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAction, subjectID: task.ID,
		organisationID: actionAccount(task), summary: task.Title, before: task, after: &after})
}

// CreateContact logs a contact and, routed to someone other than the
// manager, opens their task.
func (db *DB) CreateContact(ctx context.Context, c *liaison.Contact) error {
	n := *c
	n.Normalize()
	if err := n.Validate(db.now()); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkContact(ctx, tx, &n); err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.ReceivedByID, n.ReceivedByName = nil, actorName
		if actorID != "" {
			n.ReceivedByID = &actorID
		}
		if n.ReceivedOn == "" {
			n.ReceivedOn = liaison.FormatDate(liaison.DateOf(tx.now))
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		n.ProjectID, n.ActionID, n.ClosedAt = nil, nil, nil
		if n.Status == liaison.ContactClosed {
			n.ClosedAt = &tx.now
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, organisation_id, account_id, channel, kind, subject, description,
			received_on, person_id, service_id, responsible_id, status, resolution, received_by_id, manager_id, closed_at, search_text,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)`,
			n.ID, n.OrganisationID, n.AccountID, n.Channel, n.Kind, n.Subject, n.Description, n.ReceivedOn, nullPtr(n.PersonID),
			nullPtr(n.ServiceID), nullPtr(n.ResponsibleID), n.Status, n.Resolution, nullPtr(n.ReceivedByID), n.ManagerID,
			tx.nullTime(n.ClosedAt), contactSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create contact: %w", constraintError(err, "conflict"))
		}
		if err := tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectContact, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Subject, after: &n}); err != nil {
			return err
		}
		return contactTask(ctx, tx, &n)
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// UpdateContact saves a contact: its fields, its status (by the
// lifecycle) and its routing. Its unit stays.
func (db *DB) UpdateContact(ctx context.Context, c *liaison.Contact, ifVersion int) error {
	n := *c
	n.Normalize()
	if err := n.Validate(db.now()); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findContact(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		rerouted := !same(n.ResponsibleID, cur.ResponsibleID)
		if n.Status == liaison.ContactRouted && cur.Status == liaison.ContactRouted && !rerouted {
			// Saving a routed contact unchanged is an edit, not a second routing.
		} else if err := liaison.CheckContactTransition(cur.Status, n.Status); err != nil {
			return err
		}
		if n.ReceivedOn == "" {
			n.ReceivedOn = cur.ReceivedOn
		}
		n.OrganisationID = cur.OrganisationID
		if err := checkContact(ctx, tx, &n); err != nil {
			return err
		}
		n.ReceivedByID, n.ReceivedByName, n.ProjectID, n.ActionID = cur.ReceivedByID, cur.ReceivedByName, cur.ProjectID, cur.ActionID
		n.ClosedAt = cur.ClosedAt
		switch {
		case n.Status == liaison.ContactClosed && cur.Status != liaison.ContactClosed:
			n.ClosedAt = &tx.now
		case n.Status != liaison.ContactClosed:
			n.ClosedAt = nil
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET channel = $1, kind = $2, subject = $3, description = $4, received_on = $5,
			person_id = $6, service_id = $7, responsible_id = $8, status = $9, resolution = $10, manager_id = $11, closed_at = $12,
			search_text = $13, version = $14, updated_at = $15, account_id = $16 WHERE id = $17 AND version = $18 AND deleted_at IS NULL`,
			n.Channel, n.Kind, n.Subject, n.Description, n.ReceivedOn, nullPtr(n.PersonID), nullPtr(n.ServiceID), nullPtr(n.ResponsibleID),
			n.Status, n.Resolution, n.ManagerID, tx.nullTime(n.ClosedAt), contactSearchText(&n), n.Version, tx.t(tx.now), n.AccountID,
			n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update contact %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectContact, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Subject, before: cur, after: &n}); err != nil {
			return err
		}
		if n.Status == liaison.ContactClosed {
			return finishTask(ctx, tx, n.ActionID)
		}
		if rerouted {
			return contactTask(ctx, tx, &n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// DeleteContact moves a contact to the trash.
func (db *DB) DeleteContact(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findContact(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete contact %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectContact, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Subject, before: cur, after: &after})
	})
}

// ContactToProject turns a development need into a proposed project on
// its account and closes the contact, linked to it.
func (db *DB) ContactToProject(ctx context.Context, id string, ifVersion int, p *liaison.Project) (*liaison.Contact, error) {
	var out *liaison.Contact
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findContact(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if cur.Kind != liaison.ContactDevelopment {
			return conflict("contact.error.not_development", "only a development need can become a project; this contact is a %s", cur.Kind)
		}
		if cur.ProjectID != nil {
			return conflict("contact.error.has_project", "the contact became a project already")
		}
		p.OrganisationID = &cur.AccountID
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		if err := insertProject(ctx, tx, p); err != nil {
			return err
		}
		n := *cur
		n.ProjectID, n.Status, n.ClosedAt = &p.ID, liaison.ContactClosed, &tx.now
		if n.Resolution == "" {
			n.Resolution = "Became the project " + p.Name + "."
		}
		n.Version, n.UpdatedAt = cur.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET project_id = $1, status = $2, closed_at = $3, resolution = $4, version = $5,
			updated_at = $3, search_text = $6 WHERE id = $7`, p.ID, n.Status, tx.t(tx.now), n.Resolution, n.Version, contactSearchText(&n), id); err != nil {
			return fmt.Errorf("contact to project %s: %w", id, err)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectContact, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Subject, before: cur, after: &n}); err != nil {
			return err
		}
		out = &n
		return finishTask(ctx, tx, n.ActionID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
