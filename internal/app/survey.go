package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/mail"
)

// Satisfaction surveys (SPEC C8). Who may do what:
//   - survey templates are curated by head and admin; every internal user
//     reads them;
//   - a campaign is run (created, changed, opened, reminded, closed,
//     trashed) by head and admin, and by a relationship manager when it
//     is scoped to accounts that they all manage or deputise;
//   - results are seen by the roles of the survey_results setting (head
//     and admin by default) in full, and, when the setting lets managers,
//     by an account's relationship manager and deputy for their accounts
//     only;
//   - the respondent needs no sign-in: the personal link's token is the
//     credential, good for one response.

// SurveyLinkPath is the respondent page's path; the token follows it.
const SurveyLinkPath = "/s/"

// surveyLink is a recipient's personal link.
func (a *App) surveyLink(token string) string {
	return strings.TrimSuffix(a.BaseURL, "/") + SurveyLinkPath + token
}

// CreateSurvey stores a survey template and publishes its questions as
// version 1.
func (a *App) CreateSurvey(ctx context.Context, s *liaison.Survey) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.CreateSurvey(ctx, s)
}

// UpdateSurvey saves a template; changed questions become a new version
// and campaigns keep the version they were sent with.
func (a *App) UpdateSurvey(ctx context.Context, s *liaison.Survey, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.UpdateSurvey(ctx, s, ifVersion)
}

// DeleteSurvey moves a template to the trash.
func (a *App) DeleteSurvey(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteSurvey(ctx, id, ifVersion)
}

// Survey returns a template with its latest questions.
func (a *App) Survey(ctx context.Context, id string) (*liaison.Survey, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSurveyByID(ctx, id)
}

// Surveys lists templates.
func (a *App) Surveys(ctx context.Context, f liaison.SurveyFilter) ([]*liaison.Survey, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindSurveys(ctx, f)
}

// SurveyVersions lists a template's published versions, newest first.
func (a *App) SurveyVersions(ctx context.Context, id string) ([]*liaison.SurveyVersion, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSurveyVersions(ctx, id)
}

// canRunCampaign: head and admin; a manager for a campaign scoped to
// accounts they all manage or deputise.
func (a *App) canRunCampaign(ctx context.Context, c *liaison.Campaign) error {
	p, err := require(ctx, liaison.AccessWrite)
	if err != nil {
		return err
	}
	if p.Allows(liaison.AccessCurate) {
		return nil
	}
	msg := "Only the head of service management or an administrator may run a campaign beyond the accounts you manage; name your accounts in organisation_ids."
	if len(c.OrganisationIDs) == 0 {
		return forbidden(msg)
	}
	for _, id := range c.OrganisationIDs {
		o, err := a.Store.FindOrganisationByID(ctx, id)
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			continue // the store names the unknown account
		} else if err != nil {
			return err
		}
		if !o.ManagedBy(p.User.ID) {
			return forbidden(msg)
		}
	}
	return nil
}

// campaignToRun reads a campaign and checks the principal may run it.
func (a *App) campaignToRun(ctx context.Context, id string) (*liaison.Campaign, error) {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return nil, err
	}
	c, err := a.Store.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return c, a.canRunCampaign(ctx, c)
}

// CreateCampaign stores a draft campaign.
func (a *App) CreateCampaign(ctx context.Context, c *liaison.Campaign) error {
	c.Normalize()
	if err := a.canRunCampaign(ctx, c); err != nil {
		return err
	}
	return a.Store.CreateCampaign(ctx, c)
}

// UpdateCampaign saves a campaign (a draft fully; once opened its title
// and closing date).
func (a *App) UpdateCampaign(ctx context.Context, c *liaison.Campaign, ifVersion int) error {
	if _, err := a.campaignToRun(ctx, c.ID); err != nil {
		return err
	}
	c.Normalize()
	if err := a.canRunCampaign(ctx, c); err != nil {
		return err
	}
	return a.Store.UpdateCampaign(ctx, c, ifVersion)
}

// DeleteCampaign moves a draft or closed campaign to the trash.
func (a *App) DeleteCampaign(ctx context.Context, id string, ifVersion int) error {
	if _, err := a.campaignToRun(ctx, id); err != nil {
		return err
	}
	return a.Store.DeleteCampaign(ctx, id, ifVersion)
}

// Campaign returns a campaign.
func (a *App) Campaign(ctx context.Context, id string) (*liaison.Campaign, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindCampaignByID(ctx, id)
}

// Campaigns lists campaigns.
func (a *App) Campaigns(ctx context.Context, f liaison.CampaignFilter) ([]*liaison.Campaign, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindCampaigns(ctx, f)
}

// OpenCampaign opens a draft: it selects the recipients, gives each a
// personal single-use link (a random token kept only as its hash) and
// queues one invitation per recipient through the outbox, in the
// recipient's language. The token's plaintext exists only in the email.
func (a *App) OpenCampaign(ctx context.Context, id string, ifVersion int) (*liaison.Campaign, error) {
	c, err := a.campaignToRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Version != ifVersion {
		return nil, &liaison.Error{Code: liaison.ESTALE, Message: fmt.Sprintf("The campaign has changed: its version is now %d.", c.Version), Key: "error.stale"}
	}
	if err := liaison.CheckCampaignTransition(c.Status, liaison.CampaignOpen); err != nil || c.Status == liaison.CampaignOpen {
		if err == nil {
			err = liaison.CheckCampaignTransition(c.Status, "-")
		}
		return nil, err
	}
	aud, err := a.Store.CampaignAudience(ctx, c)
	if err != nil {
		return nil, err
	}
	tokens := make([]string, len(aud))
	nr := make([]liaison.NewRecipient, len(aud))
	for i, r := range aud {
		tok, hash, err := auth.NewSecret("")
		if err != nil {
			return nil, err
		}
		tokens[i], nr[i] = tok, liaison.NewRecipient{Recipient: r, TokenHash: hash}
	}
	opened, err := a.Store.OpenCampaign(ctx, id, ifVersion, nr)
	if err != nil {
		return nil, err
	}
	for i, r := range nr {
		if err := a.mailSurveyLink(ctx, opened, r.Recipient, tokens[i], "invite", false); err != nil {
			// The campaign is open; a reminder gives the recipients whose
			// invitation could not be queued a new link.
			a.Log.Error("survey invitation not queued", "campaign", id, "recipient", r.ID, "err", err)
		}
	}
	return opened, nil
}

// mailSurveyLink queues a recipient's invitation or reminder.
func (a *App) mailSurveyLink(ctx context.Context, c *liaison.Campaign, r liaison.Recipient, token, kind string, reminder bool) error {
	ob := &mail.Outbox{Store: a.Store}
	p := &liaison.Person{ID: r.PersonID, Name: r.PersonName, Email: r.Email, Language: r.Language}
	key := fmt.Sprintf("survey/%s/%s/%s/%s", c.ID, r.ID, kind, liaison.FormatDate(a.Now()))
	_, err := ob.EnqueueForPerson(ctx, p, key, func(l *i18n.Localizer) mail.Content {
		return SurveyLinkMail(l, c, a.surveyLink(token), reminder)
	})
	return err
}

// SurveyLinkMail composes a survey invitation or reminder with the
// personal link.
func SurveyLinkMail(l *i18n.Localizer, c *liaison.Campaign, link string, reminder bool) mail.Content {
	subject, intro := "campaign.mail.subject", "campaign.mail.intro"
	if reminder {
		subject, intro = "campaign.mail.reminder_subject", "campaign.mail.reminder_intro"
	}
	closes, _ := liaison.ParseDate(c.ClosesOn)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n\n%s\n", l.T(intro, c.Title), link, l.T("campaign.mail.closes", l.Date(closes)))
	if c.Anonymous {
		fmt.Fprintf(&b, "\n%s\n", l.T("campaign.mail.anonymous"))
	}
	fmt.Fprintf(&b, "\n%s\n", l.T("campaign.mail.personal"))
	return mail.Content{Subject: l.T(subject, c.Title), Text: strings.TrimRight(b.String(), "\n")}
}

// CloseCampaign closes an open campaign: its links take no more responses.
func (a *App) CloseCampaign(ctx context.Context, id string, ifVersion int) (*liaison.Campaign, error) {
	if _, err := a.campaignToRun(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.CloseCampaign(ctx, id, ifVersion)
}

// surveyReminderDays is the setting: the least days between reminders.
func (a *App) surveyReminderDays(ctx context.Context) int {
	s, err := a.Store.Settings(ctx)
	if err != nil || s.SurveyReminderDays < 1 {
		return liaison.DefaultSurveyReminderDays
	}
	return s.SurveyReminderDays
}

// RemindCampaign reminds an open campaign's non-respondents now, each with
// a new personal link (the earlier one stops working), and returns how
// many were reminded. It refuses (ECONFLICT) within survey_reminder_days
// of the last reminder, and for a campaign past its closing date.
func (a *App) RemindCampaign(ctx context.Context, id string) (int, error) {
	c, err := a.campaignToRun(ctx, id)
	if err != nil {
		return 0, err
	}
	return a.remind(ctx, c)
}

func (a *App) remind(ctx context.Context, c *liaison.Campaign) (int, error) {
	now := a.Now()
	if c.Status != liaison.CampaignOpen {
		return 0, &liaison.Error{Code: liaison.ECONFLICT, Key: "campaign.error.remind_not_open", Args: []any{c.Title, string(c.Status)},
			Message: fmt.Sprintf("Campaign %q is %s: only an open campaign sends reminders.", c.Title, c.Status)}
	}
	if c.Expired(now) {
		return 0, &liaison.Error{Code: liaison.ECONFLICT, Key: "campaign.error.remind_expired", Args: []any{c.Title, c.ClosesOn},
			Message: fmt.Sprintf("Campaign %q closed on %s: no reminders after the closing date.", c.Title, c.ClosesOn)}
	}
	days := a.surveyReminderDays(ctx)
	if c.RemindedAt != nil {
		if next := c.RemindedAt.AddDate(0, 0, days); now.Before(next) {
			return 0, &liaison.Error{Code: liaison.ECONFLICT, Key: "campaign.error.remind_too_soon", Args: []any{liaison.FormatDate(next)},
				Message: fmt.Sprintf("Reminders went out on %s; the next may go from %s (every %d days at most).",
					liaison.FormatDate(*c.RemindedAt), next.UTC().Format(time.RFC3339), days)}
		}
	}
	pending, err := a.Store.PendingRecipients(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	tokens, hashes := map[string]string{}, map[string][]byte{}
	for _, r := range pending {
		tok, hash, err := auth.NewSecret("")
		if err != nil {
			return 0, err
		}
		tokens[r.ID], hashes[r.ID] = tok, hash
	}
	if err := a.Store.RemindRecipients(ctx, c.ID, hashes); err != nil {
		return 0, err
	}
	for _, r := range pending {
		if err := a.mailSurveyLink(ctx, c, r, tokens[r.ID], "remind", true); err != nil {
			a.Log.Error("survey reminder not queued", "campaign", c.ID, "recipient", r.ID, "err", err)
		}
	}
	return len(pending), nil
}

// RemindDueCampaigns reminds the non-respondents of every open campaign
// not reminded (or opened) within survey_reminder_days and not past its
// closing date; the reminder job runs it. It returns how many people it
// reminded.
func (a *App) RemindDueCampaigns(ctx context.Context) (int, error) {
	days := a.surveyReminderDays(ctx)
	now := a.Now()
	total, cursor := 0, ""
	for {
		cs, next, err := a.Store.FindCampaigns(ctx, liaison.CampaignFilter{Status: liaison.CampaignOpen, Limit: 500, Cursor: cursor})
		if err != nil {
			return total, err
		}
		for _, c := range cs {
			last := c.RemindedAt
			if last == nil {
				last = c.OpenedAt
			}
			if c.Expired(now) || last == nil || now.Before(last.AddDate(0, 0, days)) {
				continue
			}
			if c.RemindedAt == nil {
				c.RemindedAt = c.OpenedAt // the interval counts from the invitation
			}
			n, err := a.remind(ctx, c)
			if err != nil {
				a.Log.Error("survey reminders", "campaign", c.ID, "err", err)
				continue
			}
			total += n
		}
		if next == "" {
			return total, nil
		}
		cursor = next
	}
}

// SurveyReminderJob is the background job that sends due reminders.
func (a *App) SurveyReminderJob(every time.Duration) jobs.Job {
	if every <= 0 {
		every = time.Hour
	}
	return jobs.Job{Name: "surveys.reminders", Every: every, Timeout: 10 * time.Minute, Run: func(ctx context.Context) error {
		_, err := a.RemindDueCampaigns(ctx)
		return err
	}}
}

// RespondentForm returns what a respondent's page shows for a personal
// link: the survey's questions in want (the language the respondent
// switched to) or else the recipient's language, and nothing internal.
// Each text and label is keyed by the language it is really in: the
// wanted one, or the fallback of LocalText.Pick. A refused link answers a *liaison.Error whose Key is
// liaison.LinkUnknown (ENOTFOUND), LinkUsed, LinkExpired or LinkClosed
// (ECONFLICT); liaison.LinkRefusalKey reads it.
func (a *App) RespondentForm(ctx context.Context, token string, want liaison.Language) (*liaison.RespondentForm, error) {
	l, err := a.Store.FindLink(ctx, auth.HashSecret(token))
	if err != nil {
		return nil, err
	}
	if err := l.Refusal(a.Now()); err != nil {
		return nil, err
	}
	lang := want
	if !lang.Valid() {
		lang = l.Recipient.Language
	}
	if !lang.Valid() {
		lang = liaison.English
	}
	f := &liaison.RespondentForm{Title: l.Campaign.Title, Language: lang, ClosesOn: l.Campaign.ClosesOn, Anonymous: l.Campaign.Anonymous}
	one := func(t liaison.LocalText) liaison.LocalText {
		in, s := t.Pick(lang)
		return liaison.LocalText{in: s}
	}
	for _, q := range l.Questions {
		lq := liaison.Question{ID: q.ID, Type: q.Type, Required: q.Required, Text: one(q.Text)}
		for _, c := range q.Choices {
			lq.Choices = append(lq.Choices, liaison.SurveyChoice{ID: c.ID, Label: one(c.Label)})
		}
		f.Questions = append(f.Questions, lq)
	}
	return f, nil
}

// SubmitResponse stores a respondent's answers through their personal
// link, once: a used, expired, closed or unknown link is refused as
// RespondentForm says, invalid answers with EINVALID, and nothing is
// stored then. With the follow-up rule of the settings on, a low score
// creates a follow-up action for the account's relationship manager.
func (a *App) SubmitResponse(ctx context.Context, token string, answers []liaison.Answer) error {
	resp, link, err := a.Store.SubmitResponse(ctx, auth.HashSecret(token), answers)
	if err != nil {
		return err
	}
	if err := a.followUp(ctx, resp, link); err != nil {
		// The response is kept; the missing action is logged for the admin.
		a.Log.Error("survey follow-up action not created", "campaign", link.Campaign.ID, "err", err)
	}
	return nil
}

// followUp creates the follow-up action of a low score, if the rule is on.
func (a *App) followUp(ctx context.Context, resp *liaison.Response, link *liaison.Link) error {
	s, err := a.Store.Settings(ctx)
	if err != nil {
		return err
	}
	low := s.SurveyFollowUp.LowScores(link.Questions, resp.Answers)
	if len(low) == 0 {
		return nil
	}
	acct, err := a.Store.FindOrganisationByID(ctx, resp.OrganisationID)
	if err != nil {
		return err
	}
	if acct.RelationshipManagerID == nil {
		a.Log.Warn("survey follow-up: the account has no relationship manager", "organisation", acct.ID, "campaign", link.Campaign.ID)
		return nil
	}
	mgr, err := a.Store.FindUserByID(ctx, *acct.RelationshipManagerID)
	if err != nil {
		return err
	}
	l := i18n.For(mgr.Language)
	var b strings.Builder
	for _, ans := range low {
		i := slices.IndexFunc(link.Questions, func(q liaison.Question) bool { return q.ID == ans.QuestionID })
		fmt.Fprintf(&b, "%s: %d\n", link.Questions[i].Text.In(mgr.Language), *ans.Value)
	}
	if link.Campaign.Anonymous {
		b.WriteString("\n" + l.T("survey.followup.anonymous"))
	} else {
		b.WriteString("\n" + l.T("survey.followup.respondent", string(resp.Role)))
	}
	due := liaison.FormatDate(a.Now().AddDate(0, 0, 14))
	act := &liaison.Action{Title: l.T("survey.followup.title", link.Campaign.Title), Description: strings.TrimSpace(b.String()),
		OrganisationID: &acct.ID, OwnerID: mgr.ID, DueDate: &due}
	return a.Store.CreateAction(ctx, act)
}

// CampaignResults returns a campaign's results grouped by by and kept by
// f, as the principal may see them: the roles of the survey_results
// setting see all; with the setting's Managers, a relationship manager or
// deputy sees the results of the accounts they manage (f.OrganisationID,
// when set, must be one; otherwise the results are those of their
// accounts only); anyone else is refused (EFORBIDDEN). In an anonymous
// campaign groups under 5 responses are suppressed (liaison.Aggregate).
func (a *App) CampaignResults(ctx context.Context, id string, by liaison.ResultDimension, f liaison.ResultFilter) (*liaison.Results, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(liaison.ResultDimensions, by) {
		return nil, &liaison.Error{Code: liaison.EBADREQUEST, Key: "campaign.error.group_by", Args: []any{string(by)},
			Message: fmt.Sprintf("unknown grouping %q: use account, service, segment or role", by)}
	}
	s, err := a.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	d, err := a.Store.CampaignResultData(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.SurveyResults.SeesAll(p.User.Role) {
		return liaison.Aggregate(d, by, f), nil
	}
	refuse := forbidden("Your role does not see survey results; the survey_results setting says who does.")
	if !s.SurveyResults.Managers {
		return nil, refuse
	}
	managed := map[string]bool{}
	for _, id := range accountIDs(d) {
		o, err := a.Store.FindOrganisationByID(ctx, id)
		if err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
			return nil, err
		}
		if o != nil && o.ManagedBy(p.User.ID) {
			managed[id] = true
		}
	}
	if f.OrganisationID != "" && !managed[f.OrganisationID] || len(managed) == 0 {
		return nil, forbidden("You see the survey results of the accounts you manage or deputise only.")
	}
	mine := *d
	mine.Recipients, mine.Responses = nil, nil
	for _, u := range d.Recipients {
		if managed[u.OrganisationID] {
			mine.Recipients = append(mine.Recipients, u)
		}
	}
	for _, r := range d.Responses {
		if managed[r.OrganisationID] {
			mine.Responses = append(mine.Responses, r)
		}
	}
	return liaison.Aggregate(&mine, by, f), nil
}

// accountIDs lists the accounts of a campaign's recipients.
func accountIDs(d *liaison.ResultData) []string {
	var ids []string
	for _, u := range d.Recipients {
		if !slices.Contains(ids, u.OrganisationID) {
			ids = append(ids, u.OrganisationID)
		}
	}
	return ids
}

// SurveyVersion returns one published version of a template's questions.
func (a *App) SurveyVersion(ctx context.Context, id string, number int) (*liaison.SurveyVersion, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if _, err := a.Store.FindSurveyByID(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.FindSurveyVersion(ctx, id, number)
}

// CampaignTrend is the trend across campaigns: the total of each opened
// campaign (of surveyID, or all when ""), kept by f, by closing date. It
// shows what CampaignResults would show the principal: campaigns whose
// results they may not see are left out, so the list may be empty.
func (a *App) CampaignTrend(ctx context.Context, surveyID string, f liaison.ResultFilter) ([]liaison.TrendPoint, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	out := []liaison.TrendPoint{}
	cursor := ""
	for {
		cs, next, err := a.Store.FindCampaigns(ctx, liaison.CampaignFilter{SurveyID: surveyID, Sort: "closes_on", Limit: 500, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Status == liaison.CampaignDraft {
				continue
			}
			r, err := a.CampaignResults(ctx, c.ID, liaison.ByTotal, f)
			if liaison.ErrorCode(err) == liaison.EFORBIDDEN {
				continue
			} else if err != nil {
				return nil, err
			}
			out = append(out, liaison.TrendPoint{CampaignID: c.ID, Title: c.Title, ClosesOn: c.ClosesOn, Total: r.Total})
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}
