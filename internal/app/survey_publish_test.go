package app_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// TestPublishedResults: whoever runs a campaign publishes it once closed;
// the published results keep the anonymity threshold, carry no free text,
// are readable by every internal user, trend over published campaigns
// only, and join the account's report pack.
func TestPublishedResults(t *testing.T) {
	f := surveySetup(t, 5)
	bg := context.Background()
	anon := f.open(t, &liaison.Campaign{Title: "Anonymous", Anonymous: true})
	links := f.links(t)
	for _, who := range []string{"pa", "pb", "pc"} {
		must(t, f.a.SubmitResponse(bg, links[who+"@customer.test"], rating(4)))
	}
	head := as(f.head, liaison.ScopeWrite)
	_, err := f.a.PublishCampaign(head, anon.ID, anon.Version)
	wantCode(t, "publish an open campaign", err, liaison.ECONFLICT)
	closed, err := f.a.CloseCampaign(head, anon.ID, anon.Version)
	must(t, err)
	_, err = f.a.PublishCampaign(as(f.staff, liaison.ScopeWrite), anon.ID, closed.Version)
	wantCode(t, "staff publish", err, liaison.EFORBIDDEN)
	_, err = f.a.PublishedResults(as(f.staff, liaison.ScopeRead), anon.ID, "", liaison.English)
	wantCode(t, "not yet published", err, liaison.ENOTFOUND)
	pub, err := f.a.PublishCampaign(head, anon.ID, closed.Version)
	must(t, err)
	if pub.PublishedAt == nil || pub.PublishedByID == nil || *pub.PublishedByID != f.head.ID {
		t.Fatalf("published %+v", pub)
	}
	// Three anonymous responses: suppressed, for staff as for anyone.
	r, err := f.a.PublishedResults(as(f.staff, liaison.ScopeRead), anon.ID, f.account.ID, liaison.Swedish)
	must(t, err)
	if !r.Suppressed || r.CSAT != nil || r.Responses != 0 || len(r.Questions) != 0 || r.Language != "sv" || r.AccountName != f.account.Name {
		t.Fatalf("anonymous under 5: %+v", r)
	}

	// A named campaign with a choice question: figures and distributions.
	named := f.open(t, &liaison.Campaign{Title: "Named", ClosesOn: "2026-05-31"})
	links = f.links(t)
	for i, who := range []string{"pa", "pb", "pc", "pd"} {
		as := append(rating([]int{5, 4, 2, 1}[i]), liaison.Answer{QuestionID: "channel", Choices: []string{"desk"}})
		must(t, f.a.SubmitResponse(bg, links[who+"@customer.test"], as))
	}
	closed, err = f.a.CloseCampaign(head, named.ID, named.Version)
	must(t, err)
	_, err = f.a.PublishCampaign(as(f.mgr, liaison.ScopeWrite), named.ID, closed.Version)
	wantCode(t, "manager publishes a campaign of all accounts", err, liaison.EFORBIDDEN)
	_, err = f.a.PublishCampaign(head, named.ID, closed.Version)
	must(t, err)
	r, err = f.a.PublishedResults(as(f.staff, liaison.ScopeRead), named.ID, f.account.ID, liaison.Swedish)
	must(t, err)
	if r.Suppressed || r.CSAT == nil || *r.CSAT != 50 || r.Responses != 4 || r.Recipients != 5 || len(r.Questions) != 3 {
		t.Fatalf("named: %+v", r)
	}
	if q := r.Questions[0]; q.Text != "Hur nöjd är du?" || len(q.Distribution) != 5 || q.Distribution[4].Count != 1 {
		t.Fatalf("rating question %+v", q)
	}
	if q := r.Questions[2]; q.Distribution[0].Label != "Servicedesk" || q.Distribution[0].Count != 4 {
		t.Fatalf("choice question %+v", q)
	}
	if len(r.Trend) != 2 || r.Trend[0].CampaignID != anon.ID || !r.Trend[0].Suppressed || r.Trend[1].CSAT == nil {
		t.Fatalf("trend %+v", r.Trend)
	}
	pdf, _, err := f.a.PublishedResultsPDF(as(f.staff, liaison.ScopeRead), named.ID, "", liaison.Chinese)
	must(t, err)
	if len(pdf) < 1000 || string(pdf[:5]) != "%PDF-" {
		t.Fatalf("pdf %q", pdf[:min(20, len(pdf))])
	}

	// The report pack has the satisfaction section with both campaigns.
	p, err := f.a.Report(as(f.staff, liaison.ScopeRead), f.account.ID, app.ReportRequest{From: "2025-06-01", To: "2026-05-31"})
	must(t, err)
	last := p.Sections[len(p.Sections)-1]
	if last.Kind != "satisfaction" || last.Satisfaction == nil || len(last.Satisfaction.Campaigns) != 2 {
		t.Fatalf("pack's last section %+v", last)
	}
	// Unpublished, the campaign leaves the page, the trend and the pack.
	cur, err := f.a.Campaign(head, named.ID)
	must(t, err)
	_, err = f.a.UnpublishCampaign(head, named.ID, cur.Version)
	must(t, err)
	_, err = f.a.PublishedResults(as(f.staff, liaison.ScopeRead), named.ID, "", liaison.English)
	wantCode(t, "unpublished", err, liaison.ENOTFOUND)
	tr, err := f.a.PublishedTrend(as(f.staff, liaison.ScopeRead), "", liaison.ResultFilter{OrganisationID: f.account.ID})
	must(t, err)
	if len(tr) != 1 || tr[0].CampaignID != anon.ID {
		t.Fatalf("trend after unpublishing %+v", tr)
	}
	p, err = f.a.Report(as(f.staff, liaison.ScopeRead), f.account.ID, app.ReportRequest{From: "2025-06-01", To: "2026-05-31"})
	must(t, err)
	if last := p.Sections[len(p.Sections)-1]; last.Kind != "satisfaction" || len(last.Satisfaction.Campaigns) != 1 {
		t.Fatalf("pack after unpublishing %+v", last)
	}
}
