package liaison_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestBusinessPlanItemValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.BusinessPlanItem)) liaison.BusinessPlanItem {
		b := liaison.BusinessPlanItem{OrganisationID: "o1", Title: " Digital patient journal by 2028 ", Horizon: liaison.HorizonMedium,
			ReviewDate: "2027-03-01", SourceURL: "https://intra.example.se/verksamhetsplan-2027.pdf"}
		for _, m := range mods {
			m(&b)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		b    liaison.BusinessPlanItem
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"with a target date and no link", ok(func(b *liaison.BusinessPlanItem) { b.TargetDate, b.SourceURL = liaison.Ptr("2028-12-31"), "" }), nil},
		{"no account", ok(func(b *liaison.BusinessPlanItem) { b.OrganisationID = " " }), map[string]string{"organisation_id": "required"}},
		{"no goal", ok(func(b *liaison.BusinessPlanItem) { b.Title = "" }), map[string]string{"title": "required"}},
		{"long goal", ok(func(b *liaison.BusinessPlanItem) { b.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long effect", ok(func(b *liaison.BusinessPlanItem) { b.ITEffect = strings.Repeat("x", 20001) }), map[string]string{"it_effect": "too_long"}},
		{"unknown horizon", ok(func(b *liaison.BusinessPlanItem) { b.Horizon = "someday" }), map[string]string{"horizon": "invalid"}},
		{"no horizon", ok(func(b *liaison.BusinessPlanItem) { b.Horizon = "" }), map[string]string{"horizon": "invalid"}},
		{"unknown status", ok(func(b *liaison.BusinessPlanItem) { b.Status = "paused" }), map[string]string{"status": "invalid"}},
		{"bad target date", ok(func(b *liaison.BusinessPlanItem) { b.TargetDate = liaison.Ptr("2028-13-01") }), map[string]string{"target_date": "invalid"}},
		{"no review date", ok(func(b *liaison.BusinessPlanItem) { b.ReviewDate = "" }), map[string]string{"review_date": "required"}},
		{"bad review date", ok(func(b *liaison.BusinessPlanItem) { b.ReviewDate = "1 March" }), map[string]string{"review_date": "invalid"}},
		{"a link that is not a web address", ok(func(b *liaison.BusinessPlanItem) { b.SourceURL = "file:///c:/plan.docx" }), map[string]string{"source_url": "invalid"}},
		{"a link without a host", ok(func(b *liaison.BusinessPlanItem) { b.SourceURL = "https://" }), map[string]string{"source_url": "invalid"}},
		{"a javascript link", ok(func(b *liaison.BusinessPlanItem) { b.SourceURL = "javascript:alert(1)" }), map[string]string{"source_url": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			b.Normalize()
			if got := fieldCodes(b.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBusinessPlanNormalizeAndOverdue(t *testing.T) {
	b := liaison.BusinessPlanItem{Title: " T ", ServiceIDs: []string{" a", "a", ""}, OwnerPersonID: liaison.Ptr(""), TargetDate: liaison.Ptr(" ")}
	b.Normalize()
	if b.Status != liaison.PlanItemActive || b.Title != "T" || !reflect.DeepEqual(b.ServiceIDs, []string{"a"}) || b.OwnerPersonID != nil || b.TargetDate != nil {
		t.Fatalf("normalized = %+v", b)
	}
	b.ReviewDate = "2026-12-02"
	if !b.IsReviewOverdue("2026-12-03") || b.IsReviewOverdue("2026-12-02") {
		t.Fatal("an active item is overdue the day after its review date, not on it")
	}
	b.Status = liaison.PlanItemAchieved
	if b.IsReviewOverdue("2027-01-01") {
		t.Fatal("an achieved item is never overdue")
	}
}

func TestNextPlanReview(t *testing.T) {
	for in, want := range map[string]string{"2026-12-03": "2027-12-03", "2028-02-29": "2029-02-28", "2026-01-31": "2027-01-31"} {
		d, _ := time.Parse(liaison.DateLayout, in)
		if got := liaison.NextPlanReview(d.Add(15 * time.Hour)); got != want {
			t.Errorf("NextPlanReview(%s) = %s, want %s", in, got, want)
		}
	}
	if got := fieldCodes(liaison.CheckNextReview("2026-12-02", "2026-12-03")); !reflect.DeepEqual(got, map[string]string{"next_review_date": "invalid"}) {
		t.Fatalf("a past next review = %v", got)
	}
	if got := fieldCodes(liaison.CheckNextReview("soon", "2026-12-03")); !reflect.DeepEqual(got, map[string]string{"next_review_date": "invalid"}) {
		t.Fatalf("a bad next review = %v", got)
	}
	if err := liaison.CheckNextReview("2026-12-03", "2026-12-03"); err != nil {
		t.Fatalf("today is a fine next review: %v", err)
	}
}
