package liaison

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// CampaignStatus is where a survey campaign is: drafted, open for
// responses, closed.
type CampaignStatus string

const (
	CampaignDraft  CampaignStatus = "draft"
	CampaignOpen   CampaignStatus = "open"
	CampaignClosed CampaignStatus = "closed"
)

// CampaignStatuses lists the statuses in lifecycle order.
var CampaignStatuses = []CampaignStatus{CampaignDraft, CampaignOpen, CampaignClosed}

// campaignTransitions: a draft is opened (its links are sent), an open
// campaign is closed. Nothing reopens: links already answered or refused
// would change meaning.
var campaignTransitions = map[CampaignStatus][]CampaignStatus{
	CampaignDraft: {CampaignOpen},
	CampaignOpen:  {CampaignClosed},
}

// CheckCampaignTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckCampaignTransition(from, to CampaignStatus) error {
	return checkLifecycle(campaignTransitions, from, to, "a campaign", "campaign.error.transition", "final")
}

// CheckPublish refuses to publish the results of a campaign that is not
// closed: its numbers would still change, and an open campaign's
// respondents have not all had their say.
func (c *Campaign) CheckPublish() error {
	if c.Status != CampaignClosed {
		return &Error{Code: ECONFLICT, Key: "campaign.error.publish_not_closed", Args: []any{string(c.Status)},
			Message: fmt.Sprintf("Only a closed campaign's results can be published; this campaign is %s: close it first.", c.Status)}
	}
	return nil
}

// Published reports whether the campaign's results are published.
func (c *Campaign) Published() bool { return c.PublishedAt != nil }

// SurveyRoles are the contact roles a campaign may be sent to.
var SurveyRoles = []RoleKind{RoleCustomer, RoleOrderer, RoleUser}

// AnonymityThreshold is the fewest responses a group of an anonymous
// campaign needs for its results to be shown.
const AnonymityThreshold = 5

// Campaign sends one version of a survey to chosen recipients (API
// resource "campaigns"). Recipients are the people holding one of Roles at
// the accounts in scope: the listed accounts, the accounts of a segment,
// the accounts subscribing to a service, or, with no scope, all accounts.
type Campaign struct {
	ID              string         `json:"id"`
	Title           string         `json:"title" maxLength:"200"`
	SurveyID        string         `json:"survey_id"`
	SurveyVersion   int            `json:"survey_version" doc:"The version of the survey's questions the campaign sends; the latest when 0 at creation. Fixed once opened."`
	Roles           []RoleKind     `json:"roles" doc:"The contact roles that receive it: customer, orderer, user."`
	OrganisationIDs []string       `json:"organisation_ids" doc:"Scope: these accounts (and no segment or service)."`
	Segment         string         `json:"segment" doc:"Scope: the accounts of this segment id."`
	ServiceID       *string        `json:"service_id" doc:"Scope: the accounts that subscribe to this service."`
	ClosesOn        string         `json:"closes_on" format:"date" doc:"Last day responses are taken (YYYY-MM-DD)."`
	Anonymous       bool           `json:"anonymous" doc:"Responses keep no link to the respondent; groups under 5 responses show no result."`
	Status          CampaignStatus `json:"status" enum:"draft,open,closed" doc:"draft → open → closed."`

	SurveyName    string     `json:"survey_name" readOnly:"true"`
	Recipients    int        `json:"recipients" readOnly:"true"`
	Responses     int        `json:"responses" readOnly:"true"`
	OpenedAt      *time.Time `json:"opened_at" readOnly:"true"`
	ClosedAt      *time.Time `json:"closed_at" readOnly:"true"`
	RemindedAt    *time.Time `json:"reminded_at" readOnly:"true" doc:"When non-respondents were last reminded."`
	CreatedByID   *string    `json:"created_by_id" readOnly:"true"`
	PublishedAt   *time.Time `json:"published_at" readOnly:"true" doc:"When the results were published for the customers; null while unpublished (POST /campaigns/{id}/publish, /unpublish)."`
	PublishedByID *string    `json:"published_by_id" readOnly:"true" doc:"Who published the results."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults.
func (c *Campaign) Normalize() {
	c.Title, c.SurveyID, c.Segment, c.ClosesOn = trim(c.Title), trim(c.SurveyID), trim(c.Segment), trim(c.ClosesOn)
	c.ServiceID = emptyToNil(c.ServiceID)
	ids := c.OrganisationIDs[:0:0]
	for _, id := range c.OrganisationIDs {
		if id = trim(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	c.OrganisationIDs = ids
	roles := c.Roles[:0:0]
	for _, r := range c.Roles {
		if r = RoleKind(lowerTrim(string(r))); !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	c.Roles = roles
	if c.Status == "" {
		c.Status = CampaignDraft
	}
}

// Validate checks the campaign's own fields; the survey, accounts and
// service are checked against the store, a status change by
// CheckCampaignTransition.
func (c *Campaign) Validate() error {
	var v Validation
	v.RequireName("title", c.Title)
	if c.SurveyID == "" {
		v.Add("survey_id", CodeRequired, "campaign.error.survey_required", "is required: name the survey to send")
	}
	v.MaxLen("survey_id", c.SurveyID, MaxNameLen)
	if c.SurveyVersion < 0 {
		v.Add("survey_version", CodeInvalid, "campaign.error.survey_version", "must be a published version number")
	}
	if len(c.Roles) == 0 {
		v.Add("roles", CodeRequired, "campaign.error.roles_required", "choose at least one of customer, orderer, user")
	}
	for _, r := range c.Roles {
		if !slices.Contains(SurveyRoles, r) {
			v.Add("roles", CodeInvalid, "campaign.error.role", "%q cannot receive surveys: use customer, orderer or user", string(r))
		}
	}
	scopes := 0
	for _, set := range []bool{len(c.OrganisationIDs) > 0, c.Segment != "", c.ServiceID != nil} {
		if set {
			scopes++
		}
	}
	if scopes > 1 {
		v.Add("organisation_ids", CodeInvalid, "campaign.error.scope", "choose accounts, a segment or a service, not several")
	}
	if c.ClosesOn == "" {
		v.Add("closes_on", CodeRequired, "campaign.error.closes_on_required", "is required: the last day responses are taken")
	} else {
		validDate(&v, "closes_on", &c.ClosesOn)
	}
	if !oneOf(c.Status, CampaignStatuses) {
		v.Add("status", CodeInvalid, "campaign.error.status_invalid", "must be one of draft, open, closed")
	}
	return v.Err()
}

// Expired reports whether the closing date has passed on now (the closing
// day itself still takes responses, in UTC).
func (c *Campaign) Expired(now time.Time) bool {
	d, err := ParseDate(c.ClosesOn)
	return err == nil && DateOf(now).After(d)
}

// Error codes of a refused survey link, carried in Error.Key so that the
// respondent page can say plainly why.
const (
	LinkUnknown = "respond.error.link_unknown"
	LinkUsed    = "respond.error.link_used"
	LinkExpired = "respond.error.link_expired"
	LinkClosed  = "respond.error.link_closed"
)

// LinkRefusal returns the error for a refused link: ENOTFOUND for an
// unknown one, ECONFLICT for a used, expired or closed one, each with its
// own Key (LinkUsed, …).
func LinkRefusal(key string) error {
	switch key {
	case LinkUsed:
		return &Error{Code: ECONFLICT, Key: key, Message: "This survey link has already been used: a response was received."}
	case LinkExpired:
		return &Error{Code: ECONFLICT, Key: key, Message: "This survey closed on its closing date and takes no more responses."}
	case LinkClosed:
		return &Error{Code: ECONFLICT, Key: key, Message: "This survey has been closed and takes no more responses."}
	}
	return &Error{Code: ENOTFOUND, Key: LinkUnknown, Message: "This survey link is not valid."}
}

// LinkRefusalKey returns the Key of a link refusal in err's chain, or "".
func LinkRefusalKey(err error) string {
	e, ok := err.(*Error)
	if !ok || e == nil {
		return ""
	}
	switch e.Key {
	case LinkUnknown, LinkUsed, LinkExpired, LinkClosed:
		return e.Key
	}
	return ""
}

// FollowUpRule is the setting that turns low scores into follow-up actions
// for the account's relationship manager. Off creates none; else a rating
// at most RatingAtMost or an NPS at most NPSAtMost is low (0 or less
// disables that one).
type FollowUpRule struct {
	Enabled      bool `json:"enabled"`
	RatingAtMost int  `json:"rating_at_most" minimum:"0" maximum:"5" doc:"A rating at most this is low; 0: ratings never are."`
	NPSAtMost    int  `json:"nps_at_most" minimum:"-1" maximum:"10" doc:"An NPS score at most this is low; -1: NPS never is."`
}

// DefaultFollowUpRule is off; the usual threshold when switched on is
// rating ≤ 2 or NPS ≤ 6.
var DefaultFollowUpRule = FollowUpRule{Enabled: false, RatingAtMost: 2, NPSAtMost: 6}

// Validate checks the thresholds' ranges.
func (r FollowUpRule) Validate() error {
	var v Validation
	if r.RatingAtMost < 0 || r.RatingAtMost > RatingMax {
		v.Add("rating_at_most", CodeInvalid, "survey.error.followup_rating", "must be from 0 (never) to 5")
	}
	if r.NPSAtMost < -1 || r.NPSAtMost > NPSMax {
		v.Add("nps_at_most", CodeInvalid, "survey.error.followup_nps", "must be from -1 (never) to 10")
	}
	return v.Err()
}

// LowScores returns the answers that the rule finds low; none when off.
func (r FollowUpRule) LowScores(qs []Question, answers []Answer) []Answer {
	if !r.Enabled {
		return nil
	}
	var low []Answer
	for _, a := range answers {
		i := slices.IndexFunc(qs, func(q Question) bool { return q.ID == a.QuestionID })
		if i < 0 || a.Value == nil {
			continue
		}
		switch qs[i].Type {
		case QuestionRating:
			if *a.Value <= r.RatingAtMost {
				low = append(low, a)
			}
		case QuestionNPS:
			if *a.Value <= r.NPSAtMost {
				low = append(low, a)
			}
		}
	}
	return low
}

// DefaultSurveyReminderDays is the default least interval between two
// reminders of a campaign.
const DefaultSurveyReminderDays = 7

// SurveyResultAccess is the setting of who sees survey results: the
// internal roles that see every result, and whether an account's
// relationship manager and deputy see the results of their accounts.
type SurveyResultAccess struct {
	Roles    []UserRole `json:"roles" doc:"Roles that see all results (default head and admin)."`
	Managers bool       `json:"managers" doc:"An account's relationship manager and deputy see its results (default true)."`
}

// DefaultSurveyResultAccess: head and admin see everything, relationship
// managers their own accounts.
func DefaultSurveyResultAccess() SurveyResultAccess {
	return SurveyResultAccess{Roles: []UserRole{RoleHead, RoleAdmin}, Managers: true}
}

// Validate checks the roles.
func (s SurveyResultAccess) Validate() error {
	var v Validation
	for _, r := range s.Roles {
		if !r.Valid() {
			v.Add("survey_results.roles", CodeInvalid, "survey.error.result_role", "%q is not a role: use admin, head, manager, staff or viewer", string(r))
		}
	}
	return v.Err()
}

// SeesAll reports whether a user of role sees every result.
func (s SurveyResultAccess) SeesAll(role UserRole) bool { return slices.Contains(s.Roles, role) }

// CampaignFilter selects campaigns. Zero fields do not filter.
type CampaignFilter struct {
	Q        string
	SurveyID string
	Status   CampaignStatus
	// Published keeps only campaigns whose results are published.
	Published bool
	// RespondedFrom and RespondedBefore keep the campaigns with a response
	// submitted in [RespondedFrom, RespondedBefore) (the dashboard's survey
	// figures of a month); zero for no bound.
	RespondedFrom, RespondedBefore time.Time
	Trashed                        bool
	// Sort: created_at (default, newest first with -), name (title),
	// closes_on, updated_at, each with - for descending.
	Sort   string
	Limit  int
	Cursor string
}

// Recipient is one person a campaign was sent to, with a personal link.
// The link's token is kept only as its SHA-256 hash.
type Recipient struct {
	ID             string     `json:"id"`
	CampaignID     string     `json:"campaign_id"`
	PersonID       string     `json:"person_id"`
	PersonName     string     `json:"person_name"`
	Email          string     `json:"email"`
	Language       Language   `json:"language"`
	OrganisationID string     `json:"organisation_id"`
	Segment        string     `json:"segment"`
	Role           RoleKind   `json:"role"`
	RespondedAt    *time.Time `json:"responded_at"`
	RemindedAt     *time.Time `json:"reminded_at"`
}

// NewRecipient is a recipient to record when a campaign opens, with the
// hash of its token.
type NewRecipient struct {
	Recipient
	TokenHash []byte
}

// RespondentForm is what a respondent's page shows: the survey in the
// recipient's language, and nothing internal.
type RespondentForm struct {
	Title     string     `json:"title"`
	Language  Language   `json:"language"`
	ClosesOn  string     `json:"closes_on"`
	Anonymous bool       `json:"anonymous"`
	Questions []Question `json:"questions"`
}

// Link is a recipient's link as the store finds it by its token's hash.
// Its Campaign carries no counts (Recipients and Responses are 0): they
// cost a scan of the campaign's rows on every use of a link.
type Link struct {
	Recipient Recipient
	Campaign  Campaign
	Questions []Question
}

// Refusal says why the link takes no response at now, or nil: a closed
// campaign, a draft (unknown), a used link, a passed closing date.
func (l *Link) Refusal(now time.Time) error {
	switch {
	case l.Campaign.Status == CampaignClosed:
		return LinkRefusal(LinkClosed)
	case l.Campaign.Status != CampaignOpen:
		return LinkRefusal(LinkUnknown)
	case l.Recipient.RespondedAt != nil:
		return LinkRefusal(LinkUsed)
	case l.Campaign.Expired(now):
		return LinkRefusal(LinkExpired)
	}
	return nil
}

// Response is a stored response. RecipientID is nil for anonymous
// campaigns: nothing leads from the response back to the person.
type Response struct {
	ID             string    `json:"id"`
	CampaignID     string    `json:"campaign_id"`
	RecipientID    *string   `json:"recipient_id"`
	OrganisationID string    `json:"organisation_id"`
	Segment        string    `json:"segment"`
	Role           RoleKind  `json:"role"`
	Answers        []Answer  `json:"answers"`
	SubmittedAt    time.Time `json:"submitted_at"`
}

// CampaignStore keeps campaigns, their recipients and responses.
type CampaignStore interface {
	// CreateCampaign stores c as a draft; SurveyVersion 0 takes the
	// survey's latest version. EINVALID names an unknown survey, version,
	// account or service.
	CreateCampaign(ctx context.Context, c *Campaign) error
	FindCampaignByID(ctx context.Context, id string) (*Campaign, error)
	FindCampaigns(ctx context.Context, f CampaignFilter) ([]*Campaign, string, error)
	// UpdateCampaign replaces the fields of a draft; an open or closed
	// campaign takes only a new title and closing date.
	UpdateCampaign(ctx context.Context, c *Campaign, ifVersion int) error
	DeleteCampaign(ctx context.Context, id string, ifVersion int) error
	// CampaignAudience lists the people a draft campaign would be sent to:
	// one per person (their weightiest role), with an email address.
	CampaignAudience(ctx context.Context, c *Campaign) ([]Recipient, error)
	// OpenCampaign moves a draft to open and records its recipients, in
	// one transaction.
	OpenCampaign(ctx context.Context, id string, ifVersion int, recipients []NewRecipient) (*Campaign, error)
	// CloseCampaign moves an open campaign to closed.
	CloseCampaign(ctx context.Context, id string, ifVersion int) (*Campaign, error)
	// PublishCampaign publishes (publish) or unpublishes a closed
	// campaign's results, recording when and by whom; publishing what is
	// published, or unpublishing what is not, changes nothing but is no
	// error. A campaign that is not closed is refused (CheckPublish).
	PublishCampaign(ctx context.Context, id string, ifVersion int, publish bool) (*Campaign, error)
	// FindLink finds a recipient's link by its token's hash: ENOTFOUND
	// (LinkUnknown) for none; it does not check whether the link is usable.
	FindLink(ctx context.Context, tokenHash []byte) (*Link, error)
	// SubmitResponse stores a response through the link of tokenHash in one
	// transaction, refusing an unknown, used, expired (the store's clock
	// after the closing date) or closed link (LinkRefusal) and storing
	// nothing then. The answers are validated against the campaign's
	// version of the questions. For an anonymous campaign the response
	// carries no recipient id.
	SubmitResponse(ctx context.Context, tokenHash []byte, answers []Answer) (*Response, *Link, error)
	// PendingRecipients lists an open campaign's recipients who have not
	// responded.
	PendingRecipients(ctx context.Context, campaignID string) ([]Recipient, error)
	// RemindRecipients records that the campaign and the recipients named
	// by the keys of tokenHashes were reminded now, each with a new link:
	// the token is replaced by the one of the hash (its plaintext goes only
	// into the reminder), so the earlier link stops working. Recipients who
	// responded meanwhile are left alone.
	RemindRecipients(ctx context.Context, campaignID string, tokenHashes map[string][]byte) error
	// CampaignResultData returns what Aggregate needs of a campaign.
	CampaignResultData(ctx context.Context, campaignID string) (*ResultData, error)
}
