package web

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// accountRow is an account as lists show it: with its people and warnings.
type accountRow struct {
	Org      *liaison.Organisation
	Manager  *liaison.User
	Deputy   *liaison.User
	Segment  *liaison.Segment
	Warnings []liaison.Warning
	Stale    bool
	Health   *liaison.AccountHealth // the accounts list's health column; nil elsewhere
}

// lookups holds the small tables that lists resolve ids against.
type lookups struct {
	users     map[string]*liaison.User
	segments  map[string]*liaison.Segment
	customers map[string]bool // unit id → has an active customer
	settings  liaison.Settings
	userList  []*liaison.User
	segList   []*liaison.Segment
}

// lookups loads users, segments, the units that have a customer and the
// settings: a handful of queries whatever the size of the list.
func (h *Handler) lookups(ctx context.Context) (*lookups, error) {
	lk := &lookups{users: map[string]*liaison.User{}, segments: map[string]*liaison.Segment{}, customers: map[string]bool{}}
	var err error
	if lk.settings, err = h.app.Settings(ctx); err != nil {
		return nil, err
	}
	if lk.segList, err = h.app.Segments(ctx); err != nil {
		return nil, err
	}
	for _, s := range lk.segList {
		lk.segments[s.ID] = s
	}
	uf := liaison.UserFilter{Limit: 500}
	for {
		page, next, err := h.app.Users(ctx, uf)
		if err != nil {
			return nil, err
		}
		lk.userList = append(lk.userList, page...)
		if next == "" {
			break
		}
		uf.Cursor = next
	}
	sort.SliceStable(lk.userList, func(i, j int) bool { return lk.userList[i].Name < lk.userList[j].Name })
	for _, u := range lk.userList {
		lk.users[u.ID] = u
	}
	ids, err := h.app.UnitsWithCustomer(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		lk.customers[id] = true
	}
	return lk, nil
}

func (lk *lookups) user(id *string) *liaison.User {
	if id == nil {
		return nil
	}
	return lk.users[*id]
}

func (lk *lookups) row(o *liaison.Organisation, h *Handler) accountRow {
	r := accountRow{Org: o, Manager: lk.user(o.RelationshipManagerID), Deputy: lk.user(o.DeputyID), Segment: lk.segments[o.Segment]}
	r.Warnings = liaison.AccountWarnings(o, lk.customers[o.ID], h.now(), lk.settings.StaleReviewMonths)
	for _, w := range r.Warnings {
		if w.Code == "review_stale" || w.Code == "never_reviewed" {
			r.Stale = true
		}
	}
	return r
}

// userOptions lists active users for pickers.
func (lk *lookups) userOptions() []Option {
	var o []Option
	for _, u := range lk.userList {
		if u.Active {
			o = append(o, Option{Value: u.ID, Label: u.Name})
		}
	}
	return o
}

// managerOptions lists the users who hold or deputise an account, or may.
func (lk *lookups) managerOptions() []Option {
	var o []Option
	for _, u := range lk.userList {
		if u.Active && u.Role != liaison.RoleViewer {
			o = append(o, Option{Value: u.ID, Label: u.Name})
		}
	}
	return o
}

func (lk *lookups) segmentOptions() []Option {
	o := make([]Option, len(lk.segList))
	for i, s := range lk.segList {
		o[i] = Option{Value: s.ID, Label: s.Name}
	}
	return o
}

// unitOptions lists every live unit as an indented tree, leaving out skip
// and everything below it (a unit cannot move below itself).
func (h *Handler) unitOptions(ctx context.Context, skip string) ([]Option, error) {
	tree, err := h.app.Tree(ctx)
	if err != nil {
		return nil, err
	}
	nodes := buildTree(tree)
	var out []Option
	var walk func(ns []*treeNode, depth int)
	walk = func(ns []*treeNode, depth int) {
		for _, n := range ns {
			if n.Org.ID == skip {
				continue
			}
			out = append(out, Option{Value: n.Org.ID, Label: n.Org.Name, Depth: depth})
			walk(n.Children, depth+1)
		}
	}
	walk(nodes, 0)
	return out, nil
}

// treeNode is a unit in the organisation tree.
type treeNode struct {
	Org      *liaison.Organisation
	Children []*treeNode
	Warnings []liaison.Warning
	Accounts int // accounts at or below the unit
	Open     bool
	CanAdd   bool // the viewer may add a unit below it
}

// buildTree nests units listed parents before children.
func buildTree(units []*liaison.Organisation) []*treeNode {
	byID := make(map[string]*treeNode, len(units))
	var roots []*treeNode
	for _, o := range units {
		n := &treeNode{Org: o}
		byID[o.ID] = n
		if o.ParentID != nil {
			if p, ok := byID[*o.ParentID]; ok {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	return roots
}

// applyFormError turns a service error into form feedback. It reports the
// status to answer with, or 0 when err is not about the form (then the
// caller fails with the error page). fields are the names the form shows;
// errors on other fields are listed at the top.
func applyFormError(l *i18n.Localizer, f *Form, err error, fields ...string) int {
	var e *liaison.Error
	if !errors.As(err, &e) {
		return 0
	}
	switch e.Code {
	case liaison.EINVALID, liaison.EBADREQUEST:
		shown := map[string]bool{}
		for _, n := range fields {
			shown[n] = true
		}
		var other []string
		for _, fe := range e.Fields {
			msg := l.Field(fe)
			if shown[fe.Field] {
				if f.Errors[fe.Field] == "" {
					f.Errors[fe.Field] = msg
				}
			} else {
				other = append(other, l.T("field."+fe.Field)+": "+msg)
			}
		}
		if len(other) > 0 || len(e.Fields) == 0 {
			msg := strings.Join(other, " · ")
			if msg == "" {
				msg = l.Error(err)
			}
			f.Error = msg
		}
		return http.StatusUnprocessableEntity
	case liaison.ECONFLICT:
		f.Error = l.Error(err)
		return http.StatusConflict
	case liaison.ESTALE:
		f.Stale = true
		return http.StatusPreconditionFailed
	}
	return 0
}

func optional(s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

func itoa(n int) string { return strconv.Itoa(n) }

// mayWrite checks, before a form is shown, that the viewer may change the
// data of the unit: admin and head anywhere, a manager within the accounts
// they manage or deputise. The service layer checks again on save.
func (h *Handler) mayWrite(ctx context.Context, unitID string) error {
	p := liaison.PrincipalFrom(ctx)
	if p.Allows(liaison.AccessCurate) {
		return nil
	}
	d, err := h.app.WhoDecides(ctx, unitID)
	if err != nil {
		return err
	}
	if !p.CanWriteAccount(d.Account) {
		return &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "You may not change this account."}
	}
	return nil
}
