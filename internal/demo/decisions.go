package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// decisionSpec is a customer's decision on a customer-specific service,
// prepared with an orderer below the account when there is one (seed 000).
type decisionSpec struct {
	account, service string
	kind             liaison.DecisionKind
	summary, notes   string
	monthsAgo        int
}

var decisions = []decisionSpec{
	{"energy", "erp", liaison.DecisionNewService, "ERP-drift hos IT från årsskiftet (Gold)",
		"Beredd med ekonomichefen; beslutad av kunden på budgetmötet.", 14},
	{"energy", "erp", liaison.DecisionChange, "Ny testmiljö för uppgraderingen", "", 3},
	{"hospital", "ehr", liaison.DecisionChange, "Journalsystemet får integration mot labbsystemet", "Beredd med vårdenhetschefen.", 5},
	{"admin", "erp", liaison.DecisionNewService, "Ekonomi- och HR-modulerna i drift hos IT (Silver)", "", 9},
}

// createDecisions records the demo's decisions, each decided by the
// account's customer.
func (l *loader) createDecisions(ctx context.Context) error {
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	byKey := map[string]*liaison.Service{}
	for _, spec := range services {
		for _, s := range svcs {
			if s.Name == spec.name {
				byKey[spec.key] = s
			}
		}
	}
	today := l.today
	for _, spec := range decisions {
		acct, svc := l.units[spec.account], byKey[spec.service]
		if acct == nil || svc == nil {
			return fmt.Errorf("decision %q: unknown account or service", spec.summary)
		}
		customer, err := l.signer(ctx, acct, "customer")
		if err != nil {
			return err
		}
		d := &liaison.ServiceDecision{OrganisationID: acct.ID, ServiceID: svc.ID, Kind: spec.kind, Summary: spec.summary,
			Notes: spec.notes, DecidedByPersonID: customer, DecidedOn: liaison.FormatDate(today.AddDate(0, -spec.monthsAgo, 0))}
		d.PreparedWithID = l.ordererBelow(ctx, acct)
		if subs, _, err := l.a.Subscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: acct.ID, ServiceID: svc.ID, Limit: 1}); err == nil && len(subs) > 0 {
			d.SubscriptionID = &subs[0].ID
		}
		if err := l.a.CreateDecision(ctx, d); err != nil {
			return fmt.Errorf("decision %q: %w", spec.summary, err)
		}
		l.res.Decisions++
	}
	return nil
}

// ordererBelow returns an orderer of a unit right below the account, nil when none.
func (l *loader) ordererBelow(ctx context.Context, acct *liaison.Organisation) *string {
	children, _, err := l.a.Organisations(ctx, liaison.OrganisationFilter{ParentID: &acct.ID, Limit: 100})
	if err != nil {
		return nil
	}
	for _, c := range children {
		roles, _, err := l.a.Roles(ctx, liaison.RoleFilter{OrganisationID: c.ID, Role: liaison.RoleOrderer, Limit: 1})
		if err == nil && len(roles) > 0 {
			return &roles[0].PersonID
		}
	}
	return nil
}
