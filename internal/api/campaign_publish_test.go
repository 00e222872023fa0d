package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

// TestCampaignPublishing: only a closed campaign is published, If-Match
// like open and close; the published results (JSON and PDF) show the
// account's figures without free text, and vanish when unpublished.
func TestCampaignPublishing(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		acct := e.org(map[string]any{"name": "Malmö stad", "budget_holder": true, "relationship_manager_id": e.users["manager"].ID})["id"].(string)
		var addrs []string
		for i := range 5 {
			p := e.create("admin", "/api/v1/people", map[string]any{"name": fmt.Sprint("user", i), "organisation_id": acct,
				"email": fmt.Sprintf("user%d@kund.test", i), "language": "sv"})
			e.create("admin", "/api/v1/roles", map[string]any{"person_id": p["id"], "organisation_id": acct, "role": "user", "active": true})
			addrs = append(addrs, fmt.Sprintf("user%d@kund.test", i))
		}
		survey := e.create("head", "/api/v1/surveys", map[string]any{"name": "Nöjdhet", "questions": []any{
			map[string]any{"id": "overall", "type": "rating", "text": map[string]any{"en": "How satisfied are you?", "sv": "Hur nöjd är du?"}},
			map[string]any{"id": "recommend", "type": "nps", "text": map[string]any{"en": "Would you recommend us?"}},
			map[string]any{"id": "comment", "type": "text", "text": map[string]any{"en": "Anything else?"}},
		}})["id"].(string)
		c := e.create("head", "/api/v1/campaigns", map[string]any{"title": "Våren 2026", "survey_id": survey, "roles": []any{"user"},
			"closes_on": "2099-12-31", "organisation_ids": []any{acct}})
		path := "/api/v1/campaigns/" + c["id"].(string)
		e.req("head", "POST", path+"/publish", nil, "If-Match", `"1"`).problem(http.StatusConflict)
		e.req("head", "POST", path+"/open", nil, "If-Match", `"1"`).want(http.StatusOK)
		ctx := context.Background()
		for i, a := range addrs {
			m := apiLinkRE.FindStringSubmatch(e.mailTo(a)[0].Text)
			answers := []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr([]int{5, 4, 4, 2, 1}[i])},
				{QuestionID: "recommend", Value: liaison.Ptr([]int{10, 9, 8, 3, 9}[i])}, {QuestionID: "comment", Text: "Secret remark " + fmt.Sprint(i)}}
			if err := e.app.SubmitResponse(ctx, m[1], answers); err != nil {
				t.Fatal(err)
			}
		}
		p := e.req("head", "POST", path+"/publish", nil, "If-Match", `"2"`).problem(http.StatusConflict)
		if !strings.Contains(fmt.Sprint(p["detail"]), "closed") {
			t.Fatalf("publish open: %v", p)
		}
		e.req("head", "POST", path+"/close", nil, "If-Match", `"2"`).want(http.StatusOK)
		e.req("viewer", "GET", path+"/published", nil).problem(http.StatusNotFound)
		e.req("staff", "POST", path+"/publish", nil, "If-Match", `"3"`).problem(http.StatusForbidden)
		e.req("head", "POST", path+"/publish", nil).problem(http.StatusPreconditionRequired)
		e.req("head", "POST", path+"/publish", nil, "If-Match", `"2"`).problem(http.StatusPreconditionFailed)
		e.patch("head", path, 3, map[string]any{"published_at": "2026-01-01T00:00:00Z"}).want(http.StatusUnprocessableEntity)
		got := e.req("manager", "POST", path+"/publish", nil, "If-Match", `"3"`).want(http.StatusOK).JSON()
		if got["published_at"] == nil || got["published_by_id"] != e.users["manager"].ID || got["version"] != 4.0 {
			t.Fatalf("published %v", got)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/campaigns?survey_id="+survey, nil).want(http.StatusOK).Items()); n != 1 {
			t.Fatalf("campaigns %d", n)
		}

		// The published results: CSAT 60 % (3 of 5 ratings 4–5), NPS 40 (3 promoters, 1 detractor).
		res := e.req("staff", "GET", path+"/published?organisation_id="+acct+"&lang=en", nil).want(http.StatusOK)
		body := string(res.Body)
		r := res.JSON()
		if r["csat"] != 60.0 || r["nps"] != 40.0 || r["responses"] != 5.0 || r["account_name"] != "Malmö stad" || r["suppressed"] != false {
			t.Fatalf("published %v", r)
		}
		if strings.Contains(body, "Secret remark") || strings.Contains(body, `"comment"`) {
			t.Fatalf("free text in the published results: %s", body)
		}
		if tr := r["trend"].([]any); len(tr) != 1 || tr[0].(map[string]any)["csat"] != 60.0 {
			t.Fatalf("trend %v", tr)
		}
		pdf := e.req("viewer", "GET", path+"/published?organisation_id="+acct+"&lang=sv&format=pdf", nil).want(http.StatusOK)
		if pdf.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.Body, []byte("%PDF-")) ||
			!strings.Contains(pdf.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("pdf: %s %s", pdf.Header.Get("Content-Type"), pdf.Body[:min(20, len(pdf.Body))])
		}
		if text, ok := pdfText(t, pdf.Body); ok {
			for _, s := range []string{"Enkätresultat: Våren 2026", "Malmö stad", "CSAT", "60 %", "Svarsfrekvens", "Hur nöjd är du?"} {
				if !strings.Contains(text, s) {
					t.Errorf("PDF text lacks %q:\n%s", s, text)
				}
			}
			if strings.Contains(text, "Secret remark") {
				t.Error("free text in the PDF")
			}
		}

		e.req("manager2", "POST", path+"/unpublish", nil, "If-Match", `"4"`).problem(http.StatusForbidden)
		got = e.req("head", "POST", path+"/unpublish", nil, "If-Match", `"4"`).want(http.StatusOK).JSON()
		if got["published_at"] != nil || got["published_by_id"] != nil {
			t.Fatalf("unpublished %v", got)
		}
		e.req("viewer", "GET", path+"/published?format=pdf", nil).problem(http.StatusNotFound)
		items, _ := e.pages("viewer", path+"/history")
		if h := column(items, "summary"); !strings.Contains(h, "results published") || !strings.Contains(h, "results unpublished") {
			t.Fatalf("history lacks the publication: %s", h)
		}
	})
}

// pdfText extracts a PDF's text with poppler's pdftotext; false (the
// text is not checked) when it is missing outside CI.
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing in CI: install poppler-utils")
		}
		t.Log("pdftotext not installed: the PDF's text is not checked")
		return "", false
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}
