package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// Ticket satisfaction (SPEC C8): ratings of closed service desk tickets
// over the last twelve months for every demo account, as the service desk
// tools would send them. The Swedish accounts' tool (TopDesk) asks 1–5,
// the others' (ServiceNow) 0–10. Each account has its own level and trend:
// the hospital dips in the autumn, the energy company improves, so the
// account pages and the monthly columns differ visibly.

// ticketComments are what customers write with a rating, low ones first.
var ticketComments = [][]string{
	{"Tog över en vecka innan någon återkom.", "The fix did not last; had to call again.", "问题反复出现，处理太慢。", "Ratkaisu ei pitänyt."},
	{"OK, men fick förklara problemet två gånger.", "Solved, but slowly."},
	{"Snabbt och vänligt bemötande!", "Quick and friendly, thank you.", "处理及时，谢谢！", "Nopea ja ystävällinen palvelu."},
}

// ticketMood is an account's average rating (1–5) and its change over the
// year (added by the last month, in rating points).
func ticketMood(key string, i int) (base, trend float64) {
	switch key {
	case "hospital":
		return 3.4, -0.6
	case "energy":
		return 3.2, 1.1
	}
	return 3.6 + float64(i%4)*0.2, float64(i%3-1) * 0.3
}

func (l *loader) createTickets(ctx context.Context) error {
	rng := rand.New(rand.NewPCG(seed, 15)) // its own stream: the other generators draw as before
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	var keys []string
	for k, u := range l.units {
		if u.BudgetHolder {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	from, _ := liaison.TicketSummaryWindow(l.today)
	days := int(l.today.Sub(from).Hours()/24) + 1
	for i, key := range keys {
		acc := l.units[key]
		base, trend := ticketMood(key, i)
		source, scale := "topdesk", liaison.Scale1to5
		if strings.HasPrefix(key, "fi") || strings.HasPrefix(key, "cn") || key == "energy" || key == "grid" {
			source, scale = "servicenow", liaison.Scale0to10
		}
		n := 20 + rng.IntN(25)
		batch := make([]*liaison.TicketRating, 0, n)
		for j := range n {
			ago := rng.IntN(days)
			closed := l.today.AddDate(0, 0, -ago)
			mean := base + trend*(1-float64(ago)/float64(days))
			stars := min(max(int(mean+rng.NormFloat64()*0.9+0.5), 1), 5)
			r := &liaison.TicketRating{Source: source, ExternalID: fmt.Sprintf("%s-%s-%04d", source, key, j+1), OrganisationID: acc.ID,
				Scale: scale, Score: float64(stars), ClosedOn: liaison.FormatDate(closed)}
			if scale == liaison.Scale0to10 { // 1–5 stars spread over 0–10 as such tools answer
				r.Score = float64(min(max((stars-1)*5/2+rng.IntN(2), 0), 10))
			}
			if len(svcs) > 0 && rng.IntN(3) > 0 {
				r.ServiceID = &svcs[rng.IntN(len(svcs))].ID
			}
			if rng.IntN(4) == 0 {
				group := ticketComments[min((stars-1)/2, 2)]
				r.Comment = group[rng.IntN(len(group))]
			}
			batch = append(batch, r)
		}
		rep, err := l.a.ImportTicketRatings(ctx, batch)
		if err != nil {
			return fmt.Errorf("ticket ratings of %s: %w", acc.Name, err)
		}
		if len(rep.Rejected) > 0 {
			return fmt.Errorf("ticket ratings of %s: %+v", acc.Name, rep.Rejected[0])
		}
		l.res.TicketRatings += rep.Created
	}
	return nil
}
