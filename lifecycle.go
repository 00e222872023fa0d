package liaison

import (
	"fmt"
	"slices"
	"strings"
)

// checkLifecycle refuses a status change from → to that next (the allowed
// next statuses of each status) does not list, with a field error on
// "status" that names the allowed ones (SPEC §4). what names the record in
// the message ("an agreement"), key is the error's translation key, and
// noNext says what a status without next statuses is ("final").
func checkLifecycle[S ~string](next map[S][]S, from, to S, what, key, noNext string) error {
	allowed := next[from]
	if from == to || slices.Contains(allowed, to) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = string(s)
	}
	list := strings.Join(names, ", ")
	msg := fmt.Sprintf("%s cannot go from %s to %s; allowed: %s", what, from, to, list)
	if len(allowed) == 0 {
		list = "-"
		msg = fmt.Sprintf("%s cannot go from %s to %s: %s is %s", what, from, to, from, noNext)
	}
	return &Error{Code: EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: []FieldError{{
		Field: "status", Code: "transition", Key: key, Args: []any{string(from), string(to), list}, Message: msg,
	}}}
}
