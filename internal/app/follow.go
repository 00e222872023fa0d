package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Following accounts and notifications (SPEC C12): every internal user
// follows accounts for themself, through a session or a write token; a
// customer-scoped token, a read token or an inactive user never does.
// Everyone who reads internal data sees who follows an account.

// follower returns the principal when it may follow (liaison.CheckFollower).
func follower(ctx context.Context) (*liaison.Principal, error) {
	p := liaison.PrincipalFrom(ctx)
	if err := liaison.CheckFollower(p); err != nil {
		return nil, err
	}
	return p, nil
}

// reader returns the principal when it is an internal user reading their own notifications.
func reader(ctx context.Context) (*liaison.Principal, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return nil, err
	}
	if !p.Internal() {
		return nil, forbidden("Only active internal users have notifications.")
	}
	return p, nil
}

// Follow makes the signed-in user follow an account.
func (a *App) Follow(ctx context.Context, accountID string) (*liaison.Follow, bool, error) {
	p, err := follower(ctx)
	if err != nil {
		return nil, false, err
	}
	return a.Store.Follow(ctx, p.User.ID, accountID)
}

// Unfollow ends the signed-in user's follow of an account.
func (a *App) Unfollow(ctx context.Context, accountID string) error {
	p, err := follower(ctx)
	if err != nil {
		return err
	}
	return a.Store.Unfollow(ctx, p.User.ID, accountID)
}

// MyFollow returns the signed-in user's follow of an account; ENOTFOUND when none.
func (a *App) MyFollow(ctx context.Context, accountID string) (*liaison.Follow, error) {
	p, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	fs, _, err := a.Store.FindFollows(ctx, liaison.FollowFilter{UserID: p.User.ID, AccountID: accountID, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "you do not follow this account", Key: "error.not_found",
			Args: []any{"follow", accountID}}
	}
	return fs[0], nil
}

// MyFollows lists the accounts the signed-in user follows.
func (a *App) MyFollows(ctx context.Context, limit int, cursor string) ([]*liaison.Follow, string, error) {
	p, err := reader(ctx)
	if err != nil {
		return nil, "", err
	}
	return a.Store.FindFollows(ctx, liaison.FollowFilter{UserID: p.User.ID, Limit: limit, Cursor: cursor})
}

// Followers lists who follows an account.
func (a *App) Followers(ctx context.Context, accountID string, limit int, cursor string) ([]*liaison.Follow, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	if _, err := a.Store.FindOrganisationByID(ctx, accountID); err != nil {
		return nil, "", err
	}
	return a.Store.FindFollows(ctx, liaison.FollowFilter{AccountID: accountID, Limit: limit, Cursor: cursor})
}

// Notifications returns a page of the signed-in user's notifications (f.UserID is theirs).
func (a *App) Notifications(ctx context.Context, f liaison.NotificationFilter) (*liaison.NotificationPage, error) {
	p, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	f.UserID = p.User.ID
	return a.Store.FindNotifications(ctx, f)
}

// UnreadNotifications counts the signed-in user's unread notifications,
// at most liaison.UnreadCap; 0 for anyone without notifications.
func (a *App) UnreadNotifications(ctx context.Context) (int, error) {
	p := liaison.PrincipalFrom(ctx)
	if !p.Internal() {
		return 0, nil
	}
	page, err := a.Store.FindNotifications(ctx, liaison.NotificationFilter{UserID: p.User.ID, CountOnly: true})
	if err != nil {
		return 0, err
	}
	return page.Unread, nil
}

// maxMarkRead is the most notifications marked read by id at once.
const maxMarkRead = 500

// MarkNotificationsRead marks the signed-in user's notifications ids
// read, or with all every one up to now.
func (a *App) MarkNotificationsRead(ctx context.Context, ids []string, all bool) error {
	p, err := follower(ctx)
	if err != nil {
		return err
	}
	var v liaison.Validation
	if !all && len(ids) == 0 {
		v.Add("ids", liaison.CodeRequired, "follow.error.read_what", "name the notifications to mark read, or all")
	}
	if len(ids) > maxMarkRead {
		v.Add("ids", liaison.CodeInvalid, "follow.error.read_many", "at most %d notifications at once", maxMarkRead)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return a.Store.MarkNotificationsRead(ctx, p.User.ID, ids, all)
}

// NotificationSettings returns the signed-in user's notification settings.
func (a *App) NotificationSettings(ctx context.Context) (*liaison.NotificationSettings, error) {
	p, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	return a.Store.NotificationSettings(ctx, p.User.ID)
}

// SaveDigest stores the signed-in user's email digest choice.
func (a *App) SaveDigest(ctx context.Context, digest liaison.DigestFrequency) (*liaison.NotificationSettings, error) {
	p, err := follower(ctx)
	if err != nil {
		return nil, err
	}
	s := &liaison.NotificationSettings{Digest: digest}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return a.Store.SaveDigest(ctx, p.User.ID, digest)
}
