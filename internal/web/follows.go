package web

import (
	"net/http"
	"net/url"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Following accounts and the notifications page (SPEC C12): the Follow
// button on an account's header, the bell in the top bar, /notifications.

func init() {
	pages = append(pages, "notifications")
}

func (h *Handler) followRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Any internal user follows, through a session; the service layer
	// refuses a read token (the guard needs only sign-in).
	signedIn := liaison.AccessSignedIn
	return []route{
		r("POST", "/organisations/{id}/follow", signedIn, h.follow),
		r("POST", "/organisations/{id}/unfollow", signedIn, h.follow),
		r("GET", "/notifications", signedIn, h.showNotifications),
		r("POST", "/notifications/read", signedIn, h.markAllRead),
		r("GET", "/notifications/{id}/open", signedIn, h.openNotification),
		r("POST", "/notifications/settings", signedIn, h.saveDigest),
	}
}

// Unread is the signed-in user's unread notification count for the bell,
// read once per page and only when the page shows the bell.
func (p Page) Unread() int {
	if p.unread == nil {
		return 0
	}
	return p.unread()
}

// UnreadLabel is the count the bell shows: "99+" past the cap.
func (p Page) UnreadLabel() string {
	n := p.Unread()
	if n >= liaison.UnreadCap {
		return p.L.Number(liaison.UnreadCap-1) + "+"
	}
	return p.L.Number(n)
}

// followBox is the Follow button and the account's followers.
type followBox struct {
	L         *i18n.Localizer
	ID        string
	Following bool
	CanFollow bool
	Followers []*liaison.Follow
}

func (h *Handler) follow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	var err error
	if r.URL.Path == "/organisations/"+id+"/unfollow" {
		err = h.app.Unfollow(ctx, id)
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			err = nil // unfollowed already, in another tab
		}
	} else {
		_, _, err = h.app.Follow(ctx, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" {
		v, err := h.app.AccountView(ctx, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.renderFragment(w, r, "unit", "follow-box", followBox{L: h.localizer(r), ID: id, Following: v.Following,
			CanFollow: v.CanFollow, Followers: v.Followers})
		return
	}
	redirect(w, r, safeReturn(r.PostFormValue("return"), "/organisations/"+id))
}

// notificationGroup is a run of one account's notifications.
type notificationGroup struct {
	AccountID, AccountName string
	Items                  []*liaison.Notification
}

type notificationsPage struct {
	Page
	Groups   []notificationGroup
	Count    int
	Unread   int
	Next     string
	Q        ListQuery
	Follows  []*liaison.Follow
	Settings *liaison.NotificationSettings
	Digests  []Option
}

// groupNotifications groups a page of notifications by account, the
// account of the newest first, newest first within each.
func groupNotifications(items []*liaison.Notification) []notificationGroup {
	var groups []notificationGroup
	at := map[string]int{}
	for _, it := range items {
		i, ok := at[it.AccountID]
		if !ok {
			i = len(groups)
			at[it.AccountID] = i
			groups = append(groups, notificationGroup{AccountID: it.AccountID, AccountName: it.AccountName})
		}
		groups[i].Items = append(groups[i].Items, it)
	}
	return groups
}

func (h *Handler) showNotifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in := r.URL.Query()
	page, err := h.app.Notifications(ctx, liaison.NotificationFilter{UnreadOnly: in.Get("show") == "unread", Cursor: in.Get("cursor"),
		Limit: 50, CountUnread: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	follows, _, err := h.app.MyFollows(ctx, 200, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	settings, err := h.app.NotificationSettings(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, "", "notifications")
	p.Title = p.L.T("notify.title")
	n := page.Unread
	p.unread = func() int { return n }
	data := &notificationsPage{Page: p, Groups: groupNotifications(page.Items), Count: len(page.Items), Unread: page.Unread,
		Q: ListQuery{Base: "/notifications", Values: in}, Follows: follows, Settings: settings}
	if page.NextCursor != "" {
		data.Next = data.Q.With("cursor", page.NextCursor)
	}
	for _, f := range liaison.DigestFrequencies {
		data.Digests = append(data.Digests, Option{Value: string(f), Label: p.L.T("notify.digest." + string(f))})
	}
	h.render(w, r, http.StatusOK, "notifications", data)
}

func (h *Handler) markAllRead(w http.ResponseWriter, r *http.Request) {
	if err := h.app.MarkNotificationsRead(r.Context(), nil, true); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "notify.flash.all_read")
	redirect(w, r, safeReturn(r.PostFormValue("return"), "/notifications"))
}

// openNotification marks one notification read and opens the record
// behind it (the link the notifications page gave, a path on this site).
func (h *Handler) openNotification(w http.ResponseWriter, r *http.Request) {
	if err := h.app.MarkNotificationsRead(r.Context(), []string{r.PathValue("id")}, false); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, safeNext(r.URL.Query().Get("to")))
}

func (h *Handler) saveDigest(w http.ResponseWriter, r *http.Request) {
	d := liaison.DigestFrequency(r.PostFormValue("digest"))
	if _, err := h.app.SaveDigest(r.Context(), d); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "notify.flash."+string(d))
	redirect(w, r, "/notifications")
}

// Open is the path that marks a notification read and opens its record.
func (p *notificationsPage) Open(n *liaison.Notification) string {
	to := n.Link
	if to == "" {
		to = "/organisations/" + n.AccountID + "/timeline"
	}
	return "/notifications/" + url.PathEscape(n.ID) + "/open?to=" + url.QueryEscape(to)
}
