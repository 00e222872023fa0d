package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// etag is the strong entity tag of a version.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// preconditionRequired is the answer to a PATCH or DELETE without If-Match.
func preconditionRequired() error {
	return &liaison.Error{Code: liaison.EPRECONDITION, Key: "error.precondition_required",
		Message: "Send If-Match with the ETag you read, so that no update is lost."}
}

func staleError(current int) error {
	return &liaison.Error{Code: liaison.ESTALE, Key: "error.stale", Args: []any{current},
		Message: "The record has changed since you read it (now version " + strconv.Itoa(current) + "); read it again."}
}

// ifMatch is a parsed If-Match header.
type ifMatch struct {
	any      bool  // *
	versions []int // the strong tags that name a version
}

// parseIfMatch reads If-Match; ok is false when the header is absent. Weak
// tags never match (If-Match compares strongly) and neither does a tag that
// names no version; both end in 412 rather than 400.
func parseIfMatch(h string) (m ifMatch, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return m, false
	}
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			m.any = true
			continue
		}
		if n, ok := versionTag(t); ok {
			m.versions = append(m.versions, n)
		}
	}
	return m, true
}

// versionTag reads a tag as etag writes it: "<version>", character for
// character, as the strong comparison of RFC 9110 wants; W/"1", 1, "01"
// and "+1" name no version.
func versionTag(t string) (int, bool) {
	s, ok := strings.CutPrefix(t, `"`)
	if !ok {
		return 0, false
	}
	if s, ok = strings.CutSuffix(s, `"`); !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// matches reports whether the header allows a change of version current.
func (m ifMatch) matches(current int) bool {
	if m.any {
		return true
	}
	for _, v := range m.versions {
		if v == current {
			return true
		}
	}
	return false
}

// single returns the version the header names when it names exactly one.
func (m ifMatch) single() (int, bool) {
	if m.any || len(m.versions) != 1 {
		return 0, false
	}
	return m.versions[0], true
}

// ifVersion resolves If-Match into the version a change must start from.
// current reads the record's version; it is called only when the header
// names no single version (* or a list).
func ifVersion(header string, current func() (int, error)) (int, error) {
	m, ok := parseIfMatch(header)
	if !ok {
		return 0, preconditionRequired()
	}
	if v, ok := m.single(); ok {
		return v, nil
	}
	cur, err := current()
	if err != nil {
		return 0, err
	}
	if !m.matches(cur) {
		return 0, staleError(cur)
	}
	return cur, nil
}

// patchInput is the request of every PATCH: the record, If-Match and a
// JSON merge patch.
type patchInput struct {
	ID          string `path:"id"`
	IfMatch     string `header:"If-Match" doc:"The ETag you read; * for any version. Required."`
	ContentType string `header:"Content-Type" doc:"application/merge-patch+json or application/json."`
	RawBody     []byte
}

// mergePatchTypes are the media types a PATCH accepts.
var mergePatchTypes = []string{"application/merge-patch+json", "application/json"}

// mergePatchBody documents the body of a PATCH of T: any of T's members,
// none required, null clearing one.
func mergePatchBody[T any](api *API) *huma.RequestBody {
	r := api.huma.OpenAPI().Components.Schemas
	t := reflect.TypeFor[T]()
	full := r.Schema(t, false, "")
	name := t.Name() + "Patch"
	r.Map()[name] = &huma.Schema{Type: huma.TypeObject, Properties: full.Properties, AdditionalProperties: false,
		Description: "A JSON merge patch (RFC 7396) of a " + t.Name() + ": the members to change; null gives a member its empty value. " +
			"Read-only members may be sent only with their current value."}
	mt := &huma.MediaType{Schema: &huma.Schema{Ref: "#/components/schemas/" + name}}
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/merge-patch+json": mt, "application/json": mt}}
}

// patcher applies merge patches to one resource type T: it knows T's JSON
// schema and which of its members are read-only.
type patcher[T any] struct {
	api      *API
	schema   *huma.Schema
	readOnly []string
}

func newPatcher[T any](api *API, readOnly ...string) *patcher[T] {
	registry := api.huma.OpenAPI().Components.Schemas
	s := registry.Schema(reflect.TypeFor[T](), false, "")
	return &patcher[T]{api: api, schema: s, readOnly: append([]string{"id", "version", "created_at", "updated_at"}, readOnly...)}
}

// apply checks the request's preconditions against cur, the record as
// read, at version version, and returns the patched record (read-only
// members kept) and the version to update from.
func (pt *patcher[T]) apply(in *patchInput, cur *T, version int) (*T, int, error) {
	m, ok := parseIfMatch(in.IfMatch)
	if !ok {
		return nil, 0, preconditionRequired()
	}
	if !m.matches(version) {
		return nil, 0, staleError(version)
	}
	out, err := pt.patchInto(in, cur)
	return out, version, err
}

// patchInto applies the request's merge patch to cur and decodes the
// result into a new T.
func (pt *patcher[T]) patchInto(in *patchInput, cur *T) (*T, error) {
	if err := checkPatchType(in.ContentType); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(cur)
	if err != nil {
		return nil, err
	}
	patched, err := pt.patch(doc, in.RawBody)
	if err != nil {
		return nil, err
	}
	var out T
	if err := json.Unmarshal(patched, &out); err != nil {
		return nil, validationError(liaison.FieldError{Field: jsonField(err), Code: liaison.CodeInvalid, Message: "has the wrong type"})
	}
	return &out, nil
}

// patch applies a merge patch to doc, the JSON of the current record, and
// validates the result against the resource's schema.
func (pt *patcher[T]) patch(doc, patch []byte) ([]byte, error) {
	var p any
	if err := decodeJSON(patch, &p); err != nil {
		return nil, badRequest("The request body is not valid JSON: %v.", err)
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return nil, badRequest("A merge patch of a resource must be a JSON object.")
	}
	var c inputCheck
	if c.value(reflect.ValueOf(pm), ""); len(c.fields) > 0 {
		return nil, validationError(c.fields...)
	}
	var cur map[string]any
	if err := decodeJSON(doc, &cur); err != nil {
		return nil, err
	}
	merged := MergePatch(cloneJSON(cur), pm).(map[string]any)
	var fields []liaison.FieldError
	for _, k := range pt.readOnly {
		if _, ok := pm[k]; !ok {
			continue
		}
		if !sameJSON(merged[k], cur[k]) {
			fields = append(fields, liaison.FieldError{Field: k, Code: codeReadOnly, Message: "is read-only"})
		}
		if v, ok := cur[k]; ok {
			merged[k] = v
		} else {
			delete(merged, k)
		}
	}
	out, err := json.Marshal(merged)
	if err != nil {
		return nil, err
	}
	// Validate as huma validates a body: decoded without json.Number.
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		// A number beyond float64, such as 1e999.
		return nil, validationError(liaison.FieldError{Field: jsonField(err), Code: liaison.CodeInvalid, Message: "is not a number in range"})
	}
	res := &huma.ValidateResult{}
	pb := huma.NewPathBuffer(make([]byte, 0, 64), 0)
	pb.Push("body")
	huma.Validate(pt.api.huma.OpenAPI().Components.Schemas, pt.schema, pb, huma.ModeWriteToServer, v, res)
	for _, e := range res.Errors {
		var d huma.ErrorDetailer
		if !errors.As(e, &d) {
			continue
		}
		fe, ok := fieldOf(d.ErrorDetail())
		if !ok || fe.Code == liaison.CodeRequired {
			// A member the patch removed takes its empty value; the
			// domain's validation decides whether that is allowed.
			continue
		}
		fields = append(fields, fe)
	}
	if len(fields) > 0 {
		return nil, validationError(fields...)
	}
	return out, nil
}

func checkPatchType(ct string) error {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil {
		for _, t := range mergePatchTypes {
			if mt == t {
				return nil
			}
		}
	}
	return huma.Error415UnsupportedMediaType("Send the patch as application/merge-patch+json (RFC 7396).")
}

// MergePatch applies the RFC 7396 merge patch patch to target and returns
// the result. Both are decoded JSON (map[string]any, []any, strings,
// numbers, bools, nil); target's maps may be changed.
func MergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = MergePatch(t[k], v)
		}
	}
	return t
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

func cloneJSON(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// sameJSON compares two decoded JSON values; strings that are RFC 3339
// times compare as instants, so any offset names the same time.
func sameJSON(a, b any) bool {
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok && as != bs {
			ta, errA := time.Parse(time.RFC3339Nano, as)
			tb, errB := time.Parse(time.RFC3339Nano, bs)
			return errA == nil && errB == nil && ta.Equal(tb)
		}
	}
	if an, ok := a.(json.Number); ok {
		if bn, ok := b.(json.Number); ok {
			af, errA := an.Float64()
			bf, errB := bn.Float64()
			return errA == nil && errB == nil && af == bf
		}
	}
	return reflect.DeepEqual(a, b)
}

// jsonField names the field of a JSON type error, "" when unknown.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}
