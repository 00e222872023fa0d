package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Campaign/PublishClosedOnly"] = testCampaignPublish
}

// testCampaignPublish: only a closed campaign's results are published;
// publishing records when and by whom, unpublishing clears both, each is
// audited, and the Published filter keeps the published ones.
func testCampaignPublish(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign()
	ok(t, db.CreateCampaign(f.ctx, c))
	_, err := db.PublishCampaign(f.ctx, c.ID, c.Version, true)
	if e := wantCode(t, err, liaison.ECONFLICT); e.Key != "campaign.error.publish_not_closed" {
		t.Fatalf("draft publish: %+v", e)
	}
	openCampaign(t, db, f, c)
	_, err = db.PublishCampaign(f.ctx, c.ID, c.Version, true)
	wantCode(t, err, liaison.ECONFLICT)
	closed, err := db.CloseCampaign(f.ctx, c.ID, c.Version)
	ok(t, err)
	if closed.Published() || closed.PublishedByID != nil {
		t.Fatalf("closed = %+v", closed)
	}
	_, err = db.PublishCampaign(f.ctx, c.ID, closed.Version-1, true)
	wantCode(t, err, liaison.ESTALE)
	_, err = db.PublishCampaign(f.ctx, "nope", 1, true)
	wantCode(t, err, liaison.ENOTFOUND)

	pub, err := db.PublishCampaign(f.ctx, c.ID, closed.Version, true)
	ok(t, err)
	if pub.PublishedAt == nil || pub.PublishedByID == nil || *pub.PublishedByID != f.manager.ID || pub.Version != closed.Version+1 {
		t.Fatalf("published = %+v", pub)
	}
	got, err := db.FindCampaignByID(ctx, c.ID)
	ok(t, err)
	if got.PublishedAt == nil || !got.PublishedAt.Equal(*pub.PublishedAt) || got.PublishedByID == nil || got.Version != pub.Version {
		t.Fatalf("read back = %+v", got)
	}
	// Publishing again changes nothing.
	again, err := db.PublishCampaign(f.ctx, c.ID, pub.Version, true)
	ok(t, err)
	if again.Version != pub.Version {
		t.Fatalf("again = %+v", again)
	}
	// A title change keeps the publication.
	u := *got
	u.Title = "Spring 2026 results"
	ok(t, db.UpdateCampaign(f.ctx, &u, got.Version))
	if !u.Published() {
		t.Fatalf("updated = %+v", u)
	}

	// A second, unpublished campaign: the filter keeps the published one.
	other := f.campaign(func(x *liaison.Campaign) { x.Title = "Autumn 2026" })
	ok(t, db.CreateCampaign(f.ctx, other))
	list, _, err := db.FindCampaigns(ctx, liaison.CampaignFilter{SurveyID: f.survey.ID, Published: true})
	ok(t, err)
	if len(list) != 1 || list[0].ID != c.ID || list[0].PublishedAt == nil {
		t.Fatalf("published list = %+v", list)
	}
	all, _, err := db.FindCampaigns(ctx, liaison.CampaignFilter{SurveyID: f.survey.ID})
	ok(t, err)
	if len(all) != 2 {
		t.Fatalf("all = %d", len(all))
	}

	un, err := db.PublishCampaign(f.ctx, c.ID, u.Version, false)
	ok(t, err)
	if un.PublishedAt != nil || un.PublishedByID != nil || un.Version != u.Version+1 {
		t.Fatalf("unpublished = %+v", un)
	}
	list, _, err = db.FindCampaigns(ctx, liaison.CampaignFilter{SurveyID: f.survey.ID, Published: true})
	ok(t, err)
	if len(list) != 0 {
		t.Fatalf("published after unpublish = %+v", list)
	}
	es, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "campaign", SubjectID: c.ID})
	ok(t, err)
	var seen []string
	for _, e := range es {
		if strings.HasSuffix(e.Summary, "results published") || strings.HasSuffix(e.Summary, "results unpublished") {
			seen = append(seen, e.Summary)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("audit = %v", seen)
	}
}
