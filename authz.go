package liaison

import "context"

// Scope limits what an API token may do.
type Scope string

const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
)

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s == ScopeRead || s == ScopeWrite }

// Principal is who makes a request: a signed-in user, or a user's API token
// (which never grants more than its scope).
type Principal struct {
	User  *User
	Scope Scope // ScopeWrite for browser sessions
	Via   string
}

// Access is what a route needs. Routes declare one; the router refuses a
// principal that lacks it before the handler runs. Rules that depend on the
// record (a manager writes only own accounts) are checked by CanWriteAccount.
type Access string

const (
	AccessPublic   Access = "public"    // no sign-in
	AccessSignedIn Access = "signed_in" // any internal user, any scope, e.g. own profile
	AccessRead     Access = "read"      // read internal data: every internal role
	AccessWrite    Access = "write"     // change account data: admin, head, manager (own accounts), staff where the handler allows
	AccessCurate   Access = "curate"    // structure outside accounts, segments: admin and head
	AccessAdmin    Access = "admin"     // users, settings: admin only
)

// Allows reports whether the principal may use a route needing a.
func (p *Principal) Allows(a Access) bool {
	if a == AccessPublic {
		return true
	}
	if p == nil || p.User == nil || !p.User.Active {
		return false
	}
	if a == AccessSignedIn || a == AccessRead {
		return true
	}
	if p.Scope != ScopeWrite {
		return false
	}
	r := p.User.Role
	switch a {
	case AccessWrite:
		return r == RoleAdmin || r == RoleHead || r == RoleManager
	case AccessCurate:
		return r == RoleAdmin || r == RoleHead
	case AccessAdmin:
		return r == RoleAdmin
	}
	return false
}

// CanWriteAccount reports whether the principal may change the data of an
// account: admin and head always; a manager when they are the account's
// relationship manager or deputy (SPEC §4, last bullet). account is nil when
// the unit lies under no account; then only admin and head may write.
func (p *Principal) CanWriteAccount(account *Organisation) bool {
	if !p.Allows(AccessWrite) {
		return false
	}
	switch p.User.Role {
	case RoleAdmin, RoleHead:
		return true
	case RoleManager:
		return account != nil && account.ManagedBy(p.User.ID)
	}
	return false
}

type principalKey struct{}

// WithPrincipal returns a context carrying p. Stores read it to record the
// actor of every change in the audit trail.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// ActorID is the user id recorded in the audit trail for ctx ("" for the system).
func ActorID(ctx context.Context) string {
	if p := PrincipalFrom(ctx); p != nil && p.User != nil {
		return p.User.ID
	}
	return ""
}
