package sqlstore

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// Surveys writes survey templates and publishes each one's questions as
// version 1 (SurveyVersion is set to 1).
func (b *BulkTx) Surveys(ctx context.Context, ss []*liaison.Survey) error {
	qs := make([]string, len(ss))
	for i, s := range ss {
		if err := requireID("survey", i, s.ID); err != nil {
			return err
		}
		s.Normalize()
		if err := s.Validate(); err != nil {
			return fmt.Errorf("bulk: survey %s: %w", s.ID, err)
		}
		b.stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
		s.SurveyVersion = 1
		j, err := json.Marshal(s.Questions)
		if err != nil {
			return fmt.Errorf("bulk: survey %s: %w", s.ID, err)
		}
		qs[i] = string(j)
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "surveys", []string{"id", "name", "description", "survey_version", "search_text", "version", "created_at",
		"updated_at"}, len(ss), func(i int, row []any) {
		s := ss[i]
		row[0], row[1], row[2], row[3] = s.ID, s.Name, s.Description, s.SurveyVersion
		row[4], row[5], row[6], row[7] = surveySearchText(s), s.Version, t(s.CreatedAt), t(s.UpdatedAt)
	})
	if err != nil {
		return err
	}
	return b.insert(ctx, "survey_versions", []string{"survey_id", "number", "name", "questions_json", "created_by_id", "created_at"},
		len(ss), func(i int, row []any) {
			s := ss[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = s.ID, 1, s.Name, qs[i], nil, t(s.CreatedAt)
		})
}

// Campaigns writes campaigns (status, times and counts as given) with
// their account scopes; their surveys must be written before them.
func (b *BulkTx) Campaigns(ctx context.Context, cs []*liaison.Campaign) error {
	type scope struct {
		campaign, org string
		pos           int
	}
	var scopes []scope
	for i, c := range cs {
		if err := requireID("campaign", i, c.ID); err != nil {
			return err
		}
		c.Normalize()
		if err := c.Validate(); err != nil {
			return fmt.Errorf("bulk: campaign %s: %w", c.ID, err)
		}
		b.stamp(&c.Version, &c.CreatedAt, &c.UpdatedAt)
		for j, o := range c.OrganisationIDs {
			scopes = append(scopes, scope{c.ID, o, j})
		}
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "campaigns", []string{"id", "title", "survey_id", "survey_version", "roles", "segment_id", "service_id",
		"closes_on", "anonymous", "status", "opened_at", "closed_at", "reminded_at", "created_by_id", "search_text", "version",
		"created_at", "updated_at"}, len(cs), func(i int, row []any) {
		c := cs[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = c.ID, c.Title, c.SurveyID, c.SurveyVersion, joinRoles(c.Roles), nullString(c.Segment)
		row[6], row[7], row[8], row[9], row[10], row[11] = nullPtr(c.ServiceID), c.ClosesOn, c.Anonymous, string(c.Status), b.nullTime(c.OpenedAt), b.nullTime(c.ClosedAt)
		row[12], row[13], row[14], row[15], row[16], row[17] = b.nullTime(c.RemindedAt), nullPtr(c.CreatedByID), campaignSearchText(c), c.Version, t(c.CreatedAt), t(c.UpdatedAt)
	})
	if err != nil {
		return err
	}
	return b.insert(ctx, "campaign_accounts", []string{"campaign_id", "organisation_id", "position"}, len(scopes), func(i int, row []any) {
		row[0], row[1], row[2] = scopes[i].campaign, scopes[i].org, scopes[i].pos
	})
}

// BulkRecipient is a campaign recipient to write, with the hash of its
// token and when it was recorded.
type BulkRecipient struct {
	liaison.NewRecipient
	CreatedAt time.Time
}

// Recipients writes campaign recipients (ids, campaign, responded_at as
// given); their campaigns and people must be written before them.
func (b *BulkTx) Recipients(ctx context.Context, rs []*BulkRecipient) error {
	for i, r := range rs {
		if err := requireID("recipient", i, r.ID); err != nil {
			return err
		}
		if len(r.TokenHash) == 0 || r.CampaignID == "" {
			return fmt.Errorf("bulk: recipient %s: no token hash or campaign", r.ID)
		}
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "campaign_recipients", []string{"id", "campaign_id", "person_id", "organisation_id", "segment_id", "role",
		"language", "token_hash", "responded_at", "reminded_at", "created_at"}, len(rs), func(i int, row []any) {
		r := rs[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = r.ID, r.CampaignID, r.PersonID, r.OrganisationID, nullString(r.Segment), string(r.Role)
		row[6], row[7], row[8], row[9], row[10] = string(r.Language), hex.EncodeToString(r.TokenHash), b.nullTime(r.RespondedAt), b.nullTime(r.RemindedAt), t(r.CreatedAt)
	})
}

// SurveyResponses writes responses as given (an anonymous campaign's
// without a recipient id); the answers are not validated again.
func (b *BulkTx) SurveyResponses(ctx context.Context, rs []*liaison.Response) error {
	for i, r := range rs {
		if err := requireID("response", i, r.ID); err != nil {
			return err
		}
	}
	t := b.db.dialect.timeArg
	var buf []byte
	return b.insert(ctx, "survey_responses", []string{"id", "campaign_id", "recipient_id", "organisation_id", "segment_id", "role",
		"answers_json", "submitted_at"}, len(rs), func(i int, row []any) {
		r := rs[i]
		buf, _ = json.Marshal(r.Answers) // []Answer always marshals
		row[0], row[1], row[2], row[3], row[4] = r.ID, r.CampaignID, nullPtr(r.RecipientID), r.OrganisationID, nullString(r.Segment)
		row[5], row[6], row[7] = string(r.Role), string(buf), t(r.SubmittedAt)
	})
}
