package web

import (
	"net/http"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// ---------- portfolio ----------

type portfolioCell struct {
	Segment   *liaison.Segment // nil for accounts without a segment
	Managed   int
	Deputised int
	Heat      string
	Href      string
	Selected  bool
}

type portfolioRow struct {
	Manager *liaison.User
	Cells   []portfolioCell
	Total   int
}

type portfolioGap struct {
	Kind    string
	Text    string // translated
	Href    string
	Account *liaison.Organisation
}

type portfolioPage struct {
	Page
	Segments []*liaison.Segment
	Rows     []portfolioRow
	Gaps     []portfolioGap
	HasNone  bool // some account has no segment: show the column
	// The accounts of the selected cell.
	Selected    bool
	SelManager  *liaison.User
	SelSegment  *liaison.Segment
	SelManaged  []accountRow
	SelDeputies []accountRow
}

func (h *Handler) showPortfolio(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "portfolio")
	p.Title = p.L.T("portfolio.title")
	pf, err := h.app.Portfolio(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	accounts := map[string]*liaison.Organisation{}
	yes := true
	f := liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500}
	for {
		page, next, err := h.app.Organisations(ctx, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, o := range page {
			accounts[o.ID] = o
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	selM, selS := r.URL.Query().Get("manager"), r.URL.Query().Get("segment")
	data := &portfolioPage{Page: p, Segments: pf.Segments}
	max := 0
	for _, row := range pf.Rows {
		for i, c := range row.Cells {
			if len(c.Managed) > max {
				max = len(c.Managed)
			}
			if i == len(pf.Segments) && len(c.Managed)+len(c.Deputised) > 0 {
				data.HasNone = true
			}
		}
	}
	for _, row := range pf.Rows {
		pr := portfolioRow{Manager: row.Manager, Total: row.Total}
		for i, c := range row.Cells {
			cell := portfolioCell{Managed: len(c.Managed), Deputised: len(c.Deputised), Heat: heat(len(c.Managed), max)}
			segID := "none"
			if i < len(pf.Segments) {
				cell.Segment = pf.Segments[i]
				segID = cell.Segment.ID
			}
			cell.Href = "/portfolio?manager=" + row.Manager.ID + "&segment=" + segID + "#cell"
			if selM == row.Manager.ID && selS == segID {
				cell.Selected = true
				data.Selected, data.SelManager, data.SelSegment = true, row.Manager, cell.Segment
				for _, id := range c.Managed {
					if o := accounts[id]; o != nil {
						data.SelManaged = append(data.SelManaged, lk.row(o, h))
					}
				}
				for _, id := range c.Deputised {
					if o := accounts[id]; o != nil {
						data.SelDeputies = append(data.SelDeputies, lk.row(o, h))
					}
				}
			}
			pr.Cells = append(pr.Cells, cell)
		}
		if !data.HasNone {
			pr.Cells = pr.Cells[:len(pf.Segments)]
		}
		data.Rows = append(data.Rows, pr)
	}
	for _, g := range pf.Gaps {
		gap := portfolioGap{Kind: g.Kind}
		acc := accounts[g.AccountID]
		accName, mgrName, segName := "", "", ""
		if acc != nil {
			accName = acc.Name
			gap.Href = "/organisations/" + acc.ID
			gap.Account = acc
		}
		if u := lk.users[g.ManagerID]; u != nil {
			mgrName = u.Name
		}
		if s := lk.segments[g.SegmentID]; s != nil {
			segName = s.Name
		}
		switch g.Kind {
		case "manager_missing_segment":
			gap.Text = p.L.T("portfolio.gap.manager_missing_segment", mgrName, segName)
			gap.Href = "/portfolio?manager=" + g.ManagerID + "&segment=" + g.SegmentID + "#cell"
		case "account_without_deputy":
			gap.Text = p.L.T("portfolio.gap.account_without_deputy", accName)
		case "deputy_is_manager":
			gap.Text = p.L.T("portfolio.gap.deputy_is_manager", accName, mgrName)
		case "account_without_manager":
			gap.Text = p.L.T("portfolio.gap.account_without_manager", accName)
		default:
			gap.Text = g.Kind
		}
		data.Gaps = append(data.Gaps, gap)
	}
	h.render(w, r, http.StatusOK, "portfolio", data)
}

// ---------- API tokens ----------

type tokensPage struct {
	Page
	Tokens []*liaison.Token
	Form   *Form
	Secret string // shown once, right after creation
	New    *liaison.Token
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, code int, data *tokensPage) {
	p := h.page(w, r, "", "")
	p.Title = p.L.T("tokens.title")
	data.Page = p
	tokens, err := h.app.Tokens(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Tokens = tokens
	if data.Form == nil {
		data.Form = newForm()
		data.Form.Set("scope", "read")
	}
	h.render(w, r, code, "tokens", data)
}

func (h *Handler) showTokens(w http.ResponseWriter, r *http.Request) {
	if exportFormat(r) != "" {
		tokens, err := h.app.Tokens(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		exportRows(h, w, r, "tokens", "tokens.title", tokenColumns(h.localizer(r)), tokens)
		return
	}
	h.renderTokens(w, r, http.StatusOK, &tokensPage{})
}

// tokenColumns are the columns of the exported token list: never the
// secret (it is not stored) nor its hash.
func tokenColumns(l *i18n.Localizer) []exportColumn[*liaison.Token] {
	return []exportColumn[*liaison.Token]{
		{"field.name", func(t *liaison.Token) any { return t.Name }},
		{"field.scope", func(t *liaison.Token) any { return enumLabel(l, "scope.", t.Scope) }},
		{"field.created_at", func(t *liaison.Token) any { return t.CreatedAt }},
		{"tokens.last_used", func(t *liaison.Token) any { return t.LastUsedAt }},
		{"tokens.revoked", func(t *liaison.Token) any { return t.RevokedAt }},
	}
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Set("name", r.PostFormValue("name"))
	f.Set("scope", r.PostFormValue("scope"))
	secret, t, err := h.app.CreateToken(r.Context(), f.Get("name"), liaison.Scope(f.Get("scope")))
	if err != nil {
		if code := applyFormError(h.localizer(r), f, err, "name", "scope"); code != 0 {
			h.renderTokens(w, r, code, &tokensPage{Form: f})
			return
		}
		h.fail(w, r, err)
		return
	}
	// The secret is shown on this response only; it is never stored.
	h.renderTokens(w, r, http.StatusCreated, &tokensPage{Secret: secret, New: t})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := h.app.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.token_revoked")
	redirect(w, r, "/settings/tokens")
}

// ---------- trash ----------

type trashPage struct {
	Page
	Units  []*liaison.Organisation
	People []*liaison.Person
}

// trashRow is a row of the exported trash: a unit or a person.
type trashRow struct {
	Kind, Name string
	DeletedAt  *time.Time
}

func (h *Handler) showTrash(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "trash")
	p.Title = p.L.T("trash.title")
	if exportFormat(r) != "" {
		units, err := readAll(func(cursor string, limit int) ([]*liaison.Organisation, string, error) {
			return h.app.Organisations(ctx, liaison.OrganisationFilter{Trashed: true, Cursor: cursor, Limit: limit})
		})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		people, err := readAll(func(cursor string, limit int) ([]*liaison.Person, string, error) {
			return h.app.People(ctx, liaison.PersonFilter{Trashed: true, Cursor: cursor, Limit: limit})
		})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		rows := make([]trashRow, 0, len(units)+len(people))
		for _, o := range units {
			rows = append(rows, trashRow{p.L.T("trash.units"), o.Name, o.DeletedAt})
		}
		for _, x := range people {
			rows = append(rows, trashRow{p.L.T("trash.people"), x.Name, x.DeletedAt})
		}
		exportRows(h, w, r, "trash", "trash.title", trashColumns, rows)
		return
	}
	units, _, err := h.app.Organisations(ctx, liaison.OrganisationFilter{Trashed: true, Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	people, _, err := h.app.People(ctx, liaison.PersonFilter{Trashed: true, Limit: 200})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "trash", &trashPage{Page: p, Units: units, People: people})
}

// trashColumns are the columns of the exported trash.
var trashColumns = []exportColumn[trashRow]{
	{"field.type", func(t trashRow) any { return t.Kind }},
	{"field.name", func(t trashRow) any { return t.Name }},
	{"export.deleted_at", func(t trashRow) any { return t.DeletedAt }},
}

// ---------- segments ----------

type segmentsPage struct {
	Page
	Segments []*liaison.Segment
	Counts   map[string]int
}

func (h *Handler) showSegments(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "segments")
	p.Title = p.L.T("segments.title")
	segs, err := h.app.Segments(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts := map[string]int{}
	yes := true
	f := liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500}
	for {
		page, next, err := h.app.Organisations(ctx, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, o := range page {
			counts[o.Segment]++
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	if exportFormat(r) != "" {
		rows := make([]segmentRow, len(segs))
		for i, s := range segs {
			rows[i] = segmentRow{s, counts[s.ID]}
		}
		exportRows(h, w, r, "segments", "segments.title", segmentColumns, rows)
		return
	}
	h.render(w, r, http.StatusOK, "segments", &segmentsPage{Page: p, Segments: segs, Counts: counts})
}

// segmentRow is a row of the exported segments: a segment and its number
// of accounts.
type segmentRow struct {
	S        *liaison.Segment
	Accounts int
}

// segmentColumns are the columns of the exported segments.
var segmentColumns = []exportColumn[segmentRow]{
	{"field.name", func(s segmentRow) any { return s.S.Name }},
	{"field.description", func(s segmentRow) any { return s.S.Description }},
	{"segments.accounts", func(s segmentRow) any { return s.Accounts }},
	{"field.updated_at", func(s segmentRow) any { return s.S.UpdatedAt }},
}

type segmentFormPage struct {
	Page
	Form    *Form
	Segment *liaison.Segment
}

func (h *Handler) renderSegmentForm(w http.ResponseWriter, r *http.Request, code int, f *Form, s *liaison.Segment) {
	p := h.page(w, r, "", "segments")
	if s != nil {
		p.Title = p.L.T("segment.edit.title", s.Name)
	} else {
		p.Title = p.L.T("segment.new.title")
	}
	p.Crumbs = []Crumb{{Label: p.L.T("nav.segments"), Href: "/admin/segments"}, {Label: p.Title}}
	h.render(w, r, code, "segment_form", &segmentFormPage{Page: p, Form: f, Segment: s})
}

func (h *Handler) newSegment(w http.ResponseWriter, r *http.Request) {
	h.renderSegmentForm(w, r, http.StatusOK, newForm(), nil)
}

func readSegmentForm(r *http.Request, s *liaison.Segment) *Form {
	f := newForm()
	for _, k := range []string{"name", "description", "version"} {
		f.Set(k, r.PostFormValue(k))
	}
	s.Name, s.Description = f.Get("name"), f.Get("description")
	return f
}

func (h *Handler) createSegment(w http.ResponseWriter, r *http.Request) {
	s := &liaison.Segment{}
	f := readSegmentForm(r, s)
	if err := h.app.CreateSegment(r.Context(), s); err != nil {
		if code := applyFormError(h.localizer(r), f, err, "name", "description"); code != 0 {
			h.renderSegmentForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.segment_created", s.Name)
	redirect(w, r, "/admin/segments")
}

func (h *Handler) editSegment(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Segment(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm()
	f.Set("name", s.Name)
	f.Set("description", s.Description)
	f.Set("version", itoa(s.Version))
	h.renderSegmentForm(w, r, http.StatusOK, f, s)
}

func (h *Handler) updateSegment(w http.ResponseWriter, r *http.Request) {
	cur, err := h.app.Segment(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := *cur
	f := readSegmentForm(r, &s)
	if err := h.app.UpdateSegment(r.Context(), &s, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, "name", "description"); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderSegmentForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/admin/segments")
}

func (h *Handler) deleteSegment(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Segment(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteSegment(r.Context(), s.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.segment_deleted", s.Name)
	redirect(w, r, "/admin/segments")
}

// ---------- users ----------

type usersPage struct {
	Page
	Users []*liaison.User
}

func (h *Handler) showUsers(w http.ResponseWriter, r *http.Request) {
	p := h.page(w, r, "", "users")
	p.Title = p.L.T("users.title")
	lk, err := h.lookups(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportRows(h, w, r, "users", "users.title", userColumns(p.L), lk.userList)
		return
	}
	h.render(w, r, http.StatusOK, "users", &usersPage{Page: p, Users: lk.userList})
}

// userColumns are the columns of the exported user list: never the
// password hash.
func userColumns(l *i18n.Localizer) []exportColumn[*liaison.User] {
	return []exportColumn[*liaison.User]{
		{"field.name", func(u *liaison.User) any { return u.Name }},
		{"field.email", func(u *liaison.User) any { return u.Email }},
		{"field.user_role", func(u *liaison.User) any { return enumLabel(l, "user_role.", u.Role) }},
		{"field.language", func(u *liaison.User) any { return langName(u.Language) }},
		{"field.active", func(u *liaison.User) any { return yesNo(l, u.Active) }},
		{"field.created_at", func(u *liaison.User) any { return u.CreatedAt }},
	}
}
