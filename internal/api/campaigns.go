package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// CampaignCreate is the body that creates a draft campaign.
type CampaignCreate struct {
	Title           string             `json:"title" maxLength:"200" doc:"Required."`
	SurveyID        string             `json:"survey_id" maxLength:"200" doc:"Required: the survey template to send."`
	SurveyVersion   int                `json:"survey_version,omitempty" minimum:"0" doc:"The version of the questions; default the latest."`
	Roles           []liaison.RoleKind `json:"roles" maxItems:"3" doc:"Who receives it: customer, orderer, user (at least one)."`
	OrganisationIDs []string           `json:"organisation_ids,omitempty" maxItems:"500" doc:"Scope: these accounts. A relationship manager must name accounts they manage."`
	Segment         string             `json:"segment,omitempty" maxLength:"200" doc:"Scope: the accounts of this segment id."`
	ServiceID       *string            `json:"service_id,omitempty" doc:"Scope: the accounts subscribing to this service."`
	ClosesOn        string             `json:"closes_on" format:"date" doc:"Required: the last day responses are taken."`
	Anonymous       bool               `json:"anonymous,omitempty" doc:"Responses keep no link to the respondent; results of groups under 5 responses are suppressed."`
}

type campaignCreateInput struct {
	IdempotencyHeader
	Body CampaignCreate
}

type campaignListInput struct {
	PageParams
	Q        string                 `query:"q" maxLength:"200" doc:"Words that must each begin a word of the title or survey name."`
	Sort     string                 `query:"sort" enum:"name,-name,created_at,-created_at,updated_at,-updated_at,closes_on,-closes_on" doc:"Order; - for descending. Default name (the title)."`
	SurveyID string                 `query:"survey_id"`
	Status   liaison.CampaignStatus `query:"status" enum:"draft,open,closed"`
	Trashed  bool                   `query:"trashed" doc:"List the trash instead."`
}

type campaignResultsInput struct {
	ID             string                  `path:"id"`
	By             liaison.ResultDimension `query:"by" enum:"account,service,segment,role" doc:"Group the results; the total only when absent."`
	OrganisationID string                  `query:"organisation_id" doc:"Only this account's recipients and responses."`
	ServiceID      string                  `query:"service_id" doc:"Only accounts subscribing to this service."`
	Segment        string                  `query:"segment" doc:"Only accounts of this segment id."`
	Role           liaison.RoleKind        `query:"role" enum:"customer,orderer,user" doc:"Only respondents in this role."`
}

type campaignTrendInput struct {
	SurveyID       string           `query:"survey_id" doc:"Only the campaigns of this survey."`
	OrganisationID string           `query:"organisation_id" doc:"Only this account's recipients and responses."`
	ServiceID      string           `query:"service_id" doc:"Only accounts subscribing to this service."`
	Segment        string           `query:"segment" doc:"Only accounts of this segment id."`
	Role           liaison.RoleKind `query:"role" enum:"customer,orderer,user" doc:"Only respondents in this role."`
}

// CampaignReminded answers a reminder.
type CampaignReminded struct {
	Reminded int `json:"reminded" doc:"How many non-respondents were sent a new link."`
}

func (api *API) registerCampaigns() {
	tags := []string{"campaigns"}
	pt := newPatcher[liaison.Campaign](api, "survey_name", "recipients", "responses", "opened_at", "closed_at", "reminded_at",
		"created_by_id", "published_at", "published_by_id", "deleted_at")
	register(api, huma.Operation{OperationID: "list-campaigns", Method: http.MethodGet, Path: "/campaigns", Tags: tags,
		Summary: "List survey campaigns"}, liaison.AccessRead,
		func(ctx context.Context, in *campaignListInput) (*listed[*liaison.Campaign], error) {
			items, next, err := api.app.Campaigns(ctx, liaison.CampaignFilter{Q: in.Q, Sort: in.Sort, SurveyID: in.SurveyID, Status: in.Status,
				Trashed: in.Trashed, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-campaign", Method: http.MethodPost, Path: "/campaigns", Tags: tags,
		Summary: "Create a draft survey campaign",
		Description: "Head and admin; a relationship manager for a campaign scoped (organisation_ids) to accounts they manage or " +
			"deputise. Scope by accounts, a segment or a service (one of them), or none for every account.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *campaignCreateInput) (*created[liaison.Campaign], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /campaigns", in.Body, func(ctx context.Context) (*liaison.Campaign, string, int, error) {
				b := in.Body
				c := &liaison.Campaign{Title: b.Title, SurveyID: b.SurveyID, SurveyVersion: b.SurveyVersion, Roles: b.Roles,
					OrganisationIDs: b.OrganisationIDs, Segment: b.Segment, ServiceID: b.ServiceID, ClosesOn: b.ClosesOn, Anonymous: b.Anonymous}
				if err := api.app.CreateCampaign(ctx, c); err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/campaigns/" + c.ID, c.Version, nil
			}, rereader(api.app.Campaign, func(v *liaison.Campaign) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-campaign", Method: http.MethodGet, Path: "/campaigns/{id}", Tags: tags,
		Summary: "Get a survey campaign"}, liaison.AccessRead, api.getCampaign)
	register(api, huma.Operation{OperationID: "update-campaign", Method: http.MethodPatch, Path: "/campaigns/{id}", Tags: tags,
		Summary: "Update a survey campaign (JSON merge patch)",
		Description: "A draft changes freely; once opened only title and closes_on (422 naming the field otherwise). status changes " +
			"by /open and /close only.",
		RequestBody: mergePatchBody[liaison.Campaign](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.Campaign], error) {
			cur, err := api.app.Campaign(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			c, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateCampaign(ctx, c, v); err != nil {
				return nil, err
			}
			return api.getCampaign(ctx, &idInput{ID: in.ID})
		})
	currentVersion := func(ctx context.Context, id string) func() (int, error) {
		return func() (int, error) {
			c, err := api.app.Campaign(ctx, id)
			if err != nil {
				return 0, err
			}
			return c.Version, nil
		}
	}
	register(api, huma.Operation{OperationID: "delete-campaign", Method: http.MethodDelete, Path: "/campaigns/{id}", Tags: tags,
		Summary: "Move a draft or closed campaign to the trash", Description: "An open campaign answers 409: close it first.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, currentVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteCampaign(ctx, in.ID, v)
		})
	move := func(open bool) func(ctx context.Context, in *deleteInput) (*one[liaison.Campaign], error) {
		return func(ctx context.Context, in *deleteInput) (*one[liaison.Campaign], error) {
			v, err := ifVersion(in.IfMatch, currentVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			if open {
				_, err = api.app.OpenCampaign(ctx, in.ID, v)
			} else {
				_, err = api.app.CloseCampaign(ctx, in.ID, v)
			}
			if err != nil {
				return nil, err
			}
			return api.getCampaign(ctx, &idInput{ID: in.ID})
		}
	}
	register(api, huma.Operation{OperationID: "open-campaign", Method: http.MethodPost, Path: "/campaigns/{id}/open", Tags: tags,
		Summary: "Open a draft campaign: send its personal links",
		Description: "Selects the recipients (people with an email address in the chosen roles and scope, once each), gives each a " +
			"personal single-use link and queues one email per recipient in their language. 422 from another status (naming the " +
			"allowed ones) or when no one would receive it. If-Match required.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity}},
		liaison.AccessWrite, move(true))
	register(api, huma.Operation{OperationID: "close-campaign", Method: http.MethodPost, Path: "/campaigns/{id}/close", Tags: tags,
		Summary:     "Close an open campaign: its links take no more responses",
		Description: "422 from another status. If-Match required.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity}},
		liaison.AccessWrite, move(false))
	api.registerCampaignPublishing(currentVersion)
	register(api, huma.Operation{OperationID: "remind-campaign", Method: http.MethodPost, Path: "/campaigns/{id}/remind", Tags: tags,
		Summary: "Remind the non-respondents now",
		Description: "Each gets a new personal link (the earlier one stops working). 409 when the campaign is not open, past its " +
			"closing date, or was reminded within survey_reminder_days (a setting, default 7).",
		Errors: []int{http.StatusConflict}}, liaison.AccessWrite,
		func(ctx context.Context, in *idInput) (*struct{ Body CampaignReminded }, error) {
			n, err := api.app.RemindCampaign(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body CampaignReminded }{Body: CampaignReminded{Reminded: n}}, nil
		})
	register(api, huma.Operation{OperationID: "get-campaign-results", Method: http.MethodGet, Path: "/campaigns/{id}/results", Tags: tags,
		Summary: "A campaign's results: response rate, CSAT, NPS, distributions and free-text answers",
		Description: "CSAT is the share of ratings 4–5, NPS promoters (9–10) minus detractors (0–6), both in %. Who sees results is " +
			"the survey_results setting: its roles (head and admin by default) everything; with managers on, a relationship manager " +
			"or deputy the results of their own accounts; others 403. In an anonymous campaign a group (the total too) of fewer " +
			"than 5 responses is suppressed: no numbers at all."}, liaison.AccessRead,
		func(ctx context.Context, in *campaignResultsInput) (*struct{ Body *liaison.Results }, error) {
			r, err := api.app.CampaignResults(ctx, in.ID, in.By, liaison.ResultFilter{OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, Segment: in.Segment, Role: in.Role})
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.Results }{Body: r}, nil
		})
	register(api, huma.Operation{OperationID: "get-campaign-trend", Method: http.MethodGet, Path: "/campaigns/trend", Tags: tags,
		Summary: "The trend across campaigns: each opened campaign's total results, by closing date",
		Description: "Filters as /results. Campaigns whose results the caller may not see are left out; anonymous totals under 5 " +
			"responses are suppressed."}, liaison.AccessRead,
		func(ctx context.Context, in *campaignTrendInput) (*items[liaison.TrendPoint], error) {
			ps, err := api.app.CampaignTrend(ctx, in.SurveyID, liaison.ResultFilter{OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, Segment: in.Segment, Role: in.Role})
			if err != nil {
				return nil, err
			}
			return itemsOf(ps), nil
		})
	register(api, huma.Operation{OperationID: "list-campaign-history", Method: http.MethodGet, Path: "/campaigns/{id}/history", Tags: tags,
		Summary: "The audit trail of a campaign, newest first"}, liaison.AccessRead, api.history("campaign"))
}

func (api *API) getCampaign(ctx context.Context, in *idInput) (*one[liaison.Campaign], error) {
	c, err := api.app.Campaign(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Campaign]{ETag: etag(c.Version), Body: c}, nil
}
