package server_test

// The survey template pages of the web UI: every internal user reads
// them; head and admin curate them. The survey fixture fills the paths
// (/surveys/{id}, /versions/{number}).
func init() {
	for k, v := range map[string]string{
		"GET /surveys":                        read,
		"GET /surveys/new":                    curate,
		"POST /surveys":                       curate, // the matrix's blank form is refused (422) for those allowed
		"GET /surveys/{id}":                   read,
		"GET /surveys/{id}/history":           read,
		"GET /surveys/{id}/versions/{number}": read,
		"GET /surveys/{id}/edit":              curate,
		"POST /surveys/{id}":                  curate,
		"POST /surveys/{id}/delete":           curate,
	} {
		matrix[k] = v
	}
}
