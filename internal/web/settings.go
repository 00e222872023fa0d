package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The runtime settings page (admin): the structure review interval and
// the days before an agreement's dates at which reminders go out, the
// complaint and improvement thresholds, and the survey settings (the
// follow-up rule, who sees results, the days between reminders).

func init() {
	pages = append(pages, "settings")
}

// homeRoutes are the settings page and an account's agreements tab; New adds them.
func (h *Handler) homeRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/admin/settings", liaison.AccessAdmin, h.showSettings),
		r("POST", "/admin/settings", liaison.AccessAdmin, h.saveSettings),
		r("GET", "/organisations/{id}/agreements", liaison.AccessRead, h.showUnitAgreements),
	}
}

type settingsPage struct {
	Page
	Form               *Form
	MaxStages, MaxDays int
	Users              []Option
	Roles              []Option // the internal roles, for who sees survey results
}

// RoleChecked reports whether the survey_results_roles box of role is on.
func (p *settingsPage) RoleChecked(role string) bool {
	for _, r := range p.Form.Values["survey_results_roles"] {
		if r == role {
			return true
		}
	}
	return false
}

// surveySettingsForm writes the survey settings (SPEC C8) into f.
func surveySettingsForm(f *Form, s liaison.Settings) {
	if s.SurveyFollowUp.Enabled {
		f.Set("survey_follow_up", "1")
	}
	f.Set("survey_follow_up_rating", strconv.Itoa(s.SurveyFollowUp.RatingAtMost))
	f.Set("survey_follow_up_nps", strconv.Itoa(s.SurveyFollowUp.NPSAtMost))
	f.Values["survey_results_roles"] = []string{}
	for _, r := range s.SurveyResults.Roles {
		f.Values["survey_results_roles"] = append(f.Values["survey_results_roles"], string(r))
	}
	if s.SurveyResults.Managers {
		f.Set("survey_results_managers", "1")
	}
	f.Set("survey_reminder_days", strconv.Itoa(s.SurveyReminderDays))
}

// readSurveySettings reads the survey settings of a posted form onto s; a
// form without them (an older page) keeps them.
func readSurveySettings(r *http.Request, l *i18n.Localizer, f *Form, s *liaison.Settings) {
	if r.PostFormValue("survey_settings") == "" {
		surveySettingsForm(f, *s)
		return
	}
	for _, k := range []string{"survey_follow_up", "survey_follow_up_rating", "survey_follow_up_nps", "survey_results_managers", "survey_reminder_days"} {
		f.Set(k, strings.TrimSpace(r.PostFormValue(k)))
	}
	f.Values["survey_results_roles"] = append([]string{}, r.PostForm["survey_results_roles"]...)
	s.SurveyFollowUp.Enabled = f.Has("survey_follow_up")
	if n, err := strconv.Atoi(f.Get("survey_follow_up_rating")); err == nil && n >= 0 && n <= liaison.RatingMax {
		s.SurveyFollowUp.RatingAtMost = n
	} else {
		f.Errors["survey_follow_up_rating"] = l.T("error.range", 0, liaison.RatingMax)
	}
	if n, err := strconv.Atoi(f.Get("survey_follow_up_nps")); err == nil && n >= -1 && n <= liaison.NPSMax {
		s.SurveyFollowUp.NPSAtMost = n
	} else {
		f.Errors["survey_follow_up_nps"] = l.T("error.range", -1, liaison.NPSMax)
	}
	// An empty list is kept empty: nobody sees all results (nil would be the default).
	roles := []liaison.UserRole{}
	for _, r := range liaison.UserRoles {
		for _, v := range f.Values["survey_results_roles"] {
			if v == string(r) {
				roles = append(roles, r)
			}
		}
	}
	s.SurveyResults = liaison.SurveyResultAccess{Roles: roles, Managers: f.Has("survey_results_managers")}
	if n, err := strconv.Atoi(f.Get("survey_reminder_days")); err == nil && n >= 1 && n <= 90 {
		s.SurveyReminderDays = n
	} else {
		f.Errors["survey_reminder_days"] = l.T("error.range", 1, 90)
	}
}

// settingsDigest stands for the settings a form was filled from, so that
// saving over someone else's change is noticed (the settings carry no
// version).
func settingsDigest(s liaison.Settings) string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// formatDays writes reminder days as the form shows them: "90, 30, 7".
func formatDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ", ")
}

// parseDays reads reminder days separated by commas, semicolons or spaces;
// ok is false when a part is not a whole number.
func parseDays(s string) (days []int, ok bool) {
	days = []int{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '、' || r == '，' }) {
		d, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		days = append(days, d)
	}
	return days, true
}

func (h *Handler) showSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Settings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm()
	f.Set("stale_review_months", strconv.Itoa(s.StaleReviewMonths))
	f.Set("reminder_days", formatDays(s.ReminderDays))
	f.Set("complaint_recurrence_count", strconv.Itoa(s.RecurrenceCount))
	f.Set("complaint_recurrence_days", strconv.Itoa(s.RecurrenceDays))
	f.Set("complaint_coordinator_id", s.ComplaintCoordinatorID)
	f.Set("demand_accounts", strconv.Itoa(s.DemandAccounts))
	surveySettingsForm(f, s)
	f.Set("version", settingsDigest(s))
	h.renderSettings(w, r, http.StatusOK, f)
}

func (h *Handler) renderSettings(w http.ResponseWriter, r *http.Request, code int, f *Form) {
	p := h.page(w, r, "", "settings")
	p.Title = p.L.T("admin.settings.title")
	data := &settingsPage{Page: p, Form: f, MaxStages: liaison.MaxReminderStages, MaxDays: liaison.MaxReminderDays}
	for _, role := range liaison.UserRoles {
		data.Roles = append(data.Roles, Option{Value: string(role), Label: p.L.T("user_role." + string(role))})
	}
	if lk, err := h.lookups(r.Context()); err == nil {
		data.Users = lk.managerOptions()
	}
	h.render(w, r, code, "settings", data)
}

func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := h.localizer(r)
	cur, err := h.app.Settings(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm()
	for _, k := range []string{"stale_review_months", "reminder_days", "complaint_recurrence_count", "complaint_recurrence_days", "complaint_coordinator_id", "demand_accounts", "version"} {
		f.Set(k, strings.TrimSpace(r.PostFormValue(k)))
	}
	s := cur
	months, err := strconv.Atoi(f.Get("stale_review_months"))
	if err != nil {
		f.Errors["stale_review_months"] = l.T("error.range", 1, 120)
	}
	s.StaleReviewMonths = months
	days, ok := parseDays(f.Get("reminder_days"))
	if !ok {
		f.Errors["reminder_days"] = l.T("error.reminder_days", liaison.MaxReminderStages, liaison.MaxReminderDays)
	}
	s.ReminderDays = days
	// A form without the complaint fields (an older page) keeps them.
	if r.PostForm.Has("complaint_recurrence_count") {
		if n, err := strconv.Atoi(f.Get("complaint_recurrence_count")); err == nil && n >= 2 && n <= 100 {
			s.RecurrenceCount = n
		} else {
			f.Errors["complaint_recurrence_count"] = l.T("error.range", 2, 100)
		}
	}
	if r.PostForm.Has("complaint_recurrence_days") {
		if n, err := strconv.Atoi(f.Get("complaint_recurrence_days")); err == nil && n >= 1 && n <= 3650 {
			s.RecurrenceDays = n
		} else {
			f.Errors["complaint_recurrence_days"] = l.T("error.range", 1, 3650)
		}
	}
	if r.PostForm.Has("complaint_coordinator_id") {
		s.ComplaintCoordinatorID = f.Get("complaint_coordinator_id")
	} else {
		f.Set("complaint_coordinator_id", s.ComplaintCoordinatorID)
	}
	if f.Get("demand_accounts") == "" {
		f.Set("demand_accounts", strconv.Itoa(cur.DemandAccounts))
	}
	if n, err := strconv.Atoi(f.Get("demand_accounts")); err != nil {
		f.Errors["demand_accounts"] = l.T("error.range", 2, 100)
	} else {
		s.DemandAccounts = n
	}
	readSurveySettings(r, l, f, &s)
	if f.Invalid() {
		h.renderSettings(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if f.Get("version") != settingsDigest(cur) {
		f.Stale = true
		f.Set("version", settingsDigest(cur))
		h.renderSettings(w, r, http.StatusPreconditionFailed, f)
		return
	}
	if err := h.app.SaveSettings(ctx, s); err != nil {
		if code := applyFormError(l, f, err, "stale_review_months", "reminder_days", "complaint_recurrence_count", "complaint_recurrence_days", "complaint_coordinator_id", "demand_accounts",
			"survey_reminder_days", "survey_results_roles"); code != 0 {
			h.renderSettings(w, r, code, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/admin/settings")
}
