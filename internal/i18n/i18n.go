// Package i18n translates Liaison's user interface: flat JSON catalogues per
// language (locales/*.json, dotted keys), plural forms, locale-aware dates and
// numbers, the Accept-Language match and the translation of domain errors.
//
// A Localizer is immutable and safe for concurrent use; handlers pass one in
// the page data instead of binding it into the templates.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/liaisonhq/liaison"
)

//go:embed locales/*.json
var files embed.FS

// Localizer translates into one language.
type Localizer struct {
	lang    liaison.Language
	tag     language.Tag
	msgs    map[string]string
	printer *message.Printer
	dates   dateFormat
}

var (
	localizers = map[liaison.Language]*Localizer{}
	matcher    language.Matcher
)

func init() {
	tags := make([]language.Tag, len(liaison.Languages))
	for i, l := range liaison.Languages {
		loc, err := load(l)
		if err != nil {
			panic(err)
		}
		localizers[l] = loc
		tags[i] = loc.tag
	}
	matcher = language.NewMatcher(tags)
}

func load(l liaison.Language) (*Localizer, error) {
	b, err := files.ReadFile(path.Join("locales", string(l)+".json"))
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	msgs := map[string]string{}
	if err := json.Unmarshal(b, &msgs); err != nil {
		return nil, fmt.Errorf("i18n: locales/%s.json: %w", l, err)
	}
	tag := language.Make(string(l))
	if l == liaison.Chinese {
		tag = language.SimplifiedChinese
	}
	return &Localizer{lang: l, tag: tag, msgs: msgs, printer: message.NewPrinter(tag), dates: dateFormats[l]}, nil
}

// For returns the localizer of lang; English for an unknown language.
func For(lang liaison.Language) *Localizer {
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers[liaison.English]
}

// Match picks the supported language that best fits an Accept-Language
// header; English when nothing fits.
func Match(acceptLanguage string) liaison.Language {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return liaison.English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return liaison.English
	}
	return liaison.Languages[i]
}

// Lang is the localizer's language, as used in <html lang>.
func (l *Localizer) Lang() liaison.Language { return l.lang }

// Tag is the BCP 47 tag of the language ("zh-Hans" for Chinese).
func (l *Localizer) Tag() string { return l.tag.String() }

// Has reports whether key has a translation.
func (l *Localizer) Has(key string) bool { _, ok := l.msgs[key]; return ok }

// T translates key, formatting args into it with fmt verbs. A missing key
// returns the key itself, so that it shows up on the page and in tests.
// A message that uses fewer arguments than given ignores the rest.
func (l *Localizer) T(key string, args ...any) string {
	msg, ok := l.msgs[key]
	if !ok {
		return key
	}
	out, _ := format(msg, args)
	return out
}

// format fills msg's verbs with args. It reports false when msg needs more
// arguments than there are.
func format(msg string, args []any) (string, bool) {
	n := verbs(msg)
	switch {
	case n == 0:
		return msg, true
	case n > len(args):
		return msg, false
	}
	return fmt.Sprintf(msg, args[:n]...), true
}

// verbs counts the arguments a fmt format consumes (no explicit indexes).
func verbs(msg string) int {
	n := 0
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' {
			continue
		}
		i++
		if i < len(msg) && msg[i] == '%' {
			continue
		}
		for i < len(msg) && strings.IndexByte("+-# 0123456789.", msg[i]) >= 0 {
			i++
		}
		n++
	}
	return n
}

// translate translates key with args when the catalogue has it and the
// arguments fit.
func (l *Localizer) translate(key string, args []any) (string, bool) {
	msg, ok := l.msgs[key]
	if !ok || key == "" {
		return "", false
	}
	return format(msg, args)
}

// N translates the plural form of key for n: key.one or key.other. The
// count is the first argument of the message ("%d accounts"), args follow.
func (l *Localizer) N(key string, n int, args ...any) string {
	form := "other"
	if n == 1 && l.lang != liaison.Chinese {
		form = "one"
	}
	return l.T(key+"."+form, append([]any{l.Number(n)}, args...)...)
}

// Number formats n with the language's digit grouping (1,234 · 1 234).
func (l *Localizer) Number(n int) string { return l.printer.Sprintf("%d", n) }

// Decimal formats x with prec decimals, the language's decimal mark and
// digit grouping (99.5 · 99,5).
func (l *Localizer) Decimal(x float64, prec int) string {
	return l.printer.Sprintf("%.*f", prec, x)
}

// Keys returns every key of the catalogue, sorted.
func (l *Localizer) Keys() []string {
	keys := make([]string, 0, len(l.msgs))
	for k := range l.msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Error translates an error for people: a *liaison.Error through its Key
// and Args, else through its code; anything else as the generic internal
// error, which leaks nothing. English falls back to the error's own message.
func (l *Localizer) Error(err error) string {
	var e *liaison.Error
	if err == nil {
		return ""
	}
	if !errors.As(err, &e) {
		return l.T("error.internal")
	}
	if s, ok := l.translate(e.Key, e.Args); ok {
		return s
	}
	if l.lang == liaison.English && e.Message != "" {
		return e.Message
	}
	if s, ok := l.translate("error.code."+e.Code, nil); ok {
		return s
	}
	return e.Message
}

// Field translates one rejected field through its Key and Args, else its
// code, falling back to the field's English message.
func (l *Localizer) Field(f liaison.FieldError) string {
	if s, ok := l.translate(f.Key, f.Args); ok {
		return s
	}
	if s, ok := l.translate("error."+f.Code, nil); ok {
		return s
	}
	return f.Message
}

// Warning translates an account warning.
func (l *Localizer) Warning(w liaison.Warning) string {
	if w.Key != "" {
		return l.T(w.Key)
	}
	return l.T("warning." + w.Code)
}

// FieldErrors translates the field errors of err by field name; nil when err
// carries none.
func (l *Localizer) FieldErrors(err error) map[string]string {
	var e *liaison.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if _, dup := m[f.Field]; !dup {
			m[f.Field] = l.Field(f)
		}
	}
	return m
}

type dateFormat struct {
	date func(t time.Time) string
	time string // Go layout of the time of day
	sep  string // between date and time
}

// dayMonthYear writes "2 Jan 2026" with the given month names. Lists
// format dates by the hundred per page, so this builds one string and no
// more.
func dayMonthYear(months [12]string) func(t time.Time) string {
	return func(t time.Time) string {
		return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
}

var (
	enMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	svMonths = [12]string{"jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."}
)

// dateFormats follow each language's CLDR medium date: 2 Jan 2026 ·
// 2 jan. 2026 · 2.1.2026 · 2026年1月2日.
var dateFormats = map[liaison.Language]dateFormat{
	liaison.English: {date: dayMonthYear(enMonths), time: "15:04", sep: ", "},
	liaison.Swedish: {date: dayMonthYear(svMonths), time: "15:04", sep: " "},
	liaison.Finnish: {date: func(t time.Time) string { return fmt.Sprintf("%d.%d.%d", t.Day(), t.Month(), t.Year()) }, time: "15.04", sep: " klo "},
	liaison.Chinese: {date: func(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) }, time: "15:04", sep: " "},
}

// Date formats the calendar date of t as the language writes it.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.dates.date(t)
}

// DateString formats a YYYY-MM-DD date; an unparsable one is returned as is.
func (l *Localizer) DateString(s string) string {
	d, err := liaison.ParseDate(s)
	if err != nil {
		return s
	}
	return l.Date(d)
}

// DateTime formats t in loc (UTC when nil) as the language writes a date
// and a time of day.
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return l.dates.date(t) + l.dates.sep + t.Format(l.dates.time)
}

// Clock formats the time of day of t in loc (UTC when nil) as the
// language writes it.
func (l *Localizer) Clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(l.dates.time)
}

// Ago says how long ago t was, relative to now, in whole units ("3 days ago").
func (l *Localizer) Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("time.just_now")
	case d < time.Hour:
		return l.N("time.minutes_ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return l.N("time.hours_ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return l.N("time.days_ago", int(d/(24*time.Hour)))
	}
	return l.Date(t)
}

// Event translates a timeline kind such as "person.create"; an unknown
// kind shows its subject type and action readably. A capability may keep
// its kinds under its own key prefix: "improvement_update.create" is also
// looked up as "improvement.timeline.improvement_update.create".
func (l *Localizer) Event(kind string) string {
	if k := "timeline." + kind; l.Has(k) {
		return l.T(k)
	}
	area, _, _ := strings.Cut(kind, ".")
	area, _, _ = strings.Cut(area, "_")
	if k := area + ".timeline." + kind; l.Has(k) {
		return l.T(k)
	}
	st, action, ok := liaison.ParseKind(kind)
	if !ok {
		return kind
	}
	subject := strings.ReplaceAll(st, "_", " ")
	if k := "timeline.subject." + st; l.Has(k) {
		subject = l.T(k)
	} else {
		subject = strings.ToUpper(subject[:1]) + subject[1:]
	}
	return subject + " · " + l.T("timeline.verb."+action)
}
