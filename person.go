package liaison

import "time"

// Person is a business contact: personal data under GDPR.
type Person struct {
	ID             string   `json:"id"`
	Name           string   `json:"name" maxLength:"200"`
	Email          string   `json:"email" maxLength:"200"`
	Phone          string   `json:"phone" maxLength:"200"`
	Title          string   `json:"title" maxLength:"200"`
	OrganisationID string   `json:"organisation_id"`
	Language       Language `json:"language" enum:"en,sv,fi,zh"`
	ExternalID     string   `json:"external_id" maxLength:"200"`
	Notes          string   `json:"notes" maxLength:"20000"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input before validation.
func (p *Person) Normalize() {
	p.Name, p.Email, p.Phone, p.Title, p.ExternalID = trim(p.Name), lowerTrim(p.Email), trim(p.Phone), trim(p.Title), trim(p.ExternalID)
	p.OrganisationID = trim(p.OrganisationID)
	if p.Language == "" {
		p.Language = English
	}
}

// Validate checks a person's own fields.
func (p *Person) Validate() error {
	var v Validation
	v.RequireName("name", p.Name)
	validateEmail(&v, "email", p.Email, false)
	v.MaxLen("phone", p.Phone, MaxNameLen)
	v.MaxLen("title", p.Title, MaxNameLen)
	v.MaxLen("external_id", p.ExternalID, MaxNameLen)
	v.Text("notes", p.Notes)
	if p.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if !p.Language.Valid() {
		v.Add("language", CodeInvalid, "error.language_invalid", "must be one of en, sv, fi, zh")
	}
	return v.Err()
}

// PersonFilter selects people.
type PersonFilter struct {
	Q              string
	OrganisationID string
	Email          string
	ExternalID     string
	Trashed        bool
	Sort           string
	Limit          int
	Cursor         string
}

// RoleKind is a person's role toward IT at a unit.
type RoleKind string

const (
	RoleCustomer RoleKind = "customer" // mandate to decide on and finance IT services
	RoleOrderer  RoleKind = "orderer"  // chooses among existing services
	RoleUser     RoleKind = "user"
	RoleOther    RoleKind = "other" // with a free label
)

// RoleKinds lists the role kinds in order of weight.
var RoleKinds = []RoleKind{RoleCustomer, RoleOrderer, RoleUser, RoleOther}

// Valid reports whether k is a known kind.
func (k RoleKind) Valid() bool {
	for _, x := range RoleKinds {
		if k == x {
			return true
		}
	}
	return false
}

// ContactRole is a role a person holds toward IT at one unit (API
// resource "roles"). A person may hold roles at several units.
type ContactRole struct {
	ID             string   `json:"id"`
	PersonID       string   `json:"person_id"`
	OrganisationID string   `json:"organisation_id"`
	Role           RoleKind `json:"role" enum:"customer,orderer,user,other"`
	Label          string   `json:"label" maxLength:"200" doc:"Free label, for role other."`
	Active         bool     `json:"active"`
	// ITContactUserID names the person's designated IT contact; when empty
	// the relationship manager of the account is their IT contact.
	ITContactUserID *string `json:"it_contact_user_id"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Normalize trims input before validation.
func (r *ContactRole) Normalize() {
	r.Label = trim(r.Label)
	r.ITContactUserID = emptyToNil(r.ITContactUserID)
}

// Validate checks the role's own fields.
func (r *ContactRole) Validate() error {
	var v Validation
	if r.PersonID == "" {
		v.Add("person_id", CodeRequired, "error.required", "is required")
	}
	if r.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if !r.Role.Valid() {
		v.Add("role", CodeInvalid, "error.role_kind_invalid", "must be one of customer, orderer, user, other")
	}
	if r.Role == RoleOther && r.Label == "" {
		v.Add("label", CodeRequired, "error.label_required", "is required for role other")
	}
	v.MaxLen("label", r.Label, MaxNameLen)
	return v.Err()
}

// RoleFilter selects roles.
type RoleFilter struct {
	PersonID       string
	OrganisationID string
	Role           RoleKind
	Active         *bool
	Limit          int
	Cursor         string
}

// Decision answers "who decides for this unit": the nearest budget-holding
// unit at or above it and that account's active customer. Orderers below an
// account answer to its customer (seed 000).
type Decision struct {
	Account  *Organisation `json:"account"`
	Customer *Person       `json:"customer"`
}

// NearestAccount returns the first budget holder of chain, which runs from
// a unit up to its root, the unit first; nil when there is none.
func NearestAccount(chain []*Organisation) *Organisation {
	for _, o := range chain {
		if o.BudgetHolder {
			return o
		}
	}
	return nil
}

// ITContact returns the designated IT contact of a customer or orderer: the
// user named on the role, else the relationship manager of the account.
func ITContact(r *ContactRole, account *Organisation) *string {
	if r.ITContactUserID != nil {
		return r.ITContactUserID
	}
	if account != nil {
		return account.RelationshipManagerID
	}
	return nil
}
