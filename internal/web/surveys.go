package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Survey templates (SPEC C8): the list, a template's questions in every
// language with its published versions and history, and the question
// editor. The editor works without JavaScript: "Add question", "Add
// option", "Remove" and the move buttons post the whole form back with an
// op field and get it again, changed but not saved; only Save stores it.
// Keys of questions and options are made here, never typed.

func init() {
	pages = append(pages, "surveys", "survey", "survey_form")
}

func (h *Handler) surveyRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Templates are curated by head and admin; every internal user reads them.
	read, curate := liaison.AccessRead, liaison.AccessCurate
	return []route{
		r("GET", "/surveys", read, h.showSurveys),
		r("GET", "/surveys/new", curate, h.newSurvey),
		r("POST", "/surveys", curate, h.createSurvey),
		r("GET", "/surveys/{id}", read, h.showSurvey),
		r("GET", "/surveys/{id}/history", read, h.showSurvey),
		r("GET", "/surveys/{id}/versions/{number}", read, h.showSurvey),
		r("GET", "/surveys/{id}/edit", curate, h.editSurvey),
		r("POST", "/surveys/{id}", curate, h.updateSurvey),
		r("POST", "/surveys/{id}/delete", curate, h.deleteSurvey),
	}
}

// ---------- list ----------

type surveysPage struct {
	Page
	Q         ListQuery
	Items     []*liaison.Survey
	Next      string
	CanCreate bool
}

func (h *Handler) showSurveys(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "surveys")
	p.Title = p.L.T("surveys.list.title")
	q := ListQuery{Base: "/surveys", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.SurveyFilter{Q: q.Get("q"), Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if exportFormat(r) != "" {
		exportList(h, w, r, "surveys", "surveys.list.title", surveyColumns, func(cursor string, limit int) ([]*liaison.Survey, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Surveys(ctx, f)
		})
		return
	}
	list, next, err := h.app.Surveys(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Surveys(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &surveysPage{Page: p, Q: q, Items: list, CanCreate: p.Can("curate")}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "surveys", data)
}

// surveyColumns are the columns of the exported survey templates.
var surveyColumns = []exportColumn[*liaison.Survey]{
	{"field.name", func(s *liaison.Survey) any { return s.Name }},
	{"field.description", func(s *liaison.Survey) any { return s.Description }},
	{"surveys.field.questions", func(s *liaison.Survey) any { return len(s.Questions) }},
	{"surveys.field.version", func(s *liaison.Survey) any { return s.SurveyVersion }},
	{"field.updated_at", func(s *liaison.Survey) any { return s.UpdatedAt }},
}

// ---------- one template ----------

type surveyPage struct {
	Page
	S         *liaison.Survey
	Questions []liaison.Question // of the version shown
	Number    int                // the version shown
	Old       *liaison.SurveyVersion
	Versions  []*liaison.SurveyVersion
	Tab       string // questions, history
	History   []historyEntry
	Next      string
}

// In is a text in the viewer's language, else the fallback respondents get.
func (p *surveyPage) In(t liaison.LocalText) string { return t.In(p.L.Lang()) }

// Missing lists the languages a question (with its options) lacks.
func (p *surveyPage) Missing(q liaison.Question) []liaison.Language { return missingLanguages(q) }

// ChoiceLabels joins a question's option labels in one language.
func (p *surveyPage) ChoiceLabels(q liaison.Question, l liaison.Language) string {
	parts := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		if s := c.Label[l]; s != "" {
			parts[i] = s
		} else {
			parts[i] = "—"
		}
	}
	return strings.Join(parts, " · ")
}

func missingLanguages(q liaison.Question) []liaison.Language {
	var out []liaison.Language
	for _, l := range liaison.Languages {
		ok := q.Text[l] != ""
		for _, c := range q.Choices {
			ok = ok && c.Label[l] != ""
		}
		if !ok {
			out = append(out, l)
		}
	}
	return out
}

func (h *Handler) showSurvey(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := h.app.Survey(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, s.Name, "surveys")
	base := "/surveys/" + s.ID
	p.Crumbs = []Crumb{{Label: p.L.T("surveys.list.title"), Href: "/surveys"}, {Label: s.Name}}
	data := &surveyPage{Page: p, S: s, Questions: s.Questions, Number: s.SurveyVersion, Tab: "questions"}
	if data.Versions, err = h.app.SurveyVersions(ctx, s.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, "/history"):
		data.Tab = "history"
		entries, next, err := h.app.Audit(ctx, "survey", s.ID, r.URL.Query().Get("cursor"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.History = surveyHistory(data.Page, entries)
		if next != "" {
			data.Next = base + "/history?cursor=" + url.QueryEscape(next)
		}
	case r.PathValue("number") != "":
		n, err := strconv.Atoi(r.PathValue("number"))
		if err != nil || n < 1 {
			h.renderError(w, r, http.StatusNotFound)
			return
		}
		v, err := h.app.SurveyVersion(ctx, s.ID, n)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Old, data.Questions, data.Number = v, v.Questions, v.Number
		data.Crumbs = []Crumb{{Label: p.L.T("surveys.list.title"), Href: "/surveys"}, {Label: s.Name, Href: base},
			{Label: p.L.T("surveys.version_n", v.Number)}}
	}
	h.render(w, r, http.StatusOK, "survey", data)
}

// surveyHistory turns a template's audit entries into readable changes:
// the name, the description, the published version and the number of
// questions (each version's questions are on its own page).
func surveyHistory(p Page, entries []*liaison.AuditEntry) []historyEntry {
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		var before, after struct {
			Name          *string            `json:"name"`
			Description   *string            `json:"description"`
			SurveyVersion *int               `json:"survey_version"`
			Questions     []liaison.Question `json:"questions"`
		}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		str := func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		}
		num := func(n *int) string {
			if n == nil {
				return ""
			}
			return p.L.T("surveys.version_n", *n)
		}
		count := func(qs []liaison.Question, had bool) string {
			if !had {
				return ""
			}
			return p.L.N("surveys.questions_count", len(qs))
		}
		add := func(label, b, a string) {
			if b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(label), Before: b, After: a})
			}
		}
		add("field.name", str(before.Name), str(after.Name))
		add("field.description", str(before.Description), str(after.Description))
		add("surveys.field.version", num(before.SurveyVersion), num(after.SurveyVersion))
		add("surveys.field.questions", count(before.Questions, before.Name != nil), count(after.Questions, after.Name != nil))
		out = append(out, he)
	}
	return out
}

func (h *Handler) deleteSurvey(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := h.app.Survey(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteSurvey(ctx, s.ID, atoi(r.PostFormValue("version"))); err != nil {
		if liaison.ErrorCode(err) == liaison.ESTALE {
			h.flashT(w, r, "form.stale.text")
			redirect(w, r, "/surveys/"+s.ID)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "surveys.flash.deleted", s.Name)
	redirect(w, r, "/surveys")
}

// ---------- the editor ----------

// surveyFormPage is the question editor. Its fields are named by position:
// q0.type, q0.required, q0.text.sv, q0.c1.fi (the second option's Finnish
// label), with the keys in hidden q0.id and q0.c1.id.
type surveyFormPage struct {
	Page
	Form      *Form
	S         *liaison.Survey // nil when creating
	Rows      []questionRow
	Types     []Option
	Action    string
	Back      string
	Published int // the latest published version, when editing
}

// questionRow is one question of the editor.
type questionRow struct {
	N             int    // 1-based, as people count
	Key           string // the fields' prefix: q0, q1…
	Q             liaison.Question
	Choice        bool
	First, Last   bool
	Choices       []choiceRow
	CanAddChoices bool
}

type choiceRow struct {
	N     int
	Key   string // q0.c1
	C     liaison.SurveyChoice
	First bool
}

// Langs are the languages a text is written in, in order.
func (p *surveyFormPage) Langs() []liaison.Language { return liaison.Languages }

// maxFormQuestions bounds how many questions a posted form is read for,
// beyond the survey's own limit, so that the limit's message can show.
const maxFormQuestions = liaison.MaxQuestions + 5

// surveyState is what the editor holds: the template as typed.
type surveyState struct {
	Name, Description, Version string
	Questions                  []liaison.Question
}

func stateOf(s *liaison.Survey) *surveyState {
	st := &surveyState{Name: s.Name, Description: s.Description, Version: itoa(s.Version)}
	for _, q := range s.Questions {
		q.Text = cloneText(q.Text)
		q.Choices = slices.Clone(q.Choices)
		for j := range q.Choices {
			q.Choices[j].Label = cloneText(q.Choices[j].Label)
		}
		st.Questions = append(st.Questions, q)
	}
	return st
}

func cloneText(t liaison.LocalText) liaison.LocalText {
	out := liaison.LocalText{}
	for l, s := range t {
		out[l] = s
	}
	return out
}

// readSurveyState reads the posted editor.
func readSurveyState(r *http.Request) *surveyState {
	pf := r.PostForm
	st := &surveyState{Name: pf.Get("name"), Description: pf.Get("description"), Version: pf.Get("version")}
	for i := 0; i < maxFormQuestions; i++ {
		k := "q" + strconv.Itoa(i)
		if !pf.Has(k + ".type") {
			break
		}
		q := liaison.Question{ID: strings.TrimSpace(pf.Get(k + ".id")), Type: liaison.QuestionType(pf.Get(k + ".type")),
			Required: pf.Get(k+".required") != "", Text: liaison.LocalText{}}
		for _, l := range liaison.Languages {
			if v := pf.Get(k + ".text." + string(l)); v != "" {
				q.Text[l] = v
			}
		}
		for j := 0; j < liaison.MaxChoices+5; j++ {
			ck := k + ".c" + strconv.Itoa(j)
			if !pf.Has(ck + ".id") {
				break
			}
			c := liaison.SurveyChoice{ID: strings.TrimSpace(pf.Get(ck + ".id")), Label: liaison.LocalText{}}
			for _, l := range liaison.Languages {
				if v := pf.Get(ck + "." + string(l)); v != "" {
					c.Label[l] = v
				}
			}
			q.Choices = append(q.Choices, c)
		}
		st.Questions = append(st.Questions, q)
	}
	return st
}

// keys are the question and option keys a template has used in any
// version: a new question never takes a key that meant another question.
type keys struct {
	questions map[string]bool
	choices   map[string]map[string]bool // by question key
}

func newKeys(st *surveyState, versions []*liaison.SurveyVersion) *keys {
	k := &keys{questions: map[string]bool{}, choices: map[string]map[string]bool{}}
	add := func(qs []liaison.Question) {
		for _, q := range qs {
			k.questions[q.ID] = true
			if k.choices[q.ID] == nil {
				k.choices[q.ID] = map[string]bool{}
			}
			for _, c := range q.Choices {
				k.choices[q.ID][c.ID] = true
			}
		}
	}
	add(st.Questions)
	for _, v := range versions {
		add(v.Questions)
	}
	return k
}

func freshKey(prefix string, used map[string]bool) string {
	for n := 1; ; n++ {
		if id := prefix + strconv.Itoa(n); !used[id] {
			used[id] = true
			return id
		}
	}
}

func (k *keys) question() string { return freshKey("q", k.questions) }

func (k *keys) choice(q string) string {
	if k.choices[q] == nil {
		k.choices[q] = map[string]bool{}
	}
	return freshKey("c", k.choices[q])
}

// fill gives a key to every question and option without one, and at least
// two options to a choice question.
func (st *surveyState) fill(k *keys) {
	for i := range st.Questions {
		q := &st.Questions[i]
		if q.ID == "" {
			q.ID = k.question()
		}
		if q.Text == nil {
			q.Text = liaison.LocalText{}
		}
		if !q.Type.Choice() {
			continue
		}
		for len(q.Choices) < 2 {
			q.Choices = append(q.Choices, liaison.SurveyChoice{})
		}
		for j := range q.Choices {
			if q.Choices[j].ID == "" {
				q.Choices[j].ID = k.choice(q.ID)
			}
		}
	}
}

// apply performs an editor operation: add_question, add_choice:i,
// remove:i, up:i, down:i, remove_choice:i:j, choice_up:i:j; refresh (or
// anything unknown) only shows the form again.
func (st *surveyState) apply(op string, k *keys) {
	parts := strings.Split(op, ":")
	idx := func(n int) int {
		if n >= len(parts) {
			return -1
		}
		v, err := strconv.Atoi(parts[n])
		if err != nil {
			return -1
		}
		return v
	}
	i, j := idx(1), idx(2)
	okQ := i >= 0 && i < len(st.Questions)
	qs := st.Questions
	switch parts[0] {
	case "add_question":
		if len(qs) < maxFormQuestions {
			st.Questions = append(qs, liaison.Question{ID: k.question(), Type: liaison.QuestionRating, Text: liaison.LocalText{}})
		}
	case "remove":
		if okQ {
			st.Questions = slices.Delete(qs, i, i+1)
		}
	case "up":
		if okQ && i > 0 {
			qs[i-1], qs[i] = qs[i], qs[i-1]
		}
	case "down":
		if okQ && i+1 < len(qs) {
			qs[i+1], qs[i] = qs[i], qs[i+1]
		}
	case "add_choice":
		if okQ && len(qs[i].Choices) < liaison.MaxChoices {
			qs[i].Choices = append(qs[i].Choices, liaison.SurveyChoice{ID: k.choice(qs[i].ID), Label: liaison.LocalText{}})
		}
	case "remove_choice":
		if okQ && j >= 0 && j < len(qs[i].Choices) {
			qs[i].Choices = slices.Delete(qs[i].Choices, j, j+1)
		}
	case "choice_up":
		if okQ && j > 0 && j < len(qs[i].Choices) {
			cs := qs[i].Choices
			cs[j-1], cs[j] = cs[j], cs[j-1]
		}
	}
}

// survey returns the template to save: options without any label are
// dropped, and so are the options of a question that is no longer a
// choice question.
func (st *surveyState) survey(s *liaison.Survey) {
	s.Name, s.Description = st.Name, st.Description
	s.Questions = make([]liaison.Question, 0, len(st.Questions))
	for _, q := range st.Questions {
		var cs []liaison.SurveyChoice
		if q.Type.Choice() {
			for _, c := range q.Choices {
				if strings.TrimSpace(strings.Join(textValues(c.Label), "")) != "" {
					cs = append(cs, c)
				}
			}
		}
		q.Choices = cs
		s.Questions = append(s.Questions, q)
	}
	st.Questions = s.Questions
}

func textValues(t liaison.LocalText) []string {
	var out []string
	for _, s := range t {
		out = append(out, s)
	}
	return out
}

// form writes the state into a Form, under the editor's field names.
func (st *surveyState) form() *Form {
	f := newForm()
	f.Set("name", st.Name)
	f.Set("description", st.Description)
	f.Set("version", st.Version)
	for i, q := range st.Questions {
		k := "q" + strconv.Itoa(i)
		f.Set(k+".id", q.ID)
		f.Set(k+".type", string(q.Type))
		if q.Required {
			f.Set(k+".required", "1")
		}
		for l, s := range q.Text {
			f.Set(k+".text."+string(l), s)
		}
		for j, c := range q.Choices {
			ck := k + ".c" + strconv.Itoa(j)
			f.Set(ck+".id", c.ID)
			for l, s := range c.Label {
				f.Set(ck+"."+string(l), s)
			}
		}
	}
	return f
}

func (st *surveyState) rows() []questionRow {
	rows := make([]questionRow, len(st.Questions))
	for i, q := range st.Questions {
		k := "q" + strconv.Itoa(i)
		row := questionRow{N: i + 1, Key: k, Q: q, Choice: q.Type.Choice(), First: i == 0, Last: i == len(st.Questions)-1,
			CanAddChoices: len(q.Choices) < liaison.MaxChoices}
		for j, c := range q.Choices {
			row.Choices = append(row.Choices, choiceRow{N: j + 1, Key: k + ".c" + strconv.Itoa(j), C: c, First: j == 0})
		}
		rows[i] = row
	}
	return rows
}

// fields are the form's field names that can carry an error.
func (st *surveyState) fields() []string {
	out := []string{"name", "description", "questions"}
	for i, q := range st.Questions {
		k := "q" + strconv.Itoa(i)
		out = append(out, k, k+".type", k+".text", k+".choices")
		for _, l := range liaison.Languages {
			out = append(out, k+".text."+string(l))
		}
		for j := range q.Choices {
			ck := k + ".c" + strconv.Itoa(j)
			out = append(out, ck, ck+".label")
			for _, l := range liaison.Languages {
				out = append(out, ck+"."+string(l))
			}
		}
	}
	return out
}

var (
	questionIndex = regexp.MustCompile(`^questions\[(\d+)\]`)
	choiceIndex   = regexp.MustCompile(`\.choices\[(\d+)\]`)
)

// editorField names a validation error's field as the editor does:
// questions[2].choices[1].label.sv is q2.c1.sv, questions[0].id is q0.
func editorField(f string) string {
	f = questionIndex.ReplaceAllString(f, "q$1")
	f = choiceIndex.ReplaceAllString(f, ".c$1")
	f = strings.Replace(f, ".label.", ".", 1)
	return strings.TrimSuffix(f, ".id")
}

// editorError renames the fields of a validation error for the editor and
// words the errors people meet in the editor's terms.
func editorError(err error) error {
	var e *liaison.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]liaison.FieldError, len(e.Fields))
	for i, fe := range e.Fields {
		fe.Field = editorField(fe.Field)
		switch fe.Key {
		case "survey.error.text_required":
			fe.Key = "surveys.error.text_required"
		case "survey.error.choices_count":
			fe.Key = "surveys.error.choices_count"
		}
		c.Fields[i] = fe
	}
	return &c
}

func (h *Handler) questionTypes(l *i18n.Localizer) []Option {
	out := make([]Option, len(liaison.QuestionTypes))
	for i, t := range liaison.QuestionTypes {
		out[i] = Option{Value: string(t), Label: l.T("surveys.type." + string(t))}
	}
	return out
}

func (h *Handler) renderSurveyForm(w http.ResponseWriter, r *http.Request, code int, st *surveyState, f *Form, s *liaison.Survey) {
	p := h.page(w, r, "", "surveys")
	data := &surveyFormPage{Page: p, S: s, Types: h.questionTypes(p.L), Action: "/surveys", Back: "/surveys"}
	if s != nil {
		p.Title = p.L.T("surveys.edit.title", s.Name)
		data.Action, data.Back, data.Published = "/surveys/"+s.ID, "/surveys/"+s.ID, s.SurveyVersion
		p.Crumbs = []Crumb{{Label: p.L.T("surveys.list.title"), Href: "/surveys"}, {Label: s.Name, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("surveys.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("surveys.list.title"), Href: "/surveys"}, {Label: p.Title}}
	}
	data.Page = p
	nf := st.form()
	if f != nil {
		nf.Errors, nf.Error, nf.Stale = f.Errors, f.Error, f.Stale
	}
	data.Form, data.Rows = nf, st.rows()
	h.render(w, r, code, "survey_form", data)
}

// editorKeys returns the keys in use by the state and by every version of s.
func (h *Handler) editorKeys(r *http.Request, st *surveyState, s *liaison.Survey) (*keys, error) {
	if s == nil {
		return newKeys(st, nil), nil
	}
	versions, err := h.app.SurveyVersions(r.Context(), s.ID)
	if err != nil {
		return nil, err
	}
	return newKeys(st, versions), nil
}

func (h *Handler) newSurvey(w http.ResponseWriter, r *http.Request) {
	st := &surveyState{Questions: []liaison.Question{{Type: liaison.QuestionRating, Required: true}}}
	st.fill(newKeys(st, nil))
	h.renderSurveyForm(w, r, http.StatusOK, st, nil, nil)
}

func (h *Handler) editSurvey(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Survey(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSurveyForm(w, r, http.StatusOK, stateOf(s), nil, s)
}

// editOp handles an editor operation (a posted op): it shows the form
// again, changed, and reports true; false when there is none, to save.
func (h *Handler) editOp(w http.ResponseWriter, r *http.Request, st *surveyState, s *liaison.Survey) bool {
	op := r.PostFormValue("op")
	if op == "" || op == "save" {
		return false
	}
	k, err := h.editorKeys(r, st, s)
	if err != nil {
		h.fail(w, r, err)
		return true
	}
	st.apply(op, k)
	st.fill(k)
	h.renderSurveyForm(w, r, http.StatusOK, st, nil, s)
	return true
}

// saveFailed shows the form again with err, or the error page.
func (h *Handler) saveFailed(w http.ResponseWriter, r *http.Request, err error, st *surveyState, s *liaison.Survey) {
	f := newForm()
	code := applyFormError(h.localizer(r), f, editorError(err), st.fields()...)
	if code == 0 {
		h.fail(w, r, err)
		return
	}
	if f.Stale && s != nil {
		st.Version = itoa(s.Version)
	}
	k, kerr := h.editorKeys(r, st, s)
	if kerr != nil {
		h.fail(w, r, kerr)
		return
	}
	st.fill(k)
	h.renderSurveyForm(w, r, code, st, f, s)
}

func (h *Handler) createSurvey(w http.ResponseWriter, r *http.Request) {
	st := readSurveyState(r)
	if h.editOp(w, r, st, nil) {
		return
	}
	s := &liaison.Survey{}
	st.survey(s)
	if err := h.app.CreateSurvey(r.Context(), s); err != nil {
		h.saveFailed(w, r, err, st, nil)
		return
	}
	h.flashT(w, r, "surveys.flash.created", s.Name)
	redirect(w, r, "/surveys/"+s.ID)
}

func (h *Handler) updateSurvey(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Survey(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st := readSurveyState(r)
	if h.editOp(w, r, st, cur) {
		return
	}
	s := *cur
	st.survey(&s)
	if err := h.app.UpdateSurvey(ctx, &s, atoi(st.Version)); err != nil {
		h.saveFailed(w, r, err, st, cur)
		return
	}
	if s.SurveyVersion != cur.SurveyVersion {
		h.flashT(w, r, "surveys.flash.published", s.SurveyVersion)
	} else {
		h.flashT(w, r, "flash.saved")
	}
	redirect(w, r, "/surveys/"+s.ID)
}
