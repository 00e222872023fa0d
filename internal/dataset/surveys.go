package dataset

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The satisfaction surveys of a dataset (SPEC C8): two survey templates
// and 100 campaigns at L over the three years, with 200,000 responses
// (a tenth for M, a hundredth for S: ten a person; Plan.Campaigns). Every fourth campaign
// is anonymous. The last few campaigns (a twentieth, at least one) are
// still open, sent to every eligible contact and answered by few, so that
// the load generator has unused links to submit through; their closing
// date lies 90 days after the end of the history. The rest are closed,
// sent to a sample of the contacts, seven in ten answering.
//
// A link's token is derived from the seed (SurveyToken), so the load
// generator can make the links again; the store holds only the SHA-256
// of each token, as for links it makes itself. Drawn from their own
// random stream after everything else, so the rest of the data stays as
// it was.

// Campaigns is the number of survey campaigns of the plan: 100 at L; the
// smaller sizes keep 40 so that no campaign needs more recipients than
// there are contacts (a campaign's responses stay under a tenth of the
// people).
func (p Plan) Campaigns() int { return max(p.Accounts/6, p.SurveyResponses()/max(p.People/4, 1)) }

// OpenCampaigns is how many of them are still open.
func (p Plan) OpenCampaigns() int { return max(p.Campaigns()/20, 1) }

// SurveyResponses is the number of survey responses of the plan.
func (p Plan) SurveyResponses() int { return p.People * 10 }

// SurveyToken returns the token of the n-th link (from 0, in the order of
// the recipient rows) of the campaign with the id, in the dataset of
// seed: base64url(sha256(seed ‖ campaign id ‖ n)). The store keeps
// sha256(token).
func SurveyToken(seed uint64, campaignID string, n int) string {
	var b [8]byte
	h := sha256.New()
	binary.BigEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(campaignID))
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func q(id string, t liaison.QuestionType, en, sv string, choices ...string) liaison.Question {
	qu := liaison.Question{ID: id, Type: t, Text: liaison.LocalText{liaison.English: en, liaison.Swedish: sv}, Required: t == liaison.QuestionRating && id == "overall"}
	for _, c := range choices {
		qu.Choices = append(qu.Choices, liaison.SurveyChoice{ID: c, Label: liaison.LocalText{liaison.English: c}})
	}
	return qu
}

// datasetSurveys are the templates: the half-yearly customer survey and a
// shorter one after deliveries.
var datasetSurveys = []liaison.Survey{
	{Name: "Customer satisfaction survey", Description: "Sent every half year to customers, orderers and users.", Questions: []liaison.Question{
		q("overall", liaison.QuestionRating, "Overall, how satisfied are you with our IT services?", "Hur nöjd är du sammantaget med våra IT-tjänster?"),
		q("servicedesk", liaison.QuestionRating, "How satisfied are you with the service desk?", "Hur nöjd är du med servicedesken?"),
		q("information", liaison.QuestionRating, "How well do we inform you about changes and disruptions?", "Hur väl informerar vi om förändringar och störningar?"),
		q("recommend", liaison.QuestionNPS, "How likely are you to recommend our IT services to a colleague?", "Hur troligt är det att du rekommenderar våra IT-tjänster?"),
		q("priority", liaison.QuestionSingleChoice, "What should we improve first?", "Vad bör vi förbättra först?", "stability", "response", "communication", "digital"),
		q("comment", liaison.QuestionText, "Anything else you would like to tell us?", "Något mer du vill berätta?"),
	}},
	{Name: "Delivery follow-up", Description: "A short survey after larger deliveries.", Questions: []liaison.Question{
		q("overall", liaison.QuestionRating, "How satisfied are you with the delivery?", "Hur nöjd är du med leveransen?"),
		q("recommend", liaison.QuestionNPS, "How likely are you to recommend us?", "Hur troligt är det att du rekommenderar oss?"),
		q("comment", liaison.QuestionText, "What could we have done better?", "Vad kunde vi ha gjort bättre?"),
	}},
}

var surveyComments = []string{"Slow answers from support.", "Good cooperation, thank you.", "Information about changes comes late.",
	"Stabil drift, bra service.", "Palvelu toimii hyvin.", "希望响应更快。"}

// surveyData is the surveys, campaigns, recipients and responses.
type surveyData struct {
	surveys    []*liaison.Survey
	campaigns  []*liaison.Campaign
	recipients []*sqlstore.BulkRecipient
	responses  []*liaison.Response
}

// buildSurveys draws the plan's surveys. Recipients are the people (not
// in the trash, with an email) holding a role of SurveyRoles at a unit
// of an account, one row a person and campaign.
func (w *world) buildSurveys() *surveyData {
	d := &surveyData{}
	n, total := w.plan.Campaigns(), w.plan.SurveyResponses()
	if len(w.curators) == 0 {
		return d
	}
	rng := rand.New(rand.NewPCG(w.seed, 0x5a7e7))
	type contact struct {
		p    *person
		acct *unit
		role liaison.RoleKind
	}
	var eligible []contact
	seen := map[*person]bool{}
	for _, r := range w.roles {
		p := r.person
		if r.isRemoved() || !slices.Contains(liaison.SurveyRoles, r.r.Role) || p.trash != trashNone || p.p.Email == "" ||
			r.unit.account == nil || seen[p] {
			continue
		}
		seen[p] = true
		eligible = append(eligible, contact{p, r.unit.account, r.r.Role})
	}
	if len(eligible) == 0 {
		return d
	}
	const day = int64(24 * time.Hour / time.Microsecond)
	by := w.curators[0]
	for i := range datasetSurveys {
		s := datasetSurveys[i]
		s.Questions = slices.Clone(s.Questions)
		s.ID = w.newID(w.start + int64(i)*day)
		s.CreatedAt, s.UpdatedAt, s.Version = ts(w.start+int64(i)*day), ts(w.start+int64(i)*day), 1
		d.surveys = append(d.surveys, &s)
	}
	open := w.plan.OpenCampaigns()
	closed := n - open
	// Responses: a closed campaign weighs 1, an open one 1/10.
	weights := make([]float64, n)
	sum := 0.0
	for i := range n {
		weights[i] = 1
		if i >= closed {
			weights[i] = 0.1
		}
		sum += weights[i]
	}
	span := w.end - 30*day - (w.start + 60*day)
	left := total
	for i := range n {
		want := int(float64(total) * weights[i] / sum)
		if i == n-1 {
			want = left
		}
		isOpen := i >= closed
		var closes int64
		if isOpen {
			closes = w.end + 90*day
		} else {
			closes = w.start + 60*day + span*int64(i+1)/int64(closed+1)
		}
		opened := min(closes-28*day, w.end-7*day)
		sv := d.surveys[0]
		if i%5 == 4 {
			sv = d.surveys[1]
		}
		c := &liaison.Campaign{ID: w.newID(opened - day), SurveyID: sv.ID, SurveyVersion: 1, Roles: liaison.SurveyRoles,
			ClosesOn: liaison.FormatDate(ts(closes)), Anonymous: i%4 == 1, Status: liaison.CampaignOpen,
			OpenedAt: liaison.Ptr(ts(opened)), CreatedByID: &by.ID, CreatedAt: ts(opened - day), UpdatedAt: ts(opened), Version: 2}
		c.Title = fmt.Sprintf("%s %s (%d)", sv.Name, ts(closes).Format("2006-01"), i+1)
		// Recipients: everyone for an open campaign, else enough for seven in ten to give want.
		k := len(eligible)
		if !isOpen {
			k = min(len(eligible), want*10/7+1)
		}
		want = min(want, k)
		left -= want
		if !isOpen {
			c.Status, c.ClosedAt, c.UpdatedAt, c.Version = liaison.CampaignClosed, liaison.Ptr(ts(closes+day)), ts(closes+day), 3
		}
		perm := rng.Perm(len(eligible))[:k]
		answered := rng.Perm(k)[:want]
		slices.Sort(answered)
		for j, idx := range perm {
			e := eligible[idx]
			r := &sqlstore.BulkRecipient{CreatedAt: ts(opened)}
			r.ID, r.CampaignID, r.PersonID, r.OrganisationID = w.newID(opened), c.ID, e.p.p.ID, e.acct.o.ID
			r.Segment, r.Role, r.Language, r.PersonName, r.Email = e.acct.o.Segment, e.role, e.p.p.Language, e.p.p.Name, e.p.p.Email
			r.TokenHash = hashToken(SurveyToken(w.seed, c.ID, j))
			if _, ok := slices.BinarySearch(answered, j); ok {
				at := opened + rng.Int64N(max(min(closes, w.end)-opened, 1))
				resp := &liaison.Response{CampaignID: c.ID, OrganisationID: r.OrganisationID, Segment: r.Segment, Role: r.Role,
					Answers: w.surveyAnswers(rng, sv), SubmittedAt: ts(at)}
				if c.Anonymous {
					resp.ID, resp.SubmittedAt = anonymousID(rng), liaison.DateOf(ts(at))
				} else {
					resp.ID, resp.RecipientID = w.newID(at), &r.ID
				}
				r.RespondedAt = liaison.Ptr(resp.SubmittedAt)
				d.responses = append(d.responses, resp)
			}
			d.recipients = append(d.recipients, r)
		}
		c.Recipients, c.Responses = k, want
		d.campaigns = append(d.campaigns, c)
	}
	return d
}

// anonymousID is an anonymous response's id: random bits only, no time,
// in the store's alphabet (as sqlstore's randomID).
func anonymousID(rng *rand.Rand) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [16]byte
	for i := range b {
		b[i] = alphabet[rng.IntN(32)]
	}
	return string(b[:])
}

// surveyAnswers draws a response to sv: ratings around 3.8, an NPS
// that goes with them, sometimes a choice and a comment.
func (w *world) surveyAnswers(rng *rand.Rand, sv *liaison.Survey) []liaison.Answer {
	mood := 2.5 + rng.Float64()*2.5
	var out []liaison.Answer
	for _, qu := range sv.Questions {
		switch qu.Type {
		case liaison.QuestionRating:
			v := min(max(int(mood+rng.NormFloat64()*0.7+0.5), liaison.RatingMin), liaison.RatingMax)
			out = append(out, liaison.Answer{QuestionID: qu.ID, Value: &v})
		case liaison.QuestionNPS:
			v := min(max(int((mood-1)*2.5+rng.NormFloat64()+0.5), liaison.NPSMin), liaison.NPSMax)
			out = append(out, liaison.Answer{QuestionID: qu.ID, Value: &v})
		case liaison.QuestionSingleChoice:
			if rng.IntN(4) > 0 {
				out = append(out, liaison.Answer{QuestionID: qu.ID, Choices: []string{qu.Choices[rng.IntN(len(qu.Choices))].ID}})
			}
		case liaison.QuestionText:
			if rng.IntN(5) == 0 {
				out = append(out, liaison.Answer{QuestionID: qu.ID, Text: surveyComments[rng.IntN(len(surveyComments))]})
			}
		}
	}
	return out
}
