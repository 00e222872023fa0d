package liaison

import "time"

// DateLayout is how dates travel in the API: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// ParseDate parses a YYYY-MM-DD date as midnight UTC.
func ParseDate(s string) (time.Time, error) { return time.Parse(DateLayout, s) }

// AddMonths adds n months to d, clamping to the last day of the target
// month (31 January + 1 month is 28 or 29 February, not 3 March as
// time.AddDate would say).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, d.Hour(), d.Minute(), d.Second(), d.Nanosecond(), d.Location())
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return first.AddDate(0, 0, day-1)
}
