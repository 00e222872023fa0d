package liaison

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Change is one field that differs between two versions of a record, with
// its values before and after as JSON ("null" when absent).
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// diffIgnored are bookkeeping fields that every save changes.
var diffIgnored = map[string]bool{"version": true, "updated_at": true, "created_at": true, "id": true, "deleted_at": true}

// Diff returns the top-level fields whose JSON differs between before and
// after (either may be nil), sorted by field name. Bookkeeping fields
// (id, version, created_at, updated_at, deleted_at) are left out.
func Diff(before, after any) ([]Change, error) {
	b, err := fieldsOf(before)
	if err != nil {
		return nil, err
	}
	a, err := fieldsOf(after)
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	changes := []Change{}
	for k := range keys {
		if diffIgnored[k] {
			continue
		}
		x, y := orNull(b[k]), orNull(a[k])
		if !jsonEqual(x, y) {
			changes = append(changes, Change{Field: k, Before: x, After: y})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Field < changes[j].Field })
	return changes, nil
}

func fieldsOf(v any) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m, nil
	}
	raw, ok := v.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	if len(raw) == 0 || string(raw) == "null" {
		return m, nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func orNull(r json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("null")
	}
	return r
}

// jsonEqual compares two JSON values by meaning: key order and spacing do
// not matter; an empty list equals null.
func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	x, y = emptyNil(x), emptyNil(y)
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

func emptyNil(v any) any {
	switch t := v.(type) {
	case []any:
		if len(t) == 0 {
			return nil
		}
	case string:
		if t == "" {
			return nil
		}
	}
	return v
}
