package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/suppliers":               read,
		"POST /api/v1/suppliers":              curate,
		"GET /api/v1/suppliers/{id}":          read,
		"PATCH /api/v1/suppliers/{id}":        curate,
		"DELETE /api/v1/suppliers/{id}":       curate,
		"POST /api/v1/suppliers/{id}/restore": curate,
		"GET /api/v1/suppliers/{id}/history":  read,

		"GET /suppliers":               read,
		"GET /suppliers/new":           curate,
		"POST /suppliers":              curate,
		"GET /suppliers/{id}":          read,
		"GET /suppliers/{id}/history":  read,
		"GET /suppliers/{id}/edit":     curate,
		"POST /suppliers/{id}":         curate,
		"POST /suppliers/{id}/delete":  curate,
		"POST /suppliers/{id}/restore": curate,
	} {
		matrix[k] = v
	}
}

// supplierFixture is a supplier behind a fresh service.
type supplierFixture struct {
	supplier, service string
}

func (w *world) freshSuppliers(f fixture, n int64) supplierFixture {
	s := &liaison.Supplier{Name: fmt.Sprintf("Supplier %d", n),
		Services: []liaison.SupplierService{{ServiceID: f.service, Note: "Hosting"}}}
	w.must(w.a.CreateSupplier(w.sys, s))
	return supplierFixture{supplier: s.ID, service: f.service}
}

func (sf supplierFixture) path(p string) string {
	return strings.Replace(p, "/suppliers/{id}", "/suppliers/"+sf.supplier, 1)
}

// body is a valid input for the supplier routes; ok is false for others.
func (sf supplierFixture) body(method, pattern string, n int64) (string, string, bool) {
	switch {
	case method == "POST" && pattern == "/api/v1/suppliers":
		return fmt.Sprintf(`{"name":"New supplier %d","services":[{"service_id":%q,"note":"Network"}]}`, n, sf.service), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/suppliers/"):
		return `{"notes":"checked"}`, "application/json", true
	case strings.HasPrefix(pattern, "/suppliers"):
		v := url.Values{"version": {"1"}, "name": {fmt.Sprintf("Form supplier %d", n)}, "status": {"active"},
			"service": {sf.service}, "note_" + sf.service: {"Hosting"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
