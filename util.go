package liaison

import "strings"

func trim(s string) string      { return strings.TrimSpace(s) }
func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func emptyToNil(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// Ptr returns a pointer to v; handy for optional fields.
func Ptr[T any](v T) *T { return &v }
