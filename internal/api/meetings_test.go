package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// meetingWorld is the agreement world (Malmö stad, managed by "manager",
// with the customer Karin Berg, who has no email address) plus Lena Holm,
// a Swedish-speaking contact with one, and Lunds kommun, an account
// managed by "manager2".
type meetingWorld struct {
	agreementWorld
	lena, acct2 string
}

func mkMeetingWorld(t *testing.T, e *env) meetingWorld {
	t.Helper()
	w := meetingWorld{agreementWorld: mkAgreementWorld(t, e)}
	w.lena = e.create("admin", "/api/v1/people", map[string]any{"name": "Lena Holm", "organisation_id": w.acct,
		"email": "lena.holm@example.se", "language": "sv"})["id"].(string)
	w.acct2 = e.org(map[string]any{"name": "Lunds kommun", "budget_holder": true, "relationship_manager_id": e.users["manager2"].ID})["id"].(string)
	return w
}

// meetingBody is a valid meeting on org; more overrides or adds fields.
func meetingBody(org, title string, more map[string]any) map[string]any {
	b := map[string]any{"organisation_id": org, "type": "planning", "title": title,
		"starts_at": "2026-05-04T10:00:00+02:00", "ends_at": "2026-05-04T11:30:00+02:00"}
	for k, v := range more {
		b[k] = v
	}
	return b
}

func TestMeetingCreateValidation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		unit := e.org(map[string]any{"name": "Fritid", "parent_id": w.acct})["id"].(string)
		staff := e.users["staff"].ID
		noTitle := meetingBody(w.acct, "", nil)
		delete(noTitle, "title")
		tests := []struct {
			name        string
			body        map[string]any
			field, code string
			message     string // a part of the field error's message
		}{
			{"missing title", noTitle, "title", "required", "required"},
			{"blank title", meetingBody(w.acct, "   ", nil), "title", "required", "required"},
			{"ends before it starts", meetingBody(w.acct, "x", map[string]any{"ends_at": "2026-05-04T09:00:00+02:00"}), "ends_at", "invalid", "after starts_at"},
			{"ends as it starts", meetingBody(w.acct, "x", map[string]any{"ends_at": "2026-05-04T08:00:00Z"}), "ends_at", "invalid", "after starts_at"},
			{"longer than a week", meetingBody(w.acct, "x", map[string]any{"ends_at": "2026-05-12T10:00:00+02:00"}), "ends_at", "invalid", "7 days"},
			{"unknown type", meetingBody(w.acct, "x", map[string]any{"type": "party"}), "type", "invalid", ""},
			{"unknown form", meetingBody(w.acct, "x", map[string]any{"form": "carrier_pigeon"}), "form", "invalid", ""},
			{"unknown organisation", meetingBody("nope", "x", nil), "organisation_id", "unknown", "names no existing unit"},
			{"a unit that is no account", meetingBody(unit, "x", nil), "organisation_id", "invalid", "customer account"},
			{"a person that does not exist", meetingBody(w.acct, "x", map[string]any{"participants": []any{
				map[string]any{"user_id": staff}, map[string]any{"person_id": "nope"}}}), "participants[1].person_id", "unknown", "names no existing person"},
			{"a user that does not exist", meetingBody(w.acct, "x", map[string]any{"participants": []any{
				map[string]any{"user_id": "nope"}}}), "participants[0].user_id", "unknown", "names no existing user"},
			{"a participant naming both", meetingBody(w.acct, "x", map[string]any{"participants": []any{
				map[string]any{"user_id": staff, "person_id": w.lena}}}), "participants[0]", "invalid", "exactly one"},
			{"a participant twice", meetingBody(w.acct, "x", map[string]any{"participants": []any{
				map[string]any{"person_id": w.lena}, map[string]any{"person_id": w.lena}}}), "participants[1]", "invalid", "twice"},
			{"an organiser that does not exist", meetingBody(w.acct, "x", map[string]any{"organiser_id": "nope"}), "organiser_id", "unknown", ""},
			{"a link that is no web address", meetingBody(w.acct, "x", map[string]any{"link": "ftp://example.se/x"}), "link", "invalid", "http"},
			{"an unknown template", meetingBody(w.acct, "x", map[string]any{"template_id": "nope"}), "template_id", "unknown", "template"},
			{"a field meetings do not have", meetingBody(w.acct, "x", map[string]any{"colour": "red"}), "colour", "unknown_field", ""},
			{"a read-only field", meetingBody(w.acct, "x", map[string]any{"status": "held"}), "status", "unknown_field", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				defer func() { e.t = t }()
				r := e.req("manager", "POST", "/api/v1/meetings", tt.body)
				r.fieldError(tt.field, tt.code)
				p := r.JSON()
				if p["instance"] != "/api/v1/meetings" || p["code"] != "invalid" {
					t.Errorf("problem %v", p)
				}
				if !strings.Contains(fmt.Sprint(p["errors"]), tt.message) {
					t.Errorf("errors %v lack %q", p["errors"], tt.message)
				}
			})
		}
		e.t = t
		if items := e.req("viewer", "GET", "/api/v1/meetings", nil).want(http.StatusOK).Items(); len(items) != 0 {
			t.Fatalf("a refused meeting was stored: %v", items)
		}
	})
}

func TestMeetingAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		manager, staff := e.users["manager"].ID, e.users["staff"].ID
		body := meetingBody(w.acct, "Planeringsmöte våren", map[string]any{"form": "video", "link": "https://meet.example.se/abc",
			"agenda": "1. Läget\n2. Behov", "participants": []any{map[string]any{"user_id": staff},
				map[string]any{"person_id": w.lena}, map[string]any{"person_id": w.customer}}})
		m := e.createdAt("manager", "/api/v1/meetings", body, "Idempotency-Key", "mtg-1")
		id := m["id"].(string)
		path := "/api/v1/meetings/" + id
		if m["status"] != "planned" || m["organiser_id"] != manager || m["organiser_name"] != "Test manager" ||
			m["organisation_name"] != "Malmö stad" || m["starts_at"] != "2026-05-04T08:00:00Z" || m["published_at"] != nil ||
			column(anys(m["participants"]), "name") != "Test staff,Lena Holm,Karin Berg" {
			t.Fatalf("created %v", m)
		}
		if again := e.req("manager", "POST", "/api/v1/meetings", body, "Idempotency-Key", "mtg-1").want(http.StatusCreated); again.JSON()["id"] != id ||
			again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retried create: %s %v", again.Header.Get("Idempotent-Replayed"), again.JSON())
		}
		if g := e.req("viewer", "GET", path, nil).want(http.StatusOK); g.Header.Get("ETag") != `"1"` || g.JSON()["title"] != "Planeringsmöte våren" {
			t.Fatalf("get: %s %s", g.Header.Get("ETag"), g.Body)
		}
		e.req("viewer", "GET", "/api/v1/meetings/nope", nil).problem(http.StatusNotFound)

		// PATCH needs If-Match, as every resource's: 428 without, 412 when stale.
		e.req("manager", "PATCH", path, map[string]any{"location": "Stadshuset"}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		for _, stale := range []any{2, 0, `W/"1"`} {
			e.patch("manager", path, stale, map[string]any{"location": "Stadshuset"}).problem(http.StatusPreconditionFailed)
		}
		e.patch("manager", path, 1, map[string]any{"organiser_name": "x"}).fieldError("organiser_name", "read_only")
		e.patch("manager", path, 1, map[string]any{"published_at": "2026-05-04T08:00:00Z"}).fieldError("published_at", "read_only")
		e.patch("manager", path, 1, map[string]any{"ends_at": "2026-05-04T07:00:00Z"}).fieldError("ends_at", "invalid")
		r := e.patch("manager", path, 1, map[string]any{"location": "Stadshuset"}).want(http.StatusOK)
		if r.Header.Get("ETag") != `"2"` || r.JSON()["location"] != "Stadshuset" || len(r.JSON()["participants"].([]any)) != 3 {
			t.Fatalf("patched: %s %s", r.Header.Get("ETag"), r.Body)
		}

		// The lifecycle: planned → cancelled → planned → held; held is final.
		transitions := []struct {
			to      string
			code    int
			message string
		}{
			{"cancelled", http.StatusOK, ""},
			{"held", http.StatusUnprocessableEntity, "a meeting cannot go from cancelled to held; allowed: planned"},
			{"planned", http.StatusOK, ""},
			{"held", http.StatusOK, ""},
			{"planned", http.StatusUnprocessableEntity, "a meeting cannot go from held to planned: held is final"},
			{"cancelled", http.StatusUnprocessableEntity, "a meeting cannot go from held to cancelled: held is final"},
			{"published", http.StatusUnprocessableEntity, `expected value to be one of "planned, held, cancelled"`},
		}
		v := 2
		for _, tt := range transitions {
			r := e.patch("manager", path, v, map[string]any{"status": tt.to})
			if tt.code == http.StatusOK {
				if got := r.want(http.StatusOK).JSON(); got["status"] != tt.to {
					t.Fatalf("→ %s: %v", tt.to, got)
				}
				v++
				continue
			}
			p := r.problem(tt.code)
			if !strings.Contains(fmt.Sprint(p["errors"]), tt.message) {
				t.Errorf("→ %s: %v, want %q", tt.to, p["errors"], tt.message)
			}
		}
		e.patch("manager", path, v, map[string]any{"status": "planned"}).fieldError("status", "transition")

		// Publishing wants minutes; the report cannot be sent unpublished.
		e.req("manager", "POST", path+"/publish", nil).fieldError("minutes", "required")
		e.req("manager", "POST", path+"/send-report", map[string]any{}).fieldError("published_at", "invalid")
		e.patch("manager", path, v, map[string]any{"minutes": "Vi gick igenom läget."}).want(http.StatusOK)
		v++

		// Decisions.
		e.req("manager", "POST", path+"/decisions", map[string]any{"text": "  "}).fieldError("text", "required")
		e.req("viewer", "POST", path+"/decisions", map[string]any{"text": "x"}).problem(http.StatusForbidden)
		dr := e.req("manager", "POST", path+"/decisions", map[string]any{"text": "Förnya avtalet"}).want(http.StatusCreated)
		d1 := dr.JSON()
		if dr.Header.Get("Location") != path+"/decisions/"+d1["id"].(string) || d1["created_by_name"] != "Test manager" || d1["meeting_id"] != id {
			t.Fatalf("decision %s %v", dr.Header.Get("Location"), d1)
		}
		d2 := e.create("head", path+"/decisions", map[string]any{"text": "Boka nästa möte"})
		e.req("manager", "DELETE", path+"/decisions/nope", nil).problem(http.StatusNotFound)
		e.req("manager", "DELETE", path+"/decisions/"+d2["id"].(string), nil).want(http.StatusNoContent)
		if ds := e.req("viewer", "GET", path+"/decisions", nil).want(http.StatusOK).JSON()["items"].([]any); len(ds) != 1 ||
			ds[0].(map[string]any)["id"] != d1["id"] {
			t.Fatalf("decisions %v", ds)
		}

		// Publish: a stale tag is refused; the meeting stays held.
		for _, stale := range []string{`"1"`, `"0"`, `W/"6"`} {
			e.req("manager", "POST", path+"/publish", nil, "If-Match", stale).problem(http.StatusPreconditionFailed)
		}
		// A list of tags is read as PATCH reads it: one of them current will do.
		pub := e.req("manager", "POST", path+"/publish", nil, "If-Match", etagOf(v-1)+", "+etagOf(v)).want(http.StatusOK)
		v++
		if pm := pub.JSON(); pm["status"] != "held" || pm["published_at"] == nil || pub.Header.Get("ETag") != etagOf(v) {
			t.Fatalf("published: %s %v", pub.Header.Get("ETag"), pm)
		}
		// While published, the minutes and decisions are frozen.
		e.patch("manager", path, v, map[string]any{"minutes": "Ändrat"}).fieldError("minutes", "invalid")
		e.req("manager", "POST", path+"/decisions", map[string]any{"text": "Sent beslut"}).fieldError("published_at", "invalid")
		e.req("manager", "DELETE", path+"/decisions/"+d1["id"].(string), nil).fieldError("published_at", "invalid")

		// The report goes to the chosen customer contacts with an email address.
		p := e.req("manager", "POST", path+"/send-report", map[string]any{}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "person_ids[1]") || !strings.Contains(fmt.Sprint(p["errors"]), "Karin Berg has no email address") {
			t.Fatalf("send to all, one without email: %v", p)
		}
		e.req("manager", "POST", path+"/send-report", map[string]any{"person_ids": []string{w.orderer}}).fieldError("person_ids[0]", "invalid")
		e.req("manager2", "POST", path+"/send-report", map[string]any{"person_ids": []string{w.lena}}).problem(http.StatusForbidden)
		sent := e.req("manager", "POST", path+"/send-report", map[string]any{"person_ids": []string{w.lena}}).want(http.StatusOK).JSON()
		if fmt.Sprint(sent["sent"], sent["skipped"]) != "[Lena Holm] []" {
			t.Fatalf("sent %v", sent)
		}
		sent = e.req("manager", "POST", path+"/send-report", map[string]any{"person_ids": []string{w.lena}}).want(http.StatusOK).JSON()
		if fmt.Sprint(sent["sent"], sent["skipped"]) != "[] [Lena Holm]" {
			t.Fatalf("sent again %v", sent)
		}
		msgs := e.mailTo("lena.holm@example.se")
		if len(msgs) != 1 || msgs[0].Language != liaison.Swedish || msgs[0].ToName != "Lena Holm" ||
			!strings.Contains(msgs[0].Subject, "Planeringsmöte våren") || !strings.Contains(msgs[0].Text, "Vi gick igenom läget.") ||
			!strings.Contains(msgs[0].Text, "1. Förnya avtalet") || strings.Contains(msgs[0].Text, "Boka nästa möte") {
			t.Fatalf("outbox %+v", msgs)
		}

		// Unpublish to correct; a new publication is sent anew.
		if um := e.req("manager", "POST", path+"/unpublish", nil).want(http.StatusOK).JSON(); um["published_at"] != nil || um["status"] != "held" {
			t.Fatalf("unpublished %v", um)
		}
		v++
		e.patch("manager", path, v, map[string]any{"minutes": "Vi gick igenom läget och avtalet."}).want(http.StatusOK)
		v++
		e.req("manager", "POST", path+"/publish", nil, "If-Match", "*").want(http.StatusOK)
		v++
		e.req("manager", "POST", path+"/send-report", map[string]any{"person_ids": []string{w.lena}}).want(http.StatusOK)
		if msgs := e.mailTo("lena.holm@example.se"); len(msgs) != 2 || !strings.Contains(msgs[0].Text, "läget och avtalet") {
			t.Fatalf("outbox after republishing %+v", msgs)
		}

		// Trash and restore.
		e.req("staff", "DELETE", path, nil, "If-Match", etagOf(v)).problem(http.StatusForbidden) // a participant, not the organiser
		e.trash("manager", path, v)
		if tr := e.req("head", "GET", "/api/v1/meetings?trashed=true", nil).want(http.StatusOK).Items(); column(tr, "id") != id {
			t.Fatalf("trash %v", tr)
		}
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		if rm := e.req("head", "POST", path+"/restore", nil).want(http.StatusOK).JSON(); rm["deleted_at"] != nil || rm["published_at"] == nil {
			t.Fatalf("restored %v", rm)
		}
		e.req("viewer", "GET", path, nil).want(http.StatusOK)

		// The audit trail holds every version, newest first.
		if got, want := e.history(path), "restore,delete"+strings.Repeat(",update", v-1)+",create"; got != want {
			t.Fatalf("history %s, want %s", got, want)
		}
	})
}

// anys is a JSON array of objects.
func anys(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestMeetingListAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		manager, manager2, staff := e.users["manager"].ID, e.users["manager2"].ID, e.users["staff"].ID
		mk := func(org, typ, title, starts string, more map[string]any) string {
			t.Helper()
			at, err := time.Parse(time.RFC3339, starts)
			if err != nil {
				t.Fatal(err)
			}
			b := meetingBody(org, title, more)
			b["type"], b["starts_at"], b["ends_at"] = typ, starts, at.Add(time.Hour).Format(time.RFC3339)
			return e.create("admin", "/api/v1/meetings", b)["id"].(string)
		}
		a := mk(w.acct, "service_review", "Tjänstegenomgång mars", "2026-03-02T09:00:00Z", map[string]any{"participants": []any{map[string]any{"user_id": staff}}})
		b := mk(w.acct, "planning", "Planering april", "2026-04-06T09:00:00Z", map[string]any{"organiser_id": manager})
		c := mk(w.acct2, "budget", "Budget maj", "2026-05-04T09:00:00Z", map[string]any{"organiser_id": manager2, "location": "Rådhuset"})
		d := mk(w.acct2, "steering_group", "Styrgrupp juni", "2026-06-01T09:00:00Z", nil)
		x := mk(w.acct, "other", "Uppföljning juli", "2026-07-06T09:00:00Z", nil)
		e.patch("admin", "/api/v1/meetings/"+d, 1, map[string]any{"status": "cancelled"}).want(http.StatusOK)
		e.req("admin", "DELETE", "/api/v1/meetings/"+x, nil, "If-Match", `"1"`).want(http.StatusNoContent)

		// A service review without agenda gets the built-in template's, in the organiser's language.
		builtin := e.req("admin", "GET", "/api/v1/meeting-templates/"+liaison.BuiltinServiceReviewTemplate, nil).want(http.StatusOK).JSON()
		if ag := e.req("viewer", "GET", "/api/v1/meetings/"+a, nil).JSON()["agenda"]; ag == "" || ag != builtin["agenda"] {
			t.Fatalf("service review agenda %q, built-in %q", ag, builtin["agenda"])
		}
		if ag := e.req("viewer", "GET", "/api/v1/meetings/"+b, nil).JSON()["agenda"]; ag != "" {
			t.Fatalf("a planning meeting got an agenda: %q", ag)
		}

		for _, tt := range []struct{ query, want string }{
			{"", a + "," + b + "," + c + "," + d},
			{"?sort=-starts_at", d + "," + c + "," + b + "," + a},
			{"?organisation_id=" + w.acct, a + "," + b},
			{"?type=budget", c},
			{"?status=planned", a + "," + b + "," + c},
			{"?status=cancelled", d},
			{"?organiser_id=" + manager, b},
			{"?participant_user_id=" + staff, a},
			{"?participant_user_id=" + manager2, c}, // the organiser counts
			{"?from=2026-04-06T09:00:00Z", b + "," + c + "," + d},
			{"?to=2026-04-06T09:00:00Z", a},
			{"?from=2026-04-01T00:00:00Z&to=" + urlQuery("2026-06-01T11:00:00+02:00"), b + "," + c},
			{"?q=radhuset", c},
			{"?q=lunds", c + "," + d},
			{"?q=planering+april", b},
			{"?organisation_id=nope", ""},
		} {
			items, _ := e.pages("viewer", "/api/v1/meetings"+tt.query)
			if got := column(items, "id"); got != tt.want {
				t.Errorf("meetings%s: %s, want %s", tt.query, got, tt.want)
			}
		}
		// Page by page, the order holds and nothing repeats.
		for _, sort := range []string{"starts_at", "-starts_at", "created_at", "-updated_at"} {
			whole, _ := e.pages("viewer", "/api/v1/meetings?sort="+sort)
			paged, n := e.pages("viewer", "/api/v1/meetings?limit=1&sort="+sort)
			if n != 4 || column(paged, "id") != column(whole, "id") {
				t.Errorf("sort %s: %d pages %s, whole %s", sort, n, column(paged, "id"), column(whole, "id"))
			}
		}
		next := e.req("viewer", "GET", "/api/v1/meetings?limit=1", nil).want(http.StatusOK).JSON()["next_cursor"].(string)
		e.req("viewer", "GET", "/api/v1/meetings?sort=-starts_at&cursor="+next, nil).problem(http.StatusBadRequest)
		e.req("viewer", "GET", "/api/v1/meetings?cursor=garbage", nil).problem(http.StatusBadRequest)
		for _, bad := range []string{"status=published", "type=party", "from=yesterday", "sort=title", "limit=501"} {
			e.req("viewer", "GET", "/api/v1/meetings?"+bad, nil).fieldError(bad[:strings.Index(bad, "=")], "invalid")
		}
		// The trash is head's and admin's.
		if tr := e.req("head", "GET", "/api/v1/meetings?trashed=true", nil).want(http.StatusOK).Items(); column(tr, "id") != x {
			t.Fatalf("trash %v", tr)
		}
		for _, as := range []string{"manager", "staff", "viewer"} {
			e.req(as, "GET", "/api/v1/meetings?trashed=true", nil).problem(http.StatusForbidden)
		}

		// An account's meetings.
		for _, tt := range []struct{ org, query, want string }{
			{w.acct, "", a + "," + b},
			{w.acct2, "", c + "," + d},
			{w.acct2, "?sort=-starts_at", d + "," + c},
			{w.acct2, "?status=planned", c},
			{w.acct, "?from=2026-04-01T00:00:00Z", b},
			{w.customerUnit(e), "", ""},
		} {
			path := "/api/v1/organisations/" + tt.org + "/meetings" + tt.query
			items, _ := e.pages("viewer", path)
			if got := column(items, "id"); got != tt.want {
				t.Errorf("%s: %s, want %s", path, got, tt.want)
			}
		}
		if paged, n := e.pages("viewer", "/api/v1/organisations/"+w.acct+"/meetings?limit=1"); n != 2 || column(paged, "id") != a+","+b {
			t.Errorf("account's meetings page by page: %d pages, %s", n, column(paged, "id"))
		}
		e.req("viewer", "GET", "/api/v1/organisations/nope/meetings", nil).problem(http.StatusNotFound)
		e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/meetings?status=held&type=budget", nil).fieldError("type", "unknown_parameter")
	})
}

// customerUnit is a unit below the account, with no meetings of its own.
func (w meetingWorld) customerUnit(e *env) string {
	return e.org(map[string]any{"name": "Kultur", "parent_id": w.acct})["id"].(string)
}

// TestMeetingRightsBeyondTheMatrix: the route × role matrix asserts a
// fixture meeting organised by staff; these are the cases it cannot show:
// the organiser's own rights on another manager's account, staff changing
// a meeting they do not organise, moving a meeting to an account one may
// not plan on, and the trash's rights.
func TestMeetingRightsBeyondTheMatrix(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		manager2 := e.users["manager2"].ID
		// Admin plans a meeting on Malmö organised by manager2, who manages Lund only.
		m := e.create("admin", "/api/v1/meetings", meetingBody(w.acct, "Samordning", map[string]any{"organiser_id": manager2,
			"participants": []any{map[string]any{"user_id": e.users["staff"].ID}}}))
		path := "/api/v1/meetings/" + m["id"].(string)
		// The organiser changes it and sends its invitations though the account is not theirs.
		e.patch("manager2", path, 1, map[string]any{"location": "Lund"}).want(http.StatusOK)
		e.req("manager2", "POST", path+"/invitations", nil).want(http.StatusOK)
		// Staff plan on any account but change only what they organise.
		p := e.patch("staff", path, 2, map[string]any{"location": "Malmö"}).problem(http.StatusForbidden)
		if !strings.Contains(fmt.Sprint(p["detail"]), "organiser") {
			t.Fatalf("staff's refusal: %v", p)
		}
		e.req("staff", "POST", path+"/decisions", map[string]any{"text": "x"}).problem(http.StatusForbidden)
		own := e.create("staff", "/api/v1/meetings", meetingBody(w.acct2, "Personalens möte", nil))
		if own["organiser_id"] != e.users["staff"].ID {
			t.Fatalf("staff's meeting %v", own)
		}
		e.patch("staff", "/api/v1/meetings/"+own["id"].(string), 1, map[string]any{"title": "Personalens möte, flyttat"}).want(http.StatusOK)
		// The account's manager changes it, but may not move it to an account they may not plan on.
		e.patch("manager", path, 2, map[string]any{"location": "Malmö"}).want(http.StatusOK)
		p = e.patch("manager", path, 3, map[string]any{"organisation_id": w.acct2}).problem(http.StatusForbidden)
		if !strings.Contains(fmt.Sprint(p["detail"]), "plan its meetings") {
			t.Fatalf("move refused with %v", p)
		}
		// manager2 may: they organise it and manage Lund.
		if got := e.patch("manager2", path, 3, map[string]any{"organisation_id": w.acct2}).want(http.StatusOK).JSON(); got["organisation_name"] != "Lunds kommun" {
			t.Fatalf("moved %v", got)
		}
		// Now that it is Lund's, Malmö's manager has no say in it.
		e.patch("manager", path, 4, map[string]any{"location": "x"}).problem(http.StatusForbidden)
		e.req("manager", "POST", path+"/invitations", nil).problem(http.StatusForbidden)
		// A read-only token of the organiser reads but does not write.
		e.req("manager2", "GET", path, nil, "X-Test-Scope", "read").want(http.StatusOK)
		e.req("manager2", "POST", path+"/decisions", map[string]any{"text": "x"}, "X-Test-Scope", "read").problem(http.StatusForbidden)
		// The trash: the organiser trashes; only head and admin see and restore it.
		e.req("manager2", "DELETE", path, nil, "If-Match", `"4"`).want(http.StatusNoContent)
		e.req("manager2", "GET", "/api/v1/meetings?trashed=true", nil).problem(http.StatusForbidden)
		e.req("manager2", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK)
		// Restoring a live meeting changes nothing.
		if again := e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK); again.Header.Get("ETag") != `"6"` {
			t.Fatalf("restoring a live meeting: %s", again.Header.Get("ETag"))
		}
		e.req("admin", "POST", "/api/v1/meetings/nope/restore", nil).problem(http.StatusNotFound)
	})
}

func TestMeetingInvitationsAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		m := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Tjänstegenomgång", map[string]any{"type": "service_review",
			"location": "Stadshuset", "participants": []any{map[string]any{"user_id": e.users["staff"].ID},
				map[string]any{"person_id": w.lena}, map[string]any{"person_id": w.customer}}}))
		id := m["id"].(string)
		path := "/api/v1/meetings/" + id
		res := e.req("manager", "POST", path+"/invitations", nil).want(http.StatusOK).JSON()
		if res["queued"] != 2.0 || res["already"] != 0.0 || fmt.Sprint(res["no_email"]) != "[Karin Berg]" {
			t.Fatalf("invitations %v", res)
		}
		if res = e.req("staff", "POST", path+"/invitations", nil).want(http.StatusOK).JSON(); res["queued"] != 0.0 || res["already"] != 2.0 {
			t.Fatalf("invited again %v", res)
		}
		for _, to := range []string{"lena.holm@example.se", "staff@example.com"} {
			if msgs := e.mailTo(to); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "http://example.com/meetings/"+id) {
				t.Fatalf("outbox to %s: %+v", to, msgs)
			}
		}
		if msgs := e.mailTo("lena.holm@example.se"); msgs[0].Language != liaison.Swedish || !strings.Contains(msgs[0].Subject, "Tjänstegenomgång") {
			t.Fatalf("Lena's invitation %+v", msgs[0])
		}
		// The attachments ride with the message: the outbox hands them to delivery.
		ics := invitesByRecipient(t, e)
		for _, to := range []string{"lena.holm@example.se", "staff@example.com"} {
			a := ics[to]
			if a == nil || a.Name != "invite.ics" || !strings.HasPrefix(a.ContentType, "text/calendar; method=REQUEST") {
				t.Fatalf("%s: attachment %+v", to, a)
			}
			for _, want := range []string{"BEGIN:VCALENDAR", "METHOD:REQUEST", "UID:meeting-" + id + "@liaison", "DTSTART:20260504T080000Z",
				"SEQUENCE:0", "mailto:manager@example.com"} {
				if !strings.Contains(string(a.Data), want) {
					t.Errorf("%s: invite.ics lacks %q:\n%s", to, want, a.Data)
				}
			}
		}
		// A change of the meeting is a new version: everyone is invited again, with a higher SEQUENCE.
		e.patch("manager", path, 1, map[string]any{"starts_at": "2026-05-04T13:00:00+02:00", "ends_at": "2026-05-04T14:00:00+02:00"}).want(http.StatusOK)
		if res = e.req("manager", "POST", path+"/invitations", nil).want(http.StatusOK).JSON(); res["queued"] != 2.0 || res["already"] != 0.0 {
			t.Fatalf("invitations after a change %v", res)
		}
		if a := invitesByRecipient(t, e)["lena.holm@example.se"]; a == nil || !strings.Contains(string(a.Data), "SEQUENCE:1") ||
			!strings.Contains(string(a.Data), "DTSTART:20260504T110000Z") {
			t.Fatalf("the updated invitation %+v", a)
		}
		// Refusals: a cancelled meeting, one with nobody to invite, none at all.
		e.patch("manager", path, 2, map[string]any{"status": "cancelled"}).want(http.StatusOK)
		p := e.req("manager", "POST", path+"/invitations", nil).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "cancelled") {
			t.Fatalf("cancelled: %v", p)
		}
		alone := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Ensam", nil))["id"].(string)
		e.req("manager", "POST", "/api/v1/meetings/"+alone+"/invitations", nil).fieldError("participants", "required")
		e.req("manager", "POST", "/api/v1/meetings/nope/invitations", nil).problem(http.StatusNotFound)
		e.req("viewer", "POST", "/api/v1/meetings/"+alone+"/invitations", nil).problem(http.StatusForbidden)
	})
}

// invitesByRecipient claims the pending outbox, as delivery does, and
// returns each recipient's invite.ics; FindMail lists messages without
// their attachments.
func invitesByRecipient(t *testing.T, e *env) map[string]*liaison.MailAttachment {
	t.Helper()
	now := time.Now().Add(time.Hour)
	msgs, err := e.db.ClaimMail(context.Background(), now, now.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*liaison.MailAttachment{}
	for _, m := range msgs {
		for i := range m.Attachments {
			out[m.To] = &m.Attachments[i]
		}
	}
	return out
}

func TestMeetingTemplatesAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkMeetingWorld(t, e)
		const base = "/api/v1/meeting-templates"
		builtinPath := base + "/" + liaison.BuiltinServiceReviewTemplate
		// The built-in service-review template exists, listed first, and is read-only.
		list := e.req("viewer", "GET", base, nil).want(http.StatusOK).JSON()["items"].([]any)
		first := list[0].(map[string]any)
		if len(list) != 1 || first["id"] != liaison.BuiltinServiceReviewTemplate || first["built_in"] != true ||
			first["type"] != "service_review" || first["agenda"] == "" {
			t.Fatalf("templates %v", list)
		}
		if g := e.req("viewer", "GET", builtinPath, nil).want(http.StatusOK); g.Header.Get("ETag") != `"1"` || g.JSON()["built_in"] != true {
			t.Fatalf("built-in %s %s", g.Header.Get("ETag"), g.Body)
		}
		p := e.patch("admin", builtinPath, 1, map[string]any{"agenda": "1. Annat"}).problem(http.StatusConflict)
		if !strings.Contains(fmt.Sprint(p["detail"]), "built-in service-review template cannot be changed") {
			t.Fatalf("patching the built-in: %v", p)
		}
		e.req("admin", "DELETE", builtinPath, nil, "If-Match", `"1"`).problem(http.StatusConflict)
		e.req("admin", "DELETE", builtinPath, nil, "If-Match", "*").problem(http.StatusConflict)
		e.req("viewer", "GET", builtinPath, nil).want(http.StatusOK)

		// Stored templates: head and admin write them.
		body := map[string]any{"name": "Budgetmöte", "type": "budget", "agenda": "1. Utfall\n2. Nästa år"}
		e.req("manager", "POST", base, body).problem(http.StatusForbidden)
		for _, tt := range []struct {
			body        map[string]any
			field, code string
		}{
			{map[string]any{"name": "x", "agenda": "  "}, "agenda", "required"},
			{map[string]any{"name": " ", "agenda": "1."}, "name", "required"},
			{map[string]any{"agenda": "1."}, "name", "required"},
			{map[string]any{"name": "x", "agenda": "1.", "type": "party"}, "type", "invalid"},
		} {
			e.req("head", "POST", base, tt.body).fieldError(tt.field, tt.code)
		}
		tpl := e.createdAt("head", base, body)
		path := base + "/" + tpl["id"].(string)
		if tpl["built_in"] != false || tpl["type"] != "budget" {
			t.Fatalf("template %v", tpl)
		}
		if gen := e.create("admin", base, map[string]any{"name": "Allmänt", "agenda": "1. Övrigt"}); gen["type"] != "" {
			t.Fatalf("a template for any type %v", gen)
		}
		if names := column(anys(e.req("viewer", "GET", base, nil).JSON()["items"]), "name"); !strings.HasSuffix(names, ",Allmänt,Budgetmöte") {
			t.Fatalf("listed %s: the built-in first, then by name", names)
		}
		e.req("head", "PATCH", path, map[string]any{"agenda": "x"}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("head", path, 2, map[string]any{"agenda": "x"}).problem(http.StatusPreconditionFailed)
		e.patch("head", path, 1, map[string]any{"built_in": true}).fieldError("built_in", "read_only")
		e.patch("manager", path, 1, map[string]any{"agenda": "x"}).problem(http.StatusForbidden)
		if got := e.patch("head", path, 1, map[string]any{"agenda": "1. Utfall\n2. Prognos"}).want(http.StatusOK); got.Header.Get("ETag") != `"2"` {
			t.Fatalf("patched template %s", got.Body)
		}

		// A meeting planned from it copies the agenda; one with its own agenda keeps that.
		m := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Budget", map[string]any{"type": "budget", "template_id": tpl["id"]}))
		if m["agenda"] != "1. Utfall\n2. Prognos" {
			t.Fatalf("agenda from the template %q", m["agenda"])
		}
		own := e.create("manager", "/api/v1/meetings", meetingBody(w.acct, "Budget", map[string]any{"agenda": "Egen", "template_id": tpl["id"]}))
		if own["agenda"] != "Egen" {
			t.Fatalf("own agenda %q", own["agenda"])
		}

		// Trash and restore; the meeting keeps the agenda it copied; a trashed template plans nothing.
		e.req("manager", "DELETE", path, nil, "If-Match", `"2"`).problem(http.StatusForbidden)
		e.trash("head", path, 2)
		e.req("manager", "POST", "/api/v1/meetings", meetingBody(w.acct, "x", map[string]any{"template_id": tpl["id"]})).fieldError("template_id", "unknown")
		if tr := e.req("head", "GET", base+"?trashed=true", nil).want(http.StatusOK).JSON()["items"].([]any); len(tr) != 1 ||
			tr[0].(map[string]any)["id"] != tpl["id"] {
			t.Fatalf("trashed templates %v", tr)
		}
		e.req("manager", "GET", base+"?trashed=true", nil).problem(http.StatusForbidden)
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		if r := e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK).JSON(); r["deleted_at"] != nil || r["version"] != 4.0 {
			t.Fatalf("restored %v", r)
		}
		if got := e.req("viewer", "GET", "/api/v1/meetings/"+m["id"].(string), nil).JSON()["agenda"]; got != "1. Utfall\n2. Prognos" {
			t.Fatalf("the meeting's agenda after the template's trip to the trash %q", got)
		}
	})
}
