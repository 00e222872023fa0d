package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestWatchNoteValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.WatchNote)) liaison.WatchNote {
		w := liaison.WatchNote{Title: " eSIM for staff phones ", Summary: "Operators now offer eSIM management.", SourceURL: "https://example.com/esim"}
		for _, m := range mods {
			m(&w)
		}
		return w
	}
	for _, tc := range []struct {
		name string
		w    liaison.WatchNote
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"no title", ok(func(w *liaison.WatchNote) { w.Title = " " }), map[string]string{"title": "required"}},
		{"long title", ok(func(w *liaison.WatchNote) { w.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long summary", ok(func(w *liaison.WatchNote) { w.Summary = strings.Repeat("x", 20001) }), map[string]string{"summary": "too_long"}},
		{"unknown status", ok(func(w *liaison.WatchNote) { w.Status = "parked" }), map[string]string{"status": "invalid"}},
		{"unknown relevance", ok(func(w *liaison.WatchNote) { w.Relevance = "huge" }), map[string]string{"relevance": "invalid"}},
		{"a link that is not a web address", ok(func(w *liaison.WatchNote) { w.SourceURL = "ftp://example.com/x" }), map[string]string{"source_url": "invalid"}},
		{"too many services", ok(func(w *liaison.WatchNote) {
			for n := range 101 {
				w.ServiceIDs = append(w.ServiceIDs, strings.Repeat("s", n+1))
			}
		}), map[string]string{"service_ids": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.w
			w.Normalize()
			if got := fieldCodes(w.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
	w := liaison.WatchNote{Title: "x"}
	w.Normalize()
	if w.Status != liaison.WatchNoted || w.Relevance != liaison.RelevanceMedium {
		t.Fatalf("defaults = %s, %s", w.Status, w.Relevance)
	}
}

func TestWatchTransitions(t *testing.T) {
	allowed := []struct{ from, to liaison.WatchStatus }{
		{"noted", "evaluating"}, {"evaluating", "proposed"}, {"proposed", "adopted"}, {"proposed", "rejected"},
		{"noted", "proposed"}, {"noted", "rejected"}, {"evaluating", "rejected"}, {"evaluating", "noted"},
		{"proposed", "evaluating"}, {"rejected", "noted"}, {"adopted", "adopted"},
	}
	for _, c := range allowed {
		if err := liaison.CheckWatchTransition(c.from, c.to); err != nil {
			t.Errorf("%s → %s refused: %v", c.from, c.to, err)
		}
	}
	refused := []struct {
		from, to liaison.WatchStatus
		msg      string
	}{
		{"noted", "adopted", "a watch note cannot go from noted to adopted; allowed: evaluating, proposed, rejected"},
		{"evaluating", "adopted", "a watch note cannot go from evaluating to adopted; allowed: proposed, rejected, noted"},
		{"rejected", "proposed", "a watch note cannot go from rejected to proposed; allowed: noted"},
		{"adopted", "rejected", "a watch note cannot go from adopted to rejected: adopted is final"},
		{"adopted", "noted", "a watch note cannot go from adopted to noted: adopted is final"},
	}
	for _, c := range refused {
		err := liaison.CheckWatchTransition(c.from, c.to)
		if got := fieldCodes(err); !reflect.DeepEqual(got, map[string]string{"status": "transition"}) {
			t.Errorf("%s → %s: fields %v", c.from, c.to, got)
			continue
		}
		if e := err.(*liaison.Error); e.Fields[0].Message != c.msg {
			t.Errorf("%s → %s: message %q, want %q", c.from, c.to, e.Fields[0].Message, c.msg)
		}
	}
	for s, want := range map[liaison.WatchStatus]bool{"noted": true, "evaluating": true, "proposed": false, "adopted": false, "rejected": false} {
		if liaison.CanProposeWatch(s) != want {
			t.Errorf("CanProposeWatch(%s) = %v", s, !want)
		}
	}
}

func TestImprovementFromWatch(t *testing.T) {
	w := &liaison.WatchNote{Title: "eSIM", Summary: "S", RelevanceNote: "R", ServiceIDs: []string{"s1"}, OrganisationIDs: []string{"o1", "o2"},
		OwnerID: liaison.Ptr("u1")}
	i := liaison.ImprovementFromWatch(w)
	if i.Title != "eSIM" || i.Description != "S" || i.ExpectedBenefit != "R" || i.Origin != liaison.OriginWatch ||
		!reflect.DeepEqual(i.ServiceIDs, []string{"s1"}) || !reflect.DeepEqual(i.OrganisationIDs, []string{"o1", "o2"}) || *i.OwnerID != "u1" {
		t.Fatalf("improvement = %+v", i)
	}
	w.ServiceIDs[0] = "changed"
	if i.ServiceIDs[0] != "s1" {
		t.Fatal("the improvement shares the note's slice")
	}
	i.Normalize()
	if err := i.Validate(); err != nil {
		t.Fatalf("the improvement of a valid note is invalid: %v", err)
	}
}
