package server_test

import (
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// freshService adds a live service, owned by nobody in the matrix, and a
// usage of it by account A.
func (w *world) freshService(f *fixture, n int64) {
	svc := &liaison.Service{Name: fmt.Sprintf("Service %d", n), Status: liaison.ServiceLive,
		Levels: []liaison.ServiceLevel{{Name: "Gold"}, {Name: "Silver"}}}
	w.must(w.a.CreateService(w.sys, svc))
	sub := &liaison.Subscription{OrganisationID: w.accA, ServiceID: svc.ID, Level: "Gold"}
	w.must(w.a.CreateSubscription(w.sys, sub))
	f.service, f.subscription = svc.ID, sub.ID
}
