package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillAgreements gives the agreement tables rows for the backup round trip:
// floats, JSON, a binary attachment with NUL and high bytes.
func fillAgreements(t *testing.T, db *sqlstore.DB, actx context.Context) {
	t.Helper()
	accts, _, err := db.FindOrganisations(actx, liaison.OrganisationFilter{BudgetHolder: liaison.Ptr(true), Limit: 1})
	ok(t, err)
	if len(accts) == 0 {
		t.Fatal("fill has no account")
	}
	acct := accts[0]
	svcs, _, err := db.FindServices(actx, liaison.ServiceFilter{Q: "E-post"})
	ok(t, err)
	if len(svcs) == 0 {
		t.Fatal("fill has no service")
	}
	svc := svcs[0]
	p := &liaison.Person{Name: "Signe Signer", OrganisationID: acct.ID}
	ok(t, db.CreatePerson(actx, p))
	a := &liaison.Agreement{OrganisationID: acct.ID, Title: "Avtal «backup»", Type: liaison.AgreementFinancial,
		SignedByPersonID: &p.ID, AnnualAmount: liaison.Ptr(1234.56), Currency: "EUR", StartDate: liaison.Ptr("2026-01-01"),
		EndDate: liaison.Ptr("2026-12-31"), Renewal: liaison.RenewalTacit, NoticeMonths: 3,
		ValueMeasures: []liaison.ValueMeasure{{Name: "Uptime", Target: "99,9 %"}},
		Services:      []liaison.ServiceCover{{ServiceID: svc.ID, Level: "Gold"}}}
	ok(t, db.CreateAgreement(actx, a))
	ok(t, db.CreateAttachment(actx, &liaison.Attachment{AgreementID: a.ID, Name: "a.pdf", ContentType: "application/pdf",
		Data: []byte("%PDF-\x00\xff\xfe")}))
	ok(t, db.CreateSLAResult(actx, &liaison.SLAResult{AgreementID: a.ID, ServiceID: svc.ID, Period: "2026-05",
		Metric: liaison.MetricAvailability, Target: 99.95, Actual: 99.123456789}))
}
