package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// Problem is an RFC 9457 problem detail: the body of every error answer,
// sent as application/problem+json.
type Problem struct {
	Type     string               `json:"type" doc:"Always about:blank: the status and code say what went wrong."`
	Title    string               `json:"title" doc:"The HTTP status text."`
	Status   int                  `json:"status" doc:"The HTTP status code."`
	Detail   string               `json:"detail" doc:"What went wrong, for people."`
	Instance string               `json:"instance" doc:"The path of the request."`
	Code     string               `json:"code" doc:"Machine-readable error code, e.g. invalid, bad_request, not_found, conflict, precondition_failed, precondition_required."`
	Errors   []liaison.FieldError `json:"errors,omitempty" doc:"The rejected fields of a validation failure."`
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// Codes of the problems that no domain error produced.
var statusCode = map[int]string{
	http.StatusBadRequest:            liaison.EBADREQUEST,
	http.StatusUnauthorized:          liaison.EUNAUTHORIZED,
	http.StatusForbidden:             liaison.EFORBIDDEN,
	http.StatusNotFound:              liaison.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusNotAcceptable:         "not_acceptable",
	http.StatusRequestTimeout:        "request_timeout",
	http.StatusConflict:              liaison.ECONFLICT,
	http.StatusPreconditionFailed:    liaison.ESTALE,
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   liaison.EINVALID,
	http.StatusPreconditionRequired:  liaison.EPRECONDITION,
	http.StatusTooManyRequests:       liaison.ETOOMANY,
	http.StatusInternalServerError:   liaison.EINTERNAL,
}

// Field codes the API adds to the domain's.
const (
	codeUnknownField = "unknown_field"
	codeReadOnly     = "read_only"
	codeTooShort     = "too_short"
	codeUnknownParam = "unknown_parameter"
)

const logKey = "liaison.log"

func init() {
	// huma builds every error through these; ours answer Problems, map
	// domain errors to their status and turn huma's validation details
	// into field errors.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return newProblem(nil, status, msg, errs)
	}
	huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return newProblem(ctx, status, msg, errs)
	}
}

// newProblem builds the problem for an error answer. A *liaison.Error among
// errs decides the status (a handler's error reaches here as a 500); huma's
// validation details become field errors; anything else is internal: it is
// logged and its text never sent.
func newProblem(ctx huma.Context, status int, msg string, errs []error) *Problem {
	p := &Problem{Type: "about:blank", Status: status, Detail: msg}
	var internal []error
	var details []liaison.FieldError // huma's, about the request's syntax and schema
	for _, err := range errs {
		if err == nil {
			continue
		}
		var pe *Problem
		var le *liaison.Error
		var d huma.ErrorDetailer
		switch {
		case errors.As(err, &pe):
			return pe
		case errors.As(err, &le):
			p.Status = httpx.Status(le)
			p.Code = le.Code
			p.Detail = le.Message
			p.Errors = append(p.Errors, le.Fields...)
			if p.Status >= 500 {
				internal = append(internal, err)
			}
		case httpx.Status(err) == httpx.StatusClientClosed:
			// The client went away; nothing to log, nobody to tell.
			p.Status, p.Detail = httpx.StatusClientClosed, "The client closed the request."
			return p
		case errors.As(err, &d):
			if fe, ok := fieldOf(d.ErrorDetail()); ok {
				details = append(details, fe)
			}
		default:
			internal = append(internal, err)
		}
	}
	if p.Status == 0 { // huma's example error, built when an operation is registered
		return p
	}
	switch {
	case p.Status >= 500:
		if len(internal) > 0 || msg != "" {
			logOf(ctx).Error("internal error", append(requestAttrs(ctx), "msg", msg, "err", errors.Join(internal...))...)
		}
		p.Detail = "Internal error."
		p.Errors = nil
	case p.Status == http.StatusRequestEntityTooLarge:
		p.Detail = "The request body is larger than 1 MiB (1,048,576 bytes)."
	case p.Status == http.StatusUnprocessableEntity:
		p.Errors = append(p.Errors, details...)
		if msg == "validation failed" {
			p.Detail = "Validation failed."
		}
	case p.Status == http.StatusBadRequest && len(details) > 0 && details[0].Field == "":
		p.Detail = "The request body is not valid JSON: " + details[0].Message
	case len(details) > 0:
		p.Detail = details[0].Message
	}
	if p.Detail == "" {
		p.Detail = http.StatusText(p.Status)
	}
	p.Detail = sentence(p.Detail)
	if p.Code == "" {
		p.Code = statusCode[p.Status]
		if p.Code == "" {
			p.Code = strings.ReplaceAll(strings.ToLower(http.StatusText(p.Status)), " ", "_")
		}
	}
	p.Title = http.StatusText(p.Status)
	return p
}

var (
	rxRequired = regexp.MustCompile(`^expected required property (.+) to be present$`)
	rxMaxLen   = regexp.MustCompile(`^expected length <= (\d+)$`)
	rxMinLen   = regexp.MustCompile(`^expected length >= (\d+)$`)
)

// fieldOf turns one of huma's error details into a field error: the
// location "body.name" becomes the field "name", "query.limit" "limit".
func fieldOf(d *huma.ErrorDetail) (liaison.FieldError, bool) {
	if d == nil {
		return liaison.FieldError{}, false
	}
	field := d.Location
	for _, prefix := range []string{"body", "query", "path", "header", "cookie"} {
		if field == prefix {
			field = ""
			break
		}
		if rest, ok := strings.CutPrefix(field, prefix+"."); ok {
			field = rest
			break
		}
	}
	fe := liaison.FieldError{Field: field, Code: liaison.CodeInvalid, Message: d.Message}
	switch m := d.Message; {
	case rxRequired.MatchString(m):
		fe.Field = joinField(field, rxRequired.FindStringSubmatch(m)[1])
		fe.Code, fe.Message = liaison.CodeRequired, "is required"
	case rxMaxLen.MatchString(m):
		fe.Code, fe.Message = liaison.CodeTooLong, "must be at most "+rxMaxLen.FindStringSubmatch(m)[1]+" characters"
	case rxMinLen.MatchString(m):
		fe.Code, fe.Message = codeTooShort, "must be at least "+rxMinLen.FindStringSubmatch(m)[1]+" characters"
	case m == "unknown query parameter":
		fe.Code, fe.Message = codeUnknownParam, "is not a parameter of this operation"
	case m == validation.MsgUnexpectedProperty:
		fe.Code, fe.Message = codeUnknownField, "is not a field of this resource"
	case strings.HasPrefix(m, "required ") && strings.HasSuffix(m, " parameter is missing"):
		fe.Code, fe.Message = liaison.CodeRequired, "is required"
	}
	return fe, true
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// sentence makes a message a sentence: a capital first and a full stop.
func sentence(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// problemInstance is a huma transformer: it names the request in every
// problem huma writes.
func problemInstance(ctx huma.Context, status string, v any) (any, error) {
	if p, ok := v.(*Problem); ok && p.Instance == "" {
		u := ctx.URL()
		p.Instance = u.Path
	}
	return v, nil
}

// writeProblem writes p outside huma.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" {
		p.Instance = r.URL.Path
	}
	b, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// validationError is an EINVALID domain error with the given fields.
func validationError(fields ...liaison.FieldError) error {
	return &liaison.Error{Code: liaison.EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: fields}
}

func badRequest(format string, args ...any) error {
	return &liaison.Error{Code: liaison.EBADREQUEST, Message: fmt.Sprintf(format, args...)}
}

func logOf(ctx huma.Context) *slog.Logger {
	if ctx != nil {
		if op := ctx.Operation(); op != nil {
			if l, ok := op.Metadata[logKey].(*slog.Logger); ok {
				return l
			}
		}
	}
	return slog.Default()
}

func requestAttrs(ctx huma.Context) []any {
	if ctx == nil {
		return nil
	}
	u := ctx.URL()
	return []any{"method", ctx.Method(), "path", u.Path}
}
