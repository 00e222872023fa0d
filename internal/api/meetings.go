package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// MeetingCreate is the body that plans a meeting.
type MeetingCreate struct {
	OrganisationID string                       `json:"organisation_id" doc:"The customer account. Required."`
	Type           liaison.MeetingType          `json:"type" enum:"service_review,planning,budget,steering_group,other" doc:"Required."`
	Form           liaison.MeetingForm          `json:"form,omitempty" enum:"in_person,video,phone,third_party" doc:"Default in_person."`
	Title          string                       `json:"title" maxLength:"200" doc:"Required."`
	OrganiserID    *string                      `json:"organiser_id,omitempty" doc:"Default: the caller."`
	StartsAt       time.Time                    `json:"starts_at" doc:"RFC 3339, any offset. Required."`
	EndsAt         time.Time                    `json:"ends_at" doc:"After starts_at. Required."`
	Location       string                       `json:"location,omitempty" maxLength:"200"`
	Link           string                       `json:"link,omitempty" maxLength:"2000" doc:"An http(s) address."`
	Agenda         string                       `json:"agenda,omitempty" maxLength:"20000"`
	TemplateID     string                       `json:"template_id,omitempty" maxLength:"200" doc:"Fills an empty agenda from this template (GET /meeting-templates) in the organiser's language. A service review without agenda or template gets the built-in service-review template."`
	Participants   []liaison.MeetingParticipant `json:"participants,omitempty" maxItems:"200" doc:"Each {\"user_id\": …} or {\"person_id\": …}."`
}

type meetingCreateInput struct {
	IdempotencyHeader
	Body MeetingCreate
}

type meetingListInput struct {
	PageParams
	Q              string    `query:"q" maxLength:"200" doc:"Words that must each begin a word of the title, place, agenda, minutes, organiser or account."`
	Sort           string    `query:"sort" enum:"starts_at,-starts_at,created_at,-created_at,updated_at,-updated_at" doc:"Default starts_at (soonest first)."`
	OrganisationID string    `query:"organisation_id" doc:"The account's meetings."`
	Type           string    `query:"type" enum:"service_review,planning,budget,steering_group,other"`
	Status         string    `query:"status" enum:"planned,held,cancelled"`
	OrganiserID    string    `query:"organiser_id"`
	ParticipantID  string    `query:"participant_user_id" doc:"Meetings the user organises or takes part in."`
	From           time.Time `query:"from" doc:"starts_at at or after (RFC 3339)."`
	To             time.Time `query:"to" doc:"starts_at before (RFC 3339)."`
	Trashed        bool      `query:"trashed" doc:"List the trash instead (admin and head)."`
}

type accountMeetingsInput struct {
	ID string `path:"id"`
	PageParams
	Status string    `query:"status" enum:"planned,held,cancelled"`
	Sort   string    `query:"sort" enum:"starts_at,-starts_at" doc:"Default starts_at."`
	From   time.Time `query:"from" doc:"starts_at at or after (RFC 3339)."`
}

type meetingPublishInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; without it, the current version."`
}

type meetingDecisionInput struct {
	ID   string `path:"id"`
	Body struct {
		Text string `json:"text" maxLength:"20000" doc:"The decision. Required."`
	}
}

type meetingDecisionIDInput struct {
	ID         string `path:"id"`
	DecisionID string `path:"decision_id"`
}

type sendReportInput struct {
	ID   string `path:"id"`
	Body struct {
		PersonIDs []string `json:"person_ids,omitempty" maxItems:"200" doc:"The customer-contact participants to send it to; default all of them."`
	}
}

// MeetingTemplateCreate is the body that stores an agenda template.
type MeetingTemplateCreate struct {
	Name   string              `json:"name" maxLength:"200" doc:"Required."`
	Type   liaison.MeetingType `json:"type,omitempty" enum:"service_review,planning,budget,steering_group,other," doc:"The meeting type it is for; empty for any."`
	Agenda string              `json:"agenda" maxLength:"20000" doc:"Required."`
}

type meetingTemplateCreateInput struct {
	IdempotencyHeader
	Body MeetingTemplateCreate
}

type meetingTemplateListInput struct {
	Trashed bool `query:"trashed" doc:"List the trashed templates (admin and head)."`
}

// lang is the caller's language: the built-in template answers in it.
func lang(ctx context.Context) liaison.Language {
	if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil {
		return p.User.Language
	}
	return ""
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (api *API) registerMeetings() {
	tags := []string{"meetings"}
	pt := newPatcher[liaison.Meeting](api, "organisation_name", "organiser_name", "published_at", "deleted_at")
	register(api, huma.Operation{OperationID: "list-meetings", Method: http.MethodGet, Path: "/meetings", Tags: tags,
		Summary: "List meetings", Description: "Soonest first by default; from/to select on starts_at."}, liaison.AccessRead,
		func(ctx context.Context, in *meetingListInput) (*listed[*liaison.Meeting], error) {
			items, next, err := api.app.Meetings(ctx, liaison.MeetingFilter{Q: in.Q, OrganisationID: in.OrganisationID,
				Type: liaison.MeetingType(in.Type), Status: liaison.MeetingStatus(in.Status), OrganiserID: in.OrganiserID,
				ParticipantUserID: in.ParticipantID, From: optTime(in.From), To: optTime(in.To), Trashed: in.Trashed, Sort: in.Sort,
				Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "list-account-meetings", Method: http.MethodGet, Path: "/organisations/{id}/meetings", Tags: tags,
		Summary: "The meetings of an account", Description: "Soonest first; from=now with status=planned gives the upcoming ones."}, liaison.AccessRead,
		func(ctx context.Context, in *accountMeetingsInput) (*listed[*liaison.Meeting], error) {
			if _, err := api.app.Organisation(ctx, in.ID); err != nil {
				return nil, err
			}
			items, next, err := api.app.Meetings(ctx, liaison.MeetingFilter{OrganisationID: in.ID, Status: liaison.MeetingStatus(in.Status),
				From: optTime(in.From), Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-meeting", Method: http.MethodPost, Path: "/meetings", Tags: tags,
		Summary:       "Plan a meeting",
		Description:   "The account's relationship manager and deputy, staff, head and admin. It starts planned.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *meetingCreateInput) (*created[liaison.Meeting], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /meetings", in.Body, func(ctx context.Context) (*liaison.Meeting, string, int, error) {
				b := in.Body
				m := &liaison.Meeting{OrganisationID: b.OrganisationID, Type: b.Type, Form: b.Form, Title: b.Title, OrganiserID: b.OrganiserID,
					StartsAt: b.StartsAt, EndsAt: b.EndsAt, Location: b.Location, Link: b.Link, Agenda: b.Agenda, Participants: b.Participants}
				if err := api.app.CreateMeeting(ctx, m, b.TemplateID); err != nil {
					return nil, "", 0, err
				}
				return m, BasePath + "/meetings/" + m.ID, m.Version, nil
			}, rereader(api.app.Meeting, func(v *liaison.Meeting) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-meeting", Method: http.MethodGet, Path: "/meetings/{id}", Tags: tags,
		Summary: "Get a meeting with its participants"}, liaison.AccessRead, api.getMeeting)
	register(api, huma.Operation{OperationID: "update-meeting", Method: http.MethodPatch, Path: "/meetings/{id}", Tags: tags,
		Summary: "Update a meeting (JSON merge patch), its status and participants included",
		Description: "Status transitions: planned → held | cancelled; cancelled → planned. held is final; others answer 422 naming the " +
			"allowed next states. participants replaces the whole list. While the report is published the minutes cannot change " +
			"(unpublish first). The organiser, the account's relationship manager and deputy, head and admin.",
		RequestBody: mergePatchBody[liaison.Meeting](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.Meeting], error) {
			cur, err := api.app.Meeting(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			m, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateMeeting(ctx, m, v); err != nil {
				return nil, err
			}
			return api.getMeeting(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-meeting", Method: http.MethodDelete, Path: "/meetings/{id}", Tags: tags,
		Summary: "Move a meeting to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				m, err := api.app.Meeting(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return m.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteMeeting(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-meeting", Method: http.MethodPost, Path: "/meetings/{id}/restore", Tags: tags,
		Summary: "Bring a meeting back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Meeting], error) {
			m, err := api.app.RestoreMeeting(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Meeting]{ETag: etag(m.Version), Body: m}, nil
		})
	register(api, huma.Operation{OperationID: "list-meeting-history", Method: http.MethodGet, Path: "/meetings/{id}/history", Tags: tags,
		Summary: "The audit trail of a meeting, newest first"}, liaison.AccessRead, api.history("meeting"))
	publish := func(on bool) func(ctx context.Context, in *meetingPublishInput) (*one[liaison.Meeting], error) {
		return func(ctx context.Context, in *meetingPublishInput) (*one[liaison.Meeting], error) {
			v := 0 // no If-Match: the current version
			if strings.TrimSpace(in.IfMatch) != "" {
				var err error
				if v, err = ifVersion(in.IfMatch, func() (int, error) {
					m, err := api.app.Meeting(ctx, in.ID)
					if err != nil {
						return 0, err
					}
					return m.Version, nil
				}); err != nil {
					return nil, err
				}
				if v == 0 {
					v = -1 // "0" names no version; to the app 0 would mean the current one
				}
			}
			m, err := api.app.PublishMeeting(ctx, in.ID, v, on)
			if err != nil {
				return nil, err
			}
			return api.getMeeting(ctx, &idInput{ID: m.ID})
		}
	}
	register(api, huma.Operation{OperationID: "publish-meeting", Method: http.MethodPost, Path: "/meetings/{id}/publish", Tags: tags,
		Summary:     "Publish the minutes as the meeting report",
		Description: "Only a held meeting with minutes (422 naming what is missing). Sets published_at; the meeting stays held.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusUnprocessableEntity}}, liaison.AccessRead, publish(true))
	register(api, huma.Operation{OperationID: "unpublish-meeting", Method: http.MethodPost, Path: "/meetings/{id}/unpublish", Tags: tags,
		Summary:     "Withdraw the meeting report to correct it",
		Description: "Clears published_at so the minutes and decisions can change; publish again afterwards. A report already sent stays sent; the audit trail keeps what was published.",
		Errors:      []int{http.StatusPreconditionFailed}}, liaison.AccessRead, publish(false))
	register(api, huma.Operation{OperationID: "send-meeting-report", Method: http.MethodPost, Path: "/meetings/{id}/send-report", Tags: tags,
		Summary: "Email the published meeting report to customer contacts",
		Description: "Queues the report (minutes, decisions, participants) in the mail outbox for the chosen customer-contact " +
			"participants, each in their language; once per person and publication. 422 when the report is not published or a " +
			"person is no participant or has no email address.",
		Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *sendReportInput) (*struct{ Body *app.ReportSent }, error) {
			r, err := api.app.SendMeetingReport(ctx, in.ID, in.Body.PersonIDs)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *app.ReportSent }{r}, nil
		})

	register(api, huma.Operation{OperationID: "list-meeting-decisions", Method: http.MethodGet, Path: "/meetings/{id}/decisions", Tags: tags,
		Summary: "The decisions of a meeting, in the order taken"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.MeetingDecision], error) {
			ds, err := api.app.MeetingDecisions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(ds), nil
		})
	register(api, huma.Operation{OperationID: "create-meeting-decision", Method: http.MethodPost, Path: "/meetings/{id}/decisions", Tags: tags,
		Summary: "Record a decision taken at the meeting", Description: "422 while the report is published.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *meetingDecisionInput) (*struct {
			Location string `header:"Location"`
			Body     *liaison.MeetingDecision
		}, error) {
			d := &liaison.MeetingDecision{MeetingID: in.ID, Text: in.Body.Text}
			if err := api.app.AddMeetingDecision(ctx, d); err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *liaison.MeetingDecision
			}{BasePath + "/meetings/" + in.ID + "/decisions/" + d.ID, d}, nil
		})
	register(api, huma.Operation{OperationID: "delete-meeting-decision", Method: http.MethodDelete, Path: "/meetings/{id}/decisions/{decision_id}", Tags: tags,
		Summary: "Remove a decision", Description: "422 while the report is published; the audit trail keeps it.",
		DefaultStatus: http.StatusNoContent}, liaison.AccessRead,
		func(ctx context.Context, in *meetingDecisionIDInput) (*struct{}, error) {
			return nil, api.app.DeleteMeetingDecision(ctx, in.ID, in.DecisionID)
		})

	api.registerMeetingTemplates()
}

func (api *API) getMeeting(ctx context.Context, in *idInput) (*one[liaison.Meeting], error) {
	m, err := api.app.Meeting(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Meeting]{ETag: etag(m.Version), Body: m}, nil
}

func (api *API) registerMeetingTemplates() {
	tags := []string{"meetings"}
	pt := newPatcher[liaison.MeetingTemplate](api, "built_in", "deleted_at")
	register(api, huma.Operation{OperationID: "list-meeting-templates", Method: http.MethodGet, Path: "/meeting-templates", Tags: tags,
		Summary: "List agenda templates",
		Description: "The built-in service-review template (id builtin-service-review, the review contents of seed 002 §3.2.3) in the " +
			"caller's language first, then the stored templates by name."}, liaison.AccessRead,
		func(ctx context.Context, in *meetingTemplateListInput) (*items[*liaison.MeetingTemplate], error) {
			ts, err := api.app.MeetingTemplates(ctx, lang(ctx), in.Trashed)
			if err != nil {
				return nil, err
			}
			return itemsOf(ts), nil
		})
	register(api, huma.Operation{OperationID: "create-meeting-template", Method: http.MethodPost, Path: "/meeting-templates", Tags: tags,
		Summary: "Store an agenda template", Description: "Head and admin.", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *meetingTemplateCreateInput) (*created[liaison.MeetingTemplate], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /meeting-templates", in.Body, func(ctx context.Context) (*liaison.MeetingTemplate, string, int, error) {
				t := &liaison.MeetingTemplate{Name: in.Body.Name, Type: in.Body.Type, Agenda: in.Body.Agenda}
				if err := api.app.CreateMeetingTemplate(ctx, t); err != nil {
					return nil, "", 0, err
				}
				return t, BasePath + "/meeting-templates/" + t.ID, t.Version, nil
			}, rereader(func(ctx context.Context, id string) (*liaison.MeetingTemplate, error) {
				return api.app.MeetingTemplate(ctx, id, lang(ctx))
			}, func(v *liaison.MeetingTemplate) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-meeting-template", Method: http.MethodGet, Path: "/meeting-templates/{id}", Tags: tags,
		Summary: "Get an agenda template", Description: "The built-in one answers in the caller's language."}, liaison.AccessRead, api.getMeetingTemplate)
	register(api, huma.Operation{OperationID: "update-meeting-template", Method: http.MethodPatch, Path: "/meeting-templates/{id}", Tags: tags,
		Summary: "Update an agenda template (JSON merge patch)", Description: "Head and admin; the built-in template answers 409.",
		RequestBody: mergePatchBody[liaison.MeetingTemplate](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.MeetingTemplate], error) {
			cur, err := api.app.MeetingTemplate(ctx, in.ID, lang(ctx))
			if err != nil {
				return nil, err
			}
			t, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateMeetingTemplate(ctx, t, v); err != nil {
				return nil, err
			}
			return api.getMeetingTemplate(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-meeting-template", Method: http.MethodDelete, Path: "/meeting-templates/{id}", Tags: tags,
		Summary: "Move an agenda template to the trash", Description: "Meetings keep the agenda they copied from it.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				t, err := api.app.MeetingTemplate(ctx, in.ID, lang(ctx))
				if err != nil {
					return 0, err
				}
				return t.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteMeetingTemplate(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-meeting-template", Method: http.MethodPost, Path: "/meeting-templates/{id}/restore", Tags: tags,
		Summary: "Bring an agenda template back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.MeetingTemplate], error) {
			t, err := api.app.RestoreMeetingTemplate(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.MeetingTemplate]{ETag: etag(t.Version), Body: t}, nil
		})
}

func (api *API) getMeetingTemplate(ctx context.Context, in *idInput) (*one[liaison.MeetingTemplate], error) {
	t, err := api.app.MeetingTemplate(ctx, in.ID, lang(ctx))
	if err != nil {
		return nil, err
	}
	return &one[liaison.MeetingTemplate]{ETag: etag(t.Version), Body: t}, nil
}
