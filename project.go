package liaison

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Projects and steering groups (SPEC C10, seed 003 §6.2): customer
// projects and IT's internal projects, their RAG health with its history,
// the PRINCE2 steering group ("board") with the relationship manager's
// seat, the one-page guide to the board's roles delivered to the customer
// and the members, and the lessons log.

// ProjectStatus is where a project is in its lifecycle.
type ProjectStatus string

const (
	ProjectProposed   ProjectStatus = "proposed"    // being discussed with the customer
	ProjectAgreed     ProjectStatus = "agreed"      // agreed to be carried out together: the guide goes to the customer
	ProjectInProgress ProjectStatus = "in_progress" // under way
	ProjectClosed     ProjectStatus = "closed"      // finished and closed by the board
	ProjectCancelled  ProjectStatus = "cancelled"   // stopped before its end
)

// ProjectStatuses lists the statuses in lifecycle order.
var ProjectStatuses = []ProjectStatus{ProjectProposed, ProjectAgreed, ProjectInProgress, ProjectClosed, ProjectCancelled}

// projectTransitions: proposed → agreed → in_progress → closed, any live
// project may be cancelled, an agreed one may go back to proposed (the
// customer wants to rethink it), and a cancelled one may be proposed
// again. A closed project stays closed.
var projectTransitions = map[ProjectStatus][]ProjectStatus{
	ProjectProposed:   {ProjectAgreed, ProjectCancelled},
	ProjectAgreed:     {ProjectInProgress, ProjectProposed, ProjectCancelled},
	ProjectInProgress: {ProjectClosed, ProjectCancelled},
	ProjectCancelled:  {ProjectProposed},
	ProjectClosed:     {},
}

// NextProjectStatuses lists the statuses a project in status s may move to.
func NextProjectStatuses(s ProjectStatus) []ProjectStatus { return projectTransitions[s] }

// CheckProjectTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckProjectTransition(from, to ProjectStatus) error {
	return checkLifecycle(projectTransitions, from, to, "a project", "project.error.transition", "final")
}

// Live reports whether the project is neither closed nor cancelled.
func (s ProjectStatus) Live() bool { return s != ProjectClosed && s != ProjectCancelled }

// Health is a project's RAG status.
type Health string

const (
	HealthGreen Health = "green" // on track
	HealthAmber Health = "amber" // at risk: the board should know
	HealthRed   Health = "red"   // off track: the board must decide
)

// Healths lists the health values, best first.
var Healths = []Health{HealthGreen, HealthAmber, HealthRed}

// Project is a customer project or an internal IT project (API resource
// "projects").
type Project struct {
	ID               string        `json:"id"`
	OrganisationID   *string       `json:"organisation_id" doc:"The customer account; absent for an internal IT project."`
	Name             string        `json:"name" maxLength:"200"`
	Description      string        `json:"description" maxLength:"20000"`
	ProjectManagerID *string       `json:"project_manager_id" doc:"The IT user who manages the project; required from agreed on."`
	Status           ProjectStatus `json:"status" enum:"proposed,agreed,in_progress,closed,cancelled" doc:"proposed → agreed → in_progress → closed; proposed, agreed and in_progress → cancelled; agreed → proposed; cancelled → proposed."`
	Phase            string        `json:"phase" maxLength:"200" doc:"The current stage, free text (e.g. a PRINCE2 stage: Starting up, Initiation, Delivery stage 2, Closing)."`
	Health           Health        `json:"health" enum:"green,amber,red" doc:"RAG health; every change is kept in the health history with its reason."`
	HealthNote       string        `json:"health_note" maxLength:"2000" doc:"Why the health is what it is; required when health changes."`
	StartDate        string        `json:"start_date" doc:"YYYY-MM-DD or empty."`
	EndDate          string        `json:"end_date" doc:"Planned or actual end, YYYY-MM-DD or empty; not before start_date."`
	ToolURL          string        `json:"tool_url" maxLength:"2000" doc:"The project in the external project tool (http or https)."`
	InternalNote     string        `json:"internal_note" maxLength:"20000" doc:"IT's own notes; never shown to the customer."`

	OrganisationName   string     `json:"organisation_name" readOnly:"true"`
	ProjectManagerName string     `json:"project_manager_name" readOnly:"true"`
	AgreedAt           *time.Time `json:"agreed_at" readOnly:"true" doc:"When the project was agreed (the guide went to the customer)."`
	GuideReviewedOn    string     `json:"guide_reviewed_on" readOnly:"true" doc:"The date of the steering-group meeting where the roles guide was reviewed."`
	GuideMeetingID     *string    `json:"guide_meeting_id" readOnly:"true" doc:"That meeting (a steering_group meeting of the account)."`
	HealthChangedAt    *time.Time `json:"health_changed_at" readOnly:"true"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (p *Project) Normalize() {
	p.Name, p.Phase, p.StartDate, p.EndDate, p.ToolURL = trim(p.Name), trim(p.Phase), trim(p.StartDate), trim(p.EndDate), trim(p.ToolURL)
	p.Description, p.HealthNote, p.InternalNote = strings.TrimSpace(p.Description), strings.TrimSpace(p.HealthNote), strings.TrimSpace(p.InternalNote)
	p.OrganisationID, p.ProjectManagerID = emptyToNil(p.OrganisationID), emptyToNil(p.ProjectManagerID)
	if p.Status == "" {
		p.Status = ProjectProposed
	}
	if p.Health == "" {
		p.Health = HealthGreen
	}
}

// Validate checks the project's own fields; the account and the project
// manager are checked against the store, a status change by
// CheckProjectChange.
func (p *Project) Validate() error {
	var v Validation
	v.RequireName("name", p.Name)
	v.Text("description", p.Description)
	v.Text("internal_note", p.InternalNote)
	v.MaxLen("phase", p.Phase, MaxNameLen)
	v.MaxLen("health_note", p.HealthNote, 2000)
	if !oneOf(p.Status, ProjectStatuses) {
		v.Add("status", CodeInvalid, "project.error.status_invalid", "must be one of proposed, agreed, in_progress, closed, cancelled")
	}
	if !oneOf(p.Health, Healths) {
		v.Add("health", CodeInvalid, "project.error.health_invalid", "must be one of green, amber, red")
	}
	var start, end time.Time
	var err error
	if p.StartDate != "" {
		if start, err = ParseDate(p.StartDate); err != nil {
			v.Add("start_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if p.EndDate != "" {
		if end, err = ParseDate(p.EndDate); err != nil {
			v.Add("end_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		v.Add("end_date", CodeInvalid, "project.error.end_before_start", "must not be before the start date")
	}
	if p.ToolURL != "" {
		v.MaxLen("tool_url", p.ToolURL, 2000)
		if !ValidWebURL(p.ToolURL) {
			v.Add("tool_url", CodeInvalid, "project.error.url_invalid", "must be a web address starting with http:// or https://")
		}
	}
	if (p.Status == ProjectAgreed || p.Status == ProjectInProgress || p.Status == ProjectClosed) && p.ProjectManagerID == nil {
		v.Add("project_manager_id", CodeRequired, "project.error.needs_manager", "is required once the project is agreed: name its project manager")
	}
	return v.Err()
}

// ValidWebURL reports whether s is an absolute http or https address with a host.
func ValidWebURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\n") {
		return false
	}
	return true
}

// CheckProjectChange applies the rules of a change beyond the fields: the
// lifecycle, and a reason for a change of health (the history keeps why).
func CheckProjectChange(cur, n *Project) error {
	if err := CheckProjectTransition(cur.Status, n.Status); err != nil {
		return err
	}
	if cur.Health != n.Health && (n.HealthNote == "" || n.HealthNote == cur.HealthNote) {
		var v Validation
		v.Add("health_note", CodeRequired, "project.error.health_needs_note", "is required when the health changes: say why it is %s now", string(n.Health))
		return v.Err()
	}
	return nil
}

// HealthChange is one entry of a project's health history.
type HealthChange struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"project_id"`
	Health      Health    `json:"health" enum:"green,amber,red"`
	Note        string    `json:"note"`
	ChangedByID *string   `json:"changed_by_id"`
	ChangedBy   string    `json:"changed_by_name"`
	ChangedAt   time.Time `json:"changed_at"`
}

// BoardRole is a seat on a project's steering group (PRINCE2 project board).
type BoardRole string

const (
	RoleExecutive           BoardRole = "executive"            // owns the business case, decides; one only
	RoleSeniorUser          BoardRole = "senior_user"          // speaks for those who will use the result
	RoleSeniorSupplier      BoardRole = "senior_supplier"      // speaks for those who deliver it
	RoleRelationshipManager BoardRole = "relationship_manager" // the account's relationship manager, for the customer or the supplier side
)

// BoardRoles lists the seats in the order a board is shown.
var BoardRoles = []BoardRole{RoleExecutive, RoleSeniorUser, RoleSeniorSupplier, RoleRelationshipManager}

// Side says whom a board member represents.
type Side string

const (
	SideCustomer Side = "customer"
	SideSupplier Side = "supplier"
)

// DefaultSide is the side a seat represents: the executive and senior
// users the customer, the senior supplier the supplier; the relationship
// manager's seat is chosen per project (seed 003 §6.2.1).
func DefaultSide(r BoardRole) Side {
	if r == RoleSeniorSupplier {
		return SideSupplier
	}
	if r == RoleRelationshipManager {
		return ""
	}
	return SideCustomer
}

// BoardMember is a seat on a project's steering group, held by a
// customer contact (person_id) or an IT user (user_id).
type BoardMember struct {
	ID         string    `json:"id"`
	ProjectID  string    `json:"project_id"`
	Role       BoardRole `json:"role" enum:"executive,senior_user,senior_supplier,relationship_manager"`
	PersonID   *string   `json:"person_id" doc:"A customer contact; exactly one of person_id and user_id."`
	UserID     *string   `json:"user_id" doc:"An IT user; exactly one of person_id and user_id."`
	Represents Side      `json:"represents" enum:"customer,supplier" doc:"Whom the member speaks for: required for the relationship manager's seat, fixed by the role for the others."`
	Note       string    `json:"note" maxLength:"2000"`

	Name      string    `json:"name" readOnly:"true"`
	Email     string    `json:"email" readOnly:"true"`
	Language  Language  `json:"language" readOnly:"true" doc:"The member's language: the guide is written in it."`
	CreatedAt time.Time `json:"created_at"`
}

// Normalize trims input and fills the side the role implies.
func (m *BoardMember) Normalize() {
	m.PersonID, m.UserID, m.Note = emptyToNil(m.PersonID), emptyToNil(m.UserID), strings.TrimSpace(m.Note)
	if m.Represents == "" {
		m.Represents = DefaultSide(m.Role)
	}
}

// Validate checks a seat on its own; one executive per board is the
// store's check (CheckBoard).
func (m *BoardMember) Validate() error {
	var v Validation
	if !oneOf(m.Role, BoardRoles) {
		v.Add("role", CodeInvalid, "board.error.role_invalid", "must be one of executive, senior_user, senior_supplier, relationship_manager")
	}
	if (m.PersonID == nil) == (m.UserID == nil) {
		v.Add("person_id", CodeInvalid, "board.error.person_xor_user", "name either a customer contact (person_id) or an IT user (user_id), not both or neither")
	}
	switch {
	case m.Represents != SideCustomer && m.Represents != SideSupplier:
		v.Add("represents", CodeRequired, "board.error.side_required", "must be customer or supplier: say whom the relationship manager represents")
	case m.Role != RoleRelationshipManager && oneOf(m.Role, BoardRoles) && m.Represents != DefaultSide(m.Role):
		v.Add("represents", CodeInvalid, "board.error.side_fixed", "is %s for this role", string(DefaultSide(m.Role)))
	}
	if m.Role == RoleRelationshipManager && m.PersonID != nil {
		v.Add("user_id", CodeRequired, "board.error.rm_is_user", "the relationship manager's seat is held by an IT user")
	}
	v.MaxLen("note", m.Note, 2000)
	return v.Err()
}

// CheckBoard refuses a new seat the board cannot take: a second executive
// (PRINCE2: one executive, who owns the decision), a second relationship
// manager seat, or someone who already holds the same role.
func CheckBoard(board []*BoardMember, m *BoardMember) error {
	for _, b := range board {
		if m.Role == RoleExecutive && b.Role == RoleExecutive {
			return &Error{Code: ECONFLICT, Key: "board.error.one_executive", Args: []any{b.Name},
				Message: "The board already has an executive (" + b.Name + "): a project has one executive only."}
		}
		if m.Role == RoleRelationshipManager && b.Role == RoleRelationshipManager {
			return &Error{Code: ECONFLICT, Key: "board.error.one_rm", Args: []any{b.Name},
				Message: "The relationship manager's seat is taken (" + b.Name + ")."}
		}
		samePerson := m.PersonID != nil && b.PersonID != nil && *m.PersonID == *b.PersonID
		sameUser := m.UserID != nil && b.UserID != nil && *m.UserID == *b.UserID
		if b.Role == m.Role && (samePerson || sameUser) {
			return &Error{Code: ECONFLICT, Key: "board.error.twice", Args: []any{b.Name},
				Message: b.Name + " already holds this role on the board."}
		}
	}
	return nil
}

// GuideOccasion is why a steering-group guide was delivered.
type GuideOccasion string

const (
	GuideOnAgreed GuideOccasion = "agreed" // to the customer when the project was agreed
	GuideOnNamed  GuideOccasion = "named"  // to a member when named to the board
	GuideResent   GuideOccasion = "resent" // sent again by hand
)

// GuideDelivery records that the steering-group guide went to someone.
type GuideDelivery struct {
	ID             string        `json:"id"`
	ProjectID      string        `json:"project_id"`
	Occasion       GuideOccasion `json:"occasion" enum:"agreed,named,resent"`
	MemberID       *string       `json:"member_id" doc:"The board seat it went to, when it went to a member."`
	PersonID       *string       `json:"person_id"`
	UserID         *string       `json:"user_id"`
	RecipientName  string        `json:"recipient_name"`
	RecipientEmail string        `json:"recipient_email"`
	Language       Language      `json:"language" enum:"en,sv,fi,zh"`
	Role           BoardRole     `json:"role,omitempty" doc:"The seat's role; empty for the customer's copy on agreement."`
	SentByID       *string       `json:"sent_by_id"`
	SentByName     string        `json:"sent_by_name"`
	DeliveredAt    time.Time     `json:"delivered_at"`
}

// LessonCategory groups lessons.
type LessonCategory string

// LessonCategories are the categories of the lessons log.
var LessonCategories = []LessonCategory{"planning", "governance", "communication", "requirements", "supplier", "technical", "other"}

// Lesson is an entry of a project's lessons log (PRINCE2 lessons log):
// something learned and what to do next time. Internal lessons stay in
// IT; the others may be shown to the customer.
type Lesson struct {
	ID             string         `json:"id"`
	ProjectID      string         `json:"project_id"`
	Title          string         `json:"title" maxLength:"200"`
	WhatHappened   string         `json:"what_happened" maxLength:"20000"`
	Recommendation string         `json:"recommendation" maxLength:"20000"`
	Category       LessonCategory `json:"category" enum:"planning,governance,communication,requirements,supplier,technical,other"`
	On             string         `json:"on" format:"date" doc:"When it was learned (YYYY-MM-DD); default today."`
	Internal       bool           `json:"internal" doc:"IT's own lesson: never in the customer report pack."`
	AuthorID       *string        `json:"author_id" readOnly:"true"`
	AuthorName     string         `json:"author_name" readOnly:"true"`
	CreatedAt      time.Time      `json:"created_at"`
}

// Normalize trims input and fills defaults.
func (l *Lesson) Normalize() {
	l.Title, l.On = trim(l.Title), trim(l.On)
	l.WhatHappened, l.Recommendation = strings.TrimSpace(l.WhatHappened), strings.TrimSpace(l.Recommendation)
	if l.Category == "" {
		l.Category = "other"
	}
}

// Validate checks the lesson's own fields.
func (l *Lesson) Validate() error {
	var v Validation
	v.RequireName("title", l.Title)
	v.Text("what_happened", l.WhatHappened)
	v.Text("recommendation", l.Recommendation)
	if l.WhatHappened == "" && l.Recommendation == "" {
		v.Add("recommendation", CodeRequired, "lesson.error.empty", "say what happened or what to do next time")
	}
	if !oneOf(l.Category, LessonCategories) {
		v.Add("category", CodeInvalid, "lesson.error.category_invalid", "must be one of planning, governance, communication, requirements, supplier, technical, other")
	}
	if l.On == "" {
		v.Add("on", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(l.On); err != nil {
		v.Add("on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	}
	return v.Err()
}

// ProjectFilter selects projects. Zero fields do not filter.
type ProjectFilter struct {
	Q                string
	OrganisationID   string
	Status           ProjectStatus
	Health           Health
	ProjectManagerID string
	Live             bool // neither closed nor cancelled
	Trashed          bool
	Sort             string // name, created_at, updated_at, each with - for descending
	Limit            int
	Cursor           string
}

// ProjectStore keeps projects, their health history, steering groups,
// guide deliveries and lessons.
type ProjectStore interface {
	// CreateProject stores p and its first health entry. EINVALID names an
	// account or project manager that does not exist.
	CreateProject(ctx context.Context, p *Project) error
	FindProjectByID(ctx context.Context, id string) (*Project, error)
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, string, error)
	// UpdateProject saves p: EINVALID for a transition the lifecycle
	// refuses and a health change without a reason; a health change adds
	// a history entry, becoming agreed records AgreedAt.
	UpdateProject(ctx context.Context, p *Project, ifVersion int) error
	DeleteProject(ctx context.Context, id string, ifVersion int) error
	RestoreProject(ctx context.Context, id string) (*Project, error)
	// FindHealthChanges lists the project's health history, oldest first.
	FindHealthChanges(ctx context.Context, projectID string) ([]*HealthChange, error)
	// RecordGuideReview records that the guide was reviewed at a
	// steering-group meeting: the meeting's id and date.
	RecordGuideReview(ctx context.Context, projectID, meetingID, on string) (*Project, error)

	// AddBoardMember seats m (CheckBoard: ECONFLICT for a second executive);
	// EINVALID for an unknown person or user.
	AddBoardMember(ctx context.Context, m *BoardMember) error
	// FindBoard lists the project's board by role, then name.
	FindBoard(ctx context.Context, projectID string) ([]*BoardMember, error)
	FindBoardMember(ctx context.Context, projectID, id string) (*BoardMember, error)
	RemoveBoardMember(ctx context.Context, projectID, id string) error

	// RecordGuideDelivery records a delivery of the guide.
	RecordGuideDelivery(ctx context.Context, d *GuideDelivery) error
	// FindGuideDeliveries lists the project's deliveries, newest first.
	FindGuideDeliveries(ctx context.Context, projectID string) ([]*GuideDelivery, error)

	CreateLesson(ctx context.Context, l *Lesson) error
	FindLesson(ctx context.Context, projectID, id string) (*Lesson, error)
	// FindLessons lists the project's lessons, newest date first.
	FindLessons(ctx context.Context, projectID string) ([]*Lesson, error)
	DeleteLesson(ctx context.Context, projectID, id string) error
}
