package liaison

import (
	"fmt"
	"math"
	"regexp"
	"time"
)

// SLAMetric is what an SLA result measures.
type SLAMetric string

const (
	MetricAvailability SLAMetric = "availability"    // percent; higher is better
	MetricResponse     SLAMetric = "response_time"   // minutes; lower is better
	MetricResolution   SLAMetric = "resolution_time" // minutes; lower is better
	MetricOther        SLAMetric = "other"           // direction given
)

// SLAMetrics lists the metrics.
var SLAMetrics = []SLAMetric{MetricAvailability, MetricResponse, MetricResolution, MetricOther}

// SLAResult is the performance of one service under an agreement in one
// period: target against actual (resource sla-results, SPEC C5).
type SLAResult struct {
	ID          string    `json:"id"`
	AgreementID string    `json:"agreement_id"`
	ServiceID   string    `json:"service_id"`
	Period      string    `json:"period" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"The month measured, YYYY-MM."`
	Metric      SLAMetric `json:"metric" enum:"availability,response_time,resolution_time,other"`
	// HigherIsBetter says which way the target points; set from the metric
	// except for other.
	HigherIsBetter bool    `json:"higher_is_better" doc:"true: actual must reach the target; false: actual must not exceed it. Set from the metric except for other."`
	Target         float64 `json:"target"`
	Actual         float64 `json:"actual"`
	Unit           string  `json:"unit" maxLength:"20" doc:"%, min… Set from the metric when empty."`
	Note           string  `json:"note" maxLength:"2000"`
	Source         string  `json:"source" maxLength:"200" doc:"Where the figure came from, e.g. the ITSM tool or csv."`
	// SupplierID names the third party the result is attributed to, if any.
	SupplierID   *string `json:"supplier_id" doc:"The supplier the result is attributed to (a supplier behind the service), if any."`
	SupplierName string  `json:"supplier_name" readOnly:"true"`

	Breached bool `json:"breached" readOnly:"true" doc:"The actual misses the target."`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var periodRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// Normalize fills what the metric implies and derives Breached.
func (r *SLAResult) Normalize() {
	r.AgreementID, r.ServiceID, r.Period, r.Unit, r.Source = trim(r.AgreementID), trim(r.ServiceID), trim(r.Period), trim(r.Unit), trim(r.Source)
	r.SupplierID = emptyToNil(r.SupplierID)
	switch r.Metric {
	case MetricAvailability:
		r.HigherIsBetter = true
		if r.Unit == "" {
			r.Unit = "%"
		}
	case MetricResponse, MetricResolution:
		r.HigherIsBetter = false
		if r.Unit == "" {
			r.Unit = "min"
		}
	}
	r.Breached = r.IsBreach()
}

// IsBreach reports whether the actual misses the target.
func (r *SLAResult) IsBreach() bool {
	if r.HigherIsBetter {
		return r.Actual < r.Target
	}
	return r.Actual > r.Target
}

// Validate checks the result's own fields.
func (r *SLAResult) Validate() error {
	var v Validation
	if r.AgreementID == "" {
		v.Add("agreement_id", CodeRequired, "error.required", "is required")
	}
	if r.ServiceID == "" {
		v.Add("service_id", CodeRequired, "error.required", "is required")
	}
	if !periodRE.MatchString(r.Period) {
		v.Add("period", CodeInvalid, "error.period_invalid", "must be a month as YYYY-MM")
	}
	if !oneOf(r.Metric, SLAMetrics) {
		v.Add("metric", CodeInvalid, "error.metric_invalid", "must be one of availability, response_time, resolution_time, other")
	}
	for _, f := range []struct {
		name string
		x    float64
	}{{"target", r.Target}, {"actual", r.Actual}} {
		if math.IsNaN(f.x) || math.IsInf(f.x, 0) || f.x < 0 || f.x > 1e12 {
			v.Add(f.name, CodeInvalid, "error.number_invalid", "must be a number of at least 0")
		} else if r.Metric == MetricAvailability && f.x > 100 {
			v.Add(f.name, CodeInvalid, "error.percent_invalid", "must be a percentage from 0 to 100")
		}
	}
	v.MaxLen("unit", r.Unit, 20)
	v.MaxLen("note", r.Note, 2000)
	v.MaxLen("source", r.Source, MaxNameLen)
	return v.Err()
}

// String describes the result for the audit trail.
func (r *SLAResult) String() string {
	return fmt.Sprintf("%s %s: %g/%g %s", r.Period, r.Metric, r.Actual, r.Target, r.Unit)
}

// SLAResultFilter selects SLA results.
type SLAResultFilter struct {
	AgreementID    string
	ServiceID      string
	OrganisationID string
	Period         string
	Breached       *bool
	SupplierID     string
	Limit          int
	Cursor         string
}
