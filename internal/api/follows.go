package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// followed is the answer to PUT .../follow: 201 for a new follow, 200 when
// the user followed the account already.
type followed struct {
	Status int
	ETag   string `header:"ETag"`
	Body   *liaison.Follow
}

// followInput names the account; no body is needed (an empty object will do).
type followInput struct {
	ID   string `path:"id"`
	Body *FollowBody
}

// FollowBody is the optional body of PUT .../follow: nothing yet.
type FollowBody struct{}

type followListInput struct {
	PageParams
	ID string `path:"id"`
}

type notificationListInput struct {
	PageParams
	Unread         bool   `query:"unread" doc:"Only the unread ones."`
	OrganisationID string `query:"organisation_id" doc:"Only this followed account's."`
}

// NotificationList is a page of notifications with the unread count.
type NotificationList struct {
	Items      []*liaison.Notification `json:"items"`
	NextCursor string                  `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page."`
	Unread     int                     `json:"unread" doc:"How many are unread, counted up to 100 (100 means 100 or more)."`
}

// MarkRead names the notifications to mark read.
type MarkRead struct {
	IDs []string `json:"ids,omitempty" maxItems:"500" doc:"The notifications' ids (the timeline items' ids)."`
	All bool     `json:"all,omitempty" doc:"Mark every notification up to now read instead."`
}

// Unread is how many notifications are unread.
type Unread struct {
	Unread int `json:"unread" doc:"Counted up to 100."`
}

type notificationSettingsPatchInput struct {
	IfMatch     string `header:"If-Match" doc:"The ETag you read; * for any. Required."`
	ContentType string `header:"Content-Type" doc:"application/merge-patch+json or application/json."`
	RawBody     []byte
}

func (api *API) registerFollows() {
	tags := []string{"notifications"}
	register(api, huma.Operation{OperationID: "follow-organisation", Method: http.MethodPut, Path: "/organisations/{id}/follow", Tags: tags,
		Summary: "Follow an account",
		Description: "The signed-in user follows the account (a budget-holding unit; another unit answers 422) and is notified of the " +
			"events on its timeline from now on, except their own. 201 with the new follow, 200 when they followed it already. " +
			"Any internal user, through a session or a write token.",
		Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *followInput) (*followed, error) {
			f, created, err := api.app.Follow(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &followed{Status: http.StatusOK, ETag: etag(f.Version), Body: f}
			if created {
				out.Status = http.StatusCreated
			}
			return out, nil
		})
	register(api, huma.Operation{OperationID: "get-organisation-follow", Method: http.MethodGet, Path: "/organisations/{id}/follow", Tags: tags,
		Summary: "Your follow of an account", Description: "404 when you do not follow it."}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*one[liaison.Follow], error) {
			f, err := api.app.MyFollow(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Follow]{ETag: etag(f.Version), Body: f}, nil
		})
	register(api, huma.Operation{OperationID: "unfollow-organisation", Method: http.MethodDelete, Path: "/organisations/{id}/follow", Tags: tags,
		Summary: "Stop following an account", Description: "If-Match as for any DELETE (* will do). 404 when you do not follow it.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			m, ok := parseIfMatch(in.IfMatch)
			if !ok {
				return nil, preconditionRequired()
			}
			if err := liaison.CheckFollower(liaison.PrincipalFrom(ctx)); err != nil {
				return nil, err
			}
			f, err := api.app.MyFollow(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			if !m.matches(f.Version) {
				return nil, staleError(f.Version)
			}
			return nil, api.app.Unfollow(ctx, in.ID)
		})
	register(api, huma.Operation{OperationID: "list-organisation-followers", Method: http.MethodGet, Path: "/organisations/{id}/followers",
		Tags: tags, Summary: "Who follows an account", Description: "Oldest follow first."}, liaison.AccessRead,
		func(ctx context.Context, in *followListInput) (*listed[*liaison.Follow], error) {
			items, next, err := api.app.Followers(ctx, in.ID, in.Limit, in.Cursor)
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "list-my-follows", Method: http.MethodGet, Path: "/users/me/follows", Tags: tags,
		Summary: "The accounts you follow", Description: "Oldest follow first."}, liaison.AccessSignedIn,
		func(ctx context.Context, in *PageParams) (*listed[*liaison.Follow], error) {
			items, next, err := api.app.MyFollows(ctx, in.Limit, in.Cursor)
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "list-my-notifications", Method: http.MethodGet, Path: "/users/me/notifications", Tags: tags,
		Summary: "Your notifications, newest first",
		Description: "The timeline items of the accounts you follow that happened after you started following, except your own " +
			"changes and follows, each with its account and whether you have read it; unread counts the unread ones (up to 100)."},
		liaison.AccessSignedIn, func(ctx context.Context, in *notificationListInput) (*struct{ Body NotificationList }, error) {
			p, err := api.app.Notifications(ctx, liaison.NotificationFilter{UnreadOnly: in.Unread, AccountID: in.OrganisationID,
				Limit: in.Limit, Cursor: in.Cursor, CountUnread: true})
			if err != nil {
				return nil, err
			}
			return &struct{ Body NotificationList }{NotificationList{Items: p.Items, NextCursor: p.NextCursor, Unread: p.Unread}}, nil
		})
	register(api, huma.Operation{OperationID: "mark-my-notifications-read", Method: http.MethodPost, Path: "/users/me/notifications/read",
		Tags: tags, Summary: "Mark notifications read",
		Description: "ids marks those read; all marks every notification up to now read. Answers the unread count after.",
		Errors:      []int{http.StatusUnprocessableEntity}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *struct{ Body MarkRead }) (*struct{ Body Unread }, error) {
			if err := api.app.MarkNotificationsRead(ctx, in.Body.IDs, in.Body.All); err != nil {
				return nil, err
			}
			n, err := api.app.UnreadNotifications(ctx)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Unread }{Unread{Unread: n}}, nil
		})
	pt := newPatcher[liaison.NotificationSettings](api, "user_id", "read_through")
	register(api, huma.Operation{OperationID: "get-my-notification-settings", Method: http.MethodGet, Path: "/users/me/notification-settings",
		Tags: tags, Summary: "Your notification settings", Description: "digest: how often your unread notifications are emailed."},
		liaison.AccessSignedIn, api.getNotificationSettings)
	register(api, huma.Operation{OperationID: "update-my-notification-settings", Method: http.MethodPatch,
		Path: "/users/me/notification-settings", Tags: tags, Summary: "Change your notification settings (JSON merge patch)",
		Description: "digest: off, immediately (within minutes of an event) or daily (once a day). The email goes to your address " +
			"in your language.",
		RequestBody: mergePatchBody[liaison.NotificationSettings](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessSignedIn, func(ctx context.Context, in *notificationSettingsPatchInput) (*one[liaison.NotificationSettings], error) {
			if err := liaison.CheckFollower(liaison.PrincipalFrom(ctx)); err != nil {
				return nil, err
			}
			cur, err := api.app.NotificationSettings(ctx)
			if err != nil {
				return nil, err
			}
			s, _, err := pt.apply(&patchInput{IfMatch: in.IfMatch, ContentType: in.ContentType, RawBody: in.RawBody}, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if _, err := api.app.SaveDigest(ctx, s.Digest); err != nil {
				return nil, err
			}
			return api.getNotificationSettings(ctx, &struct{}{})
		})
}

func (api *API) getNotificationSettings(ctx context.Context, _ *struct{}) (*one[liaison.NotificationSettings], error) {
	s, err := api.app.NotificationSettings(ctx)
	if err != nil {
		return nil, err
	}
	return &one[liaison.NotificationSettings]{ETag: etag(s.Version), Body: s}, nil
}
