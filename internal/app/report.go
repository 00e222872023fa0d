package app

import (
	"context"
	"fmt"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// ReportRequest names a report pack: the period as inclusive YYYY-MM-DD
// dates (empty: the 12 months ending today) and the language ("" for en).
type ReportRequest struct {
	From, To string
	Language liaison.Language
}

// period validates the request and returns its half-open period. The
// language defaults to the caller's.
func (a *App) period(ctx context.Context, r *ReportRequest) (from, to time.Time, err error) {
	if r.Language == "" {
		r.Language = liaison.English
		if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil && p.User.Language.Valid() {
			r.Language = p.User.Language
		}
	}
	return liaison.ReportPeriod(r.From, r.To, r.Language, a.Now())
}

// Report assembles an account's report pack. Every internal user may read
// it (SPEC §5: all internal roles read internal data); a unit that is not
// an account answers EINVALID.
//
// The pack is customer-facing: an external principal (a customer-scoped
// token) may read the pack of its own account, and no other.
func (a *App) Report(ctx context.Context, accountID string, r ReportRequest) (*report.Pack, error) {
	who, err := require(ctx, liaison.AccessCustomer)
	if err != nil {
		return nil, err
	}
	if !who.MaySeeAccount(accountID) {
		return nil, forbidden("This token may read only its own account.")
	}
	from, to, err := a.period(ctx, &r)
	if err != nil {
		return nil, err
	}
	d, err := a.Store.ReportData(ctx, accountID, from, to)
	if err != nil {
		return nil, err
	}
	if !d.Account.IsAccount() {
		return nil, &liaison.Error{Code: liaison.EINVALID, Message: "A report pack is made for an account: this unit is not one.",
			Key: "error.report_not_account"}
	}
	l := i18n.For(r.Language)
	p := report.Build(d, l, a.Now())
	if err := a.addSatisfaction(ctx, p, l); err != nil {
		return nil, err
	}
	if err := a.addProjects(ctx, p, l); err != nil {
		return nil, err
	}
	return p, nil
}

// ReportPDF assembles an account's report pack and writes it as PDF.
func (a *App) ReportPDF(ctx context.Context, accountID string, r ReportRequest) ([]byte, *report.Pack, error) {
	p, err := a.Report(ctx, accountID, r)
	if err != nil {
		return nil, nil, err
	}
	pdf, err := report.PDF(p, i18n.For(liaison.Language(p.Language)))
	if err != nil {
		return nil, nil, fmt.Errorf("report %s: %w", accountID, err)
	}
	return pdf, p, nil
}

// CanStoreReportCopy reports whether the principal may store a pack with
// a meeting of the account: the account's writers (canWriteUnit).
func (a *App) CanStoreReportCopy(ctx context.Context, accountID string) bool {
	return a.canWriteUnit(ctx, accountID) == nil
}

// StoreReportCopy generates the pack of the meeting's account and stores
// its PDF with the meeting ("the copy presented is stored with the
// meeting", SPEC C7). It needs write access to the account.
func (a *App) StoreReportCopy(ctx context.Context, meetingID string, r ReportRequest) (*liaison.ReportCopy, error) {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return nil, err
	}
	m, err := a.Store.FindReportMeeting(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteUnit(ctx, m.OrganisationID); err != nil {
		return nil, err
	}
	pdf, p, err := a.ReportPDF(ctx, m.OrganisationID, r)
	if err != nil {
		return nil, err
	}
	c := &liaison.ReportCopy{MeetingID: meetingID, From: p.From, To: p.To, Language: liaison.Language(p.Language), PDF: pdf}
	if err := a.Store.CreateReportCopy(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// ReportCopies lists the copies stored with a meeting, without their PDFs.
func (a *App) ReportCopies(ctx context.Context, meetingID string) ([]*liaison.ReportCopy, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if _, err := a.Store.FindReportMeeting(ctx, meetingID); err != nil {
		return nil, err
	}
	return a.Store.FindReportCopies(ctx, meetingID)
}

// ReportCopy returns one stored copy with its PDF.
func (a *App) ReportCopy(ctx context.Context, meetingID, id string) (*liaison.ReportCopy, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindReportCopy(ctx, meetingID, id)
}
