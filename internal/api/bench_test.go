package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// BenchmarkGetOrganisation compares GET /api/v1/organisations/{id} through
// the API with a bare net/http handler doing the same primary-key query
// (SPEC §6: the API must reach at least half the bare throughput). The
// principal is put in the context directly: authentication is the
// server's and costs the same in front of either.
func BenchmarkGetOrganisation(b *testing.B) {
	for _, engine := range sqlstoretest.Engines() {
		b.Run(engine, func(b *testing.B) {
			sqlstoretest.Require(b, engine)
			e := newEnv(b, sqlstoretest.Open(b, engine))
			o := e.org(map[string]any{"name": "Bench", "description": "A unit to read"})
			id := o["id"].(string)
			p := &liaison.Principal{User: e.users["viewer"], Scope: liaison.ScopeWrite}
			mux := http.NewServeMux()
			e.api.Register(mux)
			bare := http.NewServeMux()
			bare.HandleFunc("GET /bare/{id}", func(w http.ResponseWriter, r *http.Request) {
				o, err := e.db.FindOrganisationByID(r.Context(), r.PathValue("id"))
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(o)
			})
			for _, c := range []struct {
				name string
				h    http.Handler
				path string
			}{{"api", mux, "/api/v1/organisations/" + id}, {"bare", bare, "/bare/" + id}} {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					b.SetParallelism(8)
					b.RunParallel(func(pb *testing.PB) {
						ctx := liaison.WithPrincipal(context.Background(), p)
						for pb.Next() {
							r := httptest.NewRequestWithContext(ctx, "GET", c.path, nil)
							w := httptest.NewRecorder()
							c.h.ServeHTTP(w, r)
							if w.Code != http.StatusOK {
								b.Fatalf("status %d: %s", w.Code, w.Body)
							}
						}
					})
				})
			}
		})
	}
}
