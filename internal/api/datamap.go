package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// The customer data map (data-sources), an account's contact channels
// (channels), the contact log (contacts) and announcements (SPEC C15,
// C16; docs/data-map-and-channels.md).

// DataSourceCreate is the body that records a system.
type DataSourceCreate struct {
	Name             string             `json:"name" maxLength:"200" doc:"Required; unique."`
	Description      string             `json:"description,omitempty" maxLength:"20000"`
	Data             string             `json:"data" maxLength:"20000" doc:"What customer data it holds. Required."`
	MaintainerUnit   string             `json:"maintainer_unit,omitempty" maxLength:"200"`
	MaintainerUserID *string            `json:"maintainer_user_id,omitempty"`
	RefreshDays      int                `json:"refresh_days,omitempty" minimum:"0" maximum:"3650"`
	LastUpdatedOn    string             `json:"last_updated_on,omitempty" format:"date"`
	Needs            []liaison.DataNeed `json:"needs,omitempty" maxItems:"50"`
	Flows            []liaison.DataFlow `json:"flows,omitempty" maxItems:"50"`
}

// ChannelCreate is the body that adds a channel to an account.
type ChannelCreate struct {
	OrganisationID string              `json:"organisation_id" doc:"The account. Required."`
	Kind           liaison.ChannelKind `json:"kind" enum:"service_desk,relationship_manager,service_manager,project,other"`
	Name           string              `json:"name" maxLength:"200"`
	Address        string              `json:"address,omitempty" maxLength:"200"`
	UserID         *string             `json:"user_id,omitempty"`
	ServiceID      *string             `json:"service_id,omitempty"`
	Note           string              `json:"note,omitempty" maxLength:"2000"`
}

// ContactCreate is the body that logs a contact.
type ContactCreate struct {
	OrganisationID string                   `json:"organisation_id" doc:"The account or a unit below it. Required."`
	Channel        liaison.ComplaintChannel `json:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal"`
	Kind           liaison.ContactKind      `json:"kind,omitempty" enum:"question,request,development_need,feedback,other" doc:"Default question."`
	Subject        string                   `json:"subject" maxLength:"200"`
	Description    string                   `json:"description,omitempty" maxLength:"20000"`
	ReceivedOn     string                   `json:"received_on,omitempty" format:"date"`
	PersonID       *string                  `json:"person_id,omitempty"`
	ServiceID      *string                  `json:"service_id,omitempty"`
	ResponsibleID  *string                  `json:"responsible_id,omitempty" doc:"Route it at once: the status becomes routed."`
}

// AnnouncementCreate is the body that drafts an announcement.
type AnnouncementCreate struct {
	Kind            liaison.AnnouncementKind `json:"kind" enum:"update,service_change,critical_window,other"`
	Title           string                   `json:"title" maxLength:"200"`
	Body            string                   `json:"body" maxLength:"20000"`
	ServiceID       *string                  `json:"service_id,omitempty"`
	OrganisationIDs []string                 `json:"organisation_ids,omitempty" maxItems:"500"`
	StartsOn        string                   `json:"starts_on,omitempty" format:"date"`
	EndsOn          string                   `json:"ends_on,omitempty" format:"date"`
}

type bodyInput[T any] struct {
	IdempotencyHeader
	Body T
}

type dataSourceListInput struct {
	ListParams
	MaintainerUnit string `query:"maintainer_unit"`
	Trashed        bool   `query:"trashed" doc:"List the trash instead (admin and head)."`
}

type channelListInput struct {
	PageParams
	OrganisationID string `query:"organisation_id"`
	ServiceID      string `query:"service_id"`
	UserID         string `query:"user_id"`
}

type contactListInput struct {
	PageParams
	Q              string                   `query:"q" maxLength:"200"`
	Sort           string                   `query:"sort" enum:"received_on,-received_on,name,-name,created_at,-created_at,updated_at,-updated_at" doc:"Default -received_on."`
	OrganisationID string                   `query:"organisation_id" doc:"The contacts of this unit and the units below it."`
	Status         liaison.ContactStatus    `query:"status" enum:"new,routed,in_progress,closed"`
	Open           bool                     `query:"open" doc:"Every status but closed."`
	Kind           liaison.ContactKind      `query:"kind" enum:"question,request,development_need,feedback,other"`
	Channel        liaison.ComplaintChannel `query:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal"`
	ResponsibleID  string                   `query:"responsible_id"`
}

type announcementListInput struct {
	PageParams
	Q              string                     `query:"q" maxLength:"200"`
	Status         liaison.AnnouncementStatus `query:"status" enum:"draft,published"`
	Kind           liaison.AnnouncementKind   `query:"kind" enum:"update,service_change,critical_window,other"`
	ServiceID      string                     `query:"service_id"`
	OrganisationID string                     `query:"organisation_id" doc:"The announcements that reach this account, directly or through a service it uses."`
}

type contactProjectInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The contact's ETag. Required."`
	Body    struct {
		Name string `json:"name,omitempty" maxLength:"200" doc:"The project's name; default the contact's subject."`
	}
}

type contactProjectOutput struct {
	Body struct {
		Contact *liaison.Contact `json:"contact"`
		Project *liaison.Project `json:"project"`
	}
}

// crud registers the usual get, patch, delete and history routes of a
// resource at path (with {id}) over get, update and delete.
func crud[T any](api *API, tags []string, name, path, subject string, pt *patcher[T], version func(*T) int,
	get func(context.Context, string) (*T, error), update func(context.Context, *T, int) error,
	del func(context.Context, string, int) error, editAccess liaison.Access, patchDoc, deleteDoc string) {
	getOne := func(ctx context.Context, in *idInput) (*one[T], error) {
		v, err := get(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &one[T]{ETag: etag(version(v)), Body: v}, nil
	}
	register(api, huma.Operation{OperationID: "get-" + name, Method: http.MethodGet, Path: path, Tags: tags,
		Summary: "Get a " + subject}, liaison.AccessRead, getOne)
	register(api, huma.Operation{OperationID: "update-" + name, Method: http.MethodPatch, Path: path, Tags: tags,
		Summary: "Update a " + subject + " (JSON merge patch)", Description: patchDoc, RequestBody: mergePatchBody[T](api),
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		editAccess, func(ctx context.Context, in *patchInput) (*one[T], error) {
			cur, err := get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			n, v, err := pt.apply(in, cur, version(cur))
			if err != nil {
				return nil, err
			}
			if err := update(ctx, n, v); err != nil {
				return nil, err
			}
			return getOne(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-" + name, Method: http.MethodDelete, Path: path, Tags: tags,
		Summary: "Move a " + subject + " to the trash", Description: deleteDoc,
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		editAccess, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				cur, err := get(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return version(cur), nil
			})
			if err != nil {
				return nil, err
			}
			return nil, del(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-" + name + "-history", Method: http.MethodGet, Path: path + "/history", Tags: tags,
		Summary: "The audit trail of a " + subject + ", newest first"}, liaison.AccessRead, api.history(subject2type[name]))
}

var subject2type = map[string]string{"data-source": "data_source", "channel": "channel", "contact": "contact", "announcement": "announcement"}

func (api *API) registerDataMap() {
	tags := []string{"data-sources"}
	register(api, huma.Operation{OperationID: "list-data-sources", Method: http.MethodGet, Path: "/data-sources", Tags: tags,
		Summary: "List the systems that hold customer data", Description: "stale is true where refresh_days has passed since last_updated_on."},
		liaison.AccessRead, func(ctx context.Context, in *dataSourceListInput) (*listed[*liaison.DataSource], error) {
			items, next, err := api.app.DataSources(ctx, liaison.DataSourceFilter{Q: in.Q, MaintainerUnit: in.MaintainerUnit, Trashed: in.Trashed,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-data-source", Method: http.MethodPost, Path: "/data-sources", Tags: tags,
		Summary: "Record a system that holds customer data", Description: "Anyone in IT but viewers, with a write token.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *bodyInput[DataSourceCreate]) (*created[liaison.DataSource], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /data-sources", in.Body, func(ctx context.Context) (*liaison.DataSource, string, int, error) {
				b := in.Body
				d := &liaison.DataSource{Name: b.Name, Description: b.Description, Data: b.Data, MaintainerUnit: b.MaintainerUnit,
					MaintainerUserID: b.MaintainerUserID, RefreshDays: b.RefreshDays, LastUpdatedOn: b.LastUpdatedOn, Needs: b.Needs, Flows: b.Flows}
				if err := api.app.CreateDataSource(ctx, d); err != nil {
					return nil, "", 0, err
				}
				return d, BasePath + "/data-sources/" + d.ID, d.Version, nil
			}, rereader(api.app.DataSource, func(v *liaison.DataSource) int { return v.Version }), nil)
		})
	crud(api, tags, "data-source", "/data-sources/{id}", "data source",
		newPatcher[liaison.DataSource](api, "maintainer_name", "stale", "deleted_at"),
		func(d *liaison.DataSource) int { return d.Version }, api.app.DataSource, api.app.UpdateDataSource, api.app.DeleteDataSource,
		liaison.AccessRead, "needs and flows are replaced as a whole. Anyone in IT but viewers.", "Head and admin.")

	tags = []string{"channels"}
	register(api, huma.Operation{OperationID: "list-channels", Method: http.MethodGet, Path: "/channels", Tags: tags,
		Summary: "List contact channels"}, liaison.AccessRead,
		func(ctx context.Context, in *channelListInput) (*listed[*liaison.Channel], error) {
			items, next, err := api.app.Channels(ctx, liaison.ChannelFilter{OrganisationID: in.OrganisationID, ServiceID: in.ServiceID,
				UserID: in.UserID, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-channel", Method: http.MethodPost, Path: "/channels", Tags: tags,
		Summary: "Add a contact channel to an account", Description: "The account's relationship manager and deputy, head and admin.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *bodyInput[ChannelCreate]) (*created[liaison.Channel], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /channels", in.Body, func(ctx context.Context) (*liaison.Channel, string, int, error) {
				b := in.Body
				c := &liaison.Channel{OrganisationID: b.OrganisationID, Kind: b.Kind, Name: b.Name, Address: b.Address, UserID: b.UserID,
					ServiceID: b.ServiceID, Note: b.Note}
				if err := api.app.CreateChannel(ctx, c); err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/channels/" + c.ID, c.Version, nil
			}, rereader(api.app.Channel, func(v *liaison.Channel) int { return v.Version }), nil)
		})
	crud(api, tags, "channel", "/channels/{id}", "channel",
		newPatcher[liaison.Channel](api, "organisation_name", "user_name", "service_name", "deleted_at"),
		func(c *liaison.Channel) int { return c.Version }, api.app.Channel, api.app.UpdateChannel, api.app.DeleteChannel,
		liaison.AccessRead, "The account stays. Its writers.", "The account's writers.")

	tags = []string{"contacts"}
	register(api, huma.Operation{OperationID: "list-contacts", Method: http.MethodGet, Path: "/contacts", Tags: tags,
		Summary: "List logged customer contacts", Description: "Newest first (-received_on)."}, liaison.AccessRead,
		func(ctx context.Context, in *contactListInput) (*listed[*liaison.Contact], error) {
			items, next, err := api.app.Contacts(ctx, liaison.ContactFilter{Q: in.Q, Sort: in.Sort, OrganisationID: in.OrganisationID,
				Status: in.Status, Open: in.Open, Kind: in.Kind, Channel: in.Channel, ResponsibleID: in.ResponsibleID, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: "/contacts", Tags: tags,
		Summary: "Log a customer contact received on any channel",
		Description: "Anyone in IT but viewers, on any account. It lands on the account's timeline and the relationship manager is " +
			"mailed. With responsible_id it is routed at once; routed to someone other than the manager, it opens a task (an action) " +
			"for them, due in five working days.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *bodyInput[ContactCreate]) (*created[liaison.Contact], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /contacts", in.Body, func(ctx context.Context) (*liaison.Contact, string, int, error) {
				b := in.Body
				c := &liaison.Contact{OrganisationID: b.OrganisationID, Channel: b.Channel, Kind: b.Kind, Subject: b.Subject,
					Description: b.Description, ReceivedOn: b.ReceivedOn, PersonID: b.PersonID, ServiceID: b.ServiceID, ResponsibleID: b.ResponsibleID}
				if err := api.app.CreateContact(ctx, c); err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/contacts/" + c.ID, c.Version, nil
			}, rereader(api.app.Contact, func(v *liaison.Contact) int { return v.Version }), nil)
		})
	crud(api, tags, "contact", "/contacts/{id}", "contact",
		newPatcher[liaison.Contact](api, "account_id", "project_id", "action_id", "organisation_name", "account_name", "person_name",
			"service_name", "responsible_name", "received_by_id", "received_by_name", "manager_id", "closed_at", "deleted_at"),
		func(c *liaison.Contact) int { return c.Version }, api.app.Contact, api.app.UpdateContact, api.app.DeleteContact, liaison.AccessRead,
		"Route it (responsible_id with status routed), work on it (in_progress), close it (closed, with a resolution). Status moves: "+
			"new → routed | in_progress | closed; routed → routed | in_progress | closed; in_progress → routed | closed; closed → "+
			"in_progress; others answer 422 naming the allowed ones. The account's writers, whoever logged it and whoever it is routed to.",
		"The account's writers.")
	register(api, huma.Operation{OperationID: "contact-to-project", Method: http.MethodPost, Path: "/contacts/{id}/project", Tags: tags,
		Summary: "Make a development need a project",
		Description: "Only a contact of kind development_need (409 otherwise, or when it became a project already). Creates a proposed " +
			"project on the account and closes the contact, linked to it, in one transaction. The account's writers.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}}, liaison.AccessRead,
		func(ctx context.Context, in *contactProjectInput) (*contactProjectOutput, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				c, err := api.app.Contact(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return c.Version, nil
			})
			if err != nil {
				return nil, err
			}
			c, p, err := api.app.ContactToProject(ctx, in.ID, v, in.Body.Name)
			if err != nil {
				return nil, err
			}
			out := &contactProjectOutput{}
			out.Body.Contact, out.Body.Project = c, p
			return out, nil
		})

	tags = []string{"announcements"}
	register(api, huma.Operation{OperationID: "list-announcements", Method: http.MethodGet, Path: "/announcements", Tags: tags,
		Summary: "List announcements", Description: "Newest first."}, liaison.AccessRead,
		func(ctx context.Context, in *announcementListInput) (*listed[*liaison.Announcement], error) {
			items, next, err := api.app.Announcements(ctx, liaison.AnnouncementFilter{Q: in.Q, Status: in.Status, Kind: in.Kind,
				ServiceID: in.ServiceID, OrganisationID: in.OrganisationID, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-announcement", Method: http.MethodPost, Path: "/announcements", Tags: tags,
		Summary: "Draft an announcement", Description: "Managers, head and admin. It stays a draft until published.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *bodyInput[AnnouncementCreate]) (*created[liaison.Announcement], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /announcements", in.Body, func(ctx context.Context) (*liaison.Announcement, string, int, error) {
				b := in.Body
				a := &liaison.Announcement{Kind: b.Kind, Title: b.Title, Body: b.Body, ServiceID: b.ServiceID, OrganisationIDs: b.OrganisationIDs,
					StartsOn: b.StartsOn, EndsOn: b.EndsOn}
				if err := api.app.CreateAnnouncement(ctx, a); err != nil {
					return nil, "", 0, err
				}
				return a, BasePath + "/announcements/" + a.ID, a.Version, nil
			}, rereader(api.app.Announcement, func(v *liaison.Announcement) int { return v.Version }), nil)
		})
	crud(api, tags, "announcement", "/announcements/{id}", "announcement",
		newPatcher[liaison.Announcement](api, "status", "service_name", "published_at", "recipients", "author_id", "author_name", "deleted_at"),
		func(a *liaison.Announcement) int { return a.Version }, api.app.Announcement, api.app.UpdateAnnouncement, api.app.DeleteAnnouncement,
		liaison.AccessWrite, "Drafts only: a published announcement answers 409. Managers, head and admin.", "Managers, head and admin.")
	register(api, huma.Operation{OperationID: "publish-announcement", Method: http.MethodPost, Path: "/announcements/{id}/publish", Tags: tags,
		Summary: "Publish an announcement: mail it to the targeted accounts' contacts",
		Description: "Every person with an email and an active role at a targeted account (or a unit below it) gets it once, in their " +
			"language, through the outbox; recipients says how many. 409 when published already.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}}, liaison.AccessWrite,
		func(ctx context.Context, in *deleteInput) (*one[liaison.Announcement], error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				a, err := api.app.Announcement(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return a.Version, nil
			})
			if err != nil {
				return nil, err
			}
			a, err := api.app.PublishAnnouncement(ctx, in.ID, v)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Announcement]{ETag: etag(a.Version), Body: a}, nil
		})
}
