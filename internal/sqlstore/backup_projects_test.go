package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillProjects gives the projects' tables rows for the backup round trip:
// a project with a health change, a steering group of a customer contact
// and an IT user, a guide delivery, a review at a steering-group meeting,
// a shared and an internal lesson, and an internal project in the trash.
func fillProjects(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, pm *liaison.User) {
	t.Helper()
	p := &liaison.Project{OrganisationID: &acct.ID, Name: "Nytt journalsystem «新系统»", Description: "rad1\nrad2\t\x01",
		ProjectManagerID: &pm.ID, Phase: "Initiering", StartDate: "2028-02-29", EndDate: "2029-01-31", ToolURL: "https://projekt.example.se/p?id=1&x=ä",
		InternalNote: "Intern", HealthNote: "Start"}
	ok(t, db.CreateProject(actx, p))
	p.Status, p.Health, p.HealthNote = liaison.ProjectAgreed, liaison.HealthAmber, "Leverantören sen"
	ok(t, db.UpdateProject(actx, p, p.Version))
	person := mkPerson(t, db, "Åsa Öberg "+p.ID, acct, func(x *liaison.Person) { x.Language = "fi" })
	exec := &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleExecutive, PersonID: &person.ID, Note: "Ordförande"}
	ok(t, db.AddBoardMember(actx, exec))
	ok(t, db.AddBoardMember(actx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleRelationshipManager, UserID: &pm.ID,
		Represents: liaison.SideSupplier}))
	ok(t, db.RecordGuideDelivery(actx, &liaison.GuideDelivery{ProjectID: p.ID, Occasion: liaison.GuideOnNamed, MemberID: &exec.ID,
		PersonID: &person.ID, RecipientName: person.Name, RecipientEmail: "asa@example.fi", Language: "fi", Role: liaison.RoleExecutive}))
	m := &liaison.Meeting{OrganisationID: acct.ID, Type: liaison.MeetingSteeringGroup, Form: liaison.FormInPerson, Title: "Styrgrupp 1",
		StartsAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	ok(t, db.CreateMeeting(actx, m))
	_, err := db.RecordGuideReview(actx, p.ID, m.ID, "2026-03-02")
	ok(t, err)
	ok(t, db.CreateLesson(actx, &liaison.Lesson{ProjectID: p.ID, Title: "Utse projektägaren tidigt", Recommendation: "Före avtal", On: "2026-05-04"}))
	ok(t, db.CreateLesson(actx, &liaison.Lesson{ProjectID: p.ID, Title: "Intern", WhatHappened: "x", On: "2026-05-05", Internal: true}))
	gone := &liaison.Project{Name: "Brandvägg"}
	ok(t, db.CreateProject(actx, gone))
	ok(t, db.DeleteProject(actx, gone.ID, gone.Version))
}
