package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// CanRunCampaign reports whether the principal may change, open, remind,
// close or trash c: what the web UI asks before it offers those buttons.
func (a *App) CanRunCampaign(ctx context.Context, c *liaison.Campaign) bool {
	return a.canRunCampaign(ctx, c) == nil
}

// CampaignAudienceSize counts the people a draft would be sent to now: the
// preview on a draft's page. Only those who may run the campaign learn it.
func (a *App) CampaignAudienceSize(ctx context.Context, c *liaison.Campaign) (int, error) {
	if err := a.canRunCampaign(ctx, c); err != nil {
		return 0, err
	}
	aud, err := a.Store.CampaignAudience(ctx, c)
	return len(aud), err
}
