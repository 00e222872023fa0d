package sqlstore

import (
	"fmt"

	"github.com/liaisonhq/liaison"
)

// notFound is the answer for a missing (or trashed) record.
func notFound(what, id string) error {
	return &liaison.Error{Code: liaison.ENOTFOUND, Message: fmt.Sprintf("%s %s not found", what, id),
		Key: "error.not_found", Args: []any{what, id}}
}

// stale is the answer when the caller's version is not the current one.
func stale(current int) error {
	return &liaison.Error{Code: liaison.ESTALE,
		Message: fmt.Sprintf("the record has changed since you read it (now version %d)", current),
		Key:     "error.stale", Args: []any{current}}
}

// conflict is an ECONFLICT with a translation key.
func conflict(key, format string, args ...any) error {
	return &liaison.Error{Code: liaison.ECONFLICT, Message: fmt.Sprintf(format, args...), Key: key, Args: args}
}

// unknownRef records a field that names a record that does not exist.
func unknownRef(v *liaison.Validation, field, what string) {
	v.Add(field, liaison.CodeUnknown, "error.unknown_ref", "names no existing %s", what)
}

// constraintError turns a constraint violation the database caught into a
// domain error; any other error passes through. The pre-checks of each
// method give precise messages in the ordinary case; this is the safety net
// for races between transactions, where the constraint is the final word.
// unique says what a unique violation means for the caller's statement;
// foreign-key violations are references to rows that vanished meanwhile.
func constraintError(err error, unique string) error {
	switch violationOf(err) {
	case uniqueViolation:
		return &liaison.Error{Code: liaison.ECONFLICT, Message: unique, Key: "error.conflict"}
	case foreignKeyViolation:
		return &liaison.Error{Code: liaison.EINVALID, Message: "a referenced record does not exist", Key: "error.unknown_ref"}
	}
	return err
}
