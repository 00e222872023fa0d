package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
)

// Segments lists the segments.
func (a *App) Segments(ctx context.Context) ([]*liaison.Segment, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSegments(ctx)
}

// Segment returns a segment.
func (a *App) Segment(ctx context.Context, id string) (*liaison.Segment, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSegmentByID(ctx, id)
}

// CreateSegment adds a segment.
func (a *App) CreateSegment(ctx context.Context, s *liaison.Segment) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return a.Store.CreateSegment(ctx, s)
}

// UpdateSegment saves a segment.
func (a *App) UpdateSegment(ctx context.Context, s *liaison.Segment, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return a.Store.UpdateSegment(ctx, s, ifVersion)
}

// DeleteSegment removes a segment no account uses.
func (a *App) DeleteSegment(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteSegment(ctx, id, ifVersion)
}

// Users lists internal users; every internal user may read them (to pick
// a relationship manager, to see who did what).
func (a *App) Users(ctx context.Context, f liaison.UserFilter) ([]*liaison.User, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindUsers(ctx, f)
}

// User returns an internal user.
func (a *App) User(ctx context.Context, id string) (*liaison.User, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindUserByID(ctx, id)
}

// CreateUser adds an internal user; admin only. An empty password leaves
// password sign-in off.
func (a *App) CreateUser(ctx context.Context, u *liaison.User, password string) error {
	if _, err := require(ctx, liaison.AccessAdmin); err != nil {
		return err
	}
	return a.createUser(ctx, u, password)
}

// CreateUserAsSystem adds a user without a signed-in principal: for the
// command line and the demo data, which run with the database's authority.
func (a *App) CreateUserAsSystem(ctx context.Context, u *liaison.User, password string) error {
	return a.createUser(ctx, u, password)
}

func (a *App) createUser(ctx context.Context, u *liaison.User, password string) error {
	u.Normalize()
	u.Active = true
	if err := u.Validate(); err != nil {
		return err
	}
	if password != "" {
		if err := checkPassword(password); err != nil {
			return err
		}
		h, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		u.PasswordHash = h
	}
	return a.Store.CreateUser(ctx, u)
}

func checkPassword(pw string) error {
	var v liaison.Validation
	if n := len([]rune(pw)); n < 8 {
		v.Add("password", "too_short", "error.password_short", "must be at least 8 characters")
	} else if n > 200 {
		v.Add("password", liaison.CodeTooLong, "error.too_long", "must be at most %d characters", 200)
	}
	return v.Err()
}

// UpdateUser saves a user's full new state; admin only, except that users
// may change their own name and language.
func (a *App) UpdateUser(ctx context.Context, u *liaison.User, ifVersion int) error {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindUserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	self := p.User.ID == u.ID && u.Role == cur.Role && u.Email == cur.Email && u.Active == cur.Active
	if !self || p.Scope != liaison.ScopeWrite {
		if _, err := require(ctx, liaison.AccessAdmin); err != nil {
			return err
		}
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	u.PasswordHash = cur.PasswordHash
	if err := a.Store.UpdateUser(ctx, u, ifVersion); err != nil {
		return err
	}
	if !u.Active {
		return a.Store.DeleteUserSessions(ctx, u.ID)
	}
	return nil
}

// SetLanguage saves the signed-in user's language preference.
func (a *App) SetLanguage(ctx context.Context, lang liaison.Language) error {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return err
	}
	if !lang.Valid() {
		var v liaison.Validation
		v.Add("language", liaison.CodeInvalid, "error.language_invalid", "must be one of en, sv, fi, zh")
		return v.Err()
	}
	u, err := a.Store.FindUserByID(ctx, p.User.ID)
	if err != nil {
		return err
	}
	if u.Language == lang {
		return nil
	}
	u.Language = lang
	return a.Store.UpdateUser(ctx, u, u.Version)
}

// Settings returns the runtime settings.
func (a *App) Settings(ctx context.Context) (liaison.Settings, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return liaison.Settings{}, err
	}
	return a.Store.Settings(ctx)
}

// SaveSettings changes the runtime settings; admin only.
func (a *App) SaveSettings(ctx context.Context, s liaison.Settings) error {
	if _, err := require(ctx, liaison.AccessAdmin); err != nil {
		return err
	}
	if s.StaleReviewMonths < 1 || s.StaleReviewMonths > 120 {
		var v liaison.Validation
		v.Add("stale_review_months", liaison.CodeInvalid, "error.range", "must be between %d and %d", 1, 120)
		return v.Err()
	}
	if err := liaison.CheckReminderDays(s.ReminderDays); err != nil {
		return err
	}
	return a.Store.SaveSettings(ctx, s)
}

// Audit returns the change history of one record, newest first.
func (a *App) Audit(ctx context.Context, subjectType, id, cursor string) ([]*liaison.AuditEntry, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: subjectType, SubjectID: id, Cursor: cursor, Limit: 50})
}
