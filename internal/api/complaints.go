package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// ComplaintCreate is the body that registers a complaint, suggestion or
// service request.
type ComplaintCreate struct {
	OrganisationID   string                   `json:"organisation_id" doc:"The account or a unit under it. Required."`
	ServiceID        *string                  `json:"service_id,omitempty" doc:"The service complained about; its owner becomes the responsible party."`
	SupplierID       *string                  `json:"supplier_id,omitempty" doc:"The third-party supplier behind the problem, if any."`
	ReporterPersonID *string                  `json:"reporter_person_id,omitempty" doc:"The customer contact who complained."`
	ReporterUserID   *string                  `json:"reporter_user_id,omitempty" doc:"Or the IT user who complained."`
	Channel          liaison.ComplaintChannel `json:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal" doc:"Required."`
	Classification   liaison.Classification   `json:"classification,omitempty" enum:"complaint,suggestion,service_request" doc:"Default complaint. Only complaints count as complaints."`
	ExternalTicket   string                   `json:"external_ticket,omitempty" maxLength:"200" doc:"Required for a service_request: the service desk ticket it was handed off to."`
	Severity         liaison.Severity         `json:"severity,omitempty" enum:"low,medium,high,serious" doc:"Default medium."`
	Title            string                   `json:"title" maxLength:"200" doc:"Required."`
	Description      string                   `json:"description,omitempty" maxLength:"20000"`
	Category         string                   `json:"category,omitempty" maxLength:"200"`
	RootCause        string                   `json:"root_cause,omitempty" maxLength:"20000"`
	ReceivedAt       *time.Time               `json:"received_at,omitempty" doc:"When it was received; default now."`
	CoordinatorID    *string                  `json:"coordinator_id,omitempty" doc:"Default: the configured complaint coordinator."`
	ResponsibleID    *string                  `json:"responsible_id,omitempty" doc:"Default: derived from the service owner or the account's relationship manager."`
	Note             string                   `json:"note,omitempty" maxLength:"20000" doc:"A note for the history entry."`
}

type complaintCreateInput struct {
	IdempotencyHeader
	Body ComplaintCreate
}

type complaintListInput struct {
	ListParams
	OrganisationID   string `query:"organisation_id" doc:"A unit; for an account, everything under it."`
	AccountID        string `query:"account_id"`
	ServiceID        string `query:"service_id"`
	SupplierID       string `query:"supplier_id"`
	ReporterPersonID string `query:"reporter_person_id"`
	Channel          string `query:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal"`
	Classification   string `query:"classification" enum:"complaint,suggestion,service_request"`
	Status           string `query:"status" enum:"received,confirmed,investigating,action,resolved,closed"`
	Severity         string `query:"severity" enum:"low,medium,high,serious"`
	Category         string `query:"category"`
	CoordinatorID    string `query:"coordinator_id"`
	ResponsibleID    string `query:"responsible_id"`
	Open             string `query:"open" enum:"true,false" doc:"true: not yet resolved or closed."`
	Recurring        string `query:"recurring" enum:"true,false"`
}

// TransitionBody moves a complaint to its next status.
type TransitionBody struct {
	Status     liaison.ComplaintStatus `json:"status" enum:"received,confirmed,investigating,action,resolved,closed" doc:"The next status; others answer 422 naming the allowed ones."`
	Note       string                  `json:"note,omitempty" maxLength:"20000" doc:"Recorded with the transition."`
	SkipReason string                  `json:"skip_reason,omitempty" maxLength:"20000" doc:"Required for received → investigating: why nothing needed confirming with the customer."`
	Notify     bool                    `json:"notify,omitempty" doc:"Email the reporter the new status, in their language (logged as a communication)."`
	Message    string                  `json:"message,omitempty" maxLength:"20000" doc:"Added to the notification."`
}

type transitionInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; without it the transition applies to the current version (the lifecycle still refuses a step from the wrong status)."`
	Body    TransitionBody
}

type beyondLevelInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; without it, the current version."`
	Body    struct {
		Explanation string `json:"explanation" maxLength:"20000" doc:"Why the complaint cannot be solved within the current service level. Required."`
	}
}

// CommunicationCreate logs an exchange with the complainant.
type CommunicationCreate struct {
	Kind      liaison.CommunicationKind `json:"kind" enum:"email,call,meeting,letter,note" doc:"Required. Notifications are logged when sent."`
	Direction string                    `json:"direction,omitempty" enum:"in,out" doc:"Default out."`
	At        *time.Time                `json:"at,omitempty" doc:"When; default now."`
	PersonID  *string                   `json:"person_id,omitempty"`
	Summary   string                    `json:"summary" maxLength:"20000" doc:"Required."`
}

type communicationInput struct {
	ID   string `path:"id"`
	Body CommunicationCreate
}

func (api *API) registerComplaints() {
	tags := []string{"complaints"}
	pt := newPatcher[liaison.Complaint](api, "account_id", "beyond_level_explanation", "improvement_id", "recurring", "resolved_at",
		"closed_at", "organisation_name", "account_name", "service_name", "reporter_name", "coordinator_name", "responsible_name", "deleted_at")
	register(api, huma.Operation{OperationID: "list-complaints", Method: http.MethodGet, Path: "/complaints", Tags: tags,
		Summary:     "List complaints, suggestions and service requests",
		Description: "Newest first by default; sort name orders by title. q matches the title, description, category, root cause, ticket, reporter, service and account."},
		liaison.AccessRead, func(ctx context.Context, in *complaintListInput) (*listed[*liaison.Complaint], error) {
			f := liaison.ComplaintFilter{Q: in.Q, OrganisationID: in.OrganisationID, AccountID: in.AccountID, ServiceID: in.ServiceID,
				SupplierID: in.SupplierID, ReporterPersonID: in.ReporterPersonID, Channel: liaison.ComplaintChannel(in.Channel), Classification: liaison.Classification(in.Classification),
				Status: liaison.ComplaintStatus(in.Status), Severity: liaison.Severity(in.Severity), Category: in.Category,
				CoordinatorID: in.CoordinatorID, ResponsibleID: in.ResponsibleID, Open: boolParam(in.Open), Recurring: boolParam(in.Recurring),
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor}
			items, next, err := api.app.Complaints(ctx, f)
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-complaint", Method: http.MethodPost, Path: "/complaints", Tags: tags,
		Summary: "Register a complaint, suggestion or service request",
		Description: "Any IT user but viewers may register. A complaint that completes a recurrence cluster (the settings' count about one service " +
			"or in one category within the settings' days) flags the cluster and raises one escalation to head, in the same transaction; later ones are linked to it.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *complaintCreateInput) (*created[liaison.Complaint], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /complaints", in.Body, func(ctx context.Context) (*liaison.Complaint, string, int, error) {
				b := in.Body
				c := &liaison.Complaint{OrganisationID: b.OrganisationID, ServiceID: b.ServiceID, SupplierID: b.SupplierID,
					ReporterPersonID: b.ReporterPersonID, ReporterUserID: b.ReporterUserID, Channel: b.Channel,
					Classification: b.Classification, ExternalTicket: b.ExternalTicket, Severity: b.Severity, Title: b.Title,
					Description: b.Description, Category: b.Category, RootCause: b.RootCause, CoordinatorID: b.CoordinatorID,
					ResponsibleID: b.ResponsibleID, Note: b.Note}
				if b.ReceivedAt != nil {
					c.ReceivedAt = *b.ReceivedAt
				}
				if err := api.app.CreateComplaint(ctx, c); err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/complaints/" + c.ID, c.Version, nil
			}, rereader(api.app.Complaint, func(v *liaison.Complaint) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-complaint", Method: http.MethodGet, Path: "/complaints/{id}", Tags: tags,
		Summary: "Get a complaint"}, liaison.AccessRead, api.getComplaint)
	register(api, huma.Operation{OperationID: "update-complaint", Method: http.MethodPatch, Path: "/complaints/{id}", Tags: tags,
		Summary:     "Update a complaint (JSON merge patch)",
		Description: "Reclassification and reassignment are recorded in the history. A status change is checked like a transition (use POST /complaints/{id}/transitions to add a note, a skip reason or a notification).",
		RequestBody: mergePatchBody[liaison.Complaint](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessSignedIn, func(ctx context.Context, in *patchInput) (*one[liaison.Complaint], error) {
			cur, err := api.app.Complaint(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			c, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateComplaint(ctx, c, v); err != nil {
				return nil, err
			}
			return api.getComplaint(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-complaint", Method: http.MethodDelete, Path: "/complaints/{id}", Tags: tags,
		Summary: "Move a complaint to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, api.complaintVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteComplaint(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-complaint", Method: http.MethodPost, Path: "/complaints/{id}/restore", Tags: tags,
		Summary: "Bring a complaint back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Complaint], error) {
			c, err := api.app.RestoreComplaint(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Complaint]{ETag: etag(c.Version), Body: c}, nil
		})
	register(api, huma.Operation{OperationID: "transition-complaint", Method: http.MethodPost, Path: "/complaints/{id}/transitions", Tags: tags,
		Summary: "Move a complaint to its next status",
		Description: "received → confirmed | investigating (with skip_reason) · confirmed → investigating · investigating → action | resolved · " +
			"action → resolved · resolved → closed | investigating. Others answer 422 naming the allowed next states. With notify the reporter gets an email in their language.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusUnprocessableEntity}},
		liaison.AccessSignedIn, func(ctx context.Context, in *transitionInput) (*one[liaison.Complaint], error) {
			v, err := actionVersion(in.IfMatch, api.complaintVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			b := in.Body
			c, err := api.app.TransitionComplaint(ctx, in.ID, v, app.Transition{Status: b.Status, Note: b.Note, SkipReason: b.SkipReason,
				Notify: b.Notify, Message: b.Message})
			if err != nil {
				return nil, err
			}
			return &one[liaison.Complaint]{ETag: etag(c.Version), Body: c}, nil
		})
	register(api, huma.Operation{OperationID: "complaint-beyond-level", Method: http.MethodPost, Path: "/complaints/{id}/beyond-level", Tags: tags,
		Summary:     "Record that a complaint cannot be solved within the current service level",
		Description: "The explanation is required; an improvement suggestion is made from it.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusUnprocessableEntity}},
		liaison.AccessSignedIn, func(ctx context.Context, in *beyondLevelInput) (*one[liaison.Complaint], error) {
			v, err := actionVersion(in.IfMatch, api.complaintVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			c, err := api.app.ComplaintBeyondLevel(ctx, in.ID, v, in.Body.Explanation)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Complaint]{ETag: etag(c.Version), Body: c}, nil
		})
	register(api, huma.Operation{OperationID: "list-complaint-events", Method: http.MethodGet, Path: "/complaints/{id}/events", Tags: tags,
		Summary: "A complaint's history: transitions, reclassifications, reassignments, oldest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*listed[*liaison.ComplaintEvent], error) {
			items, err := api.app.ComplaintEvents(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range items {
				e.At = e.At.UTC()
			}
			return page(items, ""), nil
		})
	register(api, huma.Operation{OperationID: "list-complaint-communications", Method: http.MethodGet, Path: "/complaints/{id}/communications", Tags: tags,
		Summary: "What was said with the complainant, oldest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*listed[*liaison.Communication], error) {
			items, err := api.app.Communications(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			for _, m := range items {
				m.At = m.At.UTC()
			}
			return page(items, ""), nil
		})
	register(api, huma.Operation{OperationID: "log-complaint-communication", Method: http.MethodPost, Path: "/complaints/{id}/communications", Tags: tags,
		Summary: "Log a call, email, meeting, letter or note with the complainant", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *communicationInput) (*struct{ Body *liaison.Communication }, error) {
			b := in.Body
			m := &liaison.Communication{ComplaintID: in.ID, Kind: b.Kind, Direction: b.Direction, PersonID: b.PersonID, Summary: b.Summary}
			if b.At != nil {
				m.At = *b.At
			}
			if err := api.app.LogCommunication(ctx, m); err != nil {
				return nil, err
			}
			m.At = m.At.UTC()
			return &struct{ Body *liaison.Communication }{m}, nil
		})
	register(api, huma.Operation{OperationID: "list-complaint-history", Method: http.MethodGet, Path: "/complaints/{id}/history", Tags: tags,
		Summary: "The audit trail of a complaint, newest first"}, liaison.AccessRead, api.history("complaint"))
	api.registerEscalations()
}

// actionVersion is the version a POST action applies to: If-Match's when
// given (412 when stale), else the current one.
func actionVersion(header string, current func() (int, error)) (int, error) {
	if header == "" {
		return current()
	}
	return ifVersion(header, current)
}

func (api *API) complaintVersion(ctx context.Context, id string) func() (int, error) {
	return func() (int, error) {
		c, err := api.app.Complaint(ctx, id)
		if err != nil {
			return 0, err
		}
		return c.Version, nil
	}
}

func (api *API) getComplaint(ctx context.Context, in *idInput) (*one[liaison.Complaint], error) {
	c, err := api.app.Complaint(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Complaint]{ETag: etag(c.Version), Body: c}, nil
}

// EscalationCreate raises an escalation by hand.
type EscalationCreate struct {
	Target         liaison.EscalationTarget `json:"target" enum:"head,steering_group" doc:"Required."`
	Reason         string                   `json:"reason" maxLength:"20000" doc:"Required."`
	OrganisationID *string                  `json:"organisation_id,omitempty"`
	ServiceID      *string                  `json:"service_id,omitempty"`
	ComplaintIDs   []string                 `json:"complaint_ids,omitempty" maxItems:"500"`
}

type escalationCreateInput struct {
	IdempotencyHeader
	Body EscalationCreate
}

type escalationListInput struct {
	ListParams
	Target         string `query:"target" enum:"head,steering_group"`
	Status         string `query:"status" enum:"open,decided,closed"`
	OrganisationID string `query:"organisation_id"`
	ServiceID      string `query:"service_id"`
	ComplaintID    string `query:"complaint_id"`
}

func (api *API) registerEscalations() {
	tags := []string{"escalations"}
	pt := newPatcher[liaison.Escalation](api, "kind", "category", "raised_by_id", "raised_by_name", "raised_at", "decided_by_id",
		"decided_by_name", "decided_at", "closed_at", "organisation_name", "service_name")
	register(api, huma.Operation{OperationID: "list-escalations", Method: http.MethodGet, Path: "/escalations", Tags: tags,
		Summary: "List escalations, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *escalationListInput) (*listed[*liaison.Escalation], error) {
			items, next, err := api.app.Escalations(ctx, liaison.EscalationFilter{Q: in.Q, Target: liaison.EscalationTarget(in.Target),
				Status: liaison.EscalationStatus(in.Status), OrganisationID: in.OrganisationID, ServiceID: in.ServiceID,
				ComplaintID: in.ComplaintID, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-escalation", Method: http.MethodPost, Path: "/escalations", Tags: tags,
		Summary:       "Raise an escalation to the head of service management or the IT steering group",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *escalationCreateInput) (*created[liaison.Escalation], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /escalations", in.Body, func(ctx context.Context) (*liaison.Escalation, string, int, error) {
				b := in.Body
				e := &liaison.Escalation{Target: b.Target, Reason: b.Reason, OrganisationID: b.OrganisationID, ServiceID: b.ServiceID,
					ComplaintIDs: b.ComplaintIDs}
				if err := api.app.CreateEscalation(ctx, e); err != nil {
					return nil, "", 0, err
				}
				return e, BasePath + "/escalations/" + e.ID, e.Version, nil
			}, rereader(api.app.Escalation, func(v *liaison.Escalation) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-escalation", Method: http.MethodGet, Path: "/escalations/{id}", Tags: tags,
		Summary: "Get an escalation"}, liaison.AccessRead, api.getEscalation)
	register(api, huma.Operation{OperationID: "update-escalation", Method: http.MethodPatch, Path: "/escalations/{id}", Tags: tags,
		Summary:     "Decide or close an escalation (JSON merge patch)",
		Description: "open → decided (needs decision) → closed, or open → closed; the head of service management and admins decide.",
		RequestBody: mergePatchBody[liaison.Escalation](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.Escalation], error) {
			cur, err := api.app.Escalation(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			e, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateEscalation(ctx, e, v); err != nil {
				return nil, err
			}
			return api.getEscalation(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "list-escalation-history", Method: http.MethodGet, Path: "/escalations/{id}/history", Tags: tags,
		Summary: "The audit trail of an escalation, newest first"}, liaison.AccessRead, api.history("escalation"))
}

func (api *API) getEscalation(ctx context.Context, in *idInput) (*one[liaison.Escalation], error) {
	e, err := api.app.Escalation(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Escalation]{ETag: etag(e.Version), Body: e}, nil
}
