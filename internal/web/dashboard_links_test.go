package web_test

import (
	"html"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

var (
	complaintRow = regexp.MustCompile(`<a class="primary" href="/complaints/`)
	campaignRow  = regexp.MustCompile(`<a class="primary" href="/campaigns/`)
	healthScore  = regexp.MustCompile(`data-health="(\d+)"`)
)

// TestDashboardMonthLinks follows the links behind the trend columns on
// the demo data: each month's complaints column lands on the complaints
// received in that month, as many as the column counts; the open
// complaints' age on the complaints open on the month's last day; the
// survey columns on the campaigns answered in the month.
func TestDashboardMonthLinks(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		d, _, err := e.app.Dashboard(adminOf(t, e), liaison.DashboardScope{})
		if err != nil {
			t.Fatal(err)
		}
		_, body := c.get("/dashboard?manager=")
		body = html.UnescapeString(body)
		complaints, age := d.Figure(liaison.KPIComplaints), d.Figure(liaison.KPIOpenComplaintAge)
		some := 0
		for i, m := range d.Months {
			link := "/complaints?classification=complaint&month=" + m
			if !strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("no column links to %s", link)
				continue
			}
			res, list := c.get(link)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", link, res.StatusCode)
			}
			want := int(complaints.Trend[i].Numerator)
			if got := len(complaintRow.FindAllString(list, -1)); got != want {
				t.Errorf("%s lists %d complaints, the column counts %d", link, got, want)
			}
			if want > 0 && !strings.Contains(list, `data-period="`+m+`"`) {
				t.Errorf("%s does not show its month filter", link)
			}
			some += want
			// The open complaints on the month's last day (today for this month).
			day := d.Today
			if i < len(d.Months)-1 {
				next := d.Months[i+1] + "-01"
				p, _ := liaison.ParseDate(next)
				day = liaison.FormatDate(p.AddDate(0, 0, -1))
			}
			openLink := "/complaints?classification=complaint&open_on=" + day
			if !strings.Contains(body, `href="`+openLink+`"`) {
				t.Errorf("no column links to %s", openLink)
				continue
			}
			_, list = c.get(openLink)
			if got, want := len(complaintRow.FindAllString(list, -1)), int(age.Trend[i].Denominator); got != want {
				t.Errorf("%s lists %d complaints, the column counts %d open", openLink, got, want)
			}
		}
		if some == 0 {
			t.Fatal("the demo has no complaints in the trend")
		}
		// Survey columns: the campaigns answered in the month (the demo's
		// responses are all of this month); none a year ago.
		this, first := d.Months[len(d.Months)-1], d.Months[0]
		for _, c2 := range []struct {
			month string
			some  bool
		}{{this, true}, {first, false}} {
			link := "/campaigns?month=" + c2.month
			if !strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("no column links to %s", link)
			}
			_, list := c.get(link)
			if n := len(campaignRow.FindAllString(list, -1)); (n > 0) != c2.some {
				t.Errorf("%s lists %d campaigns", link, n)
			}
		}
		// A month that is not one is ignored: the whole list.
		_, all := c.get("/complaints?classification=complaint")
		_, bad := c.get("/complaints?classification=complaint&month=2026-13")
		if len(complaintRow.FindAllString(all, -1)) != len(complaintRow.FindAllString(bad, -1)) {
			t.Error("a month that is not one filtered the list")
		}
	})
}

// TestAccountsSortByHealth sorts the accounts list by relationship health
// both ways: the scores are in order and agree with the dashboard's health
// list.
func TestAccountsSortByHealth(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		health, err := e.app.HealthList(adminOf(t, e), liaison.DashboardScope{}, "health")
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for _, h := range health {
			want = append(want, h.Health.Score)
		}
		for _, s := range []string{"health", "-health"} {
			res, body := c.get("/accounts?sort=" + s)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", s, res.StatusCode)
			}
			var got []int
			for _, m := range healthScore.FindAllStringSubmatch(body, -1) {
				n, _ := strconv.Atoi(m[1])
				got = append(got, n)
			}
			w := append([]int(nil), want...)
			if s == "-health" {
				sort.Sort(sort.Reverse(sort.IntSlice(w)))
			}
			if len(got) != len(w) {
				t.Errorf("sort=%s: %d scores, want %d", s, len(got), len(w))
			}
			for i := range got {
				if i < len(w) && got[i] != w[i] {
					t.Errorf("sort=%s: scores %v, want %v", s, got, w)
					break
				}
			}
			if !strings.Contains(body, `id="sort-health"`) {
				t.Errorf("sort=%s: no health column header", s)
			}
		}
	})
}
