package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// CycleActivityCreate is the body that adds an annual-cycle activity.
type CycleActivityCreate struct {
	Title           string                  `json:"title" maxLength:"200" doc:"Required; also the title of each generated task."`
	Description     string                  `json:"description,omitempty" maxLength:"20000"`
	Kind            liaison.CycleKind       `json:"kind,omitempty" enum:"agreement_review,budget_meeting,satisfaction_survey,cost_follow_up,critical_update_window,other" doc:"Default other."`
	Recurrence      liaison.CycleRecurrence `json:"recurrence" enum:"yearly,quarterly,date" doc:"Required."`
	Month           int                     `json:"month,omitempty" minimum:"0" maximum:"12" doc:"yearly: 1-12; quarterly: the month within each quarter, 1-3."`
	Day             int                     `json:"day,omitempty" minimum:"0" maximum:"31" doc:"Day of the month, default 1; past the month's end it falls on the last day."`
	OnDate          *string                 `json:"on_date,omitempty" doc:"recurrence date: YYYY-MM-DD."`
	Scope           liaison.CycleScope      `json:"scope,omitempty" enum:"all,segment,accounts" doc:"Default all."`
	SegmentID       *string                 `json:"segment_id,omitempty"`
	OrganisationIDs []string                `json:"organisation_ids,omitempty" maxItems:"1000"`
	OwnerID         *string                 `json:"owner_id,omitempty" doc:"Default: each account's relationship manager."`
}

func (b CycleActivityCreate) activity() *liaison.CycleActivity {
	return &liaison.CycleActivity{Title: b.Title, Description: b.Description, Kind: b.Kind, Recurrence: b.Recurrence,
		Month: b.Month, Day: b.Day, OnDate: b.OnDate, Scope: b.Scope, SegmentID: b.SegmentID, OrganisationIDs: b.OrganisationIDs,
		OwnerID: b.OwnerID}
}

type cycleCreateInput struct {
	IdempotencyHeader
	Body CycleActivityCreate
}

type cycleListInput struct {
	ListParams
	Kind    string `query:"kind" enum:"agreement_review,budget_meeting,satisfaction_survey,cost_follow_up,critical_update_window,other"`
	Trashed bool   `query:"trashed" doc:"List the trash instead (admin and head)."`
}

// Generated says how many tasks a generation created.
type Generated struct {
	Created int `json:"created" doc:"Tasks created now; 0 when every task was already there."`
}

type generatedOut struct{ Body Generated }

// CycleYear is an account's annual cycle: its generated tasks in a span.
type CycleYear struct {
	OrganisationID string               `json:"organisation_id"`
	From           string               `json:"from" format:"date"`
	To             string               `json:"to" format:"date"`
	Tasks          []*liaison.CycleTask `json:"tasks"`
}

type cycleYearInput struct {
	ID   string `path:"id"`
	Year int    `query:"year" minimum:"2000" maximum:"2100" doc:"The calendar year; default the current one."`
}

type invitationsInput struct {
	ID   string `path:"id"`
	base string
}

// Resolve keeps the address the client used, for the links in the invitations.
func (in *invitationsInput) Resolve(ctx huma.Context) []error {
	scheme := "http"
	if ctx.TLS() != nil {
		scheme = "https"
	}
	in.base = scheme + "://" + ctx.Host()
	return nil
}

func (api *API) registerCycle() {
	tags := []string{"cycle-activities"}
	pt := newPatcher[liaison.CycleActivity](api, "deleted_at", "owner_name", "segment_name")
	register(api, huma.Operation{OperationID: "list-cycle-activities", Method: http.MethodGet, Path: "/cycle-activities", Tags: tags,
		Summary: "List the annual cycle's recurring activities"},
		liaison.AccessRead, func(ctx context.Context, in *cycleListInput) (*listed[*liaison.CycleActivity], error) {
			items, next, err := api.app.CycleActivities(ctx, liaison.CycleActivityFilter{Q: in.Q, Kind: liaison.CycleKind(in.Kind),
				Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-cycle-activity", Method: http.MethodPost, Path: "/cycle-activities", Tags: tags,
		Summary:     "Add an annual-cycle activity (admin, head)",
		Description: "Its tasks (actions with cycle_activity_id) are generated at once for the next 12 months, one per account in scope and date; the cycle.generate job keeps the horizon filled daily.",
		Errors:      []int{http.StatusUnprocessableEntity}, DefaultStatus: http.StatusCreated}, liaison.AccessCurate,
		func(ctx context.Context, in *cycleCreateInput) (*created[liaison.CycleActivity], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /cycle-activities", in.Body, func(ctx context.Context) (*liaison.CycleActivity, string, int, error) {
				c := in.Body.activity()
				if _, err := api.app.CreateCycleActivity(ctx, c); err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/cycle-activities/" + c.ID, c.Version, nil
			}, rereader(api.app.CycleActivity, func(v *liaison.CycleActivity) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-cycle-activity", Method: http.MethodGet, Path: "/cycle-activities/{id}", Tags: tags,
		Summary: "Get an annual-cycle activity"}, liaison.AccessRead, api.getCycleActivity)
	register(api, huma.Operation{OperationID: "update-cycle-activity", Method: http.MethodPatch, Path: "/cycle-activities/{id}", Tags: tags,
		Summary: "Update an annual-cycle activity (JSON merge patch; admin, head)",
		Description: "When the schedule, scope, owner, title or description changes, the activity's generated tasks that are open, due today or later " +
			"and untouched (never edited) are replaced by tasks of the new definition; done, cancelled, past and edited tasks stay.",
		RequestBody: mergePatchBody[liaison.CycleActivity](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.CycleActivity], error) {
			cur, err := api.app.CycleActivity(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			c, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if _, err := api.app.UpdateCycleActivity(ctx, c, v); err != nil {
				return nil, err
			}
			return api.getCycleActivity(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-cycle-activity", Method: http.MethodDelete, Path: "/cycle-activities/{id}", Tags: tags,
		Summary: "Move an annual-cycle activity to the trash (admin, head)", Description: "Its untouched open future tasks go; done and edited ones stay.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				c, err := api.app.CycleActivity(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return c.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteCycleActivity(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-cycle-activity", Method: http.MethodPost, Path: "/cycle-activities/{id}/restore", Tags: tags,
		Summary: "Bring an annual-cycle activity back from the trash (admin, head)"},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*one[liaison.CycleActivity], error) {
			c, err := api.app.RestoreCycleActivity(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.CycleActivity]{ETag: etag(c.Version), Body: c}, nil
		})
	register(api, huma.Operation{OperationID: "generate-cycle-tasks", Method: http.MethodPost, Path: "/cycle-activities/{id}/generate", Tags: tags,
		Summary:     "Generate an activity's tasks for the next 12 months (admin, head)",
		Description: "Idempotent: a task that exists (same activity, account and due date) is never created twice."},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*generatedOut, error) {
			n, err := api.app.GenerateCycleTasks(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &generatedOut{Body: Generated{Created: n}}, nil
		})
	register(api, huma.Operation{OperationID: "list-cycle-activity-history", Method: http.MethodGet, Path: "/cycle-activities/{id}/history", Tags: tags,
		Summary: "The audit trail of an annual-cycle activity, newest first"}, liaison.AccessRead, api.history("cycle_activity"))
	register(api, huma.Operation{OperationID: "get-organisation-cycle", Method: http.MethodGet, Path: "/organisations/{id}/cycle",
		Tags: []string{"organisations"}, Summary: "An account's annual cycle: its generated tasks in a calendar year"},
		liaison.AccessRead, func(ctx context.Context, in *cycleYearInput) (*struct{ Body CycleYear }, error) {
			if _, err := api.app.Organisation(ctx, in.ID); err != nil {
				return nil, err
			}
			year := in.Year
			if year == 0 {
				year = api.app.Now().Year()
			}
			y := strconv.Itoa(year)
			tasks, err := api.app.CycleTasks(ctx, liaison.CycleTaskFilter{OrganisationID: in.ID, From: y + "-01-01", To: y + "-12-31"})
			if err != nil {
				return nil, err
			}
			if tasks == nil {
				tasks = []*liaison.CycleTask{}
			}
			return &struct{ Body CycleYear }{Body: CycleYear{OrganisationID: in.ID, From: y + "-01-01", To: y + "-12-31", Tasks: tasks}}, nil
		})
	register(api, huma.Operation{OperationID: "send-meeting-invitations", Method: http.MethodPost, Path: "/meetings/{id}/invitations",
		Tags: []string{"meetings"}, Summary: "Email the participants an invitation with invite.ics (METHOD:REQUEST)",
		Description: "Each participant with an email address (IT users and customer contacts) gets one invitation per version of the meeting, " +
			"in their language; sending again without a change queues nothing (already counts them). A cancelled meeting answers 422.",
		Errors: []int{http.StatusUnprocessableEntity}},
		liaison.AccessSignedIn, func(ctx context.Context, in *invitationsInput) (*struct{ Body *app.InvitationResult }, error) {
			res, err := api.app.SendInvitations(ctx, in.ID, in.base)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *app.InvitationResult }{Body: res}, nil
		})
}

func (api *API) getCycleActivity(ctx context.Context, in *idInput) (*one[liaison.CycleActivity], error) {
	c, err := api.app.CycleActivity(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.CycleActivity]{ETag: etag(c.Version), Body: c}, nil
}
