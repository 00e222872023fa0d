package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The respondent page (SPEC C8): a survey recipient answers through their
// personal link without signing in. The token in the path is the only
// credential, so the page never sends it on as a referrer and is never
// cached; it shows nothing internal beyond what liaison.RespondentForm
// holds. Cross-site posts are refused by the server's cross-origin check,
// as for the sign-in form.
func (h *Handler) respondRoutes() []route {
	r := func(method, pattern string, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: liaison.AccessPublic}, f}
	}
	return []route{
		r("GET", app.SurveyLinkPath+"{token}", h.showRespond),
		r("POST", app.SurveyLinkPath+"{token}", h.submitRespond),
	}
}

// respondPage is the data of the respondent page in its three states: the
// form (Survey set), the thanks (Done) and a refused link (Refused set).
type respondPage struct {
	Page
	Action    string // the form's target: the link, keeping ?lang=
	Langs     []respondLang
	Survey    *liaison.RespondentForm
	Questions []respondQuestion
	Error     string // for the whole form
	Done      bool
	Refused   string // a refusal's heading
	Message   string // and its explanation
}

// respondLang is one entry of the page's language switcher.
type respondLang struct {
	Lang    liaison.Language
	Href    string
	Current bool
}

// respondQuestion is one question as the page shows it. Inputs are named
// by position (q0, q1, …), never by the survey's keys.
type respondQuestion struct {
	liaison.Question
	Name    string
	N       int
	Text    string
	Lang    liaison.Language // the language Text is in (a fallback may differ from the page's)
	Scale   []string         // the values of a rating or NPS question
	Low     string           // what the scale's ends mean
	High    string
	Choices []respondChoice
	Values  map[string]bool // what was sent: scale values, choice keys
	Answer  string          // a free text as sent
	Error   string
}

// respondChoice is one option of a choice question, with the language its
// label is in.
type respondChoice struct {
	Value, Label string
	Lang         liaison.Language
}

// Checked reports whether value was sent for the question.
func (q respondQuestion) Checked(value string) bool { return q.Values[value] }

// respondLanguage is the language the page's own words are in: ?lang=
// when it names one, else the recipient's language, else the browser's.
func (h *Handler) respondLanguage(r *http.Request, form *liaison.RespondentForm) *i18n.Localizer {
	if l := liaison.Language(r.URL.Query().Get("lang")); l.Valid() {
		return i18n.For(l)
	}
	if form != nil && form.Language.Valid() {
		return i18n.For(form.Language)
	}
	return h.localizer(r)
}

// respondBase fills the common data: bare page (no navigation, even for a
// signed-in visitor), the language and its switcher, the headers that keep
// the token private.
func (h *Handler) respondBase(w http.ResponseWriter, r *http.Request, form *liaison.RespondentForm) *respondPage {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	p := h.page(w, r, "", "")
	p.L = h.respondLanguage(r, form)
	p.Principal, p.User, p.Bare, p.Flash = nil, nil, true, nil
	p.Title = p.L.T("respond.title")
	link := app.SurveyLinkPath + r.PathValue("token")
	rp := &respondPage{Page: p, Action: link}
	if l := r.URL.Query().Get("lang"); liaison.Language(l).Valid() {
		rp.Action += "?lang=" + l
	}
	for _, l := range liaison.Languages {
		rp.Langs = append(rp.Langs, respondLang{Lang: l, Href: link + "?lang=" + string(l), Current: l == p.L.Lang()})
	}
	return rp
}

func (h *Handler) showRespond(w http.ResponseWriter, r *http.Request) {
	form, err := h.app.RespondentForm(r.Context(), r.PathValue("token"), liaison.Language(r.URL.Query().Get("lang")))
	if err != nil {
		h.respondRefused(w, r, err)
		return
	}
	p := h.respondBase(w, r, form)
	p.fill(form, nil, nil)
	h.render(w, r, http.StatusOK, "respond", p)
}

func (h *Handler) submitRespond(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	form, err := h.app.RespondentForm(r.Context(), token, liaison.Language(r.URL.Query().Get("lang")))
	if err != nil {
		h.respondRefused(w, r, err)
		return
	}
	p := h.respondBase(w, r, form)
	answers, owners, errs := readAnswers(p.L, form, r)
	if len(errs) == 0 {
		err = h.app.SubmitResponse(r.Context(), token, answers)
		if err == nil {
			p.Done = true
			p.Title = p.L.T("respond.thanks.title")
			h.render(w, r, http.StatusOK, "respond", p)
			return
		}
		if liaison.ErrorCode(err) != liaison.EINVALID {
			h.respondRefused(w, r, err)
			return
		}
		errs = answerErrors(p.L, form, owners, err)
	}
	p.fill(form, r, errs)
	p.Error = p.L.T("respond.invalid")
	h.render(w, r, http.StatusUnprocessableEntity, "respond", p)
}

// respondRefused answers a link that takes no response with a plain
// explanation: 404 for an unknown link, 409 for a used, expired or closed
// one. Any other error is the usual error page.
func (h *Handler) respondRefused(w http.ResponseWriter, r *http.Request, err error) {
	key := liaison.LinkRefusalKey(err)
	if key == "" {
		var e *liaison.Error
		code := httpx.Status(err)
		if code >= 500 || !errors.As(err, &e) {
			h.log.Error("respondent page", "method", r.Method, "err", err)
		}
		switch code {
		case http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests, http.StatusRequestEntityTooLarge:
		default:
			if code < 500 {
				code = http.StatusBadRequest // the error page knows no other 4xx
			}
		}
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.renderError(w, r, code)
		return
	}
	p := h.respondBase(w, r, nil)
	p.Refused = p.L.T("respond.heading." + strings.TrimPrefix(key, "respond.error."))
	p.Title = p.Refused
	p.Message = p.L.T(key)
	h.render(w, r, httpx.Status(err), "respond", p)
}

// readAnswers reads the posted answers in question order. owners[i] is the
// index of the question that answers[i] answers. A value that is no number
// is rejected here, by question index; the rest is the domain's to check.
func readAnswers(l *i18n.Localizer, form *liaison.RespondentForm, r *http.Request) (answers []liaison.Answer, owners []int, errs map[int]string) {
	errs = map[int]string{}
	for i, q := range form.Questions {
		vals := nonEmpty(r.PostForm["q"+strconv.Itoa(i)])
		if len(vals) == 0 {
			continue
		}
		a := liaison.Answer{QuestionID: q.ID}
		switch {
		case q.Type.Scored():
			n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
			if err != nil || len(vals) > 1 {
				lo, hi := scaleOf(q.Type)
				errs[i] = l.T("respond.error.value_range", lo, hi)
				continue
			}
			a.Value = &n
		case q.Type.Choice():
			a.Choices = vals
		default:
			a.Text = vals[0]
		}
		answers, owners = append(answers, a), append(owners, i)
	}
	return answers, owners, errs
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func scaleOf(t liaison.QuestionType) (lo, hi int) {
	if t == liaison.QuestionNPS {
		return liaison.NPSMin, liaison.NPSMax
	}
	return liaison.RatingMin, liaison.RatingMax
}

// answerErrors places the domain's field errors ("answers[i].value",
// "answers.<question>" for a missing required answer) next to their
// questions, by question index.
func answerErrors(l *i18n.Localizer, form *liaison.RespondentForm, owners []int, err error) map[int]string {
	errs := map[int]string{}
	var e *liaison.Error
	if !errors.As(err, &e) {
		return errs
	}
	for _, fe := range e.Fields {
		q := -1
		if rest, ok := strings.CutPrefix(fe.Field, "answers["); ok {
			if n, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, ']'))]); err == nil && n >= 0 && n < len(owners) {
				q = owners[n]
			}
		} else if id, ok := strings.CutPrefix(fe.Field, "answers."); ok {
			for i, x := range form.Questions {
				if x.ID == id {
					q = i
				}
			}
		}
		msg := l.Field(fe)
		if fe.Code == liaison.CodeRequired {
			msg = l.T("respond.answer_required")
		}
		if q < 0 {
			q = 0 // not placeable: shown with the first question rather than lost
		}
		if errs[q] == "" {
			errs[q] = msg
		}
	}
	return errs
}

// fill builds the questions as the page shows them, with what r sent and
// the errors by question index when the form comes back.
func (p *respondPage) fill(form *liaison.RespondentForm, r *http.Request, errs map[int]string) {
	p.Survey = form
	for i, q := range form.Questions {
		rq := respondQuestion{Question: q, Name: "q" + strconv.Itoa(i), N: i + 1, Values: map[string]bool{}, Error: errs[i]}
		rq.Lang, rq.Text = q.Text.Pick(form.Language)
		if q.Type.Scored() {
			lo, hi := scaleOf(q.Type)
			for v := lo; v <= hi; v++ {
				rq.Scale = append(rq.Scale, strconv.Itoa(v))
			}
			rq.Low, rq.High = p.L.T("respond.scale."+string(q.Type)+"_low", lo), p.L.T("respond.scale."+string(q.Type)+"_high", hi)
		}
		for _, c := range q.Choices {
			lang, label := c.Label.Pick(form.Language)
			rq.Choices = append(rq.Choices, respondChoice{Value: c.ID, Label: label, Lang: lang})
		}
		if r != nil {
			vals := r.PostForm[rq.Name]
			for _, v := range vals {
				rq.Values[v] = true
			}
			if q.Type == liaison.QuestionText && len(vals) > 0 {
				rq.Answer = vals[0]
			}
		}
		p.Questions = append(p.Questions, rq)
	}
}
