package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// SurveyCreate is the body that creates a survey template.
type SurveyCreate struct {
	Name        string             `json:"name" maxLength:"200" doc:"Required."`
	Description string             `json:"description,omitempty" maxLength:"20000"`
	Questions   []liaison.Question `json:"questions" maxItems:"50" doc:"At least one. Types: rating (1–5), nps (0–10), single_choice, multiple_choice, text; text and choice labels by language (en, sv, fi, zh), at least one each."`
}

type surveyCreateInput struct {
	IdempotencyHeader
	Body SurveyCreate
}

type surveyListInput struct {
	ListParams
	Trashed bool `query:"trashed" doc:"List the trash instead."`
}

type surveyVersionInput struct {
	ID     string `path:"id"`
	Number int    `path:"number" minimum:"1"`
}

func (api *API) registerSurveys() {
	tags := []string{"surveys"}
	pt := newPatcher[liaison.Survey](api, "survey_version", "deleted_at")
	register(api, huma.Operation{OperationID: "list-surveys", Method: http.MethodGet, Path: "/surveys", Tags: tags,
		Summary: "List survey templates"}, liaison.AccessRead,
		func(ctx context.Context, in *surveyListInput) (*listed[*liaison.Survey], error) {
			items, next, err := api.app.Surveys(ctx, liaison.SurveyFilter{Q: in.Q, Sort: in.Sort, Trashed: in.Trashed, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-survey", Method: http.MethodPost, Path: "/surveys", Tags: tags,
		Summary:       "Create a survey template",
		Description:   "Head and admin. Its questions are published as version 1 (survey_version).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *surveyCreateInput) (*created[liaison.Survey], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /surveys", in.Body, func(ctx context.Context) (*liaison.Survey, string, int, error) {
				s := &liaison.Survey{Name: in.Body.Name, Description: in.Body.Description, Questions: in.Body.Questions}
				if err := api.app.CreateSurvey(ctx, s); err != nil {
					return nil, "", 0, err
				}
				return s, BasePath + "/surveys/" + s.ID, s.Version, nil
			}, rereader(api.app.Survey, func(v *liaison.Survey) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-survey", Method: http.MethodGet, Path: "/surveys/{id}", Tags: tags,
		Summary: "Get a survey template with its latest questions"}, liaison.AccessRead, api.getSurvey)
	register(api, huma.Operation{OperationID: "update-survey", Method: http.MethodPatch, Path: "/surveys/{id}", Tags: tags,
		Summary: "Update a survey template (JSON merge patch)",
		Description: "Head and admin. Changed questions are published as a new version (survey_version + 1); earlier versions never " +
			"change, and a campaign keeps the version it was sent with. questions replaces the whole list.",
		RequestBody: mergePatchBody[liaison.Survey](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.Survey], error) {
			cur, err := api.app.Survey(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			s, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateSurvey(ctx, s, v); err != nil {
				return nil, err
			}
			return api.getSurvey(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-survey", Method: http.MethodDelete, Path: "/surveys/{id}", Tags: tags,
		Summary: "Move a survey template to the trash", Description: "Head and admin. Its versions and campaigns stay.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				s, err := api.app.Survey(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return s.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteSurvey(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-survey-versions", Method: http.MethodGet, Path: "/surveys/{id}/versions", Tags: tags,
		Summary: "The published versions of a survey's questions, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.SurveyVersion], error) {
			vs, err := api.app.SurveyVersions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(vs), nil
		})
	register(api, huma.Operation{OperationID: "get-survey-version", Method: http.MethodGet, Path: "/surveys/{id}/versions/{number}", Tags: tags,
		Summary: "One published version of a survey's questions"}, liaison.AccessRead,
		func(ctx context.Context, in *surveyVersionInput) (*struct{ Body *liaison.SurveyVersion }, error) {
			v, err := api.app.SurveyVersion(ctx, in.ID, in.Number)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.SurveyVersion }{Body: v}, nil
		})
	register(api, huma.Operation{OperationID: "list-survey-history", Method: http.MethodGet, Path: "/surveys/{id}/history", Tags: tags,
		Summary: "The audit trail of a survey template, newest first"}, liaison.AccessRead, api.history("survey"))
}

func (api *API) getSurvey(ctx context.Context, in *idInput) (*one[liaison.Survey], error) {
	s, err := api.app.Survey(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Survey]{ETag: etag(s.Version), Body: s}, nil
}
