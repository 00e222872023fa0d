package dataset_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// surveyDump is what the store reads of a dataset's surveys: every
// campaign with its result data (recipients' units, responses' answers).
func surveyDump(t *testing.T, db *sqlstore.DB) ([]*liaison.Campaign, []byte) {
	t.Helper()
	ctx := context.Background()
	cs := all(t, func(c string) ([]*liaison.Campaign, string, error) {
		return db.FindCampaigns(ctx, liaison.CampaignFilter{Cursor: c, Limit: 500, Sort: "closes_on"})
	})
	var data []*liaison.ResultData
	for _, c := range cs {
		d, err := db.CampaignResultData(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, d)
	}
	b, err := json.Marshal(struct {
		C []*liaison.Campaign
		D []*liaison.ResultData
	}{cs, data})
	if err != nil {
		t.Fatal(err)
	}
	return cs, b
}

// TestSurveysS: the plan's campaigns and responses are stored on both
// engines, closed ones and open ones with unused links; a link made again
// from the seed (SurveyToken) takes a response through the store, once;
// the same seed gives the same surveys.
func TestSurveysS(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		res := generate(t, db, 7)
		ctx := context.Background()
		plan, _ := dataset.PlanFor(dataset.S)
		cs, a := surveyDump(t, db)
		if len(cs) != plan.Campaigns() || res.Campaigns != len(cs) || res.Surveys != 2 || res.SurveyResponses != plan.SurveyResponses() || plan.SurveyResponses() != 2000 {
			t.Fatalf("%d campaigns (plan %d), result %+v", len(cs), plan.Campaigns(), res)
		}
		responses, recipients, open, anonymous := 0, 0, 0, 0
		var openC *liaison.Campaign
		for _, c := range cs {
			responses += c.Responses
			recipients += c.Recipients
			if c.Anonymous {
				anonymous++
			}
			if c.Status == liaison.CampaignOpen {
				open++
				openC = c
				if c.Responses*2 > c.Recipients {
					t.Errorf("open campaign %s: %d of %d answered, want most links unused", c.Title, c.Responses, c.Recipients)
				}
			} else if c.Status != liaison.CampaignClosed || c.ClosedAt == nil {
				t.Errorf("campaign %+v neither open nor closed", c)
			}
		}
		if responses != res.SurveyResponses || recipients != res.Recipients || open != plan.OpenCampaigns() || anonymous == 0 {
			t.Fatalf("%d responses, %d recipients, %d open, %d anonymous; result %+v", responses, recipients, open, anonymous, res)
		}
		// Some link of the open campaign is unused: find it by its token
		// and answer at the end of the history.
		db.Now = func() time.Time { return end }
		submitted := false
		for n := range openC.Recipients {
			h := sha256.Sum256([]byte(dataset.SurveyToken(7, openC.ID, n)))
			l, err := db.FindLink(ctx, h[:])
			if err != nil {
				t.Fatalf("link %d of %s: %v", n, openC.ID, err)
			}
			if l.Recipient.RespondedAt != nil {
				continue
			}
			v := 4
			nps := 9
			answers := []liaison.Answer{{QuestionID: "overall", Value: &v}, {QuestionID: "recommend", Value: &nps}}
			if _, _, err := db.SubmitResponse(ctx, h[:], answers); err != nil {
				t.Fatalf("submit through link %d: %v", n, err)
			}
			if _, _, err := db.SubmitResponse(ctx, h[:], answers); liaison.LinkRefusalKey(err) != liaison.LinkUsed {
				t.Fatalf("second submit: %v, want the link used", err)
			}
			submitted = true
			break
		}
		if !submitted {
			t.Fatal("no unused link in the open campaign")
		}
		if h := sha256.Sum256([]byte(dataset.SurveyToken(8, openC.ID, 0))); true {
			if _, err := db.FindLink(ctx, h[:]); liaison.ErrorCode(err) != liaison.ENOTFOUND {
				t.Errorf("a token of another seed: %v, want ENOTFOUND", err)
			}
		}

		same := sqlstoretest.Open(t, db.Engine())
		generate(t, same, 7)
		_, b := surveyDump(t, same)
		again := sqlstoretest.Open(t, db.Engine())
		generate(t, again, 7)
		_, c := surveyDump(t, again)
		if !bytes.Equal(b, c) {
			i := 0
			for i < min(len(b), len(c)) && b[i] == c[i] {
				i++
			}
			t.Errorf("the same seed gave different surveys at byte %d: …%s… vs …%s…", i, b[max(0, i-80):min(len(b), i+80)], c[max(0, i-80):min(len(c), i+80)])
		}
		if !bytes.Equal(a, b) {
			t.Error("the same seed gave different surveys in the first database")
		}
		if _, after := surveyDump(t, db); bytes.Equal(a, after) {
			t.Error("the submission changed nothing")
		}
	})
}
