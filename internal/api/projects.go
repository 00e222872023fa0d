package api

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/report"
)

// ProjectCreate is the body that starts a project.
type ProjectCreate struct {
	OrganisationID   *string               `json:"organisation_id,omitempty" doc:"The customer account; omit for an internal IT project."`
	Name             string                `json:"name" maxLength:"200" doc:"Required."`
	Description      string                `json:"description,omitempty" maxLength:"20000"`
	ProjectManagerID *string               `json:"project_manager_id,omitempty" doc:"Required from agreed on."`
	Status           liaison.ProjectStatus `json:"status,omitempty" enum:"proposed,agreed,in_progress" doc:"Default proposed."`
	Phase            string                `json:"phase,omitempty" maxLength:"200"`
	Health           liaison.Health        `json:"health,omitempty" enum:"green,amber,red" doc:"Default green."`
	HealthNote       string                `json:"health_note,omitempty" maxLength:"2000"`
	StartDate        string                `json:"start_date,omitempty" format:"date"`
	EndDate          string                `json:"end_date,omitempty" format:"date"`
	ToolURL          string                `json:"tool_url,omitempty" maxLength:"2000" doc:"http or https address of the project in the project tool."`
	InternalNote     string                `json:"internal_note,omitempty" maxLength:"20000"`
}

type projectCreateInput struct {
	IdempotencyHeader
	Body ProjectCreate
}

type projectListInput struct {
	ListParams
	OrganisationID   string                `query:"organisation_id"`
	Status           liaison.ProjectStatus `query:"status" enum:"proposed,agreed,in_progress,closed,cancelled"`
	Health           liaison.Health        `query:"health" enum:"green,amber,red"`
	ProjectManagerID string                `query:"project_manager_id"`
	Live             bool                  `query:"live" doc:"Only proposed, agreed and in-progress projects."`
	Trashed          bool                  `query:"trashed" doc:"List the trash instead (admin and head)."`
}

// BoardMemberCreate is the body that names a steering-group member.
type BoardMemberCreate struct {
	Role       liaison.BoardRole `json:"role" enum:"executive,senior_user,senior_supplier,relationship_manager" doc:"Required."`
	PersonID   *string           `json:"person_id,omitempty" doc:"A customer contact; exactly one of person_id and user_id."`
	UserID     *string           `json:"user_id,omitempty" doc:"An IT user."`
	Represents liaison.Side      `json:"represents,omitempty" enum:"customer,supplier" doc:"Required for relationship_manager; implied by the other roles."`
	Note       string            `json:"note,omitempty" maxLength:"2000"`
}

type boardMemberInput struct {
	ID   string `path:"id"`
	Body BoardMemberCreate
}

type boardMemberIDInput struct {
	ID       string `path:"id"`
	MemberID string `path:"member_id"`
}

// LessonCreate is the body that adds to the lessons log.
type LessonCreate struct {
	Title          string                 `json:"title" maxLength:"200" doc:"Required."`
	WhatHappened   string                 `json:"what_happened,omitempty" maxLength:"20000"`
	Recommendation string                 `json:"recommendation,omitempty" maxLength:"20000" doc:"What to do next time; this or what_happened is required."`
	Category       liaison.LessonCategory `json:"category,omitempty" enum:"planning,governance,communication,requirements,supplier,technical,other" doc:"Default other."`
	On             string                 `json:"on,omitempty" format:"date" doc:"Default today."`
	Internal       bool                   `json:"internal,omitempty" doc:"Keep it in IT: never in the customer report pack."`
}

type lessonInput struct {
	ID   string `path:"id"`
	Body LessonCreate
}

type lessonIDInput struct {
	ID       string `path:"id"`
	LessonID string `path:"lesson_id"`
}

type guideInput struct {
	ID       string `path:"id"`
	MemberID string `query:"member_id" doc:"The member the copy is for (their language, their seat marked); omit for the customer's copy."`
	Lang     string `query:"lang" enum:"en,sv,fi,zh" doc:"Override the language; default the member's, or yours for the customer's copy."`
	Format   string `query:"format" enum:"json,pdf" default:"json"`
}

// GuideReview is the body that records the guide's review.
type GuideReview struct {
	MeetingID string `json:"meeting_id" doc:"The steering_group meeting of the project's account where the roles were gone through. Required."`
}

type guideReviewInput struct {
	ID   string `path:"id"`
	Body GuideReview
}

func (api *API) registerProjects() {
	tags := []string{"projects"}
	pt := newPatcher[liaison.Project](api, "organisation_name", "project_manager_name", "agreed_at", "guide_reviewed_on",
		"guide_meeting_id", "health_changed_at", "deleted_at")
	register(api, huma.Operation{OperationID: "list-projects", Method: http.MethodGet, Path: "/projects", Tags: tags,
		Summary: "List projects"}, liaison.AccessRead,
		func(ctx context.Context, in *projectListInput) (*listed[*liaison.Project], error) {
			items, next, err := api.app.Projects(ctx, liaison.ProjectFilter{Q: in.Q, OrganisationID: in.OrganisationID, Status: in.Status,
				Health: in.Health, ProjectManagerID: in.ProjectManagerID, Live: in.Live, Trashed: in.Trashed, Sort: in.Sort,
				Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-project", Method: http.MethodPost, Path: "/projects", Tags: tags,
		Summary: "Start a project",
		Description: "The account's relationship manager or deputy, head and admin; staff and managers also a project they manage " +
			"themselves (project_manager_id is the caller). Starting agreed mails the steering-group guide to the account's customer.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *projectCreateInput) (*created[liaison.Project], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /projects", in.Body, func(ctx context.Context) (*liaison.Project, string, int, error) {
				b := in.Body
				p := &liaison.Project{OrganisationID: b.OrganisationID, Name: b.Name, Description: b.Description, ProjectManagerID: b.ProjectManagerID,
					Status: b.Status, Phase: b.Phase, Health: b.Health, HealthNote: b.HealthNote, StartDate: b.StartDate, EndDate: b.EndDate,
					ToolURL: b.ToolURL, InternalNote: b.InternalNote}
				if _, err := api.app.CreateProject(ctx, p); err != nil {
					return nil, "", 0, err
				}
				return p, BasePath + "/projects/" + p.ID, p.Version, nil
			}, rereader(api.app.Project, func(v *liaison.Project) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-project", Method: http.MethodGet, Path: "/projects/{id}", Tags: tags,
		Summary: "Get a project"}, liaison.AccessRead, api.getProject)
	register(api, huma.Operation{OperationID: "update-project", Method: http.MethodPatch, Path: "/projects/{id}", Tags: tags,
		Summary: "Update a project (JSON merge patch), its status and health included",
		Description: "Status transitions: proposed → agreed → in_progress → closed; proposed, agreed, in_progress → cancelled; " +
			"agreed → proposed; cancelled → proposed. Others answer 422 naming the allowed ones. Changing health needs a new " +
			"health_note (why); the change is kept in the health history. Becoming agreed mails the steering-group guide (PDF) " +
			"to the account's customer and records the delivery. The project manager, the account's writers, head and admin.",
		RequestBody: mergePatchBody[liaison.Project](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.Project], error) {
			cur, err := api.app.Project(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			p, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if _, err := api.app.UpdateProject(ctx, p, v); err != nil {
				return nil, err
			}
			return api.getProject(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-project", Method: http.MethodDelete, Path: "/projects/{id}", Tags: tags,
		Summary: "Move a project to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				p, err := api.app.Project(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return p.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteProject(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-project", Method: http.MethodPost, Path: "/projects/{id}/restore", Tags: tags,
		Summary: "Bring a project back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Project], error) {
			p, err := api.app.RestoreProject(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Project]{ETag: etag(p.Version), Body: p}, nil
		})
	register(api, huma.Operation{OperationID: "list-project-history", Method: http.MethodGet, Path: "/projects/{id}/history", Tags: tags,
		Summary: "The audit trail of a project, newest first"}, liaison.AccessRead, api.history("project"))
	register(api, huma.Operation{OperationID: "list-project-health", Method: http.MethodGet, Path: "/projects/{id}/health", Tags: tags,
		Summary: "The project's health history, oldest first: every RAG change with when, who and why"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.HealthChange], error) {
			hs, err := api.app.HealthHistory(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(hs), nil
		})

	register(api, huma.Operation{OperationID: "list-project-board", Method: http.MethodGet, Path: "/projects/{id}/board", Tags: tags,
		Summary: "The project's steering group, by role"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.BoardMember], error) {
			ms, err := api.app.Board(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(ms), nil
		})
	register(api, huma.Operation{OperationID: "add-project-board-member", Method: http.MethodPost, Path: "/projects/{id}/board", Tags: tags,
		Summary: "Name a steering-group member",
		Description: "A customer contact (person_id) or an IT user (user_id), not both. One executive only and one relationship " +
			"manager seat (409 naming the holder); the relationship manager's seat is an IT user and says whether it represents " +
			"the customer or the supplier. A member with an email address is mailed the guide (PDF) in their language; the " +
			"delivery is recorded (see guide/deliveries).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *boardMemberInput) (*struct {
			Location string `header:"Location"`
			Body     *liaison.BoardMember
		}, error) {
			b := in.Body
			m := &liaison.BoardMember{ProjectID: in.ID, Role: b.Role, PersonID: b.PersonID, UserID: b.UserID, Represents: b.Represents, Note: b.Note}
			if _, err := api.app.AddBoardMember(ctx, m); err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *liaison.BoardMember
			}{BasePath + "/projects/" + in.ID + "/board/" + m.ID, m}, nil
		})
	register(api, huma.Operation{OperationID: "get-project-board-member", Method: http.MethodGet, Path: "/projects/{id}/board/{member_id}", Tags: tags,
		Summary: "One steering-group seat"}, liaison.AccessRead,
		func(ctx context.Context, in *boardMemberIDInput) (*struct{ Body *liaison.BoardMember }, error) {
			m, err := api.app.BoardMember(ctx, in.ID, in.MemberID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.BoardMember }{m}, nil
		})
	register(api, huma.Operation{OperationID: "remove-project-board-member", Method: http.MethodDelete, Path: "/projects/{id}/board/{member_id}", Tags: tags,
		Summary: "Take a member off the steering group", Description: "The audit trail keeps the seat.", DefaultStatus: http.StatusNoContent},
		liaison.AccessRead, func(ctx context.Context, in *boardMemberIDInput) (*struct{}, error) {
			return nil, api.app.RemoveBoardMember(ctx, in.ID, in.MemberID)
		})
	register(api, huma.Operation{OperationID: "resend-project-guide", Method: http.MethodPost, Path: "/projects/{id}/board/{member_id}/guide", Tags: tags,
		Summary: "Mail the guide to a member again", Description: "Records the delivery; 422 when the member has no email address.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *boardMemberIDInput) (*struct{ Body *liaison.GuideDelivery }, error) {
			d, err := api.app.ResendGuide(ctx, in.ID, in.MemberID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.GuideDelivery }{d}, nil
		})

	guideSchema := api.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(report.Guide{}), true, "SteeringGroupGuide")
	register(api, huma.Operation{OperationID: "get-project-guide", Method: http.MethodGet, Path: "/projects/{id}/guide", Tags: tags,
		Summary: "The one-page steering-group guide",
		Description: "The responsibilities of each steering-group role in the reader's language: a member's copy (member_id, their " +
			"seat marked) or the customer's copy. format=pdf answers the printable one-page PDF.",
		Responses: map[string]*huma.Response{"200": {Description: "The guide", Content: map[string]*huma.MediaType{
			"application/json": {Schema: guideSchema}, "application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, liaison.AccessRead, func(ctx context.Context, in *guideInput) (*reportContent, error) {
		if in.Format == "pdf" {
			pdf, g, err := api.app.GuidePDF(ctx, in.ID, in.MemberID, liaison.Language(in.Lang))
			if err != nil {
				return nil, err
			}
			return &reportContent{ContentType: "application/pdf",
				ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": app.GuideFileName(g)}), Body: pdf}, nil
		}
		g, err := api.app.Guide(ctx, in.ID, in.MemberID, liaison.Language(in.Lang))
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(g)
		if err != nil {
			return nil, err
		}
		return &reportContent{ContentType: "application/json", Body: body}, nil
	})
	register(api, huma.Operation{OperationID: "list-project-guide-deliveries", Method: http.MethodGet, Path: "/projects/{id}/guide/deliveries", Tags: tags,
		Summary: "Who received the steering-group guide, when and in which language, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.GuideDelivery], error) {
			ds, err := api.app.GuideDeliveries(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(ds), nil
		})
	register(api, huma.Operation{OperationID: "review-project-guide", Method: http.MethodPost, Path: "/projects/{id}/guide/review", Tags: tags,
		Summary: "Record that the guide was reviewed at a steering-group meeting",
		Description: "The meeting must be a steering_group meeting of the project's account that has begun; its date is recorded as " +
			"guide_reviewed_on.", Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *guideReviewInput) (*one[liaison.Project], error) {
			p, err := api.app.ReviewGuide(ctx, in.ID, in.Body.MeetingID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Project]{ETag: etag(p.Version), Body: p}, nil
		})

	register(api, huma.Operation{OperationID: "list-project-lessons", Method: http.MethodGet, Path: "/projects/{id}/lessons", Tags: tags,
		Summary: "The project's lessons log, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.Lesson], error) {
			ls, err := api.app.Lessons(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(ls), nil
		})
	register(api, huma.Operation{OperationID: "create-project-lesson", Method: http.MethodPost, Path: "/projects/{id}/lessons", Tags: tags,
		Summary: "Add a lesson", Description: "The project's writers. internal keeps it out of the customer report pack.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *lessonInput) (*struct {
			Location string `header:"Location"`
			Body     *liaison.Lesson
		}, error) {
			b := in.Body
			l := &liaison.Lesson{ProjectID: in.ID, Title: b.Title, WhatHappened: b.WhatHappened, Recommendation: b.Recommendation,
				Category: b.Category, On: b.On, Internal: b.Internal}
			if err := api.app.AddLesson(ctx, l); err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *liaison.Lesson
			}{BasePath + "/projects/" + in.ID + "/lessons/" + l.ID, l}, nil
		})
	register(api, huma.Operation{OperationID: "get-project-lesson", Method: http.MethodGet, Path: "/projects/{id}/lessons/{lesson_id}", Tags: tags,
		Summary: "One lesson"}, liaison.AccessRead,
		func(ctx context.Context, in *lessonIDInput) (*struct{ Body *liaison.Lesson }, error) {
			l, err := api.app.Lesson(ctx, in.ID, in.LessonID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.Lesson }{l}, nil
		})
	register(api, huma.Operation{OperationID: "delete-project-lesson", Method: http.MethodDelete, Path: "/projects/{id}/lessons/{lesson_id}", Tags: tags,
		Summary: "Remove a lesson", Description: "The audit trail keeps it.", DefaultStatus: http.StatusNoContent}, liaison.AccessRead,
		func(ctx context.Context, in *lessonIDInput) (*struct{}, error) {
			return nil, api.app.DeleteLesson(ctx, in.ID, in.LessonID)
		})
}

func (api *API) getProject(ctx context.Context, in *idInput) (*one[liaison.Project], error) {
	p, err := api.app.Project(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Project]{ETag: etag(p.Version), Body: p}, nil
}
