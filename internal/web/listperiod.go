package web

import (
	"time"

	"github.com/liaisonhq/liaison"
)

// periodFilter is a list's filter by a month (?month=YYYY-MM) or a day
// (?open_on=YYYY-MM-DD): what a dashboard trend's column links to. The
// list shows it as a badge that clears it, and keeps it across the other
// filters as a hidden field.
type periodFilter struct {
	Param, Value string
	Label        string // what the list shows, translated
	Clear        string // the list without it
	ClearText    string // the clearing link's accessible name
	From, Before time.Time
}

// monthFilter reads ?param=YYYY-MM; a value that is not a month is ignored.
// label is the translation key of the badge, taking the month.
func monthFilter(p Page, q ListQuery, param, label string) periodFilter {
	v := q.Get(param)
	m, err := time.Parse("2006-01", v)
	if v == "" || err != nil {
		return periodFilter{Param: param}
	}
	return periodFilter{Param: param, Value: v, Label: p.L.T(label, v), Clear: q.With(param, ""), ClearText: p.L.T("common.clear"),
		From: m, Before: m.AddDate(0, 1, 0)}
}

// dayFilter reads ?param=YYYY-MM-DD; a value that is not a date is ignored.
func dayFilter(p Page, q ListQuery, param, label string) periodFilter {
	v := q.Get(param)
	d, err := liaison.ParseDate(v)
	if v == "" || err != nil {
		return periodFilter{Param: param}
	}
	return periodFilter{Param: param, Value: v, Label: p.L.T(label, p.L.Date(d)), Clear: q.With(param, ""), ClearText: p.L.T("common.clear"),
		From: d, Before: d.AddDate(0, 0, 1)}
}
