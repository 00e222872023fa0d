package web

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Audit subject types, as the store records them.
const (
	subjectOrganisation = "organisation"
	subjectPerson       = "person"
	subjectRole         = "role"
)

// historyEntry is one audited change with the fields it changed.
type historyEntry struct {
	E       *liaison.AuditEntry
	Action  string // translated
	Changes []fieldChange
}

// fieldChange is one field's value before and after a change.
type fieldChange struct {
	Field  string // translated label
	Before string
	After  string
}

// hiddenFields are bookkeeping that a reader of the history does not need.
var hiddenFields = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true, "deleted_at": true,
	"depth": true, "customer_kind": true, "search": true, "search_text": true,
	// A usage's derived names: the ids beside them say it.
	"service_name": true, "service_status": true, "organisation_name": true, "contact_name": true, "usages": true}

// history turns audit entries into readable changes: the fields that
// differ between the record before and after, ids resolved to names.
func (h *Handler) history(ctx context.Context, p Page, entries []*liaison.AuditEntry) []historyEntry {
	names := h.nameResolver(ctx)
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		keys := map[string]bool{}
		for k := range before {
			keys[k] = true
		}
		for k := range after {
			keys[k] = true
		}
		var sorted []string
		for k := range keys {
			if !hiddenFields[k] {
				sorted = append(sorted, k)
			}
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			b, a := show(p, names, k, before[k]), show(p, names, k, after[k])
			if b == a {
				continue
			}
			label := p.L.T("field." + k)
			if label == "field."+k {
				label = k
			}
			he.Changes = append(he.Changes, fieldChange{Field: label, Before: b, After: a})
		}
		out = append(out, he)
	}
	return out
}

// show renders a field value of an audited record for people.
func show(p Page, names func(field, id string) string, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return yesNo(p.L, x)
	case string:
		if x == "" {
			return ""
		}
		if strings.HasSuffix(field, "_id") || field == "segment" {
			return names(field, x)
		}
		switch field {
		case "role":
			return p.L.T("role_kind." + x)
		case "language":
			return langName(liaison.Language(x))
		case "last_reviewed_on":
			return p.L.DateString(x)
		case "status", "service_status", "price_model":
			// The service catalogue's enumerations; others show as stored.
			key := "service.status." + x
			if field == "price_model" {
				key = "service.price_model." + x
			}
			if p.L.Has(key) {
				return p.L.T(key)
			}
		}
		return x
	case float64:
		return p.L.Number(int(x))
	case []any:
		if field == "levels" {
			return levelSummary(p, x)
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// nameResolver looks ids up by the field they sit in, once each.
func (h *Handler) nameResolver(ctx context.Context) func(field, id string) string {
	cache := map[string]string{}
	return func(field, id string) string {
		key := field + ":" + id
		if n, ok := cache[key]; ok {
			return n
		}
		n := id
		switch field {
		case "parent_id", "organisation_id":
			if o, err := h.app.Organisation(ctx, id); err == nil {
				n = o.Name
			}
		case "service_id":
			if s, err := h.app.Service(ctx, id); err == nil {
				n = s.Name
			}
		case "relationship_manager_id", "deputy_id", "it_contact_user_id", "user_id", "owner_id", "contact_user_id":
			if u, err := h.app.User(ctx, id); err == nil {
				n = u.Name
			}
		case "person_id":
			if pp, err := h.app.Person(ctx, id); err == nil {
				n = pp.Name
			}
		case "segment":
			if s, err := h.app.Segment(ctx, id); err == nil {
				n = s.Name
			}
		}
		cache[key] = n
		return n
	}
}

// levelSummary shows a service's levels in the history: each name with
// its targets, so that a changed target shows as a change.
func levelSummary(p Page, levels []any) string {
	parts := make([]string, 0, len(levels))
	for _, l := range levels {
		m, ok := l.(map[string]any)
		if !ok {
			continue
		}
		name, _ := m["name"].(string)
		var t []string
		if a, ok := m["availability_percent"].(float64); ok {
			t = append(t, decimal(p.L, a)+" %")
		}
		for _, k := range []string{"response_minutes", "resolution_minutes"} {
			if v, ok := m[k].(float64); ok {
				n := int(v)
				t = append(t, duration(p.L, &n))
			}
		}
		if v, ok := m["price"].(float64); ok {
			t = append(t, decimal(p.L, v))
		}
		if h, ok := m["support_hours"].(string); ok && h != "" {
			t = append(t, h)
		}
		if len(t) > 0 {
			name += " (" + strings.Join(t, ", ") + ")"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " · ")
}
