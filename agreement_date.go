package liaison

import "time"

// Agreement date arithmetic (SPEC C5). Dates are midnight UTC. A term runs
// from its first day to its last day inclusive; months are calendar months
// with AddMonths' clamping, so 31 January + 1 month is the last day of
// February.

// TermEnd returns the last day of a term of months months starting on
// start: the day before start + months. A 12-month term from 1 January
// ends on 31 December; from 29 February 2024 it ends on 27 February 2025.
func TermEnd(start time.Time, months int) time.Time {
	return AddMonths(start, months).AddDate(0, 0, -1)
}

// RenewedEnd returns the last day of the term that follows a term ending on
// end, months long: the next term starts the day after end, so terms never
// overlap or leave a gap.
func RenewedEnd(end time.Time, months int) time.Time {
	if months <= 0 {
		months = 12
	}
	return TermEnd(end.AddDate(0, 0, 1), months)
}

// NoticeDeadline returns the last day on which notice of months months can
// be given so that the agreement ends on end: the latest day d with
// AddMonths(d, months) on or before end. For a term ending 31 March with
// one month's notice that is 28 (or 29) February; for one ending 30 April,
// 31 March. Zero months' notice may be given on the last day.
func NoticeDeadline(end time.Time, months int) time.Time {
	if months <= 0 {
		return end
	}
	d := AddMonths(end, -months)
	// AddMonths clamps, so stepping back can land a few days early: walk
	// forward while the next day still fits (at most three days).
	for !AddMonths(d.AddDate(0, 0, 1), months).After(end) {
		d = d.AddDate(0, 0, 1)
	}
	for AddMonths(d, months).After(end) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// CurrentTermEnd returns the end of the term in force at today for a
// tacitly renewed agreement whose first term ends on end: every term whose
// notice deadline passed before today renewed for renewalMonths. The
// answer's notice deadline is today or later.
func CurrentTermEnd(end time.Time, noticeMonths, renewalMonths int, today time.Time) time.Time {
	today = DateOf(today)
	for NoticeDeadline(end, noticeMonths).Before(today) {
		end = RenewedEnd(end, renewalMonths)
	}
	return end
}

// NextReview returns the date of the review after one held on from.
func NextReview(from time.Time, intervalMonths int) time.Time {
	if intervalMonths <= 0 {
		intervalMonths = DefaultReviewMonths
	}
	return AddMonths(from, intervalMonths)
}

// DateOf returns t's calendar date (in t's location) as midnight UTC.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// FormatDate formats a date as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }
