package liaison

import (
	"fmt"
	"strings"
	"time"
)

// AgreementType is what an agreement is about (SPEC C5).
type AgreementType string

const (
	AgreementServiceLevel AgreementType = "service_level"
	AgreementFinancial    AgreementType = "financial"
	AgreementRoutines     AgreementType = "routines"
)

// AgreementTypes lists the types in display order.
var AgreementTypes = []AgreementType{AgreementServiceLevel, AgreementFinancial, AgreementRoutines}

// AgreementStatus is where an agreement is in its lifecycle.
type AgreementStatus string

const (
	StatusDraft       AgreementStatus = "draft"
	StatusNegotiation AgreementStatus = "negotiation"
	StatusActive      AgreementStatus = "active"
	StatusExpired     AgreementStatus = "expired"
	StatusTerminated  AgreementStatus = "terminated"
)

// AgreementStatuses lists the statuses in lifecycle order.
var AgreementStatuses = []AgreementStatus{StatusDraft, StatusNegotiation, StatusActive, StatusExpired, StatusTerminated}

// Renewal says what happens at the end of an agreement's term.
type Renewal string

const (
	RenewalNone    Renewal = "none"    // ends at the end date
	RenewalTacit   Renewal = "tacit"   // renews unless notice is given in time
	RenewalExpress Renewal = "express" // must be renewed expressly
)

// Renewals lists the renewal kinds.
var Renewals = []Renewal{RenewalNone, RenewalTacit, RenewalExpress}

// DefaultReviewMonths is an agreement's review interval unless one is set (SPEC C5).
const DefaultReviewMonths = 12

// transitions are the allowed status changes (SPEC §4).
var transitions = map[AgreementStatus][]AgreementStatus{
	StatusDraft:       {StatusNegotiation, StatusTerminated},
	StatusNegotiation: {StatusActive, StatusDraft},
	StatusActive:      {StatusExpired, StatusTerminated},
}

// NextStatuses lists the statuses an agreement in status s may move to.
func NextStatuses(s AgreementStatus) []AgreementStatus { return transitions[s] }

// CheckTransition refuses a status change the lifecycle does not allow,
// naming the allowed ones.
func CheckTransition(from, to AgreementStatus) error {
	return checkLifecycle(transitions, from, to, "an agreement", "error.agreement_transition", "final")
}

// CheckSigner applies the signing rule: any person may be recorded while an
// agreement is drafted, but it becomes active only when signed by the
// account's current customer — never an orderer (SPEC C5, seed 000).
// customer is the account's active customer, nil when none is named.
func CheckSigner(a *Agreement, customer *Person) error {
	if a.Status != StatusActive {
		return nil
	}
	fe := FieldError{Field: "signed_by_person_id", Code: "not_customer"}
	switch {
	case customer == nil:
		fe.Key, fe.Message = "error.agreement_no_customer", "the account has no customer named: name the account's customer and record them as the signing party before activating"
	case a.SignedByPersonID == nil:
		fe.Key, fe.Args = "error.agreement_unsigned", []any{customer.Name}
		fe.Message = fmt.Sprintf("an agreement becomes active only when signed by the account's customer, %s; record them as the signing party", customer.Name)
	case *a.SignedByPersonID != customer.ID:
		fe.Key, fe.Args = "error.agreement_signer_not_customer", []any{customer.Name}
		fe.Message = fmt.Sprintf("only the account's customer, %s, can sign the agreement; the signing party is not the customer", customer.Name)
	default:
		return nil
	}
	return &Error{Code: EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: []FieldError{fe}}
}

// ServiceCover is a service an agreement covers and the level agreed.
type ServiceCover struct {
	ServiceID string `json:"service_id"`
	Level     string `json:"level" required:"false" maxLength:"200" doc:"The name of one of the service's levels; empty for none."`
}

// ValueMeasure is a measure of the business value an agreement delivers.
type ValueMeasure struct {
	Name   string `json:"name" maxLength:"200"`
	Target string `json:"target" required:"false" maxLength:"200" doc:"What good looks like, e.g. 95 % of invoices within 3 days."`
}

// Agreement is a written agreement with a customer account: services and
// levels, financing, validity and renewal, review, business value.
type Agreement struct {
	ID               string          `json:"id"`
	OrganisationID   string          `json:"organisation_id" doc:"The customer account."`
	Title            string          `json:"title" maxLength:"200"`
	Type             AgreementType   `json:"type" enum:"service_level,financial,routines"`
	Status           AgreementStatus `json:"status" enum:"draft,negotiation,active,expired,terminated"`
	SignedByPersonID *string         `json:"signed_by_person_id" doc:"The signing party; must be the account's customer to become active."`
	SignedOn         *string         `json:"signed_on" format:"date"`

	StartDate    *string `json:"start_date" format:"date"`
	EndDate      *string `json:"end_date" format:"date" doc:"Last day of the current term; null for an open-ended agreement."`
	NoticeMonths int     `json:"notice_months" minimum:"0" maximum:"60" doc:"Notice period in months."`
	Renewal      Renewal `json:"renewal" enum:"none,tacit,express" doc:"tacit renews unless notice is given; express must be renewed."`
	// RenewalMonths is the length of a tacit renewal's new term.
	RenewalMonths int `json:"renewal_months" minimum:"0" maximum:"120" doc:"Length of a tacit renewal's term in months; default 12."`

	ReviewIntervalMonths int     `json:"review_interval_months" minimum:"1" maximum:"120" doc:"Default 12."`
	NextReviewDate       *string `json:"next_review_date" format:"date"`
	// ServiceReviewMonths is the service-review cadence the agreement asks
	// for (SPEC C7): the account holds a service review at least this often.
	ServiceReviewMonths int `json:"service_review_months" minimum:"1" maximum:"36" doc:"How often the customer has a service review, in months (1–36, default 12); the smallest of the account's active agreements counts."`

	AnnualAmount *float64 `json:"annual_amount" minimum:"0" doc:"Annual financing."`
	Currency     string   `json:"currency" maxLength:"3" doc:"ISO 4217 code, e.g. SEK or EUR."`
	CostCentre   string   `json:"cost_centre" maxLength:"200"`

	BusinessValue string         `json:"business_value" maxLength:"2000" doc:"The business value the agreement delivers, in short."`
	ValueMeasures []ValueMeasure `json:"value_measures" maxItems:"20"`
	Services      []ServiceCover `json:"services" maxItems:"100" doc:"Services and levels covered."`
	Notes         string         `json:"notes" maxLength:"20000"`
	ExternalID    string         `json:"external_id" maxLength:"200"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// MaxBusinessValueLen caps the business value's short text.
const MaxBusinessValueLen = 2000

// Normalize trims input and fills defaults before validation.
func (a *Agreement) Normalize() {
	a.Title, a.CostCentre, a.ExternalID = trim(a.Title), trim(a.CostCentre), trim(a.ExternalID)
	a.Currency = strings.ToUpper(trim(a.Currency))
	a.BusinessValue = trim(a.BusinessValue)
	a.OrganisationID = trim(a.OrganisationID)
	a.SignedByPersonID = emptyToNil(a.SignedByPersonID)
	a.SignedOn, a.StartDate, a.EndDate, a.NextReviewDate = emptyToNil(a.SignedOn), emptyToNil(a.StartDate), emptyToNil(a.EndDate), emptyToNil(a.NextReviewDate)
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if a.Renewal == "" {
		a.Renewal = RenewalNone
	}
	if a.ReviewIntervalMonths == 0 {
		a.ReviewIntervalMonths = DefaultReviewMonths
	}
	if a.ServiceReviewMonths == 0 {
		a.ServiceReviewMonths = DefaultServiceReviewMonths
	}
	if a.Renewal == RenewalTacit && a.RenewalMonths == 0 {
		a.RenewalMonths = 12
	}
	if a.Services == nil {
		a.Services = []ServiceCover{}
	}
	for i := range a.Services {
		a.Services[i].ServiceID, a.Services[i].Level = trim(a.Services[i].ServiceID), trim(a.Services[i].Level)
	}
	if a.ValueMeasures == nil {
		a.ValueMeasures = []ValueMeasure{}
	}
	kept := a.ValueMeasures[:0]
	for _, m := range a.ValueMeasures {
		m.Name, m.Target = trim(m.Name), trim(m.Target)
		if m.Name != "" || m.Target != "" {
			kept = append(kept, m)
		}
	}
	a.ValueMeasures = kept
}

func validDate(v *Validation, field string, s *string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	d, err := ParseDate(*s)
	if err != nil {
		v.Add(field, CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		return time.Time{}, false
	}
	return d, true
}

func oneOf[T ~string](v T, all []T) bool {
	for _, x := range all {
		if v == x {
			return true
		}
	}
	return false
}

// Validate checks the agreement's own fields. The account, signer and
// services are checked against the store; the signing rule by CheckSigner.
func (a *Agreement) Validate() error {
	var v Validation
	v.RequireName("title", a.Title)
	if a.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if !oneOf(a.Type, AgreementTypes) {
		v.Add("type", CodeInvalid, "error.agreement_type_invalid", "must be one of service_level, financial, routines")
	}
	if !oneOf(a.Status, AgreementStatuses) {
		v.Add("status", CodeInvalid, "error.agreement_status_invalid", "must be one of draft, negotiation, active, expired, terminated")
	}
	if !oneOf(a.Renewal, Renewals) {
		v.Add("renewal", CodeInvalid, "error.renewal_invalid", "must be one of none, tacit, express")
	}
	validDate(&v, "signed_on", a.SignedOn)
	start, hasStart := validDate(&v, "start_date", a.StartDate)
	end, hasEnd := validDate(&v, "end_date", a.EndDate)
	validDate(&v, "next_review_date", a.NextReviewDate)
	if hasStart && hasEnd && end.Before(start) {
		v.Add("end_date", CodeInvalid, "error.end_before_start", "must not be before the start date")
	}
	if a.NoticeMonths < 0 || a.NoticeMonths > 60 {
		v.Add("notice_months", CodeInvalid, "error.range", "must be between %d and %d", 0, 60)
	}
	if a.RenewalMonths < 0 || a.RenewalMonths > 120 {
		v.Add("renewal_months", CodeInvalid, "error.range", "must be between %d and %d", 0, 120)
	}
	if a.ReviewIntervalMonths < 1 || a.ReviewIntervalMonths > 120 {
		v.Add("review_interval_months", CodeInvalid, "error.range", "must be between %d and %d", 1, 120)
	}
	CheckServiceReviewMonths(&v, a.ServiceReviewMonths)
	if a.Renewal == RenewalTacit && !hasEnd {
		v.Add("end_date", CodeRequired, "error.tacit_needs_end", "is required for tacit renewal: the term must end to renew")
	}
	if a.AnnualAmount != nil && (*a.AnnualAmount < 0 || *a.AnnualAmount > 1e15) {
		v.Add("annual_amount", CodeInvalid, "error.amount_invalid", "must be a positive amount")
	}
	if a.Currency != "" && !isCurrency(a.Currency) {
		v.Add("currency", CodeInvalid, "error.currency_invalid", "must be a three-letter ISO 4217 code such as EUR or SEK")
	}
	if a.AnnualAmount != nil && a.Currency == "" {
		v.Add("currency", CodeRequired, "error.currency_required", "is required with an amount")
	}
	v.MaxLen("cost_centre", a.CostCentre, MaxNameLen)
	v.MaxLen("external_id", a.ExternalID, MaxNameLen)
	v.MaxLen("business_value", a.BusinessValue, MaxBusinessValueLen)
	v.Text("notes", a.Notes)
	if len(a.ValueMeasures) > 20 {
		v.Add("value_measures", CodeTooLong, "error.too_many", "must hold at most %d items", 20)
	}
	for i, m := range a.ValueMeasures {
		f := fmt.Sprintf("value_measures[%d]", i)
		v.RequireName(f+".name", m.Name)
		v.MaxLen(f+".target", m.Target, MaxNameLen)
	}
	if len(a.Services) > 100 {
		v.Add("services", CodeTooLong, "error.too_many", "must hold at most %d items", 100)
	}
	seen := map[string]bool{}
	for i, s := range a.Services {
		f := fmt.Sprintf("services[%d]", i)
		if s.ServiceID == "" {
			v.Add(f+".service_id", CodeRequired, "error.required", "is required")
		} else if seen[s.ServiceID] {
			v.Add(f+".service_id", CodeInvalid, "error.service_twice", "names a service already covered")
		}
		seen[s.ServiceID] = true
		v.MaxLen(f+".level", s.Level, MaxNameLen)
	}
	if a.Status == StatusActive && !hasStart {
		v.Add("start_date", CodeRequired, "error.active_needs_start", "is required for an active agreement")
	}
	return v.Err()
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Terms returns the agreement's dates that need attention at today: the
// end of the term in force (rolled over tacit renewals whose notice
// deadline has passed), the last day to give notice for it, and whether
// the term shown is a renewal. ok is false for an open-ended agreement.
func (a *Agreement) Terms(today time.Time) (end, notice time.Time, renewed, ok bool) {
	if a.EndDate == nil {
		return time.Time{}, time.Time{}, false, false
	}
	e, err := ParseDate(*a.EndDate)
	if err != nil {
		return time.Time{}, time.Time{}, false, false
	}
	if a.Renewal == RenewalTacit && a.Status == StatusActive {
		ne := CurrentTermEnd(e, a.NoticeMonths, a.RenewalMonths, today)
		renewed = !ne.Equal(e)
		e = ne
	}
	return e, NoticeDeadline(e, a.NoticeMonths), renewed, true
}

// AgreementFilter selects agreements. Zero fields do not filter.
type AgreementFilter struct {
	Q              string
	OrganisationID string
	Status         AgreementStatus
	Type           AgreementType
	ManagerID      string // the account's relationship manager or deputy
	ServiceID      string
	EndsBefore     string // YYYY-MM-DD: end_date on or before
	ExternalID     string
	Trashed        bool
	Sort           string // name (title), -name, created_at, updated_at, end_date, -end_date
	Limit          int
	Cursor         string
}

// AgreementRevision is one saved version of an agreement.
type AgreementRevision struct {
	AgreementID string     `json:"agreement_id"`
	Version     int        `json:"version"`
	At          time.Time  `json:"at"`
	ActorID     string     `json:"actor_id"`
	ActorName   string     `json:"actor_name"`
	Changes     []Change   `json:"changes" doc:"The fields that differ from the previous version."`
	Agreement   *Agreement `json:"agreement,omitempty" doc:"The agreement as saved in this version."`
}

// AgreementKPIs counts accounts with an active written agreement (SPEC C5, C14 KPI 2).
type AgreementKPIs struct {
	AccountsTotal               int `json:"accounts_total"`
	AccountsWithActiveAgreement int `json:"accounts_with_active_agreement"`
}

// Share returns the percentage of accounts with an active agreement, 0 without accounts.
func (k AgreementKPIs) Share() float64 {
	if k.AccountsTotal == 0 {
		return 0
	}
	return float64(k.AccountsWithActiveAgreement) * 100 / float64(k.AccountsTotal)
}
