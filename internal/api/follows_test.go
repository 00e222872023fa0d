package api_test

import (
	"net/http"
	"testing"
)

func TestFollowAndNotificationsAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		acct := e.org(map[string]any{"name": "Lunds kommun", "budget_holder": true, "relationship_manager_id": e.users["manager"].ID})["id"].(string)
		dept := e.org(map[string]any{"name": "Skolförvaltningen", "parent_id": acct})["id"].(string)
		path := "/api/v1/organisations/" + acct + "/follow"

		// Who may follow: internal users through a session or a write token only.
		e.req("staff", "PUT", path, nil, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("staff", "PUT", path, nil, "X-Test-Customer", acct).problem(http.StatusForbidden)
		e.req("staff", "PUT", "/api/v1/organisations/"+dept+"/follow", nil).want(http.StatusUnprocessableEntity).
			fieldError("organisation_id", "invalid")
		e.req("staff", "GET", path, nil).problem(http.StatusNotFound)
		f := e.req("viewer", "PUT", path, nil).want(http.StatusCreated).JSON()
		if f["organisation_id"] != acct || f["user_id"] != e.users["viewer"].ID || f["organisation_name"] != "Lunds kommun" {
			t.Fatalf("follow = %v", f)
		}
		e.req("viewer", "PUT", path, nil).want(http.StatusOK)
		e.req("manager", "PUT", path, nil).want(http.StatusCreated)
		if got := column(e.req("staff", "GET", "/api/v1/organisations/"+acct+"/followers", nil).want(http.StatusOK).Items(), "user_name"); got != "Test viewer,Test manager" {
			t.Fatalf("followers = %s", got)
		}
		if got := column(e.req("viewer", "GET", "/api/v1/users/me/follows", nil).want(http.StatusOK).Items(), "organisation_id"); got != acct {
			t.Fatalf("my follows = %s", got)
		}

		// The manager changes the account; the viewer is notified, the manager is not (own change).
		e.patch("manager", "/api/v1/organisations/"+dept, 1, map[string]any{"name": "Barn- och skolförvaltningen"}).want(http.StatusOK)
		list := e.req("viewer", "GET", "/api/v1/users/me/notifications", nil).want(http.StatusOK)
		body := list.JSON()
		items := list.Items()
		if len(items) != 1 || body["unread"] != float64(1) || items[0]["kind"] != "organisation.update" ||
			items[0]["account_name"] != "Lunds kommun" || items[0]["read"] != false || items[0]["link"] != "/organisations/"+dept {
			t.Fatalf("notifications = %v", body)
		}
		if n := e.req("manager", "GET", "/api/v1/users/me/notifications", nil).want(http.StatusOK).Items(); len(n) != 0 {
			t.Fatalf("the manager is notified of their own change: %v", n)
		}
		e.req("viewer", "GET", "/api/v1/users/me/notifications?cursor=nonsense", nil).problem(http.StatusBadRequest)

		// Mark read: by id, then all.
		e.req("viewer", "POST", "/api/v1/users/me/notifications/read", map[string]any{}).problem(http.StatusUnprocessableEntity)
		r := e.req("viewer", "POST", "/api/v1/users/me/notifications/read", map[string]any{"ids": []string{items[0]["id"].(string)}}).
			want(http.StatusOK).JSON()
		if r["unread"] != float64(0) {
			t.Fatalf("after mark read: %v", r)
		}
		if n := e.req("viewer", "GET", "/api/v1/users/me/notifications?unread=true", nil).want(http.StatusOK).Items(); len(n) != 0 {
			t.Fatalf("unread after mark read: %v", n)
		}
		e.patch("admin", "/api/v1/organisations/"+dept, 2, map[string]any{"name": "BSF"}).want(http.StatusOK)
		e.req("viewer", "POST", "/api/v1/users/me/notifications/read", map[string]any{"all": true}).want(http.StatusOK)
		if got := e.req("viewer", "GET", "/api/v1/users/me/notifications", nil).want(http.StatusOK).JSON()["unread"]; got != float64(0) {
			t.Fatalf("unread after all: %v", got)
		}

		// Digest settings: merge patch with If-Match.
		s := e.req("viewer", "GET", "/api/v1/users/me/notification-settings", nil).want(http.StatusOK)
		v := int(s.JSON()["version"].(float64))
		if s.JSON()["digest"] != "off" {
			t.Fatalf("settings %v", s.JSON())
		}
		e.req("viewer", "PATCH", "/api/v1/users/me/notification-settings", map[string]any{"digest": "daily"},
			"Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("viewer", "/api/v1/users/me/notification-settings", v, map[string]any{"digest": "weekly"}).problem(http.StatusUnprocessableEntity)
		got := e.patch("viewer", "/api/v1/users/me/notification-settings", v, map[string]any{"digest": "daily"}).want(http.StatusOK).JSON()
		if got["digest"] != "daily" {
			t.Fatalf("settings after patch %v", got)
		}
		e.patch("viewer", "/api/v1/users/me/notification-settings", v, map[string]any{"digest": "off"}).problem(http.StatusPreconditionFailed)

		// Unfollow needs If-Match, and ends the notifications.
		e.req("viewer", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("viewer", "DELETE", path, nil, "If-Match", etagOf(2)).problem(http.StatusPreconditionFailed)
		e.req("viewer", "DELETE", path, nil, "If-Match", etagOf(1)).want(http.StatusNoContent)
		e.req("viewer", "DELETE", path, nil, "If-Match", "*").problem(http.StatusNotFound)
		if got := column(e.req("staff", "GET", "/api/v1/organisations/"+acct+"/followers", nil).want(http.StatusOK).Items(), "user_name"); got != "Test manager" {
			t.Fatalf("followers after unfollow = %s", got)
		}
	})
}
