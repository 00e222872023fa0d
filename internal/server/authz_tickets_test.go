package server_test

import "fmt"

// Ticket satisfaction from the service desk tool: the head of service
// management and administrators import it (through the UI's session or an
// integration token with write scope); every internal role reads it, as
// complaints.
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/ticket-satisfaction":                    read,
		"POST /api/v1/ticket-satisfaction":                   curate,
		"GET /api/v1/organisations/{id}/ticket-satisfaction": read,
		"GET /ticket-satisfaction/import":                    curate, // the UI's upload form
		"POST /ticket-satisfaction/import":                   curate,
	} {
		matrix[k] = v
	}
}

// ticketBody is a valid batch for the import; ok is false for other routes.
func ticketBody(method, pattern string, f fixture, n int64) (string, string, bool) {
	if method != "POST" || pattern != "/api/v1/ticket-satisfaction" {
		return "", "", false
	}
	return fmt.Sprintf(`{"items":[{"source":"matrix","external_ticket_id":"INC-%d","organisation_id":%q,"score":4,"closed_on":"2026-11-02"}]}`,
		n, f.account), "application/json", true
}
