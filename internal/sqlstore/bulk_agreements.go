package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Agreements writes agreements, their covered services and each one's
// first revision (the agreement as given, by the BulkTx's actor: none
// unless an import names it). The accounts, signers and
// services must be stored or written before them.
func (b *BulkTx) Agreements(ctx context.Context, as []*liaison.Agreement) error {
	for i, a := range as {
		if err := requireID("agreement", i, a.ID); err != nil {
			return err
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			return fmt.Errorf("bulk: agreement %s: %w", a.ID, err)
		}
		b.stamp(&a.Version, &a.CreatedAt, &a.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "agreements", []string{"id", "organisation_id", "title", "type", "status", "signed_by_person_id",
		"signed_on", "start_date", "end_date", "notice_months", "renewal", "renewal_months", "review_interval_months",
		"next_review_date", "annual_amount", "currency", "cost_centre", "business_value", "value_measures", "notes",
		"external_id", "search_text", "version", "created_at", "updated_at", "deleted_at", "service_review_months"}, len(as), func(i int, row []any) {
		a := as[i]
		var amount any
		if a.AnnualAmount != nil {
			amount = *a.AnnualAmount
		}
		row[0], row[1], row[2], row[3], row[4] = a.ID, a.OrganisationID, a.Title, string(a.Type), string(a.Status)
		row[5], row[6], row[7], row[8] = nullPtr(a.SignedByPersonID), nullPtr(a.SignedOn), nullPtr(a.StartDate), nullPtr(a.EndDate)
		row[9], row[10], row[11], row[12], row[13] = a.NoticeMonths, string(a.Renewal), a.RenewalMonths, a.ReviewIntervalMonths, nullPtr(a.NextReviewDate)
		row[14], row[15], row[16], row[17], row[18] = amount, a.Currency, a.CostCentre, a.BusinessValue, measuresJSON(a)
		row[19], row[20], row[21], row[22] = a.Notes, a.ExternalID, agreementSearchText(a), a.Version
		row[23], row[24], row[25] = t(a.CreatedAt), t(a.UpdatedAt), b.nullTime(a.DeletedAt)
		row[26] = a.ServiceReviewMonths
		if a.ServiceReviewMonths == 0 {
			row[26] = liaison.DefaultServiceReviewMonths
		}
	})
	if err != nil {
		return err
	}
	return b.agreementChildren(ctx, as)
}

// agreementChildren writes the covered services of agreements (whose
// old ones are gone) and a revision of each as it is now.
func (b *BulkTx) agreementChildren(ctx context.Context, as []*liaison.Agreement) error {
	snaps := make([]string, len(as))
	var covers [][2]any
	var levels []string
	var positions []int
	for i, a := range as {
		s, err := json.Marshal(a)
		if err != nil {
			return err
		}
		snaps[i] = string(s)
		for j, c := range a.Services {
			covers = append(covers, [2]any{a.ID, c.ServiceID})
			levels = append(levels, c.Level)
			positions = append(positions, j)
		}
	}
	if err := b.insert(ctx, "agreement_services", []string{"agreement_id", "service_id", "level", "position"}, len(covers),
		func(i int, row []any) {
			row[0], row[1], row[2], row[3] = covers[i][0], covers[i][1], levels[i], positions[i]
		}); err != nil {
		return err
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "agreement_revisions", []string{"agreement_id", "version", "at", "actor_id", "actor_name", "snapshot"},
		len(as), func(i int, row []any) {
			a := as[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = a.ID, a.Version, t(a.UpdatedAt), b.actorID, b.actorName, snaps[i]
		})
}

// SLAResults writes SLA results; their agreements and services must be
// stored or written before them. Normalize derives Breached.
func (b *BulkTx) SLAResults(ctx context.Context, rs []*liaison.SLAResult) error {
	for i, r := range rs {
		if err := requireID("SLA result", i, r.ID); err != nil {
			return err
		}
		r.Normalize()
		b.stamp(&r.Version, &r.CreatedAt, &r.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "sla_results", []string{"id", "agreement_id", "service_id", "period", "metric", "higher_is_better",
		"target", "actual", "unit", "note", "source", "breached", "version", "created_at", "updated_at", "supplier_id"}, len(rs),
		func(i int, row []any) {
			r := rs[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = r.ID, r.AgreementID, r.ServiceID, r.Period, string(r.Metric), r.HigherIsBetter
			row[6], row[7], row[8], row[9], row[10], row[11] = r.Target, r.Actual, r.Unit, r.Note, r.Source, r.Breached
			row[12], row[13], row[14], row[15] = r.Version, t(r.CreatedAt), t(r.UpdatedAt), nullPtr(r.SupplierID)
		})
}
