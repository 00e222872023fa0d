package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillSurveys gives the survey tables rows for the backup round trip: a
// survey with two versions, a named campaign scoped to acct with a
// response, and an anonymous one whose response has no recipient.
func fillSurveys(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	s := &liaison.Survey{Name: "Nöjdhet 满意度", Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Text: liaison.LocalText{"sv": "Hur nöjd är du?", "zh": "您满意吗？"}, Required: true},
		{ID: "channel", Type: liaison.QuestionSingleChoice, Text: liaison.LocalText{"en": "Channel"},
			Choices: []liaison.SurveyChoice{{ID: "desk", Label: liaison.LocalText{"en": "Desk"}}, {ID: "web", Label: liaison.LocalText{"fi": "Verkko"}}}},
	}}
	ok(t, db.CreateSurvey(actx, s))
	s.Questions = append(s.Questions, liaison.Question{ID: "more", Type: liaison.QuestionText, Text: liaison.LocalText{"en": "More?\n\"quoted\""}})
	ok(t, db.UpdateSurvey(actx, s, s.Version))
	for i, anonymous := range []bool{false, true} {
		c := &liaison.Campaign{Title: "Hösten", SurveyID: s.ID, SurveyVersion: 1, Roles: []liaison.RoleKind{liaison.RoleCustomer, liaison.RoleOrderer},
			OrganisationIDs: []string{acct.ID}, ClosesOn: "2099-12-31", Anonymous: anonymous}
		ok(t, db.CreateCampaign(actx, c))
		aud, err := db.CampaignAudience(actx, c)
		ok(t, err)
		if len(aud) == 0 {
			t.Fatal("fill has no survey recipient")
		}
		nr := make([]liaison.NewRecipient, len(aud))
		for j, r := range aud {
			h := sha256.Sum256([]byte{byte(i), byte(j), 0, 0xff})
			nr[j] = liaison.NewRecipient{Recipient: r, TokenHash: h[:]}
		}
		_, err = db.OpenCampaign(actx, c.ID, c.Version, nr)
		ok(t, err)
		_, _, err = db.SubmitResponse(ctx, nr[0].TokenHash, []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(2)},
			{QuestionID: "channel", Choices: []string{"web"}}})
		ok(t, err)
	}
}
