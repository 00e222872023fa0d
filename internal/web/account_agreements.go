package web

import (
	"net/http"
	"sort"

	"github.com/liaisonhq/liaison"
)

// An account's agreements tab: its agreements with status, the end of the
// term in force and the next review, and a link to draft one.

// unitAgreementsPage is the unit page with its agreements tab.
type unitAgreementsPage struct {
	*unitPage
	Agreements []agreementRow
	CanCreate  bool
}

func (h *Handler) showUnitAgreements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitAgreementsPage{unitPage: &unitPage{Page: p, V: v, Tab: "agreements", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanCreate: v.Unit.BudgetHolder && h.app.CanWriteAgreements(ctx, id)}
	units := map[string]string{id: v.Unit.Name}
	today := liaison.DateOf(h.now())
	f := liaison.AgreementFilter{OrganisationID: id, Limit: 500}
	if exportFormat(r) != "" {
		exportList(h, w, r, "agreements", "nav.agreements", agreementColumns(p.L, units), func(cursor string, limit int) ([]*liaison.Agreement, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Agreements(ctx, f)
		})
		return
	}
	for {
		list, next, err := h.app.Agreements(ctx, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, a := range list {
			data.Agreements = append(data.Agreements, h.agreementRow(ctx, a, units, today))
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	// Those in force first, then in negotiation and draft, then the ended
	// ones; within each, the nearest end first.
	rank := map[liaison.AgreementStatus]int{liaison.StatusActive: 0, liaison.StatusNegotiation: 1, liaison.StatusDraft: 2}
	order := func(s liaison.AgreementStatus) int {
		if n, ok := rank[s]; ok {
			return n
		}
		return 3
	}
	sort.SliceStable(data.Agreements, func(i, j int) bool {
		a, b := data.Agreements[i], data.Agreements[j]
		if oa, ob := order(a.A.Status), order(b.A.Status); oa != ob {
			return oa < ob
		}
		if (a.End == "") != (b.End == "") {
			return a.End != ""
		}
		return a.End < b.End
	})
	h.render(w, r, http.StatusOK, "unit", data)
}
