package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// OrganisationCreate is the body that creates an organisation unit.
type OrganisationCreate struct {
	Name                  string  `json:"name" maxLength:"200" doc:"Required."`
	ParentID              *string `json:"parent_id,omitempty" nullable:"true" doc:"The unit above; absent or null for a top unit."`
	BudgetHolder          bool    `json:"budget_holder,omitempty" doc:"Holds an IT budget: the unit is a customer account."`
	Segment               string  `json:"segment,omitempty" doc:"Segment id."`
	RelationshipManagerID *string `json:"relationship_manager_id,omitempty" nullable:"true"`
	DeputyID              *string `json:"deputy_id,omitempty" nullable:"true"`
	Description           string  `json:"description,omitempty" maxLength:"20000"`
	ExternalID            string  `json:"external_id,omitempty" maxLength:"200"`
	LastReviewedOn        *string `json:"last_reviewed_on,omitempty" nullable:"true" format:"date" doc:"When the structure was last reviewed, YYYY-MM-DD."`
}

func (c *OrganisationCreate) organisation() *liaison.Organisation {
	return &liaison.Organisation{Name: c.Name, ParentID: c.ParentID, BudgetHolder: c.BudgetHolder, Segment: c.Segment,
		RelationshipManagerID: c.RelationshipManagerID, DeputyID: c.DeputyID, Description: c.Description,
		ExternalID: c.ExternalID, LastReviewedOn: c.LastReviewedOn}
}

type organisationCreateInput struct {
	IdempotencyHeader
	Body OrganisationCreate
}

type organisationListInput struct {
	PageParams
	Q            string `query:"q" maxLength:"200" doc:"Words that must each begin a word of the record's text; case and diacritics do not matter (malmo finds Malmö)."`
	Sort         string `query:"sort" enum:"name,-name,created_at,-created_at,updated_at,-updated_at,health,-health" doc:"Order; - for descending. Default name. health: by relationship health, weakest first (-health: strongest first), units that are not accounts last."`
	ParentID     string `query:"parent_id" doc:"Units directly below this one; empty or null for top units."`
	BudgetHolder string `query:"budget_holder" enum:"true,false" doc:"true for accounts only."`
	Segment      string `query:"segment"`
	ManagerID    string `query:"manager_id" doc:"Accounts this user manages or deputises."`
	ExternalID   string `query:"external_id"`
	Trashed      bool   `query:"trashed" doc:"List the trash instead (admin and head)."`

	topOnly bool
}

// Resolve tells ?parent_id= (top units) from no parent_id at all, which
// huma's parameter parsing cannot.
func (in *organisationListInput) Resolve(ctx huma.Context) []error {
	if in.ParentID == "" || in.ParentID == "null" {
		u := ctx.URL()
		_, in.topOnly = u.Query()["parent_id"]
	}
	return nil
}

func (in *organisationListInput) filter() liaison.OrganisationFilter {
	f := liaison.OrganisationFilter{Q: in.Q, BudgetHolder: boolParam(in.BudgetHolder), Segment: in.Segment,
		ManagerID: in.ManagerID, ExternalID: in.ExternalID, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor}
	switch {
	case in.topOnly:
		f.ParentID = liaison.Ptr("")
	case in.ParentID != "":
		f.ParentID = liaison.Ptr(in.ParentID)
	}
	return f
}

type timelineInput struct {
	ID          string    `path:"id"`
	Category    string    `query:"category" enum:"structure,people,services,agreements,complaints,contacts,meetings,improvements,actions,surveys,plans,other" doc:"Only the events of one user-facing group of kinds (each item's category)."`
	Kind        []string  `query:"kind" doc:"Only these kinds, comma-separated: <subject_type>.<action>, e.g. complaint.create,complaint.update."`
	SubjectType []string  `query:"subject_type" doc:"Only the events of these subject types, comma-separated, e.g. meeting,meeting_decision."`
	ActorID     string    `query:"actor_id" doc:"Only the changes this user made."`
	From        time.Time `query:"from" doc:"Events at or after this time (RFC 3339)."`
	To          time.Time `query:"to" doc:"Events before this time (RFC 3339)."`
	PageParams
}

func (api *API) registerOrganisations() {
	tags := []string{"organisations"}
	pt := newPatcher[liaison.Organisation](api, "customer_kind", "depth", "deleted_at")
	register(api, huma.Operation{OperationID: "list-organisations", Method: http.MethodGet, Path: "/organisations", Tags: tags,
		Summary: "List organisation units"}, liaison.AccessRead, api.listOrganisations)
	register(api, huma.Operation{OperationID: "create-organisation", Method: http.MethodPost, Path: "/organisations", Tags: tags,
		Summary: "Create an organisation unit", DefaultStatus: http.StatusCreated,
		Description: "Admin and head create top units and accounts; a relationship manager may create plain units under own accounts.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite, api.createOrganisation)
	register(api, huma.Operation{OperationID: "get-organisation", Method: http.MethodGet, Path: "/organisations/{id}", Tags: tags,
		Summary: "Get an organisation unit"}, liaison.AccessRead, api.getOrganisation)
	register(api, huma.Operation{OperationID: "update-organisation", Method: http.MethodPatch, Path: "/organisations/{id}", Tags: tags,
		Summary: "Update an organisation unit (JSON merge patch)", RequestBody: mergePatchBody[liaison.Organisation](api),
		Description: "Moving a unit below itself answers 422 (field parent_id, code cycle). customer_kind and depth are derived.",
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.Organisation], error) {
			cur, err := api.app.Organisation(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			o, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateOrganisation(ctx, o, v); err != nil {
				return nil, err
			}
			return api.getOrganisation(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-organisation", Method: http.MethodDelete, Path: "/organisations/{id}", Tags: tags,
		Summary: "Move an organisation unit to the trash", Description: "Answers 409 while live units lie below it.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				o, err := api.app.Organisation(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return o.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteOrganisation(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-organisation", Method: http.MethodPost, Path: "/organisations/{id}/restore", Tags: tags,
		Summary: "Bring an organisation unit back from the trash", Errors: []int{http.StatusConflict}},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*one[liaison.Organisation], error) {
			o, err := api.app.RestoreOrganisation(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Organisation]{ETag: etag(o.Version), Body: o}, nil
		})
	register(api, huma.Operation{OperationID: "get-organisation-decision", Method: http.MethodGet, Path: "/organisations/{id}/decision", Tags: tags,
		Summary: "Who decides for a unit", Description: "The nearest account at or above the unit and its active customer (null when none is named)."},
		liaison.AccessRead, func(ctx context.Context, in *idInput) (*struct{ Body *liaison.Decision }, error) {
			d, err := api.app.WhoDecides(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.Decision }{d}, nil
		})
	register(api, huma.Operation{OperationID: "list-organisation-timeline", Method: http.MethodGet, Path: "/organisations/{id}/timeline", Tags: tags,
		Summary: "The timeline of an account, newest first",
		Description: "An account's timeline is everything that happened in it: the changes of the account, of the units below it " +
			"and of every record that belongs to them (people, agreements, complaints, meetings, surveys…), each in the account " +
			"it belonged to when it happened (a unit moved to another account leaves its history behind). A unit that is not " +
			"an account shows the events of the units now below it. Filters combine with AND; the cursor keeps its place when " +
			"new events arrive."},
		liaison.AccessRead, func(ctx context.Context, in *timelineInput) (*listed[liaison.TimelineItem], error) {
			items, next, err := api.app.Timeline(ctx, in.ID, app.TimelineQuery{Category: in.Category, Kinds: in.Kind,
				SubjectTypes: in.SubjectType, ActorID: in.ActorID, From: in.From, To: in.To, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			for i := range items {
				items[i].At = items[i].At.UTC()
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "list-organisation-history", Method: http.MethodGet, Path: "/organisations/{id}/history", Tags: tags,
		Summary: "The audit trail of a unit, newest first, with each change's before and after"},
		liaison.AccessRead, api.history("organisation"))
}

func (api *API) listOrganisations(ctx context.Context, in *organisationListInput) (*listed[*liaison.Organisation], error) {
	items, next, err := api.app.Organisations(ctx, in.filter())
	if err != nil {
		return nil, err
	}
	return page(items, next), nil
}

func (api *API) getOrganisation(ctx context.Context, in *idInput) (*one[liaison.Organisation], error) {
	o, err := api.app.Organisation(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Organisation]{ETag: etag(o.Version), Body: o}, nil
}

func (api *API) createOrganisation(ctx context.Context, in *organisationCreateInput) (*created[liaison.Organisation], error) {
	return createOnce(ctx, api, in.IdempotencyKey, "POST /organisations", in.Body, func(ctx context.Context) (*liaison.Organisation, string, int, error) {
		o := in.Body.organisation()
		if err := api.app.CreateOrganisation(ctx, o); err != nil {
			return nil, "", 0, err
		}
		// Read back for the derived fields (depth, customer_kind).
		if got, err := api.app.Organisation(ctx, o.ID); err == nil {
			o = got
		}
		return o, BasePath + "/organisations/" + o.ID, o.Version, nil
	}, rereader(api.app.Organisation, func(v *liaison.Organisation) int { return v.Version }), nil)
}
