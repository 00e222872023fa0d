package liaison_test

import (
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// TestCampaignCheckPublish: only a closed campaign's results are
// published, with a translatable reason otherwise.
func TestCampaignCheckPublish(t *testing.T) {
	for _, s := range liaison.CampaignStatuses {
		c := &liaison.Campaign{Status: s}
		err := c.CheckPublish()
		if s == liaison.CampaignClosed {
			if err != nil {
				t.Errorf("closed: %v", err)
			}
			continue
		}
		e, ok := err.(*liaison.Error)
		if !ok || e.Code != liaison.ECONFLICT || e.Key != "campaign.error.publish_not_closed" || len(e.Args) != 1 || e.Args[0] != string(s) {
			t.Errorf("%s: %#v", s, err)
		}
	}
	c := &liaison.Campaign{Status: liaison.CampaignClosed}
	if c.Published() {
		t.Error("published without a time")
	}
	now := time.Now()
	c.PublishedAt = &now
	if !c.Published() {
		t.Error("not published with a time")
	}
}
