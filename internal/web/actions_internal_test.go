package web

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestMeetingActionsPartial: the meeting page's action list (the
// "meeting-actions" partial filled by meetingActions) lists the meeting's
// actions and offers the add form, which posts the meeting and comes back.
func TestMeetingActionsPartial(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := app.New(db, slog.New(slog.DiscardHandler))
	admin := &liaison.User{Email: "a@example.com", Name: "Ada Admin", Role: liaison.RoleAdmin}
	if err := a.CreateUserAsSystem(context.Background(), admin, ""); err != nil {
		t.Fatal(err)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	acct := &liaison.Organisation{Name: "Lunds kommun", BudgetHolder: true}
	if err := a.CreateOrganisation(ctx, acct); err != nil {
		t.Fatal(err)
	}
	m := sqlstoretest.HeldReview(ctx, t, a.Store, acct.ID, "Tjänsteuppföljning", a.Now())
	if err := a.CreateAction(ctx, &liaison.Action{Title: "Skicka SLA-rapporten", MeetingID: &m.ID}); err != nil {
		t.Fatal(err)
	}
	h := New(a, Options{Log: slog.New(slog.DiscardHandler)})
	data, err := h.meetingActions(ctx, i18n.For(liaison.English), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := h.tpl.sets["actions"].ExecuteTemplate(&b, "meeting-actions", data); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Skicka SLA-rapporten", `name="meeting_id" value="` + m.ID + `"`, `value="/meetings/` + m.ID + `#actions"`,
		"Add action", "data-action-done"} {
		if !strings.Contains(out, want) {
			t.Errorf("the partial lacks %q:\n%s", want, out)
		}
	}
}
