package server_test

// Dashboard: every internal reader sees the figures (counts; the lists
// behind them apply their own rights) and every account's health.
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/dashboard":                 read,
		"GET /api/v1/dashboard/health":          read,
		"GET /api/v1/organisations/{id}/health": read,
		"GET /dashboard":                        read,
		"GET /organisations/{id}/health":        read,
	} {
		matrix[k] = v
	}
}
