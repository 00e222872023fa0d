package liaison

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// QuestionType is the kind of answer a survey question asks for (SPEC C8).
type QuestionType string

const (
	QuestionRating         QuestionType = "rating"          // 1–5
	QuestionNPS            QuestionType = "nps"             // 0–10
	QuestionSingleChoice   QuestionType = "single_choice"   // one of the choices
	QuestionMultipleChoice QuestionType = "multiple_choice" // any of the choices
	QuestionText           QuestionType = "text"            // free text
)

// QuestionTypes lists the question types.
var QuestionTypes = []QuestionType{QuestionRating, QuestionNPS, QuestionSingleChoice, QuestionMultipleChoice, QuestionText}

// Score ranges of the scored question types.
const (
	RatingMin, RatingMax = 1, 5
	NPSMin, NPSMax       = 0, 10
	// MaxQuestions bounds a survey, MaxChoices a question.
	MaxQuestions = 50
	MaxChoices   = 20
)

// Scored reports whether answers to t are numbers.
func (t QuestionType) Scored() bool { return t == QuestionRating || t == QuestionNPS }

// Choice reports whether answers to t pick among choices.
func (t QuestionType) Choice() bool { return t == QuestionSingleChoice || t == QuestionMultipleChoice }

// LocalText is a text in several languages, keyed by language code.
type LocalText map[Language]string

// In returns the text in lang, else English, else the first language of
// Languages that has one.
func (t LocalText) In(lang Language) string {
	_, s := t.Pick(lang)
	return s
}

// Pick is In with the language the text is actually in, so that a page can
// mark a fallback with its own lang attribute (screen readers then read it
// in the right voice). It returns "" and "" when t has no text.
func (t LocalText) Pick(lang Language) (Language, string) {
	if s := t[lang]; s != "" {
		return lang, s
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return l, s
		}
	}
	return "", ""
}

func (t LocalText) normalize() LocalText {
	out := LocalText{}
	for l, s := range t {
		if s = strings.TrimSpace(s); s != "" {
			out[Language(lowerTrim(string(l)))] = s
		}
	}
	return out
}

// validate requires at least one language, only known ones, each at most
// MaxNameLen characters... or n.
func (t LocalText) validate(v *Validation, field string, n int) {
	if len(t) == 0 {
		v.Add(field, CodeRequired, "survey.error.text_required", "is required in at least one language (en, sv, fi, zh)")
		return
	}
	for _, l := range sortedLangs(t) {
		if !l.Valid() {
			v.Add(field+"."+string(l), CodeInvalid, "survey.error.language", "is not a language Liaison speaks: use en, sv, fi or zh")
			continue
		}
		v.MaxLen(field+"."+string(l), t[l], n)
	}
}

func sortedLangs(t LocalText) []Language {
	ls := make([]Language, 0, len(t))
	for l := range t {
		ls = append(ls, l)
	}
	slices.Sort(ls)
	return ls
}

// SurveyChoice is one option of a choice question. ID is stable across
// versions so that answers can be counted per option.
type SurveyChoice struct {
	ID    string    `json:"id" maxLength:"64" doc:"Stable key of the option, unique in the question."`
	Label LocalText `json:"label" doc:"The option's label by language (en, sv, fi, zh); at least one."`
}

// Question is one question of a survey.
type Question struct {
	ID       string         `json:"id" maxLength:"64" doc:"Stable key of the question, unique in the survey."`
	Type     QuestionType   `json:"type" enum:"rating,nps,single_choice,multiple_choice,text"`
	Text     LocalText      `json:"text" doc:"The question by language (en, sv, fi, zh); at least one."`
	Required bool           `json:"required" required:"false" doc:"Must be answered; default false."`
	Choices  []SurveyChoice `json:"choices,omitempty" doc:"The options of a choice question (at least two)."`
}

// Survey is a reusable survey template (API resource "surveys"). Its
// questions are published as numbered versions: each change of the
// questions makes a new version; a campaign keeps the one it was sent with.
type Survey struct {
	ID          string     `json:"id"`
	Name        string     `json:"name" maxLength:"200"`
	Description string     `json:"description" maxLength:"20000"`
	Questions   []Question `json:"questions"`
	// SurveyVersion is the number of the latest published version of the
	// questions (1, 2, …); Version is the record's optimistic-lock version.
	SurveyVersion int `json:"survey_version" readOnly:"true" doc:"The latest published version of the questions."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// SurveyVersion is one immutable published version of a survey's questions.
type SurveyVersion struct {
	SurveyID    string     `json:"survey_id"`
	Number      int        `json:"number"`
	Name        string     `json:"name"`
	Questions   []Question `json:"questions"`
	CreatedByID *string    `json:"created_by_id"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Normalize trims input.
func (s *Survey) Normalize() {
	s.Name, s.Description = trim(s.Name), strings.TrimSpace(s.Description)
	for i := range s.Questions {
		q := &s.Questions[i]
		q.ID, q.Type, q.Text = trim(q.ID), QuestionType(lowerTrim(string(q.Type))), q.Text.normalize()
		for j := range q.Choices {
			q.Choices[j].ID, q.Choices[j].Label = trim(q.Choices[j].ID), q.Choices[j].Label.normalize()
		}
	}
}

// Validate checks the template and each question: a known type, a text in
// at least one language, unique keys, choices exactly for choice questions.
func (s *Survey) Validate() error {
	var v Validation
	v.RequireName("name", s.Name)
	v.Text("description", s.Description)
	validateQuestions(&v, s.Questions)
	return v.Err()
}

func validateQuestions(v *Validation, qs []Question) {
	switch {
	case len(qs) == 0:
		v.Add("questions", CodeRequired, "survey.error.questions_required", "a survey needs at least one question")
	case len(qs) > MaxQuestions:
		v.Add("questions", CodeInvalid, "survey.error.too_many_questions", "a survey has at most %d questions", MaxQuestions)
	}
	seen := map[string]bool{}
	for i, q := range qs {
		f := fmt.Sprintf("questions[%d]", i)
		checkKey(v, f+".id", q.ID, seen, "question")
		if !oneOf(q.Type, QuestionTypes) {
			v.Add(f+".type", CodeInvalid, "survey.error.question_type", "must be one of rating, nps, single_choice, multiple_choice, text")
		}
		q.Text.validate(v, f+".text", MaxTextLen)
		if !q.Type.Choice() {
			if len(q.Choices) > 0 {
				v.Add(f+".choices", CodeInvalid, "survey.error.choices_not_allowed", "only choice questions have choices")
			}
			continue
		}
		if len(q.Choices) < 2 || len(q.Choices) > MaxChoices {
			v.Add(f+".choices", CodeInvalid, "survey.error.choices_count", "a choice question needs 2 to %d choices", MaxChoices)
		}
		cseen := map[string]bool{}
		for j, c := range q.Choices {
			cf := fmt.Sprintf("%s.choices[%d]", f, j)
			checkKey(v, cf+".id", c.ID, cseen, "choice")
			c.Label.validate(v, cf+".label", MaxNameLen)
		}
	}
}

// checkKey checks the key of a question or choice (what): present, unique
// among seen, at most 64 characters; it adds the key to seen.
func checkKey(v *Validation, field, id string, seen map[string]bool, what string) {
	switch {
	case id == "":
		v.Add(field, CodeRequired, "survey.error."+what+"_id_required", "is required: give each %s a key", what)
	case seen[id]:
		v.Add(field, CodeInvalid, "survey.error."+what+"_id_duplicate", "%s is used by another %s", id, what)
	}
	seen[id] = true
	v.MaxLen(field, id, 64)
}

// Answer is a respondent's answer to one question: Value for rating and
// NPS, Choices for choice questions, Text for free text.
type Answer struct {
	QuestionID string   `json:"question_id" maxLength:"64"`
	Value      *int     `json:"value,omitempty" doc:"Rating 1–5 or NPS 0–10."`
	Choices    []string `json:"choices,omitempty" doc:"The keys of the chosen options."`
	Text       string   `json:"text,omitempty" maxLength:"20000"`
}

// ValidateAnswers checks answers against the questions they answer: each
// known and answered once, of the question's type and range, required
// questions answered. It returns the answers in question order, without
// empty ones.
func ValidateAnswers(qs []Question, answers []Answer) ([]Answer, error) {
	var v Validation
	byID := map[string]Answer{}
	for i, a := range answers {
		f := fmt.Sprintf("answers[%d]", i)
		a.QuestionID, a.Text = trim(a.QuestionID), strings.TrimSpace(a.Text)
		idx := slices.IndexFunc(qs, func(q Question) bool { return q.ID == a.QuestionID })
		if idx < 0 {
			v.Add(f+".question_id", CodeUnknown, "respond.error.unknown_question", "%q is not a question of this survey", a.QuestionID)
			continue
		}
		if _, dup := byID[a.QuestionID]; dup {
			v.Add(f+".question_id", CodeInvalid, "respond.error.duplicate_answer", "question %s is answered twice", a.QuestionID)
			continue
		}
		q := qs[idx]
		if !checkAnswer(&v, f, q, &a) {
			continue
		}
		if a.Value != nil || len(a.Choices) > 0 || a.Text != "" {
			byID[a.QuestionID] = a
		}
	}
	out := make([]Answer, 0, len(byID))
	for _, q := range qs {
		a, ok := byID[q.ID]
		if ok {
			out = append(out, a)
		} else if q.Required {
			v.Add("answers."+q.ID, CodeRequired, "respond.error.required", "question %s must be answered", q.ID)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkAnswer validates one answer to q in place; false when rejected.
func checkAnswer(v *Validation, f string, q Question, a *Answer) bool {
	n := len(v.fields)
	if q.Type.Scored() {
		lo, hi := RatingMin, RatingMax
		if q.Type == QuestionNPS {
			lo, hi = NPSMin, NPSMax
		}
		if a.Value != nil && (*a.Value < lo || *a.Value > hi) {
			v.Add(f+".value", CodeInvalid, "respond.error.value_range", "must be from %d to %d", lo, hi)
		}
	} else if a.Value != nil {
		v.Add(f+".value", CodeInvalid, "respond.error.value_not_allowed", "only rating and NPS questions take a value")
	}
	if q.Type.Choice() {
		if q.Type == QuestionSingleChoice && len(a.Choices) > 1 {
			v.Add(f+".choices", CodeInvalid, "respond.error.single_choice", "pick one choice only")
		}
		seen := map[string]bool{}
		for _, c := range a.Choices {
			if !slices.ContainsFunc(q.Choices, func(x SurveyChoice) bool { return x.ID == c }) {
				v.Add(f+".choices", CodeUnknown, "respond.error.unknown_choice", "%q is not a choice of question %s", c, q.ID)
			} else if seen[c] {
				v.Add(f+".choices", CodeInvalid, "respond.error.duplicate_choice", "%q is chosen twice", c)
			}
			seen[c] = true
		}
	} else if len(a.Choices) > 0 {
		v.Add(f+".choices", CodeInvalid, "respond.error.choices_not_allowed", "only choice questions take choices")
	}
	if q.Type == QuestionText {
		v.Text(f+".text", a.Text)
	} else if a.Text != "" {
		v.Add(f+".text", CodeInvalid, "respond.error.text_not_allowed", "only free-text questions take a text")
	}
	return len(v.fields) == n
}

// SurveyFilter selects survey templates. Zero fields do not filter.
type SurveyFilter struct {
	Q       string
	Trashed bool
	// Sort: name (default), created_at, updated_at, each with - for descending.
	Sort   string
	Limit  int
	Cursor string
}

// SurveyStore keeps survey templates and their versions.
type SurveyStore interface {
	// CreateSurvey stores s and publishes its questions as version 1.
	CreateSurvey(ctx context.Context, s *Survey) error
	FindSurveyByID(ctx context.Context, id string) (*Survey, error)
	FindSurveys(ctx context.Context, f SurveyFilter) ([]*Survey, string, error)
	// UpdateSurvey replaces the name, description and questions of s; when
	// the questions differ from the latest version it publishes a new
	// version. Earlier versions are never changed.
	UpdateSurvey(ctx context.Context, s *Survey, ifVersion int) error
	DeleteSurvey(ctx context.Context, id string, ifVersion int) error
	// FindSurveyVersion returns one published version; ENOTFOUND when there
	// is none.
	FindSurveyVersion(ctx context.Context, surveyID string, number int) (*SurveyVersion, error)
	FindSurveyVersions(ctx context.Context, surveyID string) ([]*SurveyVersion, error)
}
