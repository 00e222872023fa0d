package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/liaisonhq/liaison"
)

// subjectCampaign is the audit subject type of survey campaigns.
const (
	subjectCampaign       = "campaign"
	subjectSurveyResponse = "survey_response"
)

var _ liaison.CampaignStore = (*DB)(nil)

// campaignSource joins a campaign with its survey's name and its counts.
// Lists page over it with alias x; name is the title.
const campaignSource = `(SELECT c.id, c.title, c.title AS name, c.survey_id, c.survey_version, c.roles, c.segment_id, c.service_id,
	c.closes_on, c.anonymous, c.status, c.opened_at, c.closed_at, c.reminded_at, c.created_by_id, c.published_at, c.published_by_id, c.search_text,
	c.version, c.created_at, c.updated_at, c.deleted_at, s.name AS survey_name,
	(SELECT COUNT(*) FROM campaign_recipients r WHERE r.campaign_id = c.id) AS recipients,
	(SELECT COUNT(*) FROM survey_responses p WHERE p.campaign_id = c.id) AS responses
	FROM campaigns c JOIN surveys s ON s.id = c.survey_id) x`

const campaignColumns = `x.id, x.title, x.survey_id, x.survey_version, x.roles, x.segment_id, x.service_id, x.closes_on, x.anonymous,
	x.status, x.opened_at, x.closed_at, x.reminded_at, x.created_by_id, x.published_at, x.published_by_id, x.version, x.created_at, x.updated_at, x.deleted_at,
	x.survey_name, x.recipients, x.responses`

func scanCampaign(sc scanner) (*liaison.Campaign, error) {
	var c liaison.Campaign
	var roles string
	var segment, service, by, pubBy sql.NullString
	if err := sc.Scan(&c.ID, &c.Title, &c.SurveyID, &c.SurveyVersion, &roles, &segment, &service, &c.ClosesOn, &c.Anonymous,
		&c.Status, nullTimeCol{&c.OpenedAt}, nullTimeCol{&c.ClosedAt}, nullTimeCol{&c.RemindedAt}, &by,
		nullTimeCol{&c.PublishedAt}, &pubBy, &c.Version,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, nullTimeCol{&c.DeletedAt}, &c.SurveyName, &c.Recipients, &c.Responses); err != nil {
		return nil, err
	}
	c.Segment, c.ServiceID, c.CreatedByID, c.PublishedByID = segment.String, strPtr(service), strPtr(by), strPtr(pubBy)
	c.Roles = []liaison.RoleKind{}
	for r := range strings.SplitSeq(roles, ",") {
		c.Roles = append(c.Roles, liaison.RoleKind(r))
	}
	return &c, nil
}

// campaignAccounts reads the accounts of a campaign's scope, in order.
func campaignAccounts(ctx context.Context, q queryer, id string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT organisation_id FROM campaign_accounts WHERE campaign_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %s accounts: %w", id, err)
	}
	return collectRows(rows, func(sc scanner) (string, error) {
		var s string
		return s, sc.Scan(&s)
	})
}

// linkCampaignSource is campaignSource without the counts, which cost a
// scan of the campaign's recipients and responses: a link needs none.
const linkCampaignSource = `(SELECT c.id, c.title, c.survey_id, c.survey_version, c.roles, c.segment_id, c.service_id,
	c.closes_on, c.anonymous, c.status, c.opened_at, c.closed_at, c.reminded_at, c.created_by_id, c.published_at, c.published_by_id,
	c.version, c.created_at, c.updated_at, c.deleted_at, s.name AS survey_name, 0 AS recipients, 0 AS responses
	FROM campaigns c JOIN surveys s ON s.id = c.survey_id) x`

func findCampaign(ctx context.Context, q queryer, id string) (*liaison.Campaign, error) {
	return findCampaignFrom(ctx, q, campaignSource, id)
}

func findCampaignFrom(ctx context.Context, q queryer, source, id string) (*liaison.Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM `+source+` WHERE x.id = $1 AND x.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("campaign", id)
	} else if err != nil {
		return nil, fmt.Errorf("find campaign %s: %w", id, err)
	}
	if c.OrganisationIDs, err = campaignAccounts(ctx, q, id); err != nil {
		return nil, err
	}
	return c, nil
}

// lockCampaign locks a live campaign's row for the rest of the transaction
// and reads it.
func lockCampaign(ctx context.Context, tx *writeTx, id string) (*liaison.Campaign, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM campaigns WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("campaign", id)
	} else if err != nil {
		return nil, fmt.Errorf("lock campaign %s: %w", id, err)
	}
	return findCampaign(ctx, tx, id)
}

// FindCampaignByID returns a live campaign.
func (db *DB) FindCampaignByID(ctx context.Context, id string) (*liaison.Campaign, error) {
	return findCampaign(ctx, db.ro, id)
}

// parseCampaignSort reads a campaign list's order: the common ones (name
// being the title) and closes_on.
func parseCampaignSort(raw string) (sortOrder, error) {
	switch raw {
	case "closes_on":
		return sortOrder{key: raw, column: "closes_on"}, nil
	case "-closes_on":
		return sortOrder{key: raw, column: "closes_on", desc: true}, nil
	}
	s, err := parseSort(raw)
	if err != nil {
		var e *liaison.Error
		if errors.As(err, &e) {
			e.Message += ", closes_on, -closes_on"
		}
	}
	return s, err
}

// FindCampaigns lists campaigns (the trash with f.Trashed).
func (db *DB) FindCampaigns(ctx context.Context, f liaison.CampaignFilter) ([]*liaison.Campaign, string, error) {
	s, err := parseCampaignSort(f.Sort)
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
	if f.SurveyID != "" {
		q.and("x.survey_id = " + q.arg(f.SurveyID))
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Published {
		q.and("x.published_at IS NOT NULL")
	}
	if !f.RespondedFrom.IsZero() || !f.RespondedBefore.IsZero() {
		cond := "r.campaign_id = x.id"
		if !f.RespondedFrom.IsZero() {
			cond += " AND r.submitted_at >= " + q.arg(db.dialect.timeArg(f.RespondedFrom))
		}
		if !f.RespondedBefore.IsZero() {
			cond += " AND r.submitted_at < " + q.arg(db.dialect.timeArg(f.RespondedBefore))
		}
		q.and("EXISTS (SELECT 1 FROM survey_responses r WHERE " + cond + ")")
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+campaignColumns+` FROM `+campaignSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find campaigns: %w", err)
	}
	out, err := collectRows(rows, scanCampaign)
	if err != nil {
		return nil, "", fmt.Errorf("find campaigns: %w", err)
	}
	out, next := nextPage(out, limit, s, func(x *liaison.Campaign) (string, string) {
		if s.column == "closes_on" {
			return x.ClosesOn, x.ID
		}
		return sortValue(s, x.Title, x.CreatedAt, x.UpdatedAt), x.ID
	})
	for _, x := range out {
		if x.OrganisationIDs, err = campaignAccounts(ctx, db.ro, x.ID); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

// checkCampaignRefs checks the survey (live; version 0 takes its latest,
// another must be published), the accounts (live budget holders), the
// segment and the service, and fills the survey's name.
func checkCampaignRefs(ctx context.Context, tx *writeTx, c *liaison.Campaign) error {
	var v liaison.Validation
	var latest int
	err := tx.QueryRowContext(ctx, `SELECT name, survey_version FROM surveys WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		c.SurveyID).Scan(&c.SurveyName, &latest)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "survey_id", "survey")
	case err != nil:
		return fmt.Errorf("check campaign survey: %w", err)
	case c.SurveyVersion == 0:
		c.SurveyVersion = latest
	case c.SurveyVersion > latest:
		v.Add("survey_version", liaison.CodeUnknown, "campaign.error.survey_version_unknown", "survey %s has versions 1 to %d", c.SurveyID, latest)
	}
	for _, id := range c.OrganisationIDs {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`, id).Scan(&holder)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "organisation_ids", "unit")
		case err != nil:
			return fmt.Errorf("check campaign account: %w", err)
		case !holder:
			v.Add("organisation_ids", liaison.CodeInvalid, "campaign.error.needs_account", "%s is not a customer account (a budget-holding unit)", id)
		}
	}
	if c.Segment != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM segments WHERE id = $1`, c.Segment).Scan(&n); err != nil {
			return fmt.Errorf("check campaign segment: %w", err)
		} else if n == 0 {
			unknownRef(&v, "segment", "segment")
		}
	}
	if c.ServiceID != nil {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM services WHERE id = $1 AND deleted_at IS NULL`, *c.ServiceID).Scan(&n); err != nil {
			return fmt.Errorf("check campaign service: %w", err)
		} else if n == 0 {
			unknownRef(&v, "service_id", "service")
		}
	}
	return v.Err()
}

func campaignSearchText(c *liaison.Campaign) string { return liaison.SearchText(c.Title, c.SurveyName) }

func joinRoles(rs []liaison.RoleKind) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func (tx *writeTx) writeCampaignAccounts(ctx context.Context, c *liaison.Campaign) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_accounts WHERE campaign_id = $1`, c.ID); err != nil {
		return fmt.Errorf("campaign %s accounts: %w", c.ID, err)
	}
	for i, id := range c.OrganisationIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_accounts (campaign_id, organisation_id, position) VALUES ($1, $2, $3)`,
			c.ID, id, i); err != nil {
			return fmt.Errorf("campaign %s accounts: %w", c.ID, err)
		}
	}
	return nil
}

// CreateCampaign stores a new draft campaign.
func (db *DB) CreateCampaign(ctx context.Context, c *liaison.Campaign) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	if n.Status != liaison.CampaignDraft {
		var v liaison.Validation
		v.Add("status", liaison.CodeInvalid, "campaign.error.create_draft", "a campaign is created as a draft: open it to send its links")
		return v.Err()
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkCampaignRefs(ctx, tx, &n); err != nil {
			return err
		}
		actorID, _, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.CreatedByID = nil
		if actorID != "" {
			n.CreatedByID = &actorID
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		n.OpenedAt, n.ClosedAt, n.RemindedAt, n.Recipients, n.Responses = nil, nil, nil, 0, 0
		n.PublishedAt, n.PublishedByID = nil, nil
		_, err = tx.ExecContext(ctx, `INSERT INTO campaigns (id, title, survey_id, survey_version, roles, segment_id, service_id, closes_on,
			anonymous, status, created_by_id, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			n.ID, n.Title, n.SurveyID, n.SurveyVersion, joinRoles(n.Roles), nullString(n.Segment), nullPtr(n.ServiceID), n.ClosesOn,
			n.Anonymous, n.Status, nullPtr(n.CreatedByID), campaignSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create campaign: %w", err)
		}
		if err := tx.writeCampaignAccounts(ctx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectCampaign, subjectID: n.ID, summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// UpdateCampaign saves a draft's fields; once opened only the title and
// the closing date change. The status changes only by OpenCampaign and
// CloseCampaign.
func (db *DB) UpdateCampaign(ctx context.Context, c *liaison.Campaign, ifVersion int) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockCampaign(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := campaignEdits(cur, &n); err != nil {
			return err
		}
		if err := checkCampaignRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.CreatedByID, n.OpenedAt, n.ClosedAt, n.RemindedAt = cur.CreatedByID, cur.OpenedAt, cur.ClosedAt, cur.RemindedAt
		n.PublishedAt, n.PublishedByID = cur.PublishedAt, cur.PublishedByID
		n.Recipients, n.Responses = cur.Recipients, cur.Responses
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET title = $1, survey_id = $2, survey_version = $3, roles = $4, segment_id = $5,
			service_id = $6, closes_on = $7, anonymous = $8, search_text = $9, version = $10, updated_at = $11 WHERE id = $12 AND version = $13`,
			n.Title, n.SurveyID, n.SurveyVersion, joinRoles(n.Roles), nullString(n.Segment), nullPtr(n.ServiceID), n.ClosesOn, n.Anonymous,
			campaignSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update campaign %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := tx.writeCampaignAccounts(ctx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCampaign, subjectID: n.ID, summary: n.Title, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// campaignEdits refuses a status change (open and close have their own
// calls) and, once a campaign is opened, any change but the title and the
// closing date.
func campaignEdits(cur, n *liaison.Campaign) error {
	var v liaison.Validation
	if n.Status != cur.Status {
		if err := liaison.CheckCampaignTransition(cur.Status, n.Status); err != nil {
			return err
		}
		v.Add("status", "transition", "campaign.error.status_by_action", "is changed by opening or closing the campaign (/open, /close), not by an update")
		return v.Err()
	}
	if cur.Status == liaison.CampaignDraft {
		return nil
	}
	for _, f := range []struct {
		name    string
		changed bool
	}{
		{"survey_id", n.SurveyID != cur.SurveyID},
		{"survey_version", n.SurveyVersion != cur.SurveyVersion},
		{"roles", !slices.Equal(n.Roles, cur.Roles)},
		{"organisation_ids", !slices.Equal(n.OrganisationIDs, cur.OrganisationIDs)},
		{"segment", n.Segment != cur.Segment},
		{"service_id", deref(n.ServiceID) != deref(cur.ServiceID)},
		{"anonymous", n.Anonymous != cur.Anonymous},
	} {
		if f.changed {
			v.Add(f.name, liaison.CodeInvalid, "campaign.error.sent", "cannot change once the campaign is %s: its links have been sent", cur.Status)
		}
	}
	return v.Err()
}

// DeleteCampaign moves a campaign to the trash; an open one must be closed
// first, so that no link is left answering.
func (db *DB) DeleteCampaign(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if cur.Status == liaison.CampaignOpen {
			return conflict("campaign.error.delete_open", "campaign %q is open: close it before moving it to the trash", cur.Title)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete campaign %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectCampaign, subjectID: id, summary: cur.Title, before: cur, after: &after})
	})
}

// roleWeight orders the survey roles: a person holding several is sent
// the survey once, in the weightiest.
func roleWeight(r liaison.RoleKind) int { return slices.Index(liaison.RoleKinds, r) }

// CampaignAudience lists the people c would be sent to: active contact
// roles of c's roles at units whose account (the nearest budget holder at
// or above the unit) is in scope, people with an email address, one
// recipient per person in their weightiest role.
func (db *DB) CampaignAudience(ctx context.Context, c *liaison.Campaign) ([]liaison.Recipient, error) {
	type account struct{ segment string }
	accounts := map[string]account{}
	rows, err := db.ro.QueryContext(ctx, `SELECT id, segment_id FROM organisations WHERE budget_holder = $1 AND deleted_at IS NULL`, true)
	if err != nil {
		return nil, fmt.Errorf("campaign audience: %w", err)
	}
	type acc struct {
		id      string
		segment sql.NullString
	}
	accs, err := collectRows(rows, func(sc scanner) (acc, error) {
		var a acc
		return a, sc.Scan(&a.id, &a.segment)
	})
	if err != nil {
		return nil, fmt.Errorf("campaign audience: %w", err)
	}
	var service map[string]bool
	if c.ServiceID != nil {
		rows, err := db.ro.QueryContext(ctx, `SELECT DISTINCT organisation_id FROM subscriptions WHERE service_id = $1`, *c.ServiceID)
		if err != nil {
			return nil, fmt.Errorf("campaign audience: %w", err)
		}
		ids, err := collectRows(rows, func(sc scanner) (string, error) {
			var s string
			return s, sc.Scan(&s)
		})
		if err != nil {
			return nil, fmt.Errorf("campaign audience: %w", err)
		}
		service = map[string]bool{}
		for _, id := range ids {
			service[id] = true
		}
	}
	for _, a := range accs {
		switch {
		case len(c.OrganisationIDs) > 0 && !slices.Contains(c.OrganisationIDs, a.id),
			c.Segment != "" && a.segment.String != c.Segment,
			service != nil && !service[a.id]:
			continue
		}
		accounts[a.id] = account{segment: a.segment.String}
	}
	q := query{d: db.dialect}
	ph := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		ph[i] = q.arg(string(r))
	}
	rows, err = db.ro.QueryContext(ctx, `SELECT p.id, p.name, p.email, p.language, r.role, u.path
		FROM contact_roles r JOIN people p ON p.id = r.person_id JOIN organisations u ON u.id = r.organisation_id
		WHERE r.active = `+q.arg(true)+` AND r.role IN (`+strings.Join(ph, ", ")+`) AND p.deleted_at IS NULL AND p.email <> ''
		AND u.deleted_at IS NULL ORDER BY p.id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("campaign audience: %w", err)
	}
	type cand struct {
		r    liaison.Recipient
		path string
	}
	cands, err := collectRows(rows, func(sc scanner) (cand, error) {
		var x cand
		return x, sc.Scan(&x.r.PersonID, &x.r.PersonName, &x.r.Email, &x.r.Language, &x.r.Role, &x.path)
	})
	if err != nil {
		return nil, fmt.Errorf("campaign audience: %w", err)
	}
	byPerson := map[string]int{}
	out := []liaison.Recipient{}
	for _, x := range cands {
		ids := pathIDs(x.path)
		acct := ""
		for i := len(ids) - 1; i >= 0 && acct == ""; i-- {
			if _, ok := accounts[ids[i]]; ok {
				acct = ids[i]
			}
		}
		if acct == "" {
			continue
		}
		x.r.OrganisationID, x.r.Segment, x.r.CampaignID = acct, accounts[acct].segment, c.ID
		if i, ok := byPerson[x.r.PersonID]; ok {
			if roleWeight(x.r.Role) < roleWeight(out[i].Role) {
				out[i] = x.r
			}
			continue
		}
		byPerson[x.r.PersonID] = len(out)
		out = append(out, x.r)
	}
	return out, nil
}

// OpenCampaign moves a draft to open and records its recipients with their
// tokens' hashes, in one transaction.
func (db *DB) OpenCampaign(ctx context.Context, id string, ifVersion int, recipients []liaison.NewRecipient) (*liaison.Campaign, error) {
	return db.moveCampaign(ctx, id, ifVersion, liaison.CampaignOpen, func(tx *writeTx, c *liaison.Campaign) error {
		if len(recipients) == 0 {
			var v liaison.Validation
			v.Add("recipients", liaison.CodeRequired, "campaign.error.no_recipients", "no one in the chosen roles and scope has an email address: nothing to send")
			return v.Err()
		}
		for i := range recipients {
			r := &recipients[i]
			if len(r.TokenHash) == 0 {
				return fmt.Errorf("open campaign %s: recipient %s has no token", id, r.PersonID)
			}
			r.ID, r.CampaignID = newID(), id
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_recipients (id, campaign_id, person_id, organisation_id, segment_id, role,
				language, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				r.ID, id, r.PersonID, r.OrganisationID, nullString(r.Segment), r.Role, r.Language, hex.EncodeToString(r.TokenHash), tx.t(tx.now)); err != nil {
				return fmt.Errorf("open campaign %s: recipient %s: %w", id, r.PersonID, err)
			}
		}
		c.Recipients = len(recipients)
		_, err := tx.ExecContext(ctx, `UPDATE campaigns SET opened_at = $1 WHERE id = $2`, tx.t(tx.now), id)
		c.OpenedAt = &tx.now
		return err
	})
}

// CloseCampaign moves an open campaign to closed: its links stop taking
// responses.
func (db *DB) CloseCampaign(ctx context.Context, id string, ifVersion int) (*liaison.Campaign, error) {
	return db.moveCampaign(ctx, id, ifVersion, liaison.CampaignClosed, func(tx *writeTx, c *liaison.Campaign) error {
		_, err := tx.ExecContext(ctx, `UPDATE campaigns SET closed_at = $1 WHERE id = $2`, tx.t(tx.now), id)
		c.ClosedAt = &tx.now
		return err
	})
}

// PublishCampaign publishes or unpublishes a closed campaign's results and
// audits it; a campaign already so is returned as it is.
func (db *DB) PublishCampaign(ctx context.Context, id string, ifVersion int, publish bool) (*liaison.Campaign, error) {
	var out *liaison.Campaign
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := cur.CheckPublish(); err != nil {
			return err
		}
		if cur.Published() == publish {
			out = cur
			return nil
		}
		n := *cur
		n.Version, n.UpdatedAt, n.PublishedAt, n.PublishedByID = cur.Version+1, tx.now, nil, nil
		summary := n.Title + ": results unpublished"
		if publish {
			actorID, _, err := tx.actor(ctx)
			if err != nil {
				return err
			}
			n.PublishedAt, summary = &tx.now, n.Title+": results published"
			if actorID != "" {
				n.PublishedByID = &actorID
			}
		}
		var at any
		if n.PublishedAt != nil {
			at = tx.t(*n.PublishedAt)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET published_at = $1, published_by_id = $2, version = $3, updated_at = $4 WHERE id = $5`,
			at, nullPtr(n.PublishedByID), n.Version, tx.t(tx.now), id); err != nil {
			return fmt.Errorf("publish campaign %s: %w", id, err)
		}
		out = &n
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCampaign, subjectID: id, summary: summary, before: cur, after: &n})
	})
	return out, err
}

// moveCampaign changes a campaign's status to to, doing then's work in the
// same transaction, and audits it.
func (db *DB) moveCampaign(ctx context.Context, id string, ifVersion int, to liaison.CampaignStatus,
	then func(tx *writeTx, c *liaison.Campaign) error) (*liaison.Campaign, error) {
	var out *liaison.Campaign
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if cur.Status == to {
			return liaison.CheckCampaignTransition(cur.Status, "-")
		}
		if err := liaison.CheckCampaignTransition(cur.Status, to); err != nil {
			return err
		}
		n := *cur
		n.Status, n.Version, n.UpdatedAt = to, cur.Version+1, tx.now
		if err := then(tx, &n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = $1, version = $2, updated_at = $3 WHERE id = $4`,
			n.Status, n.Version, tx.t(tx.now), id); err != nil {
			return fmt.Errorf("campaign %s to %s: %w", id, to, err)
		}
		out = &n
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCampaign, subjectID: id,
			summary: fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, to), before: cur, after: &n})
	})
	return out, err
}

const linkColumns = `r.id, r.campaign_id, r.person_id, r.organisation_id, r.segment_id, r.role, r.language, r.responded_at, r.reminded_at`

func scanRecipient(sc scanner, extra ...any) (liaison.Recipient, error) {
	var r liaison.Recipient
	var segment sql.NullString
	err := sc.Scan(append([]any{&r.ID, &r.CampaignID, &r.PersonID, &r.OrganisationID, &segment, &r.Role, &r.Language,
		nullTimeCol{&r.RespondedAt}, nullTimeCol{&r.RemindedAt}}, extra...)...)
	r.Segment = segment.String
	return r, err
}

// findLink reads the link of a token's hash with its campaign and the
// questions of the campaign's version; lock applies to the recipient row.
func findLink(ctx context.Context, q queryer, tokenHash []byte, lock string) (*liaison.Link, error) {
	if len(tokenHash) == 0 {
		return nil, liaison.LinkRefusal(liaison.LinkUnknown)
	}
	r, err := scanRecipient(q.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM campaign_recipients r WHERE r.token_hash = $1`+lock,
		hex.EncodeToString(tokenHash)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, liaison.LinkRefusal(liaison.LinkUnknown)
	} else if err != nil {
		return nil, fmt.Errorf("find link: %w", err)
	}
	c, err := findCampaignFrom(ctx, q, linkCampaignSource, r.CampaignID)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil, liaison.LinkRefusal(liaison.LinkUnknown)
	} else if err != nil {
		return nil, err
	}
	v, err := findSurveyVersion(ctx, q, c.SurveyID, c.SurveyVersion)
	if err != nil {
		return nil, err
	}
	return &liaison.Link{Recipient: r, Campaign: *c, Questions: v.Questions}, nil
}

// FindLink finds a recipient's link by its token's hash.
func (db *DB) FindLink(ctx context.Context, tokenHash []byte) (*liaison.Link, error) {
	return findLink(ctx, db.ro, tokenHash, "")
}

// LinkRefusal reports whether the link can take a response now (the
// store's clock): nil, or the refusal SubmitResponse would answer.
func (db *DB) LinkRefusal(l *liaison.Link) error { return l.Refusal(db.now()) }

// SubmitResponse stores a response through a link in one transaction. An
// anonymous campaign's response gets a random id, no recipient id and a
// time to the day, and the recipient's responded_at is to the day too, so
// that neither order nor time ties the response to the recipient.
func (db *DB) SubmitResponse(ctx context.Context, tokenHash []byte, answers []liaison.Answer) (*liaison.Response, *liaison.Link, error) {
	var resp *liaison.Response
	var link *liaison.Link
	err := db.write(ctx, func(tx *writeTx) error {
		l, err := findLink(ctx, tx, tokenHash, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if err := l.Refusal(tx.now); err != nil {
			return err
		}
		kept, err := liaison.ValidateAnswers(l.Questions, answers)
		if err != nil {
			return err
		}
		b, err := json.Marshal(kept)
		if err != nil {
			return fmt.Errorf("response answers: %w", err)
		}
		r := &liaison.Response{ID: newID(), CampaignID: l.Campaign.ID, OrganisationID: l.Recipient.OrganisationID,
			Segment: l.Recipient.Segment, Role: l.Recipient.Role, Answers: kept, SubmittedAt: tx.now}
		if l.Campaign.Anonymous {
			r.ID, r.SubmittedAt = randomID(), liaison.DateOf(tx.now)
		} else {
			r.RecipientID = &l.Recipient.ID
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaign_recipients SET responded_at = $1 WHERE id = $2 AND responded_at IS NULL`,
			tx.t(r.SubmittedAt), l.Recipient.ID)
		if err != nil {
			return fmt.Errorf("submit response: %w", err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return liaison.LinkRefusal(liaison.LinkUsed)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_responses (id, campaign_id, recipient_id, organisation_id, segment_id, role,
			answers_json, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			r.ID, r.CampaignID, nullPtr(r.RecipientID), r.OrganisationID, nullString(r.Segment), r.Role, string(b), tx.t(r.SubmittedAt)); err != nil {
			return fmt.Errorf("submit response: %w", err)
		}
		l.Recipient.RespondedAt = &r.SubmittedAt
		resp, link = r, l
		if l.Campaign.Anonymous {
			// The trail records that a response came, not from whom or for which account.
			return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCampaign, subjectID: l.Campaign.ID,
				summary: l.Campaign.Title + ": anonymous response received"})
		}
		// A named response is an event of its own on the account's
		// timeline ("survey_response.create"), titled by its campaign.
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSurveyResponse, subjectID: r.ID,
			organisationID: r.OrganisationID, summary: l.Campaign.Title, after: r})
	})
	if err != nil {
		return nil, nil, err
	}
	return resp, link, nil
}

// randomID returns a 16-character id of random bits only, with no time in it.
func randomID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return string(b[:])
}

// PendingRecipients lists an open campaign's recipients who have not
// responded, with their current name, email and language.
func (db *DB) PendingRecipients(ctx context.Context, campaignID string) ([]liaison.Recipient, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+linkColumns+`, p.name, p.email FROM campaign_recipients r
		JOIN people p ON p.id = r.person_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE r.campaign_id = $1 AND r.responded_at IS NULL AND c.status = 'open' AND p.deleted_at IS NULL ORDER BY r.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("pending recipients: %w", err)
	}
	return collectRows(rows, func(sc scanner) (liaison.Recipient, error) {
		var name, email string
		r, err := scanRecipient(sc, &name, &email)
		r.PersonName, r.Email = name, email
		return r, err
	})
}

// RemindRecipients gives the named recipients who have not responded a new
// token and records the reminder on them and the campaign.
func (db *DB) RemindRecipients(ctx context.Context, campaignID string, tokenHashes map[string][]byte) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockCampaign(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if cur.Status != liaison.CampaignOpen {
			return conflict("campaign.error.remind_not_open", "campaign %q is %s: only an open campaign sends reminders", cur.Title, cur.Status)
		}
		ids := make([]string, 0, len(tokenHashes))
		for id := range tokenHashes {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_recipients SET token_hash = $1, reminded_at = $2
				WHERE id = $3 AND campaign_id = $4 AND responded_at IS NULL`,
				hex.EncodeToString(tokenHashes[id]), tx.t(tx.now), id, campaignID); err != nil {
				return fmt.Errorf("remind recipient %s: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET reminded_at = $1 WHERE id = $2`, tx.t(tx.now), campaignID); err != nil {
			return fmt.Errorf("remind campaign %s: %w", campaignID, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCampaign, subjectID: campaignID,
			summary: fmt.Sprintf("%s: %d reminders", cur.Title, len(ids))})
	})
}

// CampaignResultData reads a campaign's questions, its recipients' and
// responses' units (each with the services its account subscribes to) and
// the responses' answers.
func (db *DB) CampaignResultData(ctx context.Context, campaignID string) (*liaison.ResultData, error) {
	c, err := db.FindCampaignByID(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	d := &liaison.ResultData{CampaignID: c.ID, Anonymous: c.Anonymous, Recipients: []liaison.ResultUnit{}, Responses: []liaison.ResultResponse{}}
	v, err := db.FindSurveyVersion(ctx, c.SurveyID, c.SurveyVersion)
	if err != nil {
		return nil, err
	}
	d.Questions = v.Questions
	rows, err := db.ro.QueryContext(ctx, `SELECT DISTINCT s.organisation_id, s.service_id FROM subscriptions s
		WHERE s.organisation_id IN (SELECT organisation_id FROM campaign_recipients WHERE campaign_id = $1) ORDER BY s.organisation_id, s.service_id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	services := map[string][]string{}
	if _, err := collectRows(rows, func(sc scanner) (struct{}, error) {
		var org, svc string
		err := sc.Scan(&org, &svc)
		services[org] = append(services[org], svc)
		return struct{}{}, err
	}); err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	unit := func(sc scanner, extra ...any) (liaison.ResultUnit, error) {
		var u liaison.ResultUnit
		var segment sql.NullString
		err := sc.Scan(append([]any{&u.OrganisationID, &segment, &u.Role}, extra...)...)
		u.Segment, u.ServiceIDs = segment.String, services[u.OrganisationID]
		return u, err
	}
	rows, err = db.ro.QueryContext(ctx, `SELECT organisation_id, segment_id, role FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	if d.Recipients, err = collectRows(rows, func(sc scanner) (liaison.ResultUnit, error) { return unit(sc) }); err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	rows, err = db.ro.QueryContext(ctx, `SELECT organisation_id, segment_id, role, answers_json FROM survey_responses
		WHERE campaign_id = $1 ORDER BY submitted_at, id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	d.Responses, err = collectRows(rows, func(sc scanner) (liaison.ResultResponse, error) {
		var js string
		u, err := unit(sc, &js)
		if err != nil {
			return liaison.ResultResponse{}, err
		}
		r := liaison.ResultResponse{ResultUnit: u}
		return r, json.Unmarshal([]byte(js), &r.Answers)
	})
	if err != nil {
		return nil, fmt.Errorf("campaign results: %w", err)
	}
	return d, nil
}
