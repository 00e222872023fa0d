package server_test

// Following accounts and notifications: every internal user follows and
// reads their own notifications; writing them (follow, mark read, the
// digest choice) is refused to a read-only token.
func init() {
	for k, v := range map[string]string{
		"PUT /api/v1/organisations/{id}/follow":        selfWrite,
		"GET /api/v1/organisations/{id}/follow":        read,
		"DELETE /api/v1/organisations/{id}/follow":     selfWrite,
		"GET /api/v1/organisations/{id}/followers":     read,
		"GET /api/v1/users/me/follows":                 signedIn,
		"GET /api/v1/users/me/notifications":           signedIn,
		"POST /api/v1/users/me/notifications/read":     selfWrite,
		"GET /api/v1/users/me/notification-settings":   signedIn,
		"PATCH /api/v1/users/me/notification-settings": selfWrite,
		"POST /organisations/{id}/follow":              selfWrite,
		"POST /organisations/{id}/unfollow":            selfWrite,
		"GET /notifications":                           signedIn,
		"POST /notifications/read":                     selfWrite,
		"GET /notifications/{id}/open":                 selfWrite,
		"POST /notifications/settings":                 selfWrite,
	} {
		matrix[k] = v
	}
}
