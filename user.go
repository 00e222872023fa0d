package liaison

import (
	"net/mail"
	"strings"
	"time"
)

// UserRole is an internal user's role in Liaison (SPEC §5).
type UserRole string

const (
	RoleAdmin   UserRole = "admin"   // everything
	RoleHead    UserRole = "head"    // head of service management: reads all, approves, receives escalations
	RoleManager UserRole = "manager" // relationship manager: writes own and deputised accounts
	RoleStaff   UserRole = "staff"   // reads internal data, registers complaints, contacts and triggers
	RoleViewer  UserRole = "viewer"  // read only
)

// UserRoles lists every internal role, most powerful first.
var UserRoles = []UserRole{RoleAdmin, RoleHead, RoleManager, RoleStaff, RoleViewer}

// Valid reports whether r is a known role.
func (r UserRole) Valid() bool {
	for _, x := range UserRoles {
		if r == x {
			return true
		}
	}
	return false
}

// Language is a language Liaison speaks (SPEC §4 enumeration).
type Language string

const (
	English Language = "en"
	Swedish Language = "sv"
	Finnish Language = "fi"
	Chinese Language = "zh"
)

// Languages lists the supported languages, the default first.
var Languages = []Language{English, Swedish, Finnish, Chinese}

// Valid reports whether l is a supported language.
func (l Language) Valid() bool {
	for _, x := range Languages {
		if l == x {
			return true
		}
	}
	return false
}

// User is an internal user: IT staff who sign in to Liaison.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      UserRole  `json:"role"`
	Language  Language  `json:"language"`
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// PasswordHash is an argon2id PHC string; empty means password sign-in is off.
	PasswordHash string `json:"-"`
}

// Normalize trims input and lower-cases the email before validation and storage.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if u.Language == "" {
		u.Language = English
	}
}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	var v Validation
	v.RequireName("name", u.Name)
	validateEmail(&v, "email", u.Email, true)
	if !u.Role.Valid() {
		v.Add("role", CodeInvalid, "error.role_invalid", "must be one of admin, head, manager, staff, viewer")
	}
	if !u.Language.Valid() {
		v.Add("language", CodeInvalid, "error.language_invalid", "must be one of en, sv, fi, zh")
	}
	return v.Err()
}

func validateEmail(v *Validation, field, email string, required bool) {
	if email == "" {
		if required {
			v.Add(field, CodeRequired, "error.required", "is required")
		}
		return
	}
	v.MaxLen(field, email, MaxNameLen)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		v.Add(field, CodeInvalid, "error.email_invalid", "is not a valid email address")
	}
}

// UserFilter selects users.
type UserFilter struct {
	Q      string
	Role   UserRole
	Email  string
	Sort   string
	Limit  int
	Cursor string
}
