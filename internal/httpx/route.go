// Package httpx holds what the API and the web UI share about HTTP: the
// route table entries that the authorisation matrix test walks.
package httpx

import liaison "github.com/liaisonhq/liaison"

// Route is one registered route and the access it needs.
type Route struct {
	Method  string
	Pattern string
	Access  liaison.Access
}

// Key is "METHOD pattern", the route's name in the authorisation matrix.
func (r Route) Key() string { return r.Method + " " + r.Pattern }
