package server_test

// The home helper's routes: the runtime settings page.
func init() {
	matrix["GET /admin/settings"] = adminOnly
	matrix["POST /admin/settings"] = adminOnly
}
