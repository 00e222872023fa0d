package liaison

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SupplierStatus says whether a third party currently delivers.
type SupplierStatus string

const (
	SupplierActive   SupplierStatus = "active"
	SupplierInactive SupplierStatus = "inactive" // kept for history: past SLA results, complaints
)

// SupplierStatuses lists the statuses in display order.
var SupplierStatuses = []SupplierStatus{SupplierActive, SupplierInactive}

// Valid reports whether s is a known status.
func (s SupplierStatus) Valid() bool { return oneOf(s, SupplierStatuses) }

// MaxSupplierServices caps the services one supplier is linked to.
const MaxSupplierServices = 200

// MaxSupplierNoteLen is the longest "what they deliver" note of a link.
const MaxSupplierNoteLen = 500

// SupplierService links a supplier to a service it is behind, with what it
// delivers for that service.
type SupplierService struct {
	ServiceID   string `json:"service_id"`
	Note        string `json:"note" maxLength:"500" doc:"What the supplier delivers for this service, e.g. hosting or 2nd-line support."`
	ServiceName string `json:"service_name,omitempty" readOnly:"true" doc:"Filled in on read; ignored on write."`
}

// Supplier is a third party behind one or more services (API resource
// "suppliers", SPEC C4): a hosting provider, a network operator, a
// software vendor. SLA results (and complaints) may name it.
type Supplier struct {
	ID                string            `json:"id"`
	Name              string            `json:"name" maxLength:"200" doc:"Unique among suppliers not in the trash, ignoring case."`
	RegistrationID    string            `json:"registration_id" maxLength:"200" doc:"Organisation number or other registration id, e.g. 556677-8899 or FI12345678."`
	Description       string            `json:"description" maxLength:"20000"`
	ContactName       string            `json:"contact_name" maxLength:"200"`
	ContactEmail      string            `json:"contact_email" maxLength:"200"`
	ContactPhone      string            `json:"contact_phone" maxLength:"200"`
	Website           string            `json:"website" maxLength:"500" doc:"An http or https address."`
	ContractReference string            `json:"contract_reference" maxLength:"200" doc:"The supplier contract's number or reference."`
	ContractEndDate   *string           `json:"contract_end_date" format:"date" doc:"When the supplier contract ends (YYYY-MM-DD)."`
	Status            SupplierStatus    `json:"status" enum:"active,inactive"`
	Notes             string            `json:"notes" maxLength:"20000"`
	Services          []SupplierService `json:"services" maxItems:"200" doc:"The services the supplier is behind, each with what it delivers for it. Replaced as a whole on update."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (s *Supplier) Normalize() {
	s.Name, s.RegistrationID, s.ContactName, s.ContactPhone = trim(s.Name), trim(s.RegistrationID), trim(s.ContactName), trim(s.ContactPhone)
	s.ContactEmail, s.Website, s.ContractReference = lowerTrim(s.ContactEmail), trim(s.Website), trim(s.ContractReference)
	s.ContractEndDate = emptyToNil(s.ContractEndDate)
	if s.Status == "" {
		s.Status = SupplierActive
	}
	if s.Services == nil {
		s.Services = []SupplierService{}
	}
	for i := range s.Services {
		s.Services[i].ServiceID, s.Services[i].Note = trim(s.Services[i].ServiceID), trim(s.Services[i].Note)
	}
}

// Validate checks the supplier's own fields; that the linked services
// exist and the name is free are the store's checks.
func (s *Supplier) Validate() error {
	var v Validation
	v.RequireName("name", s.Name)
	v.MaxLen("registration_id", s.RegistrationID, MaxNameLen)
	v.Text("description", s.Description)
	v.MaxLen("contact_name", s.ContactName, MaxNameLen)
	validateEmail(&v, "contact_email", s.ContactEmail, false)
	v.MaxLen("contact_phone", s.ContactPhone, MaxNameLen)
	if s.Website != "" {
		if len([]rune(s.Website)) > 500 {
			v.Add("website", CodeTooLong, "error.too_long", "must be at most %d characters", 500)
		} else if !webAddress(s.Website) {
			v.Add("website", CodeInvalid, "supplier.error.website_invalid", "must be a web address starting with http:// or https://")
		}
	}
	v.MaxLen("contract_reference", s.ContractReference, MaxNameLen)
	if s.ContractEndDate != nil {
		if _, err := ParseDate(*s.ContractEndDate); err != nil {
			v.Add("contract_end_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if !s.Status.Valid() {
		v.Add("status", CodeInvalid, "supplier.error.status_invalid", "must be one of active, inactive")
	}
	v.Text("notes", s.Notes)
	if len(s.Services) > MaxSupplierServices {
		v.Add("services", CodeTooLong, "supplier.error.too_many_services", "a supplier is linked to at most %d services", MaxSupplierServices)
	}
	seen := map[string]bool{}
	for i, l := range s.Services {
		f := "services[" + strconv.Itoa(i) + "]."
		if l.ServiceID == "" {
			v.Add(f+"service_id", CodeRequired, "error.required", "is required")
		} else if seen[l.ServiceID] {
			v.Add(f+"service_id", CodeInvalid, "supplier.error.service_twice", "the service is linked twice")
		}
		seen[l.ServiceID] = true
		v.MaxLen(f+"note", l.Note, MaxSupplierNoteLen)
	}
	return v.Err()
}

// webAddress reports whether s is an absolute http(s) address with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// ServiceIDs lists the ids of the linked services in order.
func (s *Supplier) ServiceIDs() []string {
	ids := make([]string, len(s.Services))
	for i, l := range s.Services {
		ids[i] = l.ServiceID
	}
	return ids
}

// SupplierRef names a supplier behind a service (the service's read model).
type SupplierRef struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Status SupplierStatus `json:"status" enum:"active,inactive"`
	Note   string         `json:"note" doc:"What the supplier delivers for the service."`
}

// SupplierFilter selects suppliers.
type SupplierFilter struct {
	Q         string
	Status    SupplierStatus
	ServiceID string
	Trashed   bool
	Sort      string
	Limit     int
	Cursor    string
}

// SupplierStore keeps the suppliers behind services. Complaints about a
// supplier are found by their supplier_id (the complaints store).
type SupplierStore interface {
	// CreateSupplier stores s with its service links. EINVALID names a
	// linked service that does not exist; ECONFLICT (field name) when a
	// supplier not in the trash has the name, ignoring case.
	CreateSupplier(ctx context.Context, s *Supplier) error
	// FindSupplierByID returns a supplier not in the trash with its links.
	FindSupplierByID(ctx context.Context, id string) (*Supplier, error)
	// FindSuppliers lists suppliers (the trash with f.Trashed), by name by default.
	FindSuppliers(ctx context.Context, f SupplierFilter) ([]*Supplier, string, error)
	// UpdateSupplier replaces the supplier's fields and links.
	UpdateSupplier(ctx context.Context, s *Supplier, ifVersion int) error
	// DeleteSupplier moves the supplier to the trash; SLA results keep naming it.
	DeleteSupplier(ctx context.Context, id string, ifVersion int) error
	// RestoreSupplier brings a supplier back; ECONFLICT when another has taken its name.
	RestoreSupplier(ctx context.Context, id string) (*Supplier, error)
	// ServiceSuppliers returns the suppliers (not in the trash) behind a service, by name.
	ServiceSuppliers(ctx context.Context, serviceID string) ([]SupplierRef, error)
}
