package liaison

import (
	"context"
	"time"
)

// ReportData is what the customer report pack of one account and period is
// assembled from (SPEC C7): the account's rows, read in a few indexed
// queries. internal/report turns them into the pack's sections; the
// period is [From, To).
type ReportData struct {
	Account      *Organisation
	From, To     time.Time
	Complaints   []ReportComplaint   // received in the period, under the account
	SLA          []ReportSLA         // results of the account's agreements for the months of the period
	Improvements []ReportImprovement // naming the account as affected or as raiser; open, or changed in the period
	Actions      []ReportAction      // open actions of the account, by due date
	Meetings     []ReportMeeting     // held in the period, by date
}

// ReportComplaint is one complaint (or suggestion, service request) of the pack.
type ReportComplaint struct {
	ID             string          `json:"id"`
	Title          string          `json:"title"`
	Classification Classification  `json:"classification"`
	Status         ComplaintStatus `json:"status"`
	Severity       Severity        `json:"severity"`
	ServiceID      string          `json:"service_id"`
	ServiceName    string          `json:"service_name"`
	ReceivedAt     time.Time       `json:"received_at"`
	ResolvedAt     *time.Time      `json:"resolved_at"`
}

// ReportSLA is one SLA result of the pack.
type ReportSLA struct {
	AgreementID    string    `json:"agreement_id"`
	AgreementTitle string    `json:"agreement_title"`
	ServiceID      string    `json:"service_id"`
	ServiceName    string    `json:"service_name"`
	Period         string    `json:"period"`
	Metric         SLAMetric `json:"metric"`
	Target         float64   `json:"target"`
	Actual         float64   `json:"actual"`
	Unit           string    `json:"unit"`
	Breached       bool      `json:"breached"`
}

// ReportImprovement is one improvement of the pack.
type ReportImprovement struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Status    ImprovementStatus `json:"status"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// ReportAction is one open action of the pack.
type ReportAction struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	OwnerName string `json:"owner_name"`
	DueDate   string `json:"due_date" doc:"YYYY-MM-DD, empty when none."`
}

// ReportMeeting is one meeting of the pack; also what storing a copy
// needs to know of the meeting.
type ReportMeeting struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"-"`
	Title          string    `json:"title"`
	Type           string    `json:"type"`
	StartsAt       time.Time `json:"starts_at"`
}

// ReportCopy is the PDF of a report pack as presented at a meeting,
// stored with it (SPEC C7: "the copy presented is stored with the meeting").
type ReportCopy struct {
	ID             string    `json:"id"`
	MeetingID      string    `json:"meeting_id"`
	OrganisationID string    `json:"organisation_id"`
	From           string    `json:"from" doc:"First day of the period, YYYY-MM-DD."`
	To             string    `json:"to" doc:"Last day of the period, YYYY-MM-DD."`
	Language       Language  `json:"language" enum:"en,sv,fi,zh"`
	Size           int       `json:"size" doc:"Bytes of the PDF."`
	CreatedByID    string    `json:"created_by_id"`
	CreatedByName  string    `json:"created_by_name"`
	CreatedAt      time.Time `json:"created_at"`
	PDF            []byte    `json:"-"`
}

// MaxReportPeriod bounds a pack's period: a longer one is refused rather
// than read.
const MaxReportPeriod = 5 * 366 * 24 * time.Hour

// ReportPeriod checks a pack's period given as inclusive YYYY-MM-DD dates
// and its language; an empty from or to defaults to the 12 months ending
// today. It returns the half-open range [from, to+1 day).
func ReportPeriod(fromS, toS string, lang Language, today time.Time) (from, to time.Time, err error) {
	var v Validation
	if !lang.Valid() {
		v.Add("language", CodeInvalid, "error.report_language", "must be one of en, sv, fi, zh")
	}
	to = DateOf(today)
	if toS != "" {
		if to, err = ParseDate(toS); err != nil {
			v.Add("to", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	from = AddMonths(to, -12).AddDate(0, 0, 1)
	if fromS != "" {
		if from, err = ParseDate(fromS); err != nil {
			v.Add("from", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if err := v.Err(); err != nil {
		return time.Time{}, time.Time{}, err
	}
	to = to.AddDate(0, 0, 1)
	if !from.Before(to) {
		v.Add("to", CodeInvalid, "error.report_period_order", "must not be before from")
	} else if to.Sub(from) > MaxReportPeriod {
		v.Add("from", CodeInvalid, "error.report_period_long", "the period may be at most five years")
	}
	return from, to, v.Err()
}

// ReportStore reads the data of report packs and keeps the copies stored
// with meetings.
type ReportStore interface {
	// ReportData reads the pack's rows for the account in [from, to).
	// ENOTFOUND when the account does not exist.
	ReportData(ctx context.Context, accountID string, from, to time.Time) (*ReportData, error)
	// FindReportMeeting returns a live meeting's id, account, title, type and start.
	FindReportMeeting(ctx context.Context, id string) (*ReportMeeting, error)
	// CreateReportCopy stores a copy with its meeting (ENOTFOUND for a
	// missing or trashed meeting); it fills ID, Size, CreatedAt and the creator.
	CreateReportCopy(ctx context.Context, c *ReportCopy) error
	// FindReportCopies lists a meeting's copies, newest first, without the PDF.
	FindReportCopies(ctx context.Context, meetingID string) ([]*ReportCopy, error)
	// FindReportCopy returns one copy with its PDF.
	FindReportCopy(ctx context.Context, meetingID, id string) (*ReportCopy, error)
}
