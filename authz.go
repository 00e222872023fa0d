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
	// CustomerID, when set, makes the principal EXTERNAL: a customer-scoped
	// API token acting for that one account (liaison tokens create
	// --customer). An external principal passes only routes that declare
	// AccessCustomer, and those show only its own account.
	CustomerID string
}

// ExternalRefusal is what an external principal is told on any route that
// is not customer-facing.
const ExternalRefusal = "A customer-scoped token reads only the customer-facing data of its own account."

// External reports whether the principal speaks for a customer rather than
// for IT: it may read only what is made for customers (AccessCustomer).
func (p *Principal) External() bool { return p != nil && p.CustomerID != "" }

// Internal reports whether the principal is an active internal user
// acting as such (not through a customer-scoped token).
func (p *Principal) Internal() bool {
	return p != nil && p.User != nil && p.User.Active && !p.External()
}

// MaySeeAccount reports whether the principal may see a customer-facing
// view of account id: every internal reader, and an external principal
// for its own account only.
func (p *Principal) MaySeeAccount(id string) bool {
	if p.External() {
		return p.User != nil && p.User.Active && id != "" && p.CustomerID == id
	}
	return p.Allows(AccessRead)
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
	// AccessCustomer marks a customer-facing route (the published survey
	// results and the report pack of an account): every internal reader,
	// and also an external principal, which the handler then holds to its
	// own account (MaySeeAccount). No other level admits an external one.
	AccessCustomer Access = "customer"
)

// Allows reports whether the principal may use a route needing a. This is
// the one place where access is decided: an external principal passes only
// public and customer-facing routes, whatever its token's user may do.
func (p *Principal) Allows(a Access) bool {
	if a == AccessPublic {
		return true
	}
	if p == nil || p.User == nil || !p.User.Active {
		return false
	}
	if p.External() {
		return a == AccessCustomer
	}
	if a == AccessSignedIn || a == AccessRead || a == AccessCustomer {
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
