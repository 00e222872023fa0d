package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// followSpecs: who follows which accounts in the demo (SPEC C12). They
// follow before the demo's triggers are logged, so the triggers others
// log on those accounts are their unread notifications.
var followSpecs = []struct {
	user     string // user key
	accounts []string
}{
	{"admin", []string{"hospital", "social", "energy"}},
	{"anna", []string{"hospital", "social", "edu"}},
	{"johan", []string{"hospital", "energy"}},
	{"mikael", []string{"edu"}},
}

// createFollows makes the demo's follows, each as its user.
func (l *loader) createFollows(ctx context.Context) error {
	for _, s := range followSpecs {
		u, ok := l.users[s.user]
		if !ok {
			return fmt.Errorf("follow: unknown user %s", s.user)
		}
		as := liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "demo"})
		for _, key := range s.accounts {
			acc, ok := l.units[key]
			if !ok {
				return fmt.Errorf("follow: unknown unit %s", key)
			}
			if _, _, err := l.a.Follow(as, acc.ID); err != nil {
				return fmt.Errorf("%s follows %s: %w", u.Name, acc.Name, err)
			}
		}
	}
	return nil
}
