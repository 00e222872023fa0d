package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestReminderDaysSetting: the reminder stages are a runtime setting,
// [90, 30, 7] by default, changed by an admin with a merge patch.
func TestReminderDaysSetting(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		s := e.req("viewer", "GET", "/api/v1/settings", nil).want(http.StatusOK)
		if got := fmt.Sprint(s.JSON()["reminder_days"]); got != "[90 30 7]" {
			t.Fatalf("default reminder_days = %s", got)
		}
		tag := s.Header.Get("ETag")
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"reminder_days": []int{0}}).fieldError("reminder_days", "invalid")
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"reminder_days": []int{30, 30}}).fieldError("reminder_days", "invalid")
		r := e.patch("admin", "/api/v1/settings", tag, map[string]any{"reminder_days": []int{60, 14, 1}}).want(http.StatusOK)
		if got := fmt.Sprint(r.JSON()["reminder_days"]); got != "[60 14 1]" || r.JSON()["stale_review_months"].(float64) != 12 {
			t.Fatalf("saved settings: %s", r.Body)
		}
	})
}
