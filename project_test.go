package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestProjectValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Project)) liaison.Project {
		p := liaison.Project{Name: " Nytt journalsystem ", StartDate: "2026-03-01", EndDate: "2027-02-28", ToolURL: "https://projects.example.se/p/42"}
		for _, m := range mods {
			m(&p)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		p    liaison.Project
		want map[string]string
	}{
		{"proposed without a manager", ok(), nil},
		{"agreed with a manager", ok(func(p *liaison.Project) { p.Status, p.ProjectManagerID = liaison.ProjectAgreed, liaison.Ptr("u1") }), nil},
		{"agreed without a manager", ok(func(p *liaison.Project) { p.Status = liaison.ProjectAgreed }), map[string]string{"project_manager_id": "required"}},
		{"no name", ok(func(p *liaison.Project) { p.Name = "" }), map[string]string{"name": "required"}},
		{"long name", ok(func(p *liaison.Project) { p.Name = strings.Repeat("x", 201) }), map[string]string{"name": "too_long"}},
		{"unknown status", ok(func(p *liaison.Project) { p.Status = "parked" }), map[string]string{"status": "invalid"}},
		{"health is exact", ok(func(p *liaison.Project) { p.Health = "Green" }), map[string]string{"health": "invalid"}},
		{"yellow is not a health", ok(func(p *liaison.Project) { p.Health = "yellow" }), map[string]string{"health": "invalid"}},
		{"end before start", ok(func(p *liaison.Project) { p.EndDate = "2026-02-28" }), map[string]string{"end_date": "invalid"}},
		{"end on the start day", ok(func(p *liaison.Project) { p.EndDate = "2026-03-01" }), nil},
		{"bad date", ok(func(p *liaison.Project) { p.StartDate = "2026-02-30" }), map[string]string{"start_date": "invalid"}},
		{"tool link without a scheme", ok(func(p *liaison.Project) { p.ToolURL = "projects.example.se/p/42" }), map[string]string{"tool_url": "invalid"}},
		{"tool link as javascript", ok(func(p *liaison.Project) { p.ToolURL = "javascript:alert(1)" }), map[string]string{"tool_url": "invalid"}},
		{"tool link without a host", ok(func(p *liaison.Project) { p.ToolURL = "https://" }), map[string]string{"tool_url": "invalid"}},
		{"tool link with a space", ok(func(p *liaison.Project) { p.ToolURL = "https://x.se/a b" }), map[string]string{"tool_url": "invalid"}},
		{"plain http is allowed", ok(func(p *liaison.Project) { p.ToolURL = "http://intra/projects/42" }), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.Normalize()
			if got := fieldCodes(p.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestProjectDefaults(t *testing.T) {
	p := liaison.Project{Name: "X", OrganisationID: liaison.Ptr(" "), ProjectManagerID: liaison.Ptr("")}
	p.Normalize()
	if p.Status != liaison.ProjectProposed || p.Health != liaison.HealthGreen || p.OrganisationID != nil || p.ProjectManagerID != nil {
		t.Fatalf("normalized = %+v", p)
	}
}

func TestProjectTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to liaison.ProjectStatus
		ok       bool
	}{
		{liaison.ProjectProposed, liaison.ProjectAgreed, true},
		{liaison.ProjectAgreed, liaison.ProjectInProgress, true},
		{liaison.ProjectInProgress, liaison.ProjectClosed, true},
		{liaison.ProjectProposed, liaison.ProjectCancelled, true},
		{liaison.ProjectAgreed, liaison.ProjectCancelled, true},
		{liaison.ProjectInProgress, liaison.ProjectCancelled, true},
		{liaison.ProjectAgreed, liaison.ProjectProposed, true},
		{liaison.ProjectCancelled, liaison.ProjectProposed, true},
		{liaison.ProjectProposed, liaison.ProjectProposed, true},
		{liaison.ProjectProposed, liaison.ProjectInProgress, false}, // not agreed yet
		{liaison.ProjectProposed, liaison.ProjectClosed, false},
		{liaison.ProjectInProgress, liaison.ProjectAgreed, false},
		{liaison.ProjectClosed, liaison.ProjectInProgress, false},
		{liaison.ProjectClosed, liaison.ProjectCancelled, false},
		{liaison.ProjectCancelled, liaison.ProjectInProgress, false},
	} {
		err := liaison.CheckProjectTransition(tc.from, tc.to)
		if (err == nil) != tc.ok {
			t.Errorf("%s → %s: err = %v, want ok %v", tc.from, tc.to, err, tc.ok)
		}
		if err != nil {
			if got := fieldCodes(err); got["status"] != "transition" {
				t.Errorf("%s → %s: fields = %v", tc.from, tc.to, got)
			}
		}
	}
	err := liaison.CheckProjectTransition(liaison.ProjectProposed, liaison.ProjectInProgress)
	if msg := err.Error(); !strings.Contains(msg, "allowed: agreed, cancelled") {
		t.Errorf("message %q does not name the allowed statuses", msg)
	}
	err = liaison.CheckProjectTransition(liaison.ProjectClosed, liaison.ProjectInProgress)
	if msg := err.Error(); !strings.Contains(msg, "closed is final") {
		t.Errorf("message %q does not say closed is final", msg)
	}
}

func TestProjectHealthChangeNeedsReason(t *testing.T) {
	cur := &liaison.Project{Name: "X", Status: liaison.ProjectInProgress, Health: liaison.HealthGreen, HealthNote: "On track"}
	n := *cur
	n.Health = liaison.HealthAmber
	if got := fieldCodes(liaison.CheckProjectChange(cur, &n)); got["health_note"] != "required" {
		t.Fatalf("amber with the old note: fields = %v", got)
	}
	n.HealthNote = "Supplier two weeks late"
	if err := liaison.CheckProjectChange(cur, &n); err != nil {
		t.Fatalf("amber with a reason: %v", err)
	}
	same := *cur
	same.Phase = "Delivery stage 2"
	if err := liaison.CheckProjectChange(cur, &same); err != nil {
		t.Fatalf("no health change: %v", err)
	}
}

func TestBoardMemberValidate(t *testing.T) {
	pid, uid := liaison.Ptr("p1"), liaison.Ptr("u1")
	for _, tc := range []struct {
		name string
		m    liaison.BoardMember
		want map[string]string
	}{
		{"executive as a customer contact", liaison.BoardMember{Role: liaison.RoleExecutive, PersonID: pid}, nil},
		{"senior supplier as an IT user", liaison.BoardMember{Role: liaison.RoleSeniorSupplier, UserID: uid}, nil},
		{"relationship manager for the customer", liaison.BoardMember{Role: liaison.RoleRelationshipManager, UserID: uid, Represents: liaison.SideCustomer}, nil},
		{"both person and user", liaison.BoardMember{Role: liaison.RoleSeniorUser, PersonID: pid, UserID: uid}, map[string]string{"person_id": "invalid"}},
		{"neither person nor user", liaison.BoardMember{Role: liaison.RoleSeniorUser}, map[string]string{"person_id": "invalid"}},
		{"unknown role", liaison.BoardMember{Role: "sponsor", PersonID: pid}, map[string]string{"role": "invalid"}},
		{"relationship manager without a side", liaison.BoardMember{Role: liaison.RoleRelationshipManager, UserID: uid}, map[string]string{"represents": "required"}},
		{"relationship manager as a customer contact", liaison.BoardMember{Role: liaison.RoleRelationshipManager, PersonID: pid, Represents: liaison.SideSupplier},
			map[string]string{"user_id": "required"}},
		{"senior supplier for the customer", liaison.BoardMember{Role: liaison.RoleSeniorSupplier, UserID: uid, Represents: liaison.SideCustomer},
			map[string]string{"represents": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m
			m.Normalize()
			if got := fieldCodes(m.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckBoard(t *testing.T) {
	board := []*liaison.BoardMember{
		{Role: liaison.RoleExecutive, PersonID: liaison.Ptr("p1"), Name: "Aino Virtanen"},
		{Role: liaison.RoleSeniorUser, PersonID: liaison.Ptr("p2"), Name: "Lars Berg"},
		{Role: liaison.RoleRelationshipManager, UserID: liaison.Ptr("u1"), Name: "Wang Fang"},
	}
	for _, tc := range []struct {
		name    string
		m       liaison.BoardMember
		wantErr string
	}{
		{"a second executive", liaison.BoardMember{Role: liaison.RoleExecutive, PersonID: liaison.Ptr("p9")}, "Aino Virtanen"},
		{"a second relationship manager", liaison.BoardMember{Role: liaison.RoleRelationshipManager, UserID: liaison.Ptr("u2")}, "Wang Fang"},
		{"the same person twice in a role", liaison.BoardMember{Role: liaison.RoleSeniorUser, PersonID: liaison.Ptr("p2")}, "Lars Berg"},
		{"a second senior user", liaison.BoardMember{Role: liaison.RoleSeniorUser, PersonID: liaison.Ptr("p3")}, ""},
		{"the executive also a senior user", liaison.BoardMember{Role: liaison.RoleSeniorUser, PersonID: liaison.Ptr("p1")}, ""},
		{"a senior supplier", liaison.BoardMember{Role: liaison.RoleSeniorSupplier, UserID: liaison.Ptr("u1")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := liaison.CheckBoard(board, &tc.m)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if liaison.ErrorCode(err) != liaison.ECONFLICT || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want a conflict naming %s", err, tc.wantErr)
			}
		})
	}
}

func TestLessonValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    liaison.Lesson
		want map[string]string
	}{
		{"complete", liaison.Lesson{Title: "Name the executive early", Recommendation: "Ask the customer before agreeing", On: "2026-05-04"}, nil},
		{"only what happened", liaison.Lesson{Title: "T", WhatHappened: "x", On: "2026-05-04", Category: "planning"}, nil},
		{"empty", liaison.Lesson{Title: "T", On: "2026-05-04"}, map[string]string{"recommendation": "required"}},
		{"no title", liaison.Lesson{Recommendation: "x", On: "2026-05-04"}, map[string]string{"title": "required"}},
		{"bad category", liaison.Lesson{Title: "T", Recommendation: "x", On: "2026-05-04", Category: "gossip"}, map[string]string{"category": "invalid"}},
		{"no date", liaison.Lesson{Title: "T", Recommendation: "x"}, map[string]string{"on": "required"}},
		{"bad date", liaison.Lesson{Title: "T", Recommendation: "x", On: "4.5.2026"}, map[string]string{"on": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.l
			l.Normalize()
			if got := fieldCodes(l.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}
