package server_test

// Search: every internal user, a read token too; a customer-scoped token
// never (the matrix's read level refuses it).
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/search": read,
	} {
		matrix[k] = v
	}
}
