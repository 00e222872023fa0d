package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// subjectTicketImport is the audit subject of a batch of ticket ratings:
// one entry per import, not one per rating.
const subjectTicketImport = "ticket_satisfaction_import"

const ticketColumns = `t.id, t.source, t.external_id, t.organisation_id, t.service_id, t.person_email, t.score, t.scale,
	t.rating, t.comment, t.closed_on, t.created_at, t.updated_at, o.name, COALESCE(s.name, '')`

const ticketFrom = ` FROM ticket_ratings t JOIN organisations o ON o.id = t.organisation_id LEFT JOIN services s ON s.id = t.service_id`

func scanTicketRating(sc scanner) (*liaison.TicketRating, error) {
	var r liaison.TicketRating
	var service sql.NullString
	if err := sc.Scan(&r.ID, &r.Source, &r.ExternalID, &r.OrganisationID, &service, &r.PersonEmail, &r.Score, &r.Scale,
		&r.Rating, &r.Comment, &r.ClosedOn, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}, &r.OrganisationName, &r.ServiceName); err != nil {
		return nil, err
	}
	r.ServiceID = strPtr(service)
	return &r, nil
}

// UpsertTicketRatings stores a batch of ticket ratings, replacing those
// whose (source, external_ticket_id) is known.
func (db *DB) UpsertTicketRatings(ctx context.Context, rs []*liaison.TicketRating) (liaison.TicketImportResult, error) {
	var res liaison.TicketImportResult
	var v liaison.Validation
	ns := make([]liaison.TicketRating, len(rs))
	seen := map[[2]string]int{}
	for i, r := range rs {
		ns[i] = *r
		n := &ns[i]
		n.Normalize()
		row := fmt.Sprintf("row %d: ", i+1)
		if err := n.Validate(); err != nil {
			var e *liaison.Error
			errors.As(err, &e)
			for _, f := range e.Fields {
				v.Add(row+f.Field, f.Code, f.Key, "%s", f.Message)
			}
		} else if n.OrganisationID == "" {
			v.Add(row+"organisation_id", liaison.CodeRequired, "ticket.error_account_unresolved", "is required: the store takes the account's id, not its external id")
		}
		key := [2]string{n.Source, n.ExternalID}
		if j, ok := seen[key]; ok {
			v.Add(row+"external_ticket_id", liaison.CodeInvalid, "ticket.error_duplicate_in_batch", "repeats the ticket of row %d", j)
		}
		seen[key] = i + 1
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		res = liaison.TicketImportResult{}
		accounts := map[string]string{} // id → name; "" for none
		services := map[string]bool{}
		for i := range ns {
			n, row := &ns[i], fmt.Sprintf("row %d: ", i+1)
			name, ok := accounts[n.OrganisationID]
			if !ok {
				o, _, err := findOrganisation(ctx, tx, n.OrganisationID, false, tx.db.dialect.forShare)
				switch {
				case liaison.ErrorCode(err) == liaison.ENOTFOUND:
				case err != nil:
					return err
				case o.IsAccount():
					name = o.Name
				}
				accounts[n.OrganisationID] = name
			}
			if name == "" {
				v.Add(row+"organisation_id", liaison.CodeUnknown, "ticket.error_not_account", "names no account")
			}
			n.OrganisationName = name
			if n.ServiceID != nil {
				known, ok := services[*n.ServiceID]
				if !ok {
					err := tx.QueryRowContext(ctx, `SELECT TRUE FROM services WHERE id = $1`, *n.ServiceID).Scan(&known)
					if err != nil && !errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("upsert ticket ratings: %w", err)
					}
					services[*n.ServiceID] = known
				}
				if !known {
					unknownRef(&v, row+"service_id", "service")
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		orgs := map[string]bool{}
		for i := range ns {
			n := &ns[i]
			var id string
			var created time.Time
			err := tx.QueryRowContext(ctx, `SELECT id, created_at FROM ticket_ratings WHERE source = $1 AND external_id = $2`+tx.db.dialect.forUpdate,
				n.Source, n.ExternalID).Scan(&id, timeCol{&created})
			switch {
			case errors.Is(err, sql.ErrNoRows):
				n.ID, n.CreatedAt, n.UpdatedAt = newID(), tx.now, tx.now
				if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_ratings (id, source, external_id, organisation_id, service_id,
					person_email, score, scale, rating, comment, closed_on, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
					n.ID, n.Source, n.ExternalID, n.OrganisationID, nullPtr(n.ServiceID), n.PersonEmail, n.Score, n.Scale,
					n.Rating, n.Comment, n.ClosedOn, tx.t(tx.now)); err != nil {
					return fmt.Errorf("create ticket rating: %w", constraintError(err, "the ticket rating was imported meanwhile; import again"))
				}
				res.Created++
			case err != nil:
				return fmt.Errorf("upsert ticket ratings: %w", err)
			default:
				n.ID, n.CreatedAt, n.UpdatedAt = id, created, tx.now
				if _, err := tx.ExecContext(ctx, `UPDATE ticket_ratings SET organisation_id = $2, service_id = $3, person_email = $4,
					score = $5, scale = $6, rating = $7, comment = $8, closed_on = $9, updated_at = $10 WHERE id = $1`,
					n.ID, n.OrganisationID, nullPtr(n.ServiceID), n.PersonEmail, n.Score, n.Scale, n.Rating, n.Comment, n.ClosedOn,
					tx.t(tx.now)); err != nil {
					return fmt.Errorf("update ticket rating: %w", err)
				}
				res.Updated++
			}
			orgs[n.OrganisationID] = true
		}
		if len(ns) == 0 {
			return nil
		}
		// One entry for the batch; it belongs to the account when the
		// batch is one account's, so that the account's timeline shows it.
		org := ""
		if len(orgs) == 1 {
			org = ns[0].OrganisationID
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectTicketImport, subjectID: newID(),
			organisationID: org, summary: fmt.Sprintf("%d ticket ratings from %s (%d new, %d updated)", len(ns), ns[0].Source, res.Created, res.Updated),
			after: res})
	})
	if err != nil {
		return liaison.TicketImportResult{}, err
	}
	for i := range ns {
		*rs[i] = ns[i]
	}
	return res, nil
}

// FindTicketRatings lists ticket ratings newest closed first.
func (db *DB) FindTicketRatings(ctx context.Context, f liaison.TicketRatingFilter) ([]*liaison.TicketRating, string, error) {
	s := sortOrder{key: "-closed_on", column: "closed_on", desc: true}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.OrganisationID != "" {
		q.and("t.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Source != "" {
		q.and("t.source = " + q.arg(f.Source))
	}
	tail := q.page("t", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+ticketColumns+ticketFrom+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find ticket ratings: %w", err)
	}
	rs, err := collectRows(rows, scanTicketRating)
	if err != nil {
		return nil, "", fmt.Errorf("find ticket ratings: %w", err)
	}
	rs, next := nextPage(rs, limit, s, func(r *liaison.TicketRating) (string, string) { return r.ClosedOn, r.ID })
	return rs, next, nil
}

// TicketMonthTotals tallies an account's ratings closed in [from, to] by month.
func (db *DB) TicketMonthTotals(ctx context.Context, accountID string, from, to time.Time) ([]liaison.TicketMonthTotal, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT substr(closed_on, 1, 7) AS month, COUNT(*), SUM(rating),
		SUM(CASE WHEN rating >= 4 THEN 1 ELSE 0 END)
		FROM ticket_ratings WHERE organisation_id = $1 AND closed_on >= $2 AND closed_on <= $3
		GROUP BY substr(closed_on, 1, 7) ORDER BY month`, accountID, liaison.FormatDate(from), liaison.FormatDate(to))
	if err != nil {
		return nil, fmt.Errorf("ticket month totals: %w", err)
	}
	return collectRows(rows, func(sc scanner) (liaison.TicketMonthTotal, error) {
		var t liaison.TicketMonthTotal
		err := sc.Scan(&t.Month, &t.Count, &t.Sum, &t.Satisfied)
		return t, err
	})
}
