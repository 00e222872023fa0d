package web_test

import (
	"context"

	"github.com/liaisonhq/liaison"
)

// moreExportCases are the exporting lists beyond the complaints, each
// counted through the service layer with the filter its page applies.
func moreExportCases(e *env) []exportCase {
	en := func(h string) map[liaison.Language]string { return map[liaison.Language]string{liaison.English: h} }
	yes := true
	return []exportCase{
		{"/accounts", map[liaison.Language]string{liaison.English: "Name", liaison.Finnish: "Nimi"}, func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Organisation, string, error) {
				return e.app.Organisations(ctx, liaison.OrganisationFilter{BudgetHolder: &yes, Cursor: c, Limit: 500})
			})
		}},
		{"/agreements", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Agreement, string, error) {
				return e.app.Agreements(ctx, liaison.AgreementFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/actions?view=open", en("Action"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Action, string, error) {
				return e.app.Actions(ctx, liaison.ActionFilter{Status: liaison.ActionOpen, Cursor: c, Limit: 500})
			})
		}},
		{"/improvements", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Improvement, string, error) {
				return e.app.Improvements(ctx, liaison.ImprovementFilter{Cursor: c, Limit: 500}, false)
			})
		}},
		{"/meetings?when=all", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Meeting, string, error) {
				return e.app.Meetings(ctx, liaison.MeetingFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/triggers", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Trigger, string, error) {
				return e.app.Triggers(ctx, liaison.TriggerFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/projects", en("Name"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Project, string, error) {
				return e.app.Projects(ctx, liaison.ProjectFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/watch", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.WatchNote, string, error) {
				return e.app.WatchNotes(ctx, liaison.WatchFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/campaigns", en("Title"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Campaign, string, error) {
				return e.app.Campaigns(ctx, liaison.CampaignFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/services", en("Name"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Service, string, error) {
				return e.app.Services(ctx, liaison.ServiceFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/suppliers", en("Name"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Supplier, string, error) {
				return e.app.Suppliers(ctx, liaison.SupplierFilter{Cursor: c, Limit: 500})
			})
		}},
		{"/escalations", en("Reason"), func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Escalation, string, error) {
				return e.app.Escalations(ctx, liaison.EscalationFilter{Cursor: c, Limit: 500})
			})
		}},
	}
}
