package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// TestFollowAndNotificationsPages: the demo's relationship manager has
// unread notifications (the bell says how many), follows and unfollows an
// account from its page with or without htmx, opens a notification (it is
// read, the record opens) and marks all read.
func TestFollowAndNotificationsPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		accounts, err := e.app.Store.AccountNames(adminCtx())
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, a := range accounts {
			ids[a.Name] = a.ID
		}
		energy := ids["Norrsken Energi AB"]
		c := e.signedIn(demo.ManagerEmail, demo.Password)
		sv := i18n.For(liaison.Swedish)
		_, home := c.get("/")
		if !strings.Contains(home, `id="bell-count"`) {
			t.Fatal("the demo manager's bell shows no unread count")
		}
		res, page := c.get("/notifications")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Norrskenssjukhuset") || !strings.Contains(page, sv.T("notify.mark_all_read")) {
			t.Fatalf("notifications: %d\n%s", res.StatusCode, page)
		}
		// Follow without JavaScript: a form post and a redirect back.
		_, acc := c.get("/organisations/" + energy)
		if !strings.Contains(acc, `action="/organisations/`+energy+`/follow"`) {
			t.Fatal("the account page has no Follow button")
		}
		if res, _ := c.post("/organisations/"+energy+"/follow", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("follow: %d", res.StatusCode)
		}
		_, acc = c.get("/organisations/" + energy)
		if !strings.Contains(acc, sv.T("follow.following")) || !strings.Contains(acc, "Anna Lindqvist") {
			t.Fatal("after following, the page does not say so or name the follower")
		}
		// Unfollow with htmx: the box comes back alone.
		req, _ := http.NewRequest("POST", e.srv.URL+"/organisations/"+energy+"/unfollow", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		res, box := c.do(req)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(box), `<div class="follow-box"`) ||
			!strings.Contains(box, sv.T("follow.follow")) || strings.Contains(box, "<html") {
			t.Fatalf("htmx unfollow: %d\n%s", res.StatusCode, box)
		}
		// Open a notification: it is read, the record opens.
		n, err := e.app.Store.FindNotifications(adminCtx(), liaison.NotificationFilter{UserID: e.userID(demo.ManagerEmail), CountUnread: true})
		if err != nil || len(n.Items) == 0 {
			t.Fatalf("notifications: %v", err)
		}
		first := n.Items[0]
		to := first.Link
		if to == "" { // the page opens the account's timeline for an event without a page of its own
			to = "/organisations/" + first.AccountID + "/timeline"
		}
		if _, page := c.get("/notifications"); !strings.Contains(page, "/notifications/"+first.ID+"/open?to="+url.QueryEscape(to)) {
			t.Fatalf("the page does not link the newest notification to %s", to)
		}
		res, _ = c.get("/notifications/" + first.ID + "/open?to=" + url.QueryEscape(to))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != to {
			t.Fatalf("open: %d to %q, want %q", res.StatusCode, res.Header.Get("Location"), to)
		}
		after, _ := e.app.Store.FindNotifications(adminCtx(), liaison.NotificationFilter{UserID: e.userID(demo.ManagerEmail), CountOnly: true})
		if after.Unread != n.Unread-1 {
			t.Fatalf("unread after opening one: %d, want %d", after.Unread, n.Unread-1)
		}
		// Open never leaves the site.
		if res, _ := c.get("/notifications/" + first.ID + "/open?to=" + url.QueryEscape("https://evil.example/")); res.Header.Get("Location") != "/" {
			t.Fatalf("open to another site: %q", res.Header.Get("Location"))
		}
		// Mark all read, then the digest choice.
		if res, _ := c.post("/notifications/read", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("mark all read: %d", res.StatusCode)
		}
		_, home = c.get("/")
		if strings.Contains(home, `id="bell-count"`) {
			t.Fatal("the bell still counts after mark all read")
		}
		if res, _ := c.post("/notifications/settings", url.Values{"digest": {"daily"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("digest: %d", res.StatusCode)
		}
		if _, page = c.get("/notifications"); !strings.Contains(page, `value="daily" checked`) {
			t.Fatal("the daily digest is not checked")
		}
	})
}

// userID is the id of the demo user with the email.
func (e *env) userID(email string) string {
	e.t.Helper()
	u, err := e.app.Store.FindUserByEmail(adminCtx(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}
