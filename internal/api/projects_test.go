package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestProjectAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		staff, manager := e.users["staff"].ID, e.users["manager"].ID
		e.patch("admin", "/api/v1/people/"+w.customer, 1, map[string]any{"email": "karin.berg@example.se", "language": "zh"}).want(http.StatusOK)
		body := map[string]any{"organisation_id": w.acct, "name": "Nytt elevregister", "project_manager_id": manager,
			"phase": "Förstudie", "start_date": "2026-02-01", "end_date": "2026-12-31", "tool_url": "https://projekt.example.se/p/17",
			"internal_note": "INTERNAL-NOTE budget is tight", "health_note": "Kickoff"}
		// Viewers may not start projects; staff only one they manage themselves.
		e.req("viewer", "POST", "/api/v1/projects", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/projects", body).problem(http.StatusForbidden)
		e.req("manager2", "POST", "/api/v1/projects", body).problem(http.StatusForbidden)
		body["project_manager_id"] = staff
		r := e.req("staff", "POST", "/api/v1/projects", body, "Idempotency-Key", "prj-1").want(http.StatusCreated)
		p := r.JSON()
		id := p["id"].(string)
		if r.Header.Get("Location") != "/api/v1/projects/"+id || p["status"] != "proposed" || p["health"] != "green" ||
			p["organisation_name"] != "Malmö stad" || p["project_manager_name"] != "Test staff" {
			t.Fatalf("created %s %v", r.Header.Get("Location"), p)
		}
		if again := e.req("staff", "POST", "/api/v1/projects", body, "Idempotency-Key", "prj-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another project")
		}
		path := "/api/v1/projects/" + id
		e.req("viewer", "GET", path, nil).want(http.StatusOK)
		// The project manager and the account's writers change it; another manager may not.
		e.patch("manager2", path, 1, map[string]any{"phase": "x"}).problem(http.StatusForbidden)
		e.patch("viewer", path, 1, map[string]any{"phase": "x"}).problem(http.StatusForbidden)
		e.req("staff", "PATCH", path, map[string]any{"phase": "x"}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("staff", path, 1, map[string]any{"phase": "Initiering"}).want(http.StatusOK)
		e.patch("staff", path, 1, map[string]any{"phase": "x"}).problem(http.StatusPreconditionFailed)
		e.patch("staff", path, 2, map[string]any{"tool_url": "projekt.example.se"}).want(http.StatusUnprocessableEntity).fieldError("tool_url", "invalid")
		e.patch("staff", path, 2, map[string]any{"health": "yellow"}).want(http.StatusUnprocessableEntity)
		e.patch("staff", path, 2, map[string]any{"agreed_at": "2026-01-01T00:00:00Z"}).want(http.StatusUnprocessableEntity).fieldError("agreed_at", "read_only")
		// Skipping the agreement answers 422 naming the allowed next states.
		pr := e.patch("staff", path, 2, map[string]any{"status": "in_progress"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(pr["errors"]), "allowed: agreed, cancelled") {
			t.Fatalf("invalid transition: %v", pr)
		}
		// A change of health needs its reason and is kept in the history.
		e.patch("manager", path, 2, map[string]any{"health": "amber"}).want(http.StatusUnprocessableEntity).fieldError("health_note", "required")
		e.patch("manager", path, 2, map[string]any{"health": "amber", "health_note": "Leverantören två veckor sen"}).want(http.StatusOK)
		hs := e.req("viewer", "GET", path+"/health", nil).want(http.StatusOK).Items()
		if len(hs) != 2 || hs[0]["health"] != "green" || hs[1]["health"] != "amber" || hs[1]["note"] != "Leverantören två veckor sen" ||
			hs[1]["changed_by_name"] != "Test manager" {
			t.Fatalf("health history = %v", hs)
		}
		// Agreeing mails the guide (PDF, in Chinese) to the account's customer and records it.
		e.patch("staff", path, 3, map[string]any{"status": "agreed"}).want(http.StatusOK)
		ds := e.req("viewer", "GET", path+"/guide/deliveries", nil).want(http.StatusOK).Items()
		if len(ds) != 1 || ds[0]["occasion"] != "agreed" || ds[0]["recipient_name"] != "Karin Berg" || ds[0]["language"] != "zh" ||
			ds[0]["sent_by_name"] != "Test staff" {
			t.Fatalf("deliveries = %v", ds)
		}
		msgs := e.mailTo("karin.berg@example.se")
		if len(msgs) != 1 || msgs[0].Language != "zh" || !strings.Contains(msgs[0].Subject, "项目指导委员会指南") {
			t.Fatalf("mail = %+v", msgs)
		}
		claimed, err := e.db.ClaimMail(context.Background(), time.Now().Add(time.Hour), time.Now().Add(2*time.Hour), 50)
		if err != nil {
			t.Fatal(err)
		}
		var pdfs int
		for _, m := range claimed {
			for _, a := range m.Attachments {
				if a.ContentType == "application/pdf" && bytes.HasPrefix(a.Data, []byte("%PDF-")) && strings.HasSuffix(a.Name, "(zh).pdf") {
					pdfs++
				}
			}
		}
		if pdfs != 1 {
			t.Fatalf("the customer's mail carries %d guide PDFs", pdfs)
		}

		// The steering group.
		board := path + "/board"
		exec := e.req("staff", "POST", board, map[string]any{"role": "executive", "person_id": w.customer}).want(http.StatusCreated)
		ex := exec.JSON()
		if exec.Header.Get("Location") != board+"/"+ex["id"].(string) || ex["name"] != "Karin Berg" || ex["represents"] != "customer" || ex["language"] != "zh" {
			t.Fatalf("executive %v", ex)
		}
		c := e.req("staff", "POST", board, map[string]any{"role": "executive", "person_id": w.orderer}).problem(http.StatusConflict)
		if !strings.Contains(fmt.Sprint(c["detail"]), "Karin Berg") {
			t.Fatalf("second executive: %v", c)
		}
		e.req("staff", "POST", board, map[string]any{"role": "senior_user", "person_id": w.orderer, "user_id": staff}).
			want(http.StatusUnprocessableEntity).fieldError("person_id", "invalid")
		e.req("staff", "POST", board, map[string]any{"role": "relationship_manager", "user_id": manager}).
			want(http.StatusUnprocessableEntity).fieldError("represents", "required")
		e.req("manager2", "POST", board, map[string]any{"role": "senior_user", "person_id": w.orderer}).problem(http.StatusForbidden)
		e.req("staff", "POST", board, map[string]any{"role": "relationship_manager", "user_id": manager, "represents": "customer"}).want(http.StatusCreated)
		sup := e.req("staff", "POST", board, map[string]any{"role": "senior_supplier", "user_id": staff}).want(http.StatusCreated).JSON()
		members := e.req("viewer", "GET", board, nil).want(http.StatusOK).Items()
		if column(members, "role") != "executive,senior_supplier,relationship_manager" {
			t.Fatalf("board = %s", column(members, "role"))
		}
		// Each member with an email got the guide when named; the orderer has none.
		ds = e.req("viewer", "GET", path+"/guide/deliveries", nil).want(http.StatusOK).Items()
		if len(ds) != 4 || column(ds, "occasion") != "named,named,named,agreed" {
			t.Fatalf("deliveries = %s", column(ds, "occasion"))
		}
		if len(e.mailTo("staff@example.com")) != 1 || len(e.mailTo("karin.berg@example.se")) != 2 {
			t.Fatal("a named member did not get the guide")
		}
		e.req("staff", "POST", board+"/"+sup["id"].(string)+"/guide", nil).want(http.StatusCreated)
		if len(e.mailTo("staff@example.com")) != 2 {
			t.Fatal("resending did not queue the guide")
		}
		// The guide in the member's language, as data and as PDF.
		g := e.req("viewer", "GET", path+"/guide?member_id="+ex["id"].(string), nil).want(http.StatusOK).JSON()
		if g["language"] != "zh" || g["seat"] != "执行官" || g["project"] != "Nytt elevregister" {
			t.Fatalf("guide = %v", g)
		}
		pdf := e.req("viewer", "GET", path+"/guide?format=pdf&lang=sv&member_id="+sup["id"].(string), nil).want(http.StatusOK)
		if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) ||
			!strings.Contains(pdf.Header.Get("Content-Disposition"), "(sv).pdf") {
			t.Fatalf("pdf %v", pdf.Header)
		}
		e.req("viewer", "GET", path+"/guide?member_id=nope", nil).problem(http.StatusNotFound)

		// The guide is reviewed at a steering-group meeting of the account that took place.
		planning := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Planering", nil))["id"].(string)
		e.req("staff", "POST", path+"/guide/review", map[string]any{"meeting_id": planning}).want(http.StatusUnprocessableEntity).fieldError("meeting_id", "invalid")
		future := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Styrgrupp 2", map[string]any{"type": "steering_group",
			"starts_at": time.Now().Add(48 * time.Hour).Format(time.RFC3339), "ends_at": time.Now().Add(50 * time.Hour).Format(time.RFC3339)}))["id"].(string)
		e.req("staff", "POST", path+"/guide/review", map[string]any{"meeting_id": future}).want(http.StatusUnprocessableEntity).fieldError("meeting_id", "invalid")
		first := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Styrgrupp 1", map[string]any{"type": "steering_group"}))["id"].(string)
		rv := e.req("staff", "POST", path+"/guide/review", map[string]any{"meeting_id": first}).want(http.StatusOK).JSON()
		if rv["guide_reviewed_on"] != "2026-05-04" || rv["guide_meeting_id"] != first {
			t.Fatalf("reviewed %v", rv)
		}

		// Lessons: shared ones reach the customer's report pack, internal ones do not.
		lessons := path + "/lessons"
		e.req("staff", "POST", lessons, map[string]any{"title": "Tomt"}).want(http.StatusUnprocessableEntity).fieldError("recommendation", "required")
		l := e.req("staff", "POST", lessons, map[string]any{"title": "Utse projektägaren tidigt", "recommendation": "Innan projektet avtalas",
			"category": "governance", "on": "2026-05-04"}).want(http.StatusCreated)
		lid := l.JSON()["id"].(string)
		e.req("staff", "POST", lessons, map[string]any{"title": "INTERNAL-LESSON", "what_happened": "x", "internal": true, "on": "2026-05-05"}).want(http.StatusCreated)
		if ls := e.req("viewer", "GET", lessons, nil).want(http.StatusOK).Items(); len(ls) != 2 || ls[1]["author_name"] != "Test staff" {
			t.Fatalf("lessons = %v", ls)
		}
		e.req("viewer", "GET", lessons+"/"+lid, nil).want(http.StatusOK)
		pack := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/report?from=2026-01-01&to=2026-12-31&lang=sv", nil).want(http.StatusOK)
		text := string(pack.Body)
		if !strings.Contains(text, `"kind":"projects"`) || !strings.Contains(text, "Utse projektägaren tidigt") || !strings.Contains(text, "Nytt elevregister") {
			t.Fatalf("the pack lacks the projects section: %s", text)
		}
		for _, secret := range []string{"INTERNAL-NOTE", "INTERNAL-LESSON", "Leverantören två veckor sen"} {
			if strings.Contains(text, secret) {
				t.Errorf("the customer's pack carries %q", secret)
			}
		}

		// Filters.
		for q, want := range map[string]int{"?health=amber": 1, "?health=red": 0, "?status=agreed": 1, "?organisation_id=" + w.acct: 1,
			"?project_manager_id=" + staff: 1, "?q=elevregister": 1, "?q=malmo": 1, "?live=true": 1} {
			if n := len(e.req("viewer", "GET", "/api/v1/projects"+q, nil).want(http.StatusOK).Items()); n != want {
				t.Errorf("%s: %d projects, want %d", q, n, want)
			}
		}
		e.req("viewer", "GET", "/api/v1/projects?health=Green", nil).problem(http.StatusUnprocessableEntity)
		if h := e.history(path); !strings.HasPrefix(h, "update") || !strings.HasSuffix(h, "create") {
			t.Fatalf("history = %s", h)
		}
		// Trash and restore.
		v := int(e.req("viewer", "GET", path, nil).JSON()["version"].(float64))
		e.req("manager2", "DELETE", path, nil, "If-Match", etagOf(v)).problem(http.StatusForbidden)
		e.trash("staff", path, v)
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
		if n := len(e.req("head", "GET", "/api/v1/projects?trashed=true", nil).want(http.StatusOK).Items()); n != 1 {
			t.Fatalf("trash holds %d", n)
		}
		e.req("staff", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)

		// An internal project: head and admin, or its own project manager.
		e.req("manager", "POST", "/api/v1/projects", map[string]any{"name": "Ny brandvägg"}).problem(http.StatusForbidden)
		in := e.create("head", "/api/v1/projects", map[string]any{"name": "Ny brandvägg"})
		if in["organisation_id"] != nil {
			t.Fatalf("internal project %v", in)
		}
	})
}
