// Package liaison holds the domain of the Liaison business relationship
// management system: its types, their validation, the rules of the process
// and the contracts of the stores that keep them. It knows nothing of HTTP or
// SQL; implementations live in packages named after what they wrap.
package liaison

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each implies the HTTP status the API answers with.
const (
	EINVALID      = "invalid"             // 422: the input breaks a rule
	EBADREQUEST   = "bad_request"         // 400: the request itself is malformed
	ENOTFOUND     = "not_found"           // 404
	ECONFLICT     = "conflict"            // 409: clashes with existing data
	ESTALE        = "precondition_failed" // 412: If-Match names an old version
	EPRECONDITION = "precondition_required"
	EUNAUTHORIZED = "unauthorized" // 401
	EFORBIDDEN    = "forbidden"    // 403
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal" // 500
)

// FieldError is one rejected field of an input, with a machine code and a
// message in English. Key and Args let a UI translate the message.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Key     string `json:"-"`
	Args    []any  `json:"-"`
}

// Error is the domain error: a code, a message for people and, for
// validation failures, the fields at fault.
type Error struct {
	Code    string
	Message string
	// Key names the translation of Message; Args fill its placeholders.
	Key    string
	Args   []any
	Fields []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message that leaks nothing of an internal failure.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Validation collects field errors while checking an input.
type Validation struct{ fields []FieldError }

// Add records a rejected field. key is the translation key of the message.
func (v *Validation) Add(field, code, key, message string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Code: code, Message: fmt.Sprintf(message, args...), Key: key, Args: args})
}

// Err returns nil when nothing was rejected, else an EINVALID *Error.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: v.fields}
}

// Field limits fixed by the API contract.
const (
	MaxNameLen = 200
	MaxTextLen = 20000
)

// Field validation codes.
const (
	CodeRequired = "required"
	CodeTooLong  = "too_long"
	CodeInvalid  = "invalid"
	CodeUnknown  = "unknown"
)

// RequireName checks a required name-like field: present and at most MaxNameLen characters.
func (v *Validation) RequireName(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.Add(field, CodeRequired, "error.required", "is required")
		return
	}
	v.MaxLen(field, value, MaxNameLen)
}

// MaxLen checks that value is at most n characters long.
func (v *Validation) MaxLen(field, value string, n int) {
	if l := len([]rune(value)); l > n {
		v.Add(field, CodeTooLong, "error.too_long", "must be at most %d characters", n)
	}
}

// Text checks a free-text field against MaxTextLen.
func (v *Validation) Text(field, value string) { v.MaxLen(field, value, MaxTextLen) }
