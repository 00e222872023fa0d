package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// The account plan (SPEC C3, §4): INTERNAL ONLY. Every route here is
// AccessRead or stronger, so the guard refuses external principals, and
// the use cases refuse them again.

type planVersionsInput struct {
	ID string `path:"id"`
	PageParams
}

type planVersionInput struct {
	ID     string `path:"id"`
	Number int    `path:"n" minimum:"1"`
}

type planDiffInput struct {
	ID   string `path:"id"`
	From int    `query:"from" minimum:"0" doc:"The earlier version; 0 is the empty plan before the first save."`
	To   int    `query:"to" minimum:"0" required:"true" doc:"The later version."`
}

type planAnalysisInput struct {
	Section   liaison.PlanSection `query:"section" enum:"basic_info,development_initiatives,critical_update_dates,finance_meetings,development_needs,marketing_actions" doc:"Only this section's items."`
	From      string              `query:"from" format:"date" doc:"Due on or after; default the first day of next quarter."`
	To        string              `query:"to" format:"date" doc:"Due on or before; default the last day of next quarter."`
	ManagerID string              `query:"manager_id" doc:"Only accounts of this relationship manager."`
	SegmentID string              `query:"segment_id" doc:"Only accounts of this segment."`
}

type planTemplateInput struct {
	SegmentID string `query:"segment_id" doc:"The segment's template; empty for the default."`
}

type planTemplateSaveInput struct {
	SegmentID string `query:"segment_id" doc:"The segment's template; empty for the default."`
	IfMatch   string `header:"If-Match" doc:"The template's ETag (\"0\" before it is first stored); * for any version. Required."`
	Body      struct {
		Sections []liaison.PlanTemplateSection `json:"sections" maxItems:"6"`
	}
}

type planTemplateDeleteInput struct {
	SegmentID string `query:"segment_id" required:"true" doc:"The segment whose own template is removed."`
}

func (api *API) registerPlan() {
	tags := []string{"account plan"}
	pt := newPatcher[liaison.AccountPlan](api, "organisation_id", "organisation_name", "updated_by_id", "updated_by_name")
	get := func(ctx context.Context, in *accountIDInput) (*one[liaison.AccountPlan], error) {
		p, err := api.app.AccountPlan(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &one[liaison.AccountPlan]{ETag: etag(p.Version), Body: p}, nil
	}
	register(api, huma.Operation{OperationID: "get-account-plan", Method: http.MethodGet, Path: "/organisations/{id}/plan", Tags: tags,
		Summary: "The account plan of a customer account (internal only)",
		Description: "The current version's six sections, each a list of items (title, date in the dated sections, note, " +
			"service_id; override_reason on marketing actions). version 0 (ETag \"0\") is a plan never saved. A unit that is not " +
			"an account answers 422. Every internal user reads it; customer-scoped tokens never do.",
		Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead, get)
	register(api, huma.Operation{OperationID: "update-account-plan", Method: http.MethodPatch, Path: "/organisations/{id}/plan", Tags: tags,
		Summary: "Save a new version of the account plan (JSON merge patch of its sections)",
		Description: "`{\"sections\": {\"development_initiatives\": [...]}}` replaces that section's items and keeps the others. " +
			"Keep an item's id to edit it (a new item has none and gets one). Every save is a new version (author, time). " +
			"A marketing action that names a service that is not live is refused (422, code service_not_live, the field names " +
			"the item) unless it gives override_reason. Written by the account's relationship manager and deputy, head and admin.",
		RequestBody: mergePatchBody[liaison.AccountPlan](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.AccountPlan], error) {
			if err := api.app.CheckPlanWrite(ctx, in.ID); err != nil {
				return nil, err // before the patch is read: who may not write learns nothing of it
			}
			cur, err := api.app.AccountPlan(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			p, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			saved, err := api.app.SaveAccountPlan(ctx, in.ID, p.Sections, v)
			if err != nil {
				return nil, err
			}
			return &one[liaison.AccountPlan]{ETag: etag(saved.Version), Body: saved}, nil
		})
	register(api, huma.Operation{OperationID: "list-account-plan-versions", Method: http.MethodGet, Path: "/organisations/{id}/plan/versions",
		Tags: tags, Summary: "The versions of an account plan, newest first",
		Description: "Each with its author, time, sections and the number of items it added, removed and changed."},
		liaison.AccessRead, func(ctx context.Context, in *planVersionsInput) (*listed[*liaison.PlanVersion], error) {
			items, next, err := api.app.PlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: in.ID, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "get-account-plan-version", Method: http.MethodGet, Path: "/organisations/{id}/plan/versions/{n}",
		Tags: tags, Summary: "One version of an account plan"},
		liaison.AccessRead, func(ctx context.Context, in *planVersionInput) (*one[liaison.PlanVersion], error) {
			v, err := api.app.PlanVersion(ctx, in.ID, in.Number)
			if err != nil {
				return nil, err
			}
			return &one[liaison.PlanVersion]{Body: v}, nil
		})
	register(api, huma.Operation{OperationID: "diff-account-plan", Method: http.MethodGet, Path: "/organisations/{id}/plan/diff",
		Tags: tags, Summary: "What changed between two versions of an account plan",
		Description: "The items added, removed and changed (with each changed field before → after), keyed by item id: an " +
			"edited or reordered item is a change, never a removal and an addition; a reorder alone is no change."},
		liaison.AccessRead, func(ctx context.Context, in *planDiffInput) (*one[app.PlanDiff], error) {
			d, err := api.app.DiffPlanVersions(ctx, in.ID, in.From, in.To)
			if err != nil {
				return nil, err
			}
			return &one[app.PlanDiff]{Body: d}, nil
		})
	register(api, huma.Operation{OperationID: "analyse-account-plans", Method: http.MethodGet, Path: "/account-plans/items",
		Tags: tags, Summary: "Dated plan items of every account due in a period",
		Description: "E.g. every development initiative due next quarter (the default period), across all accounts, by date; " +
			"filter by section, relationship manager and segment. At most 5,000 items."},
		liaison.AccessRead, func(ctx context.Context, in *planAnalysisInput) (*listed[*liaison.PlanItemRow], error) {
			f := liaison.PlanItemFilter{Section: in.Section, From: in.From, To: in.To, ManagerID: in.ManagerID, SegmentID: in.SegmentID}
			if f.From == "" && f.To == "" {
				f.From, f.To = app.NextQuarter(api.app.Now())
			}
			rows, err := api.app.PlanAnalysis(ctx, f)
			if err != nil {
				return nil, err
			}
			return page(rows, ""), nil
		})
	register(api, huma.Operation{OperationID: "get-account-plan-template", Method: http.MethodGet, Path: "/account-plans/template",
		Tags: tags, Summary: "The account plan template (the default, or a segment's own)",
		Description: "Per section: shown or not, a heading and guidance in en, sv, fi, zh (empty: the standard text). 404 for a " +
			"segment without its own template (its accounts use the default)."},
		liaison.AccessRead, func(ctx context.Context, in *planTemplateInput) (*one[liaison.PlanTemplate], error) {
			t, err := api.app.PlanTemplate(ctx, in.SegmentID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.PlanTemplate]{ETag: etag(t.Version), Body: t}, nil
		})
	register(api, huma.Operation{OperationID: "save-account-plan-template", Method: http.MethodPut, Path: "/account-plans/template",
		Tags: tags, Summary: "Store the account plan template (admin and head)",
		Description: "Sections not named keep the standard: shown, standard texts.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity}},
		liaison.AccessCurate, func(ctx context.Context, in *planTemplateSaveInput) (*one[liaison.PlanTemplate], error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				t, err := api.app.PlanTemplate(ctx, in.SegmentID)
				if liaison.ErrorCode(err) == liaison.ENOTFOUND {
					return 0, nil
				} else if err != nil {
					return 0, err
				}
				return t.Version, nil
			})
			if err != nil {
				return nil, err
			}
			t := &liaison.PlanTemplate{Sections: in.Body.Sections}
			if in.SegmentID != "" {
				t.SegmentID = &in.SegmentID
			}
			if err := api.app.SavePlanTemplate(ctx, t, v); err != nil {
				return nil, err
			}
			return &one[liaison.PlanTemplate]{ETag: etag(t.Version), Body: t}, nil
		})
	register(api, huma.Operation{OperationID: "delete-account-plan-template", Method: http.MethodDelete, Path: "/account-plans/template",
		Tags: tags, Summary: "Remove a segment's own template (admin and head); its accounts use the default again"},
		liaison.AccessCurate, func(ctx context.Context, in *planTemplateDeleteInput) (*struct{}, error) {
			return nil, api.app.DeletePlanTemplate(ctx, in.SegmentID)
		})
}
