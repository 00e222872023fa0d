// Package api is Liaison's JSON API under /api/v1: huma v2 operations on
// the standard library's ServeMux, an OpenAPI 3.1 document generated from
// the code at /api/openapi.json and browsable docs at /api/docs.
//
// Handlers are thin: they translate HTTP into calls of internal/app, which
// holds every rule and the record-dependent authorisation, and translate
// the answers and errors back. Every route is built through register, which
// records it (Routes) and refuses a principal lacking the route's access
// before anything of the request is read: no principal answers 401, one
// without the right 403.
//
// Contract choices (SPEC §4 leaves them open):
//   - Errors are RFC 9457 problems, application/problem+json: type
//     ("about:blank"), title, status, detail, instance (the request path)
//     and code (the domain code: invalid, bad_request, not_found, conflict,
//     precondition_failed, precondition_required, forbidden…); validation
//     failures add errors[] of {field, code, message}. Field codes:
//     required, too_long, too_short, invalid (types, enumerations, ranges,
//     formats), unknown_field (a JSON member the resource lacks),
//     unknown_parameter (a query parameter the operation lacks), read_only,
//     cycle, unknown (a reference to no existing record). A 500 says only
//     "Internal error."; its cause is logged.
//   - Unknown JSON members and unknown query parameters (a misspelt
//     filter) answer 422 rather than being ignored.
//   - Malformed JSON answers 400; a body over 1 MiB (1,048,576 bytes) 413.
//   - Text no database column holds, NUL characters or invalid UTF-8 in a
//     parameter or a body member, and numbers beyond float64 answer 422
//     naming the field (input.go); in a path id, 404.
//   - limit defaults to 50; above 500 (or below 1) answers 422, it is not
//     clamped. next_cursor is always present: "" on the last page. History
//     pages hold 50 entries.
//   - PATCH takes an RFC 7396 merge patch (application/merge-patch+json or
//     application/json; others answer 415) applied to the resource as GET
//     shows it. Read-only members (id, version, created_at, updated_at and
//     derived ones such as customer_kind and depth) may appear with their
//     current value, so a GET body can be sent back; another value answers
//     422, code read_only. Times compare as instants, so any RFC 3339
//     offset is accepted. A member set to null takes its empty value.
//   - ETag is the strong tag "<version>" ("s-<digest>" for the settings,
//     which have no version); If-Match takes it exactly as sent (strong
//     comparison: 1, "01" or W/"1" match nothing), a list of them, or *.
//     PATCH and DELETE without If-Match answer 428, with an old tag (or a
//     weak one) 412.
//   - POST creates answer 201 with Location and ETag. Idempotency-Key (at
//     most 255 characters) is remembered per user: the same key and body
//     replay the first 201 (adding Idempotent-Replayed: true); the same key
//     with another body or on another route answers 409. A failed create is
//     not remembered. A token's secret is never stored, so a replayed
//     token create answers the token without it.
//   - Times are answered in UTC, RFC 3339.
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// Paths of the API.
const (
	BasePath    = "/api/v1"
	OpenAPIPath = "/api/openapi.json"
	DocsPath    = "/api/docs"
)

// maxBodyBytes is the largest request body accepted: 1 MiB. huma refuses
// a body that reaches its limit, hence the extra byte.
const maxBodyBytes = 1<<20 + 1

// Options configure the API.
type Options struct {
	// Log receives the internal errors behind 500 answers, whose text never
	// reaches the client. Defaults to the app's logger.
	Log *slog.Logger
	// Version is the version shown in the OpenAPI document; default "1".
	Version string
}

// API is the /api module: its routes and their handlers.
type API struct {
	app     *app.App
	log     *slog.Logger
	huma    huma.API
	mux     *recorder
	routes  []httpx.Route
	extra   []handler // non-huma handlers: the document, the docs, the fallback
	spec    []byte
	specErr error
	once    sync.Once
}

// handler is one pattern and its handler, kept until Register.
type handler struct {
	pattern string
	h       http.HandlerFunc
}

// recorder is the mux huma registers on; Register replays it onto the
// server's mux, so a request is dispatched once.
type recorder struct{ handlers []handler }

func (r *recorder) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	r.handlers = append(r.handlers, handler{pattern, h})
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) { http.NotFound(w, req) }

// New builds the API over the service layer.
func New(a *app.App, opts Options) *API {
	if opts.Log == nil {
		opts.Log = a.Log
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Version == "" {
		opts.Version = "1"
	}
	api := &API{app: a, log: opts.Log, mux: &recorder{}}
	api.huma = humago.New(api.mux, config(opts))
	api.registerOrganisations()
	api.registerPeople()
	api.registerRoles()
	api.registerUsers()
	api.registerTokens()
	api.registerSegments()
	api.registerServices()
	api.registerSubscriptions()
	api.registerSettings()
	api.registerPortfolio()
	api.registerAgreements()
	api.registerDecisions()
	api.registerSuppliers()
	api.registerComplaints()
	api.registerTickets()
	api.registerImprovements()
	api.registerMeetings()
	api.registerActions()
	api.registerCycle()
	api.registerReports()
	api.registerSurveys()
	api.registerCampaigns()
	api.registerTriggers()
	api.registerDataMap()
	api.registerImports()
	api.registerBizWatch()
	api.registerProjects()
	api.registerPlan()
	api.registerFollows()
	api.registerDashboard()
	api.registerSearch()
	api.registerDocs()
	return api
}

func config(opts Options) huma.Config {
	registry := huma.NewMapRegistry("#/components/schemas/", huma.DefaultSchemaNamer)
	return huma.Config{
		OpenAPI: &huma.OpenAPI{
			OpenAPI: "3.1.0",
			Servers: []*huma.Server{{URL: "/", Description: "This Liaison server"}},
			Info: &huma.Info{
				Title:   "Liaison API",
				Version: opts.Version,
				Description: "The JSON API of Liaison, business relationship management for IT service organisations.\n\n" +
					"Sign in with `Authorization: Bearer <token>` (make tokens under your user menu or with " +
					"`liaison tokens create`) or the browser session. Errors are RFC 9457 problems. Updates are " +
					"JSON merge patches (RFC 7396) with `If-Match`; creates accept `Idempotency-Key`.",
			},
			Components: &huma.Components{
				Schemas: registry,
				SecuritySchemes: map[string]*huma.SecurityScheme{
					"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token; read tokens may only read."},
					"session": {Type: "apiKey", In: "cookie", Name: "liaison_session", Description: "The web UI's session cookie."},
				},
			},
		},
		Formats: map[string]huma.Format{
			"application/json": huma.DefaultJSONFormat,
			"json":             huma.DefaultJSONFormat, // any +json type, e.g. merge-patch+json
		},
		DefaultFormat: "application/json",
		Transformers:  []huma.Transformer{problemInstance},
		// A misspelt filter would otherwise silently list everything.
		RejectUnknownQueryParameters: true,
		// No OpenAPIPath, DocsPath or SchemasPath: the document and the docs
		// are served below, the docs from embedded files instead of a CDN.
	}
}

// Register adds every route to mux.
func (api *API) Register(mux *http.ServeMux) {
	for _, h := range api.mux.handlers {
		mux.HandleFunc(h.pattern, h.h)
	}
	for _, h := range api.extra {
		mux.HandleFunc(h.pattern, h.h)
	}
}

// Routes lists every route Register adds, with the access it needs. The
// fallback that answers unknown /api/v1/ paths has no method.
func (api *API) Routes() []httpx.Route {
	return append([]httpx.Route(nil), api.routes...)
}

// Handler returns the API alone on a fresh mux: for tests and tools.
func (api *API) Handler() http.Handler {
	mux := http.NewServeMux()
	api.Register(mux)
	return mux
}

// register adds a huma operation under BasePath that needs access. The
// access check runs before huma reads parameters or body, so an anonymous
// request answers 401 whatever it carries.
func register[I, O any](api *API, op huma.Operation, access liaison.Access, h func(context.Context, *I) (*O, error)) {
	op.Path = BasePath + op.Path
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = maxBodyBytes // uploads (attachments) set their own cap
	}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[logKey] = api.log
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	op.Extensions["x-liaison-access"] = string(access)
	if access != liaison.AccessPublic {
		op.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
		op.Middlewares = append(huma.Middlewares{api.guard(access)}, op.Middlewares...)
		op.Errors = append([]int{http.StatusUnauthorized, http.StatusForbidden}, op.Errors...)
	}
	if strings.Contains(op.Path, "{") {
		op.Errors = append(op.Errors, http.StatusNotFound)
	}
	if op.Method == http.MethodPatch {
		// The merge patch arrives as RawBody and is validated after it is
		// applied (patcher); the documented body is mergePatchBody's.
		op.SkipValidateBody = true
	}
	api.routes = append(api.routes, httpx.Route{Method: op.Method, Pattern: op.Path, Access: access})
	huma.Register(api.huma, op, func(ctx context.Context, in *I) (*O, error) {
		if err := checkInput(in); err != nil {
			return nil, err
		}
		return h(ctx, in)
	})
	if op.RequestBody != nil {
		delete(op.RequestBody.Content, "application/octet-stream") // added by huma for RawBody
	}
}

// guard refuses a principal that lacks access.
func (api *API) guard(access liaison.Access) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		p := liaison.PrincipalFrom(ctx.Context())
		if p.Allows(access) {
			next(ctx)
			return
		}
		if p == nil || p.User == nil || !p.User.Active {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="liaison"`)
			huma.WriteErr(api.huma, ctx, http.StatusUnauthorized, "Sign in first: send Authorization: Bearer <token> or the session cookie.")
			return
		}
		msg := "Your role does not allow this."
		if p.External() {
			huma.WriteErr(api.huma, ctx, http.StatusForbidden, liaison.ExternalRefusal)
			return
		}
		if p.Scope != liaison.ScopeWrite && access != liaison.AccessRead && access != liaison.AccessSignedIn {
			msg = "This token may only read."
		}
		huma.WriteErr(api.huma, ctx, http.StatusForbidden, msg)
	}
}

// handle adds a plain handler (no huma operation) and records its route.
func (api *API) handle(method, pattern string, access liaison.Access, h http.HandlerFunc) {
	p := pattern
	if method != "" {
		p = method + " " + pattern
	}
	api.extra = append(api.extra, handler{p, h})
	api.routes = append(api.routes, httpx.Route{Method: method, Pattern: pattern, Access: access})
}

// serveSpec answers the OpenAPI document, marshalled once on first use
// (after every operation was registered).
func (api *API) serveSpec(w http.ResponseWriter, r *http.Request) {
	api.once.Do(func() { api.spec, api.specErr = json.Marshal(api.huma.OpenAPI()) })
	if api.specErr != nil {
		api.log.Error("openapi document", "err", api.specErr)
		writeProblem(w, r, newProblem(nil, http.StatusInternalServerError, "", nil))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(api.spec)
}

// fallback answers a path under BasePath that no route matches: 401 to the
// anonymous (whatever the method, SPEC §4), else 405 with Allow when the
// path exists under another method, else 404.
func (api *API) fallback(w http.ResponseWriter, r *http.Request) {
	if p := liaison.PrincipalFrom(r.Context()); p == nil || p.User == nil || !p.User.Active {
		w.Header().Set("WWW-Authenticate", `Bearer realm="liaison"`)
		writeProblem(w, r, newProblem(nil, http.StatusUnauthorized, "Sign in first: send Authorization: Bearer <token> or the session cookie.", nil))
		return
	}
	var allow []string
	for _, rt := range api.routes {
		if rt.Method != "" && strings.HasPrefix(rt.Pattern, BasePath+"/") && matchPattern(rt.Pattern, r.URL.Path) {
			allow = append(allow, rt.Method)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, newProblem(nil, http.StatusMethodNotAllowed, "Use "+strings.Join(allow, ", ")+" on this path.", nil))
		return
	}
	writeProblem(w, r, newProblem(nil, http.StatusNotFound, "No such API path.", nil))
}

// matchPattern reports whether path matches a mux pattern made of literal
// and {name} segments.
func matchPattern(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			if xs[i] == "" {
				return false
			}
		} else if p != xs[i] {
			return false
		}
	}
	return true
}
