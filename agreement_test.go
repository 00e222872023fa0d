package liaison_test

import (
	"errors"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func date(s string) time.Time {
	d, err := liaison.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAgreementValidate(t *testing.T) {
	base := func(mod func(*liaison.Agreement)) liaison.Agreement {
		a := liaison.Agreement{OrganisationID: "o1", Title: "IT services 2026", Type: liaison.AgreementServiceLevel}
		if mod != nil {
			mod(&a)
		}
		a.Normalize()
		return a
	}
	for _, tc := range []struct {
		name string
		a    liaison.Agreement
		want map[string]string
	}{
		{"ok", base(nil), nil},
		{"no title", base(func(a *liaison.Agreement) { a.Title = " " }), map[string]string{"title": "required"}},
		{"no account", base(func(a *liaison.Agreement) { a.OrganisationID = "" }), map[string]string{"organisation_id": "required"}},
		{"bad type", base(func(a *liaison.Agreement) { a.Type = "sla" }), map[string]string{"type": "invalid"}},
		{"bad status", base(func(a *liaison.Agreement) { a.Status = "signed" }), map[string]string{"status": "invalid"}},
		{"bad renewal", base(func(a *liaison.Agreement) { a.Renewal = "auto" }), map[string]string{"renewal": "invalid"}},
		{"end before start", base(func(a *liaison.Agreement) {
			a.StartDate, a.EndDate = liaison.Ptr("2026-05-01"), liaison.Ptr("2026-04-30")
		}), map[string]string{"end_date": "invalid"}},
		{"bad date", base(func(a *liaison.Agreement) { a.NextReviewDate = liaison.Ptr("2026-02-29") }), map[string]string{"next_review_date": "invalid"}},
		{"tacit needs end", base(func(a *liaison.Agreement) { a.Renewal = liaison.RenewalTacit }), map[string]string{"end_date": "required"}},
		{"amount needs currency", base(func(a *liaison.Agreement) { a.AnnualAmount = liaison.Ptr(1000.0) }), map[string]string{"currency": "required"}},
		{"bad currency", base(func(a *liaison.Agreement) { a.Currency = "kronor" }), map[string]string{"currency": "invalid"}},
		{"negative amount", base(func(a *liaison.Agreement) { a.AnnualAmount, a.Currency = liaison.Ptr(-1.0), "SEK" }), map[string]string{"annual_amount": "invalid"}},
		{"notice too long", base(func(a *liaison.Agreement) { a.NoticeMonths = 61 }), map[string]string{"notice_months": "invalid"}},
		{"service twice", base(func(a *liaison.Agreement) {
			a.Services = []liaison.ServiceCover{{ServiceID: "s1"}, {ServiceID: "s1", Level: "Gold"}}
		}), map[string]string{"services[1].service_id": "invalid"}},
		{"measure without name", base(func(a *liaison.Agreement) {
			a.ValueMeasures = []liaison.ValueMeasure{{Target: "95 %"}}
		}), map[string]string{"value_measures[0].name": "required"}},
		{"long business value", base(func(a *liaison.Agreement) { a.BusinessValue = strings.Repeat("x", 2001) }), map[string]string{"business_value": "too_long"}},
		{"active needs start", base(func(a *liaison.Agreement) { a.Status = liaison.StatusActive }), map[string]string{"start_date": "required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fieldCodes(tc.a.Validate())
			if len(tc.want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAgreementDefaults(t *testing.T) {
	a := liaison.Agreement{Renewal: liaison.RenewalTacit}
	a.Normalize()
	if a.Status != liaison.StatusDraft || a.ReviewIntervalMonths != 12 || a.RenewalMonths != 12 {
		t.Fatalf("defaults: status %s, review %d, renewal %d", a.Status, a.ReviewIntervalMonths, a.RenewalMonths)
	}
}

func TestCheckTransition(t *testing.T) {
	S := func(s string) liaison.AgreementStatus { return liaison.AgreementStatus(s) }
	allowed := map[[2]string]bool{
		{"draft", "negotiation"}: true, {"negotiation", "active"}: true, {"active", "expired"}: true,
		{"active", "terminated"}: true, {"negotiation", "draft"}: true, {"draft", "terminated"}: true,
	}
	for _, from := range liaison.AgreementStatuses {
		for _, to := range liaison.AgreementStatuses {
			err := liaison.CheckTransition(from, to)
			want := from == to || allowed[[2]string{string(from), string(to)}]
			if (err == nil) != want {
				t.Errorf("%s → %s: err %v, want allowed %v", from, to, err, want)
			}
		}
	}
	err := liaison.CheckTransition(S("draft"), S("active"))
	var e *liaison.Error
	if !errors.As(err, &e) || e.Code != liaison.EINVALID || e.Fields[0].Field != "status" ||
		!strings.Contains(e.Fields[0].Message, "allowed: negotiation, terminated") {
		t.Fatalf("draft → active: %#v", err)
	}
	if err := liaison.CheckTransition(S("expired"), S("active")); err == nil || !strings.Contains(err.Error(), "expired is final") {
		t.Fatalf("expired → active: %v", err)
	}
}

func TestCheckSigner(t *testing.T) {
	customer := &liaison.Person{ID: "p1", Name: "Karin Berg"}
	orderer := "p2"
	for _, tc := range []struct {
		name     string
		status   liaison.AgreementStatus
		signer   *string
		customer *liaison.Person
		want     string // "" for allowed, else a part of the message
	}{
		{"draft signed by orderer", liaison.StatusDraft, &orderer, customer, ""},
		{"negotiation signed by orderer", liaison.StatusNegotiation, &orderer, customer, ""},
		{"active signed by customer", liaison.StatusActive, liaison.Ptr("p1"), customer, ""},
		{"active signed by orderer", liaison.StatusActive, &orderer, customer, "only the account's customer, Karin Berg"},
		{"active unsigned", liaison.StatusActive, nil, customer, "signed by the account's customer, Karin Berg"},
		{"active, no customer named", liaison.StatusActive, &orderer, nil, "no customer named"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := liaison.CheckSigner(&liaison.Agreement{Status: tc.status, SignedByPersonID: tc.signer}, tc.customer)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if liaison.ErrorCode(err) != liaison.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
			if fieldCodes(err)["signed_by_person_id"] != "not_customer" {
				t.Fatalf("fields = %v", fieldCodes(err))
			}
		})
	}
}

func TestAgreementDatesExamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  time.Time
		want string
	}{
		{"12 months from 1 Jan", liaison.TermEnd(date("2026-01-01"), 12), "2026-12-31"},
		{"12 months from 29 Feb", liaison.TermEnd(date("2024-02-29"), 12), "2025-02-27"},
		{"1 month from 31 Jan", liaison.TermEnd(date("2026-01-31"), 1), "2026-02-27"},
		{"renewal after 31 Dec", liaison.RenewedEnd(date("2026-12-31"), 12), "2027-12-31"},
		{"renewal after 28 Feb to leap year", liaison.RenewedEnd(date("2027-02-28"), 12), "2028-02-29"},
		{"renewal after 29 Feb", liaison.RenewedEnd(date("2028-02-29"), 12), "2029-02-28"},
		{"notice 1 month before 31 Mar", liaison.NoticeDeadline(date("2026-03-31"), 1), "2026-02-28"},
		{"notice 1 month before 31 Mar, leap", liaison.NoticeDeadline(date("2028-03-31"), 1), "2028-02-29"},
		{"notice 1 month before 30 Apr", liaison.NoticeDeadline(date("2026-04-30"), 1), "2026-03-31"},
		{"notice 3 months before 31 Dec", liaison.NoticeDeadline(date("2026-12-31"), 3), "2026-09-30"},
		{"notice 6 months before 31 Aug", liaison.NoticeDeadline(date("2026-08-31"), 6), "2026-02-28"},
		{"notice 12 months before 28 Feb 2029", liaison.NoticeDeadline(date("2029-02-28"), 12), "2028-02-29"},
		{"no notice", liaison.NoticeDeadline(date("2026-06-15"), 0), "2026-06-15"},
		{"tacit: deadline not passed", liaison.CurrentTermEnd(date("2026-12-31"), 3, 12, date("2026-09-30")), "2026-12-31"},
		{"tacit: deadline passed a day ago", liaison.CurrentTermEnd(date("2026-12-31"), 3, 12, date("2026-10-01")), "2027-12-31"},
		{"tacit: years later", liaison.CurrentTermEnd(date("2020-12-31"), 3, 12, date("2026-12-02")), "2027-12-31"},
		{"review", liaison.NextReview(date("2026-02-28"), 12), "2027-02-28"},
	} {
		if got := liaison.FormatDate(tc.got); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

// randomDate returns a date between 1999 and 2041, month ends and 29
// February much more often than chance would give them.
func randomDate(r *rand.Rand) time.Time {
	y, m := 1999+r.Intn(42), time.Month(1+r.Intn(12))
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := 1 + r.Intn(last)
	if r.Intn(3) == 0 {
		d = last - r.Intn(3)
	}
	if r.Intn(10) == 0 {
		y, m, d = 2000+4*r.Intn(10), time.February, 29
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// TestAgreementDateProperties checks the date arithmetic against its
// definitions on many dates (fixed seed, so a failure repeats).
func TestAgreementDateProperties(t *testing.T) {
	r := rand.New(rand.NewSource(20261202))
	for i := 0; i < 20000; i++ {
		d, n := randomDate(r), r.Intn(37)
		// AddMonths lands in the right month, never past its end, and keeps the day when it can.
		am := liaison.AddMonths(d, n)
		wantMonth := (int(d.Month())-1+n)%12 + 1
		if int(am.Month()) != wantMonth || am.Day() > d.Day() || (am.Day() < d.Day() && am.AddDate(0, 0, 1).Day() != 1) {
			t.Fatalf("AddMonths(%s, %d) = %s", liaison.FormatDate(d), n, liaison.FormatDate(am))
		}
		// The notice deadline is the last day notice still reaches the end.
		nd := liaison.NoticeDeadline(d, n)
		if liaison.AddMonths(nd, n).After(d) || !liaison.AddMonths(nd.AddDate(0, 0, 1), n).After(d) && n > 0 {
			t.Fatalf("NoticeDeadline(%s, %d) = %s: not the last day that fits", liaison.FormatDate(d), n, liaison.FormatDate(nd))
		}
		if nd.After(d) || (n > 0 && !nd.Before(d)) {
			t.Fatalf("NoticeDeadline(%s, %d) = %s: not before the end", liaison.FormatDate(d), n, liaison.FormatDate(nd))
		}
		// A month-end term's notice deadline is a month end too.
		if n > 0 && d.AddDate(0, 0, 1).Day() == 1 && nd.AddDate(0, 0, 1).Day() != 1 {
			t.Fatalf("NoticeDeadline(%s, %d) = %s: a month end should map to a month end", liaison.FormatDate(d), n, liaison.FormatDate(nd))
		}
		// Terms are contiguous: a renewal starts the day after the end.
		if n > 0 {
			re := liaison.RenewedEnd(d, n)
			if want := liaison.TermEnd(d.AddDate(0, 0, 1), n); !re.Equal(want) || !re.After(d) {
				t.Fatalf("RenewedEnd(%s, %d) = %s", liaison.FormatDate(d), n, liaison.FormatDate(re))
			}
			// A term starting on the 1st ends on a month end.
			if d.Day() == 1 && liaison.TermEnd(d, n).AddDate(0, 0, 1).Day() != 1 {
				t.Fatalf("TermEnd(%s, %d) = %s: not a month end", liaison.FormatDate(d), n, liaison.FormatDate(liaison.TermEnd(d, n)))
			}
		}
		// Tacit renewal: the term in force ends on a renewal of the first
		// term, notice for it can still be given at today, and notice for the
		// term before it could not.
		today := randomDate(r)
		notice, months := r.Intn(7), 1+r.Intn(24)
		cur := liaison.CurrentTermEnd(d, notice, months, today)
		if liaison.NoticeDeadline(cur, notice).Before(today) || cur.Before(d) {
			t.Fatalf("CurrentTermEnd(%s, %d, %d, %s) = %s: deadline passed", liaison.FormatDate(d), notice, months, liaison.FormatDate(today), liaison.FormatDate(cur))
		}
		if !cur.Equal(d) {
			prev := d
			for e := d; e.Before(cur); e = liaison.RenewedEnd(e, months) {
				prev = e
			}
			if !liaison.RenewedEnd(prev, months).Equal(cur) || !liaison.NoticeDeadline(prev, notice).Before(today) {
				t.Fatalf("CurrentTermEnd(%s, %d, %d, %s) = %s: not a renewal chain", liaison.FormatDate(d), notice, months, liaison.FormatDate(today), liaison.FormatDate(cur))
			}
		}
	}
}

func TestAgreementTerms(t *testing.T) {
	a := liaison.Agreement{Status: liaison.StatusActive, Renewal: liaison.RenewalTacit, EndDate: liaison.Ptr("2026-12-31"), NoticeMonths: 3, RenewalMonths: 12}
	end, notice, renewed, ok := a.Terms(date("2026-11-15"))
	if !ok || !renewed || liaison.FormatDate(end) != "2027-12-31" || liaison.FormatDate(notice) != "2027-09-30" {
		t.Fatalf("Terms = %s %s %v %v", liaison.FormatDate(end), liaison.FormatDate(notice), renewed, ok)
	}
	a.Renewal = liaison.RenewalNone
	end, notice, renewed, _ = a.Terms(date("2026-11-15"))
	if renewed || liaison.FormatDate(end) != "2026-12-31" || liaison.FormatDate(notice) != "2026-09-30" {
		t.Fatalf("Terms without renewal = %s %s %v", liaison.FormatDate(end), liaison.FormatDate(notice), renewed)
	}
	if _, _, _, ok := (&liaison.Agreement{}).Terms(date("2026-01-01")); ok {
		t.Fatal("open-ended agreement has terms")
	}
}

func TestDiff(t *testing.T) {
	a := &liaison.Agreement{ID: "a", Title: "Old", Version: 1, Services: []liaison.ServiceCover{}, NoticeMonths: 3}
	b := *a
	b.Title, b.Version, b.NoticeMonths = "New", 2, 6
	b.Services = nil
	got, err := liaison.Diff(a, &b)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, c := range got {
		fields = append(fields, c.Field+":"+string(c.Before)+"→"+string(c.After))
	}
	if want := []string{`notice_months:3→6`, `title:"Old"→"New"`}; !reflect.DeepEqual(fields, want) {
		t.Fatalf("Diff = %v, want %v", fields, want)
	}
	got, _ = liaison.Diff(nil, &b)
	if len(got) == 0 || got[0].Field == "id" {
		t.Fatalf("Diff from nothing = %v", got)
	}
}

func TestAttachmentValidate(t *testing.T) {
	for _, tc := range []struct {
		name, file, ct string
		data           []byte
		want           map[string]string
	}{
		{"pdf", "avtal.pdf", "application/pdf", []byte("%PDF-1.7 ..."), nil},
		{"pdf by extension", "C:\\docs\\avtal.PDF", "application/octet-stream", []byte("%PDF-1.7"), nil},
		{"docx", "sopimus.docx", "", []byte("PK\x03\x04rest"), nil},
		{"text", "notes.txt", "text/plain; charset=utf-8", []byte("hej"), nil},
		{"exe", "virus.exe", "application/x-msdownload", []byte("MZ"), map[string]string{"content_type": "invalid"}},
		{"html", "x.html", "text/html", []byte("<script>"), map[string]string{"content_type": "invalid"}},
		{"pdf that is not", "fake.pdf", "application/pdf", []byte("<html>"), map[string]string{"content_type": "invalid"}},
		{"empty", "e.pdf", "application/pdf", nil, map[string]string{"file": "required"}},
		{"too big", "big.pdf", "application/pdf", append([]byte("%PDF-"), make([]byte, liaison.MaxAttachmentBytes)...), map[string]string{"file": "too_long"}},
		{"no name", "", "application/pdf", []byte("%PDF-"), map[string]string{"name": "required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := liaison.Attachment{Name: tc.file, ContentType: tc.ct, Data: tc.data}
			a.Normalize()
			got := fieldCodes(a.Validate())
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSLAResult(t *testing.T) {
	for _, tc := range []struct {
		name   string
		r      liaison.SLAResult
		breach bool
		want   map[string]string
	}{
		{"availability met", liaison.SLAResult{Metric: "availability", Target: 99.5, Actual: 99.7}, false, nil},
		{"availability missed", liaison.SLAResult{Metric: "availability", Target: 99.5, Actual: 98.2}, true, nil},
		{"response missed", liaison.SLAResult{Metric: "response_time", Target: 30, Actual: 45}, true, nil},
		{"response met", liaison.SLAResult{Metric: "response_time", Target: 30, Actual: 30}, false, nil},
		{"other, lower is better", liaison.SLAResult{Metric: "other", Target: 5, Actual: 6}, true, nil},
		{"bad period", liaison.SLAResult{Metric: "availability", Period: "2026-13"}, false, map[string]string{"period": "invalid"}},
		{"percent over 100", liaison.SLAResult{Metric: "availability", Target: 101, Actual: 99}, true, map[string]string{"target": "invalid"}},
		{"bad metric", liaison.SLAResult{Metric: "speed"}, false, map[string]string{"metric": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.AgreementID, r.ServiceID = "a", "s"
			if r.Period == "" {
				r.Period = "2026-10"
			}
			r.Normalize()
			if r.Breached != tc.breach {
				t.Errorf("Breached = %v, want %v", r.Breached, tc.breach)
			}
			got := fieldCodes(r.Validate())
			if (len(got) > 0 || len(tc.want) > 0) && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}
