package liaison

import (
	"testing"
	"time"
)

func TestCheckFollower(t *testing.T) {
	active := &User{ID: "u1", Role: RoleViewer, Active: true}
	for _, c := range []struct {
		name string
		p    *Principal
		want string // error code, "" for allowed
	}{
		{"nobody", nil, EUNAUTHORIZED},
		{"no user", &Principal{Scope: ScopeWrite}, EUNAUTHORIZED},
		{"a viewer's session", &Principal{User: active, Scope: ScopeWrite}, ""},
		{"an admin's write token", &Principal{User: &User{ID: "a", Role: RoleAdmin, Active: true}, Scope: ScopeWrite, Via: "token"}, ""},
		{"a read token", &Principal{User: active, Scope: ScopeRead, Via: "token"}, EFORBIDDEN},
		{"a customer-scoped token", &Principal{User: active, Scope: ScopeWrite, CustomerID: "acc"}, EFORBIDDEN},
		{"an inactive user", &Principal{User: &User{ID: "x", Role: RoleAdmin}, Scope: ScopeWrite}, EFORBIDDEN},
	} {
		err := CheckFollower(c.p)
		if got := ErrorCode(err); (err == nil && c.want != "") || (err != nil && got != c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestCheckFollowable(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		name string
		o    *Organisation
		ok   bool
	}{
		{"an account", &Organisation{BudgetHolder: true}, true},
		{"a unit below an account", &Organisation{}, false},
		{"a trashed account", &Organisation{BudgetHolder: true, DeletedAt: &now}, false},
		{"nothing", nil, false},
	} {
		if err := CheckFollowable(c.o); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestDigest(t *testing.T) {
	now := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		s    NotificationSettings
		due  bool
	}{
		{"off", NotificationSettings{Digest: DigestOff}, false},
		{"immediately", NotificationSettings{Digest: DigestImmediately, DigestSentOn: "2026-12-03"}, true},
		{"daily, not sent today", NotificationSettings{Digest: DigestDaily, DigestSentOn: "2026-12-02"}, true},
		{"daily, never sent", NotificationSettings{Digest: DigestDaily}, true},
		{"daily, sent today", NotificationSettings{Digest: DigestDaily, DigestSentOn: "2026-12-03"}, false},
	} {
		if got := DigestDue(&c.s, now); got != c.due {
			t.Errorf("%s: due %v, want %v", c.name, got, c.due)
		}
	}
	for _, f := range DigestFrequencies {
		if err := (&NotificationSettings{Digest: f}).Validate(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range []DigestFrequency{"", "weekly", "OFF"} {
		if err := (&NotificationSettings{Digest: f}).Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted: %v", f, err)
		}
	}
}
