package liaison

import "sort"

// Portfolio is the managers × segments matrix of seed 003 §6.3.3: every
// relationship manager should hold accounts of every segment, so that
// experience spreads and deputies can cover each other.
type Portfolio struct {
	Segments []*Segment      `json:"segments"`
	Rows     []PortfolioRow  `json:"rows"`
	Gaps     []PortfolioGap  `json:"gaps"`
	Unsorted []*Organisation `json:"unassigned" doc:"Accounts without a relationship manager."`
}

// PortfolioRow is one manager's line of the matrix.
type PortfolioRow struct {
	Manager *User           `json:"manager"`
	Cells   []PortfolioCell `json:"cells" doc:"One per segment, in the order of segments, then one for accounts without a segment."`
	Total   int             `json:"total"`
}

// PortfolioCell counts a manager's accounts of one segment.
type PortfolioCell struct {
	SegmentID string   `json:"segment_id"`
	Managed   []string `json:"managed" doc:"Ids of accounts the manager holds."`
	Deputised []string `json:"deputised" doc:"Ids of accounts where the manager is deputy."`
}

// PortfolioGap is a hole the matrix shows.
type PortfolioGap struct {
	Kind      string `json:"kind" enum:"manager_missing_segment,account_without_deputy,deputy_is_manager,account_without_manager"`
	ManagerID string `json:"manager_id,omitempty"`
	SegmentID string `json:"segment_id,omitempty"`
	AccountID string `json:"account_id,omitempty"`
}

// BuildPortfolio lays out accounts by manager and segment and lists the
// gaps: a manager with no account of a segment, an account without a
// deputy or manager, a deputy who is the manager.
func BuildPortfolio(accounts []*Organisation, managers []*User, segments []*Segment) *Portfolio {
	p := &Portfolio{Segments: segments}
	col := map[string]int{}
	for i, s := range segments {
		col[s.ID] = i
	}
	none := len(segments)
	row := map[string]*PortfolioRow{}
	for _, m := range managers {
		cells := make([]PortfolioCell, none+1)
		for i, s := range segments {
			cells[i].SegmentID = s.ID
		}
		p.Rows = append(p.Rows, PortfolioRow{Manager: m, Cells: cells})
	}
	for i := range p.Rows {
		row[p.Rows[i].Manager.ID] = &p.Rows[i]
	}
	cellOf := func(userID *string, seg string) *PortfolioCell {
		if userID == nil || row[*userID] == nil {
			return nil
		}
		c, ok := col[seg]
		if !ok {
			c = none
		}
		return &row[*userID].Cells[c]
	}
	for _, a := range accounts {
		if !a.BudgetHolder {
			continue
		}
		if c := cellOf(a.RelationshipManagerID, a.Segment); c != nil {
			c.Managed = append(c.Managed, a.ID)
			row[*a.RelationshipManagerID].Total++
		}
		if a.RelationshipManagerID == nil {
			p.Unsorted = append(p.Unsorted, a)
			p.Gaps = append(p.Gaps, PortfolioGap{Kind: "account_without_manager", AccountID: a.ID})
		}
		switch {
		case a.DeputyID == nil:
			p.Gaps = append(p.Gaps, PortfolioGap{Kind: "account_without_deputy", AccountID: a.ID, ManagerID: deref(a.RelationshipManagerID)})
		case a.RelationshipManagerID != nil && *a.DeputyID == *a.RelationshipManagerID:
			p.Gaps = append(p.Gaps, PortfolioGap{Kind: "deputy_is_manager", AccountID: a.ID, ManagerID: *a.DeputyID})
		default:
			if c := cellOf(a.DeputyID, a.Segment); c != nil {
				c.Deputised = append(c.Deputised, a.ID)
			}
		}
	}
	for _, r := range p.Rows {
		for i, s := range segments {
			if len(r.Cells[i].Managed) == 0 {
				p.Gaps = append(p.Gaps, PortfolioGap{Kind: "manager_missing_segment", ManagerID: r.Manager.ID, SegmentID: s.ID})
			}
		}
	}
	sort.SliceStable(p.Gaps, func(i, j int) bool { return p.Gaps[i].Kind < p.Gaps[j].Kind })
	return p
}
