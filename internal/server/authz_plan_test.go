package server_test

import "strings"

// The account plan: read by every internal user, written by the account's
// manager and deputy, head and admin; its template is the head's and the
// admin's. External principals are refused all of it (plan_leak_test.go).
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/organisations/{id}/plan":              read,
		"PATCH /api/v1/organisations/{id}/plan":            account,
		"GET /api/v1/organisations/{id}/plan/versions":     read,
		"GET /api/v1/organisations/{id}/plan/versions/{n}": read,
		"GET /api/v1/organisations/{id}/plan/diff":         read,
		"GET /api/v1/account-plans/items":                  read,
		"GET /api/v1/account-plans/template":               read,
		"PUT /api/v1/account-plans/template":               curate,
		"DELETE /api/v1/account-plans/template":            curate,

		"GET /organisations/{id}/plan":          read,
		"GET /organisations/{id}/plan/edit":     account,
		"POST /organisations/{id}/plan":         account,
		"GET /organisations/{id}/plan/versions": read,
		"GET /organisations/{id}/plan/diff":     read,
		"GET /account-plans":                    read,
		"GET /account-plans/template":           curate,
		"POST /account-plans/template":          curate,
		"POST /account-plans/template/delete":   curate,
	} {
		matrix[k] = v
	}
}

// planPath puts account A (the matrix's account, managed by "mgr") into a
// plan route: only accounts have plans.
func planPath(p, account string) string {
	if i := strings.Index(p, "/organisations/{id}/plan"); i >= 0 {
		p = p[:i] + "/organisations/" + account + p[i+len("/organisations/{id}"):]
		p = strings.Replace(p, "{n}", "1", 1)
		if strings.HasSuffix(p, "/plan/edit") {
			p += "?section=basic_info"
		} else if strings.HasSuffix(p, "/plan/diff") {
			p += "?from=0&to=1"
		}
	}
	return p
}
