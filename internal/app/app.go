// Package app is Liaison's service layer: every use case the API and the
// web UI offer, with the authorisation rules that depend on the record.
// Handlers translate HTTP into these calls and errors back into HTTP; the
// rules live here once.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
)

// App is the service layer over a store.
type App struct {
	Store liaison.Store
	Log   *slog.Logger
	Now   func() time.Time

	// Login throttling: at most MaxLoginFailures failed sign-ins per email
	// and per client within LoginWindow. Counted in the database so every
	// instance sees the same count.
	MaxLoginFailures int
	LoginWindow      time.Duration

	// BaseURL starts the links in messages (a survey's personal links),
	// e.g. https://liaison.example.com; "" gives paths.
	BaseURL string
}

// New returns an App with the default settings.
func New(store liaison.Store, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{Store: store, Log: log, Now: func() time.Time { return time.Now().UTC() },
		MaxLoginFailures: 10, LoginWindow: 15 * time.Minute}
}

func principal(ctx context.Context) (*liaison.Principal, error) {
	p := liaison.PrincipalFrom(ctx)
	if p == nil || p.User == nil {
		return nil, &liaison.Error{Code: liaison.EUNAUTHORIZED, Message: "Sign in first.", Key: "error.unauthorized"}
	}
	return p, nil
}

func forbidden(msg string) error {
	return &liaison.Error{Code: liaison.EFORBIDDEN, Message: msg, Key: "error.forbidden"}
}

// require checks the route-level access again, so that the service layer
// is safe whoever calls it.
func require(ctx context.Context, a liaison.Access) (*liaison.Principal, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Allows(a) {
		if p.External() {
			return nil, forbidden(liaison.ExternalRefusal)
		}
		if p.Scope != liaison.ScopeWrite && a != liaison.AccessRead {
			return nil, forbidden("This token may only read.")
		}
		return nil, forbidden("Your role does not allow this.")
	}
	return p, nil
}

// SignIn checks an email and password and opens a session. clientKey
// identifies the client (its address) for throttling. It answers
// EUNAUTHORIZED for a wrong email or password alike, and ETOOMANY once
// either the email or the client has failed too often.
func (a *App) SignIn(ctx context.Context, email, password, clientKey string) (string, *liaison.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	since := a.Now().Add(-a.LoginWindow)
	keys := []string{"email:" + email, "client:" + clientKey}
	for _, k := range keys {
		n, err := a.Store.LoginFailures(ctx, k, since)
		if err != nil {
			return "", nil, fmt.Errorf("sign in: %w", err)
		}
		if n >= a.MaxLoginFailures {
			return "", nil, &liaison.Error{Code: liaison.ETOOMANY, Message: "Too many failed sign-ins; wait a few minutes and try again.", Key: "error.too_many_logins"}
		}
	}
	u, err := a.Store.FindUserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && u.PasswordHash != "" && u.Active:
		ok, err = auth.VerifyPassword(u.PasswordHash, password)
		if err != nil {
			a.Log.Error("password hash unreadable", "user", u.ID, "err", err)
			ok = false
		}
	case err == nil || liaison.ErrorCode(err) == liaison.ENOTFOUND:
		auth.DummyVerify(password)
	default:
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	if !ok {
		for _, k := range keys {
			if _, err := a.Store.RecordLoginFailure(ctx, k, since); err != nil {
				return "", nil, fmt.Errorf("sign in: %w", err)
			}
		}
		return "", nil, &liaison.Error{Code: liaison.EUNAUTHORIZED, Message: "Wrong email or password.", Key: "error.bad_login"}
	}
	if err := a.Store.ClearLoginFailures(ctx, keys[0]); err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	secret, hash, err := auth.NewSecret("")
	if err != nil {
		return "", nil, err
	}
	now := a.Now()
	if err := a.Store.CreateSession(ctx, &liaison.Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(auth.SessionTTL)}); err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	return secret, u, nil
}

// SignOut ends the session with the secret.
func (a *App) SignOut(ctx context.Context, secret string) error {
	return a.Store.DeleteSession(ctx, auth.HashSecret(secret))
}

// Authenticate returns the principal for a session cookie secret.
func (a *App) Authenticate(ctx context.Context, sessionSecret string) (*liaison.Principal, error) {
	_, u, err := a.Store.FindSessionUser(ctx, auth.HashSecret(sessionSecret))
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, liaison.Errorf(liaison.ENOTFOUND, "user is deactivated")
	}
	return &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "session"}, nil
}

// AuthenticateToken returns the principal for an API token.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (*liaison.Principal, error) {
	t, u, err := a.Store.FindTokenUser(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, liaison.Errorf(liaison.ENOTFOUND, "user is deactivated")
	}
	p := &liaison.Principal{User: u, Scope: t.Scope, Via: "token"}
	if t.CustomerID != nil {
		p.CustomerID = *t.CustomerID
	}
	return p, nil
}

// CreateToken makes an API token for the signed-in user and returns its
// secret, which is shown once and never stored.
func (a *App) CreateToken(ctx context.Context, name string, scope liaison.Scope) (string, *liaison.Token, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return "", nil, err
	}
	if p.Via == "token" {
		return "", nil, forbidden("A token cannot make tokens; sign in.")
	}
	return a.createToken(ctx, p.User, name, scope)
}

// CreateTokenFor makes a token for any user; for the command line, which
// runs with the database's authority.
func (a *App) CreateTokenFor(ctx context.Context, email, name string, scope liaison.Scope) (string, *liaison.Token, error) {
	u, err := a.Store.FindUserByEmail(ctx, email)
	if err != nil {
		return "", nil, err
	}
	return a.createToken(ctx, u, name, scope)
}

// CreateCustomerTokenFor makes a read token of user email restricted to
// one customer account: its principal is external (liaison.Principal
// CustomerID) and passes only the customer-facing routes of that account.
// For the command line.
func (a *App) CreateCustomerTokenFor(ctx context.Context, email, name, customerID string) (string, *liaison.Token, error) {
	u, err := a.Store.FindUserByEmail(ctx, email)
	if err != nil {
		return "", nil, err
	}
	customerID = strings.TrimSpace(customerID)
	return a.createToken(ctx, u, name, liaison.ScopeRead, customerID)
}

func (a *App) createToken(ctx context.Context, u *liaison.User, name string, scope liaison.Scope, customer ...string) (string, *liaison.Token, error) {
	var v liaison.Validation
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	}
	v.MaxLen("name", name, liaison.MaxNameLen)
	if !scope.Valid() {
		v.Add("scope", liaison.CodeInvalid, "error.scope_invalid", "must be read or write")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	secret, hash, err := auth.NewSecret("lia_")
	if err != nil {
		return "", nil, err
	}
	t := &liaison.Token{UserID: u.ID, Name: name, Scope: scope, Hash: hash, CreatedAt: a.Now()}
	if len(customer) > 0 && customer[0] != "" {
		t.CustomerID = &customer[0]
	}
	if err := a.Store.CreateToken(ctx, t); err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

// Tokens lists the signed-in user's tokens.
func (a *App) Tokens(ctx context.Context) ([]*liaison.Token, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return nil, err
	}
	return a.Store.FindTokens(ctx, p.User.ID)
}

// RevokeToken revokes one of the signed-in user's tokens. A read-only
// token may not revoke anything: it may not change anything at all.
func (a *App) RevokeToken(ctx context.Context, id string) error {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return err
	}
	if p.Scope != liaison.ScopeWrite {
		return forbidden("This token may only read.")
	}
	return a.Store.RevokeToken(ctx, p.User.ID, id)
}
