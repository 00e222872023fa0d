package liaison

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
)

// ServiceStatus is where a service stands in its life (SPEC C4).
type ServiceStatus string

const (
	ServicePipeline ServiceStatus = "pipeline" // being prepared; never shown to customers
	ServiceLive     ServiceStatus = "live"
	ServiceRetired  ServiceStatus = "retired" // no new usage; never shown to customers
)

// ServiceStatuses lists the statuses in life order.
var ServiceStatuses = []ServiceStatus{ServicePipeline, ServiceLive, ServiceRetired}

// Valid reports whether s is a known status.
func (s ServiceStatus) Valid() bool {
	for _, x := range ServiceStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// PriceModel is how a service is charged.
type PriceModel string

const (
	PriceIncluded    PriceModel = "included"    // no separate charge
	PriceFixed       PriceModel = "fixed"       // a fixed monthly fee
	PricePerUser     PriceModel = "per_user"    // per user per month
	PricePerUnit     PriceModel = "per_unit"    // per unit of workload per month
	PriceConsumption PriceModel = "consumption" // by measured use
)

// PriceModels lists the price models.
var PriceModels = []PriceModel{PriceIncluded, PriceFixed, PricePerUser, PricePerUnit, PriceConsumption}

// Valid reports whether m is a known price model.
func (m PriceModel) Valid() bool {
	for _, x := range PriceModels {
		if m == x {
			return true
		}
	}
	return false
}

// MaxServiceLevels caps the tiers a service offers.
const MaxServiceLevels = 20

// ServiceLevel is a named tier a service offers, with its targets. Its name
// is its key within the service: subscriptions and agreements name it.
type ServiceLevel struct {
	Name        string `json:"name" maxLength:"200" doc:"The tier's name, unique within the service, e.g. Gold."`
	Description string `json:"description" required:"false" maxLength:"20000"`
	// AvailabilityPercent is the availability target, e.g. 99.9.
	AvailabilityPercent *float64 `json:"availability_percent" required:"false" minimum:"0" maximum:"100" doc:"Availability target in percent, e.g. 99.9."`
	ResponseMinutes     *int     `json:"response_minutes" required:"false" minimum:"0" doc:"Response time target in minutes."`
	ResolutionMinutes   *int     `json:"resolution_minutes" required:"false" minimum:"0" doc:"Resolution time target in minutes."`
	SupportHours        string   `json:"support_hours" required:"false" maxLength:"200" doc:"When support is given, e.g. 24/7 or Mon–Fri 8–17."`
	Price               *float64 `json:"price" required:"false" minimum:"0" doc:"Price per month, per unit of the service's price model, in its currency."`
}

// Service is an IT service of the catalogue (API resource "services").
type Service struct {
	ID          string        `json:"id"`
	Name        string        `json:"name" maxLength:"200"`
	Description string        `json:"description" maxLength:"20000"`
	Status      ServiceStatus `json:"status" enum:"pipeline,live,retired"`
	OwnerID     *string       `json:"owner_id" doc:"The service owner, a user."`
	// CustomerSpecific marks a service built for particular customers:
	// every usage of it needs a named IT contact (SPEC C4, seed 004 §7.1).
	CustomerSpecific bool           `json:"customer_specific" doc:"Built for particular customers: every usage needs a named IT contact."`
	PriceModel       PriceModel     `json:"price_model" enum:"included,fixed,per_user,per_unit,consumption"`
	Currency         string         `json:"currency" maxLength:"3" doc:"ISO 4217 code of the levels' prices, e.g. EUR."`
	Levels           []ServiceLevel `json:"levels" maxItems:"20" doc:"The service levels offered, in display order."`
	ExternalID       string         `json:"external_id" maxLength:"200"`

	// Derived, read-only.
	Usages int `json:"usages" readOnly:"true" doc:"How many usages of live accounts name the service."`
	// Suppliers are the third parties behind the service (set on the
	// supplier: PATCH /suppliers/{id} services).
	Suppliers []SupplierRef `json:"suppliers" readOnly:"true" doc:"The suppliers behind the service, by name, each with what it delivers. Read-only here: links are set on the supplier."`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DefaultCurrency is the currency of a service that names none.
const DefaultCurrency = "EUR"

// Normalize trims input before validation.
func (s *Service) Normalize() {
	s.Name, s.ExternalID = trim(s.Name), trim(s.ExternalID)
	s.OwnerID = emptyToNil(s.OwnerID)
	s.Currency = strings.ToUpper(trim(s.Currency))
	if s.Currency == "" {
		s.Currency = DefaultCurrency
	}
	if s.Status == "" {
		s.Status = ServicePipeline
	}
	if s.PriceModel == "" {
		s.PriceModel = PriceIncluded
	}
	if s.Levels == nil {
		s.Levels = []ServiceLevel{}
	}
	for i := range s.Levels {
		l := &s.Levels[i]
		l.Name, l.SupportHours = trim(l.Name), trim(l.SupportHours)
	}
}

// Validate checks the service's own fields and its levels. The owner's
// existence is checked by the store.
func (s *Service) Validate() error {
	var v Validation
	v.RequireName("name", s.Name)
	v.Text("description", s.Description)
	v.MaxLen("external_id", s.ExternalID, MaxNameLen)
	if !s.Status.Valid() {
		v.Add("status", CodeInvalid, "error.service_status_invalid", "must be one of pipeline, live, retired")
	}
	if !s.PriceModel.Valid() {
		v.Add("price_model", CodeInvalid, "error.price_model_invalid", "must be one of included, fixed, per_user, per_unit, consumption")
	}
	if len(s.Currency) != 3 || strings.Trim(s.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		v.Add("currency", CodeInvalid, "error.currency_invalid", "must be a three-letter ISO 4217 code such as EUR")
	}
	if len(s.Levels) > MaxServiceLevels {
		v.Add("levels", CodeTooLong, "error.levels_too_many", "a service offers at most %d levels", MaxServiceLevels)
	}
	if s.Status == ServiceLive && len(s.Levels) == 0 {
		v.Add("levels", CodeRequired, "error.live_needs_level", "a live service offers at least one service level")
	}
	seen := map[string]bool{}
	for i, l := range s.Levels {
		f := "levels[" + strconv.Itoa(i) + "]."
		v.RequireName(f+"name", l.Name)
		key := strings.ToLower(l.Name)
		if l.Name != "" && seen[key] {
			v.Add(f+"name", CodeInvalid, "error.level_duplicate", "the level %s is offered twice", l.Name)
		}
		seen[key] = true
		v.Text(f+"description", l.Description)
		v.MaxLen(f+"support_hours", l.SupportHours, MaxNameLen)
		if a := l.AvailabilityPercent; a != nil && (math.IsNaN(*a) || *a <= 0 || *a > 100) {
			v.Add(f+"availability_percent", CodeInvalid, "error.availability_range", "must be above 0 and at most 100")
		}
		if l.ResponseMinutes != nil && *l.ResponseMinutes < 0 {
			v.Add(f+"response_minutes", CodeInvalid, "error.negative", "must not be negative")
		}
		if l.ResolutionMinutes != nil && *l.ResolutionMinutes < 0 {
			v.Add(f+"resolution_minutes", CodeInvalid, "error.negative", "must not be negative")
		}
		if l.ResponseMinutes != nil && l.ResolutionMinutes != nil && *l.ResolutionMinutes < *l.ResponseMinutes {
			v.Add(f+"resolution_minutes", CodeInvalid, "error.resolution_before_response", "the resolution time cannot be shorter than the response time")
		}
		if p := l.Price; p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0 || *p > 1e12) {
			v.Add(f+"price", CodeInvalid, "error.price_invalid", "must be a non-negative amount")
		}
	}
	return v.Err()
}

// Level returns the service's level with the name (case-insensitive), or nil.
func (s *Service) Level(name string) *ServiceLevel {
	for i := range s.Levels {
		if strings.EqualFold(s.Levels[i].Name, strings.TrimSpace(name)) {
			return &s.Levels[i]
		}
	}
	return nil
}

// LevelNames lists the names of the service's levels in order.
func (s *Service) LevelNames() []string {
	names := make([]string, len(s.Levels))
	for i, l := range s.Levels {
		names[i] = l.Name
	}
	return names
}

// ShownToCustomers reports whether customers may see the service: only live
// ones (SPEC C4).
func (s *Service) ShownToCustomers() bool { return s.Status == ServiceLive }

// ServiceFilter selects services.
type ServiceFilter struct {
	Q                string
	Status           ServiceStatus
	OwnerID          string
	CustomerSpecific *bool
	ExternalID       string
	Sort             string
	Limit            int
	Cursor           string
}

// Subscription is an account's usage of a service at a level (API resource
// "subscriptions"), with its volume and the named IT contact.
type Subscription struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id" doc:"The customer account using the service."`
	ServiceID      string `json:"service_id"`
	Level          string `json:"level" maxLength:"200" doc:"The name of one of the service's levels."`
	Users          *int   `json:"users" minimum:"0" doc:"Number of users."`
	Workload       string `json:"workload" maxLength:"200" doc:"Volume other than users, e.g. 2 TB or 40 servers."`
	// ContactUserID is the named IT contact for this usage; a
	// customer-specific service requires one.
	ContactUserID *string `json:"contact_user_id" doc:"The named IT contact for this usage (a user)."`
	StartedOn     *string `json:"started_on" format:"date" doc:"When the account started using the service (YYYY-MM-DD)."`
	Notes         string  `json:"notes" maxLength:"20000"`

	// Derived, read-only: names for lists.
	ServiceName      string        `json:"service_name" readOnly:"true"`
	ServiceStatus    ServiceStatus `json:"service_status" readOnly:"true" enum:"pipeline,live,retired"`
	CustomerSpecific bool          `json:"customer_specific" readOnly:"true"`
	OrganisationName string        `json:"organisation_name" readOnly:"true"`
	ContactName      string        `json:"contact_name" readOnly:"true"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Normalize trims input before validation.
func (s *Subscription) Normalize() {
	s.OrganisationID, s.ServiceID = trim(s.OrganisationID), trim(s.ServiceID)
	s.Level, s.Workload = trim(s.Level), trim(s.Workload)
	s.ContactUserID = emptyToNil(s.ContactUserID)
	s.StartedOn = emptyToNil(s.StartedOn)
}

// Validate checks the subscription's own fields. Whether the level is one
// the service offers is CheckSubscription's job.
func (s *Subscription) Validate() error {
	var v Validation
	if s.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if s.ServiceID == "" {
		v.Add("service_id", CodeRequired, "error.required", "is required")
	}
	v.RequireName("level", s.Level)
	v.MaxLen("workload", s.Workload, MaxNameLen)
	v.Text("notes", s.Notes)
	if s.Users != nil && *s.Users < 0 {
		v.Add("users", CodeInvalid, "error.negative", "must not be negative")
	}
	if s.StartedOn != nil {
		if _, err := ParseDate(*s.StartedOn); err != nil {
			v.Add("started_on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	return v.Err()
}

// CheckSubscription applies the rules between a usage and its service:
// the level must be one the service offers (and takes the service's
// spelling), a retired service takes no new usage, and a customer-specific
// service needs a named IT contact. before is the usage as stored, nil for
// a new one: a usage that stays on a service retired meanwhile may still be
// edited.
func CheckSubscription(s *Subscription, svc *Service, before *Subscription) error {
	var v Validation
	moving := before == nil || before.ServiceID != s.ServiceID
	if svc.Status == ServiceRetired && moving {
		v.Add("service_id", CodeInvalid, "error.service_retired", "%s is retired and takes no new usage", svc.Name)
	}
	if s.Level != "" {
		if l := svc.Level(s.Level); l != nil {
			s.Level = l.Name
		} else if len(svc.Levels) == 0 {
			v.Add("level", CodeInvalid, "error.service_no_levels", "%s offers no service levels yet", svc.Name)
		} else {
			names := svc.LevelNames()
			v.Add("level", CodeInvalid, "error.level_not_offered", "%s does not offer the level %s: choose one of %s",
				svc.Name, s.Level, strings.Join(names, ", "))
		}
	}
	if svc.CustomerSpecific && s.ContactUserID == nil {
		v.Add("contact_user_id", CodeRequired, "error.contact_required", "%s is customer-specific: name the IT contact for this usage", svc.Name)
	}
	return v.Err()
}

// SubscriptionFilter selects subscriptions.
type SubscriptionFilter struct {
	Q              string
	OrganisationID string
	ServiceID      string
	Level          string
	ContactUserID  string
	// NoContact selects usages without a named IT contact (the coverage view).
	NoContact bool
	Sort      string
	Limit     int
	Cursor    string
}

// Coverage counts the usages of live accounts that have a named IT contact
// (SPEC C4 KPI).
type Coverage struct {
	Usages                    int `json:"usages"`
	WithContact               int `json:"with_contact"`
	CustomerSpecific          int `json:"customer_specific" doc:"Usages of customer-specific services."`
	CustomerSpecificNoContact int `json:"customer_specific_without_contact" doc:"Usages of customer-specific services that lack the contact they need."`
}

// Percent is the share of usages with a named contact, 100 when there are none.
func (c Coverage) Percent() float64 {
	if c.Usages == 0 {
		return 100
	}
	return 100 * float64(c.WithContact) / float64(c.Usages)
}

// ServiceStore keeps the service catalogue and its usage.
type ServiceStore interface {
	// CreateService stores s with its levels. EINVALID names an unknown owner.
	CreateService(ctx context.Context, s *Service) error
	FindServiceByID(ctx context.Context, id string) (*Service, error)
	// FindServices lists services with their levels.
	FindServices(ctx context.Context, f ServiceFilter) ([]*Service, string, error)
	// UpdateService replaces the service's fields and levels. Removing or
	// renaming a level that usages name returns ECONFLICT.
	UpdateService(ctx context.Context, s *Service, ifVersion int) error
	// DeleteService removes a service; ECONFLICT while anything uses it.
	DeleteService(ctx context.Context, id string, ifVersion int) error

	// CreateSubscription stores a usage. EINVALID when the unit is not a
	// live account, the service is retired, the level is not offered, or a
	// customer-specific service lacks a contact; ECONFLICT when the account
	// already uses the service at that level.
	CreateSubscription(ctx context.Context, s *Subscription) error
	FindSubscriptionByID(ctx context.Context, id string) (*Subscription, error)
	// FindSubscriptions lists usages of live units; sort "name" is by service name.
	FindSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*Subscription, string, error)
	UpdateSubscription(ctx context.Context, s *Subscription, ifVersion int) error
	// DeleteSubscription removes a usage for good (the audit trail keeps it).
	DeleteSubscription(ctx context.Context, id string, ifVersion int) error
	// SubscriptionCoverage counts the usages of live units with and without a named contact.
	SubscriptionCoverage(ctx context.Context) (Coverage, error)
}
