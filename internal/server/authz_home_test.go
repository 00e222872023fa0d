package server_test

// The home helper's routes: the runtime settings page, an account's agreements tab.
func init() {
	matrix["GET /admin/settings"] = adminOnly
	matrix["POST /admin/settings"] = adminOnly
	matrix["GET /organisations/{id}/agreements"] = read
}
