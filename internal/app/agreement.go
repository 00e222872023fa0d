package app

import (
	"context"
	"fmt"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/csvio"
)

// Agreements are account data (SPEC §4): read by every internal user,
// written by the account's relationship manager and deputy, head and admin.

// Agreement returns an agreement.
func (a *App) Agreement(ctx context.Context, id string) (*liaison.Agreement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindAgreementByID(ctx, id)
}

// Agreements lists agreements; the trash needs curate rights.
func (a *App) Agreements(ctx context.Context, f liaison.AgreementFilter) ([]*liaison.Agreement, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindAgreements(ctx, f)
}

// CanWriteAgreements reports whether the principal may change the
// agreements of the account: for showing or hiding actions.
func (a *App) CanWriteAgreements(ctx context.Context, accountID string) bool {
	return a.canWriteUnit(ctx, accountID) == nil
}

// activationDefaults fills what activation implies when it was left out:
// the signing date (today) and the first review (one interval after the
// start).
func (a *App) activationDefaults(ag *liaison.Agreement, from liaison.AgreementStatus) {
	if ag.Status != liaison.StatusActive || from == liaison.StatusActive {
		return
	}
	today := liaison.DateOf(a.Now())
	if ag.SignedOn == nil || *ag.SignedOn == "" {
		ag.SignedOn = liaison.Ptr(liaison.FormatDate(today))
	}
	if ag.NextReviewDate == nil || *ag.NextReviewDate == "" {
		base := today
		if ag.StartDate != nil {
			if d, err := liaison.ParseDate(*ag.StartDate); err == nil {
				base = d
			}
		}
		next := liaison.NextReview(base, ag.ReviewIntervalMonths)
		for next.Before(today) {
			next = liaison.NextReview(next, ag.ReviewIntervalMonths)
		}
		ag.NextReviewDate = liaison.Ptr(liaison.FormatDate(next))
	}
}

// CreateAgreement records an agreement with an account.
func (a *App) CreateAgreement(ctx context.Context, ag *liaison.Agreement) error {
	ag.Normalize()
	if err := ag.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, ag.OrganisationID); err != nil {
		return err
	}
	a.activationDefaults(ag, "")
	return a.Store.CreateAgreement(ctx, ag)
}

// UpdateAgreement saves ag, the agreement's full new state, its status
// included (the store checks the lifecycle and the signing rule). Moving
// it to another account needs the right to write both.
func (a *App) UpdateAgreement(ctx context.Context, ag *liaison.Agreement, ifVersion int) error {
	cur, err := a.Store.FindAgreementByID(ctx, ag.ID)
	if err != nil {
		return err
	}
	ag.Normalize()
	if err := ag.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	if ag.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, ag.OrganisationID); err != nil {
			return err
		}
	}
	if err := liaison.CheckTransition(cur.Status, ag.Status); err != nil {
		return err
	}
	a.activationDefaults(ag, cur.Status)
	return a.Store.UpdateAgreement(ctx, ag, ifVersion)
}

// SetAgreementStatus moves an agreement through its lifecycle.
func (a *App) SetAgreementStatus(ctx context.Context, id string, status liaison.AgreementStatus, ifVersion int) (*liaison.Agreement, error) {
	cur, err := a.Store.FindAgreementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	cur.Status = status
	if err := a.UpdateAgreement(ctx, cur, ifVersion); err != nil {
		return nil, err
	}
	return cur, nil
}

// DeleteAgreement moves an agreement to the trash.
func (a *App) DeleteAgreement(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindAgreementByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteAgreement(ctx, id, ifVersion)
}

// RestoreAgreement brings an agreement back from the trash.
func (a *App) RestoreAgreement(ctx context.Context, id string) (*liaison.Agreement, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreAgreement(ctx, id)
}

// AgreementRevisions lists an agreement's versions with their changes.
func (a *App) AgreementRevisions(ctx context.Context, id string) ([]*liaison.AgreementRevision, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindAgreementRevisions(ctx, id)
}

// AgreementRevision returns one version of an agreement.
func (a *App) AgreementRevision(ctx context.Context, id string, version int) (*liaison.AgreementRevision, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindAgreementRevision(ctx, id, version)
}

// AgreementDiff compares two versions of an agreement.
func (a *App) AgreementDiff(ctx context.Context, id string, from, to int) ([]liaison.Change, error) {
	x, err := a.AgreementRevision(ctx, id, from)
	if err != nil {
		return nil, err
	}
	y, err := a.AgreementRevision(ctx, id, to)
	if err != nil {
		return nil, err
	}
	return liaison.Diff(x.Agreement, y.Agreement)
}

// AgreementCustomer returns the account's customer (who must sign), nil when none is named.
func (a *App) AgreementCustomer(ctx context.Context, accountID string) (*liaison.Person, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	d, err := a.Store.WhoDecides(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return d.Customer, nil
}

// AgreementServiceChoices lists the services an agreement may cover, by name.
func (a *App) AgreementServiceChoices(ctx context.Context) ([]*liaison.Service, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	var all []*liaison.Service
	cursor := ""
	for {
		page, next, err := a.Store.FindServices(ctx, liaison.ServiceFilter{Limit: 500, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" || len(all) >= 2000 {
			return all, nil
		}
		cursor = next
	}
}

// Attachments

func (a *App) canWriteAgreement(ctx context.Context, agreementID string) (*liaison.Agreement, error) {
	ag, err := a.Store.FindAgreementByID(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteUnit(ctx, ag.OrganisationID); err != nil {
		return nil, err
	}
	return ag, nil
}

// AddAttachment stores a file with an agreement.
func (a *App) AddAttachment(ctx context.Context, at *liaison.Attachment) error {
	if _, err := a.canWriteAgreement(ctx, at.AgreementID); err != nil {
		return err
	}
	at.Normalize()
	if err := at.Validate(); err != nil {
		return err
	}
	return a.Store.CreateAttachment(ctx, at)
}

// Attachments lists an agreement's files.
func (a *App) Attachments(ctx context.Context, agreementID string) ([]*liaison.Attachment, error) {
	if _, err := a.Agreement(ctx, agreementID); err != nil {
		return nil, err
	}
	return a.Store.FindAttachments(ctx, agreementID)
}

// Attachment returns a file with its data.
func (a *App) Attachment(ctx context.Context, agreementID, id string) (*liaison.Attachment, error) {
	if _, err := a.Agreement(ctx, agreementID); err != nil {
		return nil, err
	}
	return a.Store.FindAttachment(ctx, agreementID, id)
}

// DeleteAttachment removes a file.
func (a *App) DeleteAttachment(ctx context.Context, agreementID, id string) error {
	if _, err := a.canWriteAgreement(ctx, agreementID); err != nil {
		return err
	}
	return a.Store.DeleteAttachment(ctx, agreementID, id)
}

// SLA results

// SLAResults lists SLA results.
func (a *App) SLAResults(ctx context.Context, f liaison.SLAResultFilter) ([]*liaison.SLAResult, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindSLAResults(ctx, f)
}

// SLAResult returns one SLA result.
func (a *App) SLAResult(ctx context.Context, id string) (*liaison.SLAResult, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSLAResultByID(ctx, id)
}

// CreateSLAResult records a service's performance in a period.
func (a *App) CreateSLAResult(ctx context.Context, r *liaison.SLAResult) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := a.canWriteAgreement(ctx, r.AgreementID); err != nil {
		return err
	}
	return a.Store.CreateSLAResult(ctx, r)
}

// UpdateSLAResult saves r, the result's full new state.
func (a *App) UpdateSLAResult(ctx context.Context, r *liaison.SLAResult, ifVersion int) error {
	cur, err := a.Store.FindSLAResultByID(ctx, r.ID)
	if err != nil {
		return err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := a.canWriteAgreement(ctx, cur.AgreementID); err != nil {
		return err
	}
	if r.AgreementID != cur.AgreementID {
		if _, err := a.canWriteAgreement(ctx, r.AgreementID); err != nil {
			return err
		}
	}
	return a.Store.UpdateSLAResult(ctx, r, ifVersion)
}

// DeleteSLAResult removes an SLA result.
func (a *App) DeleteSLAResult(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindSLAResultByID(ctx, id)
	if err != nil {
		return err
	}
	if _, err := a.canWriteAgreement(ctx, cur.AgreementID); err != nil {
		return err
	}
	return a.Store.DeleteSLAResult(ctx, id, ifVersion)
}

// ImportRejection is a rejected row of an import: its line and why.
type ImportRejection struct {
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// ImportReport says what an import did (or, in a dry run, would do).
type ImportReport struct {
	Rows     int               `json:"rows"`
	Imported int               `json:"imported"`
	DryRun   bool              `json:"dry_run"`
	Rejected []ImportRejection `json:"rejected"`
}

// SLAColumns are the columns an SLA results file may have.
const SLAColumns = "agreement_id (or agreement_external_id; optional when importing into one agreement), service_id or service (its name), period (YYYY-MM), metric, target, actual, unit, note, and optionally supplier_id or supplier (its name) to attribute the result to a supplier"

// ImportSLAResults reads SLA results from a CSV file (comma or semicolon,
// UTF-8 with or without BOM, or Windows-1252). agreementID, when not "",
// is the agreement of rows that name none. A file with any rejected row
// imports nothing; the report lists each rejected row.
func (a *App) ImportSLAResults(ctx context.Context, data []byte, agreementID string, dryRun bool) (*ImportReport, error) {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return nil, err
	}
	tb, err := decodeCSV(data)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Rows: len(tb.Rows), DryRun: dryRun, Rejected: []ImportRejection{}}
	for _, col := range []string{"period", "metric", "target", "actual"} {
		if !tb.Has(col) {
			rep.Rejected = append(rep.Rejected, ImportRejection{Line: 1, Field: col, Reason: "the header lacks the column " + col + "; columns: " + SLAColumns})
		}
	}
	if len(rep.Rejected) > 0 {
		return rep, nil
	}
	agreements := map[string]*liaison.Agreement{}
	serviceNames := map[string]string{}
	findAgreement := func(id, ext string) (*liaison.Agreement, string) {
		key := id + "\x00" + ext
		if ag, ok := agreements[key]; ok {
			return ag, ""
		}
		var ag *liaison.Agreement
		switch {
		case id != "":
			found, err := a.Store.FindAgreementByID(ctx, id)
			if err != nil {
				return nil, "agreement_id names no agreement"
			}
			ag = found
		case ext != "":
			found, _, err := a.Store.FindAgreements(ctx, liaison.AgreementFilter{ExternalID: ext, Limit: 1})
			if err != nil || len(found) == 0 {
				return nil, "agreement_external_id names no agreement"
			}
			ag = found[0]
		default:
			return nil, "names no agreement: give agreement_id or agreement_external_id"
		}
		if err := a.canWriteUnit(ctx, ag.OrganisationID); err != nil {
			return nil, "you may not change the agreements of this account"
		}
		agreements[key] = ag
		return ag, ""
	}
	serviceName := func(id string) string {
		if n, ok := serviceNames[id]; ok {
			return n
		}
		n := ""
		if s, err := a.Store.FindServiceByID(ctx, id); err == nil {
			n = s.Name
		}
		serviceNames[id] = n
		return n
	}
	supplierIDs := map[string]string{}
	supplierByName := func(name string) string {
		key := strings.ToLower(name)
		if id, ok := supplierIDs[key]; ok {
			return id
		}
		id := ""
		if found, _, err := a.Store.FindSuppliers(ctx, liaison.SupplierFilter{Q: name, Limit: 500}); err == nil {
			for _, s := range found {
				if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
					id = s.ID
				}
			}
		}
		supplierIDs[key] = id
		return id
	}
	var results []*liaison.SLAResult
	var lines []int
	for _, row := range tb.Rows {
		reject := func(field, reason string) {
			rep.Rejected = append(rep.Rejected, ImportRejection{Line: row.Line, Field: field, Reason: reason})
		}
		id, ext := tb.Get(row, "agreement_id"), tb.Get(row, "agreement_external_id")
		if id == "" && ext == "" {
			id = agreementID
		}
		ag, why := findAgreement(id, ext)
		if ag == nil {
			reject("agreement_id", why)
			continue
		}
		r := &liaison.SLAResult{AgreementID: ag.ID, ServiceID: tb.Get(row, "service_id"), Period: tb.Get(row, "period"),
			Metric: liaison.SLAMetric(strings.ToLower(tb.Get(row, "metric"))), Unit: tb.Get(row, "unit"), Note: tb.Get(row, "note"),
			Source: "csv"}
		if r.ServiceID == "" {
			name := tb.Get(row, "service")
			for _, c := range ag.Services {
				if name != "" && strings.EqualFold(serviceName(c.ServiceID), name) {
					r.ServiceID = c.ServiceID
				}
			}
			if r.ServiceID == "" {
				reject("service", fmt.Sprintf("%q is not a service %s covers", name, ag.Title))
				continue
			}
		}
		if id := tb.Get(row, "supplier_id"); id != "" {
			r.SupplierID = &id
		} else if name := tb.Get(row, "supplier"); name != "" {
			id := supplierByName(name)
			if id == "" {
				reject("supplier", fmt.Sprintf("%q names no supplier", name))
				continue
			}
			r.SupplierID = &id
		}
		ok := true
		for _, f := range []struct {
			name string
			dst  *float64
		}{{"target", &r.Target}, {"actual", &r.Actual}} {
			x, err := csvio.ParseNumber(tb.Get(row, f.name))
			if err != nil {
				reject(f.name, f.name+" "+err.Error())
				ok = false
			}
			*f.dst = x
		}
		if r.Metric == liaison.MetricOther {
			hb := strings.ToLower(tb.Get(row, "higher_is_better"))
			r.HigherIsBetter = hb == "true" || hb == "1" || hb == "yes"
		}
		r.Normalize()
		if err := r.Validate(); err != nil {
			for _, fe := range fieldErrors(err) {
				reject(fe.Field, fe.Field+" "+fe.Message)
			}
			ok = false
		}
		if ok {
			results = append(results, r)
			lines = append(lines, row.Line)
		}
	}
	if len(rep.Rejected) > 0 || dryRun {
		if len(rep.Rejected) == 0 {
			rep.Imported = len(results)
		}
		return rep, nil
	}
	if err := a.Store.ImportSLAResults(ctx, results); err != nil {
		// Rows the store refused (a service the agreement does not cover): name their lines.
		if rejectLines(rep, lines, err) {
			return rep, nil
		}
		return nil, err
	}
	rep.Imported = len(results)
	return rep, nil
}

// decodeCSV reads an import file (csvio.Decode); a file that cannot be
// read is a validation failure of the field "file".
func decodeCSV(data []byte) (*csvio.Table, error) {
	tb, err := csvio.Decode(data)
	if err != nil {
		return nil, &liaison.Error{Code: liaison.EINVALID, Message: "Validation failed.", Key: "error.validation",
			Fields: []liaison.FieldError{{Field: "file", Code: liaison.CodeInvalid, Key: "error.csv_unreadable", Args: []any{err.Error()},
				Message: "cannot be read as CSV: " + err.Error()}}}
	}
	return tb, nil
}

func fieldErrors(err error) []liaison.FieldError {
	if e, ok := err.(*liaison.Error); ok {
		return e.Fields
	}
	return nil
}

// KPIs answers the key figures (SPEC §4 kpis): for now the agreement KPI.
func (a *App) KPIs(ctx context.Context) (liaison.AgreementKPIs, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return liaison.AgreementKPIs{}, err
	}
	return a.Store.AgreementKPIs(ctx)
}
