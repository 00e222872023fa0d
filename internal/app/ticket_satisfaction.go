package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/csvio"
)

// Ticket satisfaction (SPEC C8): ratings of closed service desk tickets,
// imported by the head of service management or an administrator (or an
// integration token of theirs with write scope) and read by every
// internal role beside the relationship-level surveys.

// TicketColumns are the columns a ticket satisfaction file may have.
const TicketColumns = "ticket_id (or external_ticket_id), account_external_id or account_id (or organisation_id), score (or rating), " +
	"closed_on (or closed, answered_on, date: YYYY-MM-DD or an RFC 3339 time), and optionally source, scale (1-5, 0-10 or percent), " +
	"service_id or service_external_id, email (or person_email), comment"

// TicketItemError is a rejected item of an API batch: its position
// (1-based) and why.
type TicketItemError struct {
	Item   int    `json:"item"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// TicketBatchReport says what an API batch did. A batch with any rejected
// item stores nothing.
type TicketBatchReport struct {
	Items    int               `json:"items"`
	Created  int               `json:"created"`
	Updated  int               `json:"updated"`
	Rejected []TicketItemError `json:"rejected"`
}

// ticketResolver turns the external ids an import names into ours,
// looking each up once per import.
type ticketResolver struct {
	a        *App
	accounts map[string]string // external id → id; "" for none
	services map[string]string
}

func (a *App) newTicketResolver() *ticketResolver {
	return &ticketResolver{a: a, accounts: map[string]string{}, services: map[string]string{}}
}

// resolve fills r.OrganisationID from r.AccountExternalID and returns the
// field and reason when it names nothing.
func (tr *ticketResolver) resolve(ctx context.Context, r *liaison.TicketRating, serviceExt string) (string, string, error) {
	if r.OrganisationID == "" && r.AccountExternalID != "" {
		id, ok := tr.accounts[r.AccountExternalID]
		if !ok {
			yes := true
			found, _, err := tr.a.Store.FindOrganisations(ctx, liaison.OrganisationFilter{ExternalID: r.AccountExternalID, BudgetHolder: &yes, Limit: 1})
			if err != nil {
				return "", "", err
			}
			if len(found) > 0 {
				id = found[0].ID
			}
			tr.accounts[r.AccountExternalID] = id
		}
		if id == "" {
			return "account_external_id", fmt.Sprintf("account_external_id %q names no account", r.AccountExternalID), nil
		}
		r.OrganisationID = id
	}
	if r.ServiceID == nil && serviceExt != "" {
		id, ok := tr.services[serviceExt]
		if !ok {
			found, _, err := tr.a.Store.FindServices(ctx, liaison.ServiceFilter{ExternalID: serviceExt, Limit: 1})
			if err != nil {
				return "", "", err
			}
			if len(found) > 0 {
				id = found[0].ID
			}
			tr.services[serviceExt] = id
		}
		if id == "" {
			return "service_external_id", fmt.Sprintf("service_external_id %q names no service", serviceExt), nil
		}
		r.ServiceID = &id
	}
	return "", "", nil
}

// storeRowErrors splits the store's "row N: field" errors into the row
// number and the field; ok is false for an error that is not a validation.
func storeRowErrors(err error, each func(row int, field, message string)) bool {
	fes := fieldErrors(err)
	if len(fes) == 0 {
		return false
	}
	for _, fe := range fes {
		var n int
		field := fe.Field
		if _, err := fmt.Sscanf(fe.Field, "row %d: ", &n); err == nil {
			field = strings.TrimPrefix(fe.Field, fmt.Sprintf("row %d: ", n))
		}
		each(n, field, field+" "+fe.Message)
	}
	return true
}

// rejectLines adds the rows a store refused ("row N: field" errors; N
// counts the rows passed, whose file lines are lines) to rep; false for an
// error that is not a validation.
func rejectLines(rep *ImportReport, lines []int, err error) bool {
	return storeRowErrors(err, func(n int, field, msg string) {
		if n >= 1 && n <= len(lines) {
			rep.Rejected = append(rep.Rejected, ImportRejection{Line: lines[n-1], Field: field, Reason: msg})
		} else {
			rep.Rejected = append(rep.Rejected, ImportRejection{Field: field, Reason: msg})
		}
	})
}

// ImportTicketRatings stores a batch of ratings from the service desk
// tool (the API). Each item names its account by organisation_id or
// account_external_id. A batch with any rejected item stores nothing and
// the report names each; re-sending a batch updates, never duplicates.
func (a *App) ImportTicketRatings(ctx context.Context, rs []*liaison.TicketRating) (*TicketBatchReport, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	rep := &TicketBatchReport{Items: len(rs), Rejected: []TicketItemError{}}
	if len(rs) == 0 || len(rs) > liaison.MaxTicketBatch {
		var v liaison.Validation
		v.Add("items", liaison.CodeInvalid, "ticket.error_batch_size", "must hold 1 to %d ratings", liaison.MaxTicketBatch)
		return nil, v.Err()
	}
	tr := a.newTicketResolver()
	for i, r := range rs {
		r.Normalize()
		if err := r.Validate(); err != nil {
			for _, fe := range fieldErrors(err) {
				rep.Rejected = append(rep.Rejected, TicketItemError{Item: i + 1, Field: fe.Field, Reason: fe.Field + " " + fe.Message})
			}
			continue
		}
		field, why, err := tr.resolve(ctx, r, "")
		if err != nil {
			return nil, err
		}
		if why != "" {
			rep.Rejected = append(rep.Rejected, TicketItemError{Item: i + 1, Field: field, Reason: why})
		}
	}
	if len(rep.Rejected) > 0 {
		return rep, nil
	}
	res, err := a.Store.UpsertTicketRatings(ctx, rs)
	if err != nil {
		if storeRowErrors(err, func(row int, field, msg string) {
			rep.Rejected = append(rep.Rejected, TicketItemError{Item: row, Field: field, Reason: msg})
		}) {
			return rep, nil
		}
		return nil, err
	}
	rep.Created, rep.Updated = res.Created, res.Updated
	return rep, nil
}

// ImportTicketRatingsCSV reads ratings from a CSV export of the service
// desk tool (comma or semicolon, UTF-8 with or without BOM, or
// Windows-1252; columns TicketColumns). source and scale apply to rows
// that name none. A file with any rejected row imports nothing; the report
// lists each rejected row with its line. dryRun checks without importing.
func (a *App) ImportTicketRatingsCSV(ctx context.Context, data []byte, source string, scale liaison.TicketScale, dryRun bool) (*ImportReport, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	tb, err := decodeCSV(data)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Rows: len(tb.Rows), DryRun: dryRun, Rejected: []ImportRejection{}}
	// col returns the first of the names the header has ("" for none).
	col := func(names ...string) string {
		for _, n := range names {
			if tb.Has(n) {
				return n
			}
		}
		return ""
	}
	cTicket, cScore, cDate := col("ticket_id", "external_ticket_id", "ticket"), col("score", "rating"), col("closed_on", "closed", "answered_on", "date")
	cAccount, cAccountExt := col("account_id", "organisation_id"), col("account_external_id")
	for _, c := range []struct{ got, want string }{{cTicket, "ticket_id"}, {cScore, "score"}, {cDate, "closed_on"}} {
		if c.got == "" {
			rep.Rejected = append(rep.Rejected, ImportRejection{Line: 1, Field: c.want, Reason: "the header lacks the column " + c.want + "; columns: " + TicketColumns})
		}
	}
	if cAccount == "" && cAccountExt == "" {
		rep.Rejected = append(rep.Rejected, ImportRejection{Line: 1, Field: "account_external_id", Reason: "the header names no account column; columns: " + TicketColumns})
	}
	if len(rep.Rejected) > 0 {
		return rep, nil
	}
	get := func(row csvio.Row, name string) string {
		if name == "" {
			return ""
		}
		return tb.Get(row, name)
	}
	tr := a.newTicketResolver()
	var rs []*liaison.TicketRating
	var lines []int
	for _, row := range tb.Rows {
		reject := func(field, reason string) {
			rep.Rejected = append(rep.Rejected, ImportRejection{Line: row.Line, Field: field, Reason: reason})
		}
		r := &liaison.TicketRating{Source: get(row, col("source")), ExternalID: get(row, cTicket),
			OrganisationID: get(row, cAccount), AccountExternalID: get(row, cAccountExt),
			Scale: liaison.TicketScale(strings.ToLower(get(row, col("scale")))), PersonEmail: get(row, col("email", "person_email")),
			Comment: get(row, col("comment")), ClosedOn: csvDate(get(row, cDate))}
		if r.Source == "" {
			r.Source = source
		}
		if r.Scale == "" {
			r.Scale = scale
		}
		if id := get(row, col("service_id")); id != "" {
			r.ServiceID = &id
		}
		score, err := csvio.ParseNumber(get(row, cScore))
		if err != nil {
			reject("score", "score "+err.Error())
			continue
		}
		r.Score = score
		r.Normalize()
		if err := r.Validate(); err != nil {
			for _, fe := range fieldErrors(err) {
				reject(fe.Field, fe.Field+" "+fe.Message)
			}
			continue
		}
		field, why, err := tr.resolve(ctx, r, get(row, col("service_external_id")))
		if err != nil {
			return nil, err
		}
		if why != "" {
			reject(field, why)
			continue
		}
		rs = append(rs, r)
		lines = append(lines, row.Line)
	}
	if len(rep.Rejected) > 0 || dryRun {
		if len(rep.Rejected) == 0 {
			rep.Imported = len(rs)
		}
		return rep, nil
	}
	if len(rs) == 0 {
		return rep, nil
	}
	res, err := a.Store.UpsertTicketRatings(ctx, rs)
	if err != nil {
		if rejectLines(rep, lines, err) {
			return rep, nil
		}
		return nil, err
	}
	rep.Imported = res.Created + res.Updated
	return rep, nil
}

// csvDate reads a date as service desk exports write it: YYYY-MM-DD, or a
// time (RFC 3339 or "YYYY-MM-DD HH:MM[:SS]"), whose day counts.
func csvDate(s string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return liaison.FormatDate(t)
		}
	}
	return s
}

// TicketRatings lists ticket ratings, newest first.
func (a *App) TicketRatings(ctx context.Context, f liaison.TicketRatingFilter) ([]*liaison.TicketRating, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindTicketRatings(ctx, f)
}

// TicketSummary is the ticket satisfaction of the account at or above the
// unit over the last twelve months.
func (a *App) TicketSummary(ctx context.Context, unitID string) (liaison.TicketSummary, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return liaison.TicketSummary{}, err
	}
	acc, err := a.accountOf(ctx, unitID)
	if err != nil {
		return liaison.TicketSummary{}, err
	}
	if acc == nil {
		return liaison.TicketSummary{}, &liaison.Error{Code: liaison.ENOTFOUND, Message: "The unit belongs to no account.", Key: "ticket.error_no_account"}
	}
	now := a.Now()
	from, to := liaison.TicketSummaryWindow(now)
	totals, err := a.Store.TicketMonthTotals(ctx, acc.ID, from, to)
	if err != nil {
		return liaison.TicketSummary{}, err
	}
	return liaison.SummariseTickets(acc.ID, totals, now), nil
}
