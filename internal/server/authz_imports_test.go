package server_test

import (
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// Imports (SPEC C15): the head of service management and administrators
// import units, people, roles, services, agreements and SLA results;
// nobody else sees the wizard or the API.
func init() {
	for k, v := range map[string]string{
		"GET /admin/import":                 curate,
		"POST /admin/import":                curate,
		"GET /admin/import/{id}":            curate,
		"POST /admin/import/{id}/check":     curate,
		"POST /admin/import/{id}/commit":    curate,
		"GET /admin/import/{id}/progress":   curate,
		"POST /api/v1/imports":              curate,
		"GET /api/v1/imports/{id}":          curate,
		"PUT /api/v1/imports/{id}/mapping":  curate,
		"POST /api/v1/imports/{id}/dry-run": curate,
		"POST /api/v1/imports/{id}/commit":  curate,
	} {
		matrix[k] = v
	}
}

// importFixture is an uploaded file of people whose mapping lacks the
// unit: a dry run or commit of it is refused (422) without writing, so the
// matrix sees the authorisation and leaves nothing running.
type importFixture struct{ job string }

func (w *world) freshImports(n int64) importFixture {
	j, err := w.a.StartImport(w.sys, liaison.ImportPeople, "people.csv", []byte("name;email\nÅsa;asa@example.se\n"))
	w.must(err)
	return importFixture{job: j.ID}
}

func (f importFixture) path(p string) string {
	p = strings.Replace(p, "/admin/import/{id}", "/admin/import/"+f.job, 1)
	return strings.Replace(p, "/api/v1/imports/{id}", "/api/v1/imports/"+f.job, 1)
}
