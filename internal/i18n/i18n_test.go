package i18n

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
)

// TestCatalogues checks that every language has exactly English's keys, no
// empty message, the same fmt verbs as English, and both plural forms.
func TestCatalogues(t *testing.T) {
	en := For(liaison.English)
	for _, lang := range liaison.Languages {
		l := For(lang)
		if l.Lang() != lang {
			t.Fatalf("For(%s).Lang() = %s", lang, l.Lang())
		}
		for _, k := range en.Keys() {
			msg, ok := l.msgs[k]
			if !ok {
				t.Errorf("%s: missing key %q", lang, k)
				continue
			}
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: key %q is empty", lang, k)
			}
			if got, want := verbs(msg), verbs(en.msgs[k]); got != want {
				t.Errorf("%s: %q uses %d arguments, English %d: %q", lang, k, got, want, msg)
			}
		}
		for _, k := range l.Keys() {
			if !en.Has(k) {
				t.Errorf("%s: key %q is not in English", lang, k)
			}
		}
		for _, k := range l.Keys() {
			if base, ok := strings.CutSuffix(k, ".one"); ok && !l.Has(base+".other") {
				t.Errorf("%s: %q has no .other form", lang, k)
			}
		}
	}
}

func TestMissingKeyShowsItself(t *testing.T) {
	if got := For(liaison.Swedish).T("no.such.key"); got != "no.such.key" {
		t.Fatalf("T(missing) = %q", got)
	}
	if got := For("xx").Lang(); got != liaison.English {
		t.Fatalf("For(unknown) = %s, want en", got)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		lang liaison.Language
		n    int
		want string
	}{
		{liaison.English, 1, "1 account shown"},
		{liaison.English, 3, "3 accounts shown"},
		{liaison.Swedish, 1, "1 kundkonto visas"},
		{liaison.Swedish, 0, "0 kundkonton visas"},
		{liaison.Finnish, 2, "2 asiakkuutta näkyvissä"},
		{liaison.Chinese, 1, "显示 1 个客户账户"},
		{liaison.English, 1234, "1,234 accounts shown"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).N("accounts.shown", tt.n); got != tt.want {
			t.Errorf("%s N(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestDatesAndNumbers(t *testing.T) {
	d := time.Date(2026, 3, 5, 14, 7, 0, 0, time.UTC)
	helsinki := time.FixedZone("EET", 2*3600)
	tests := []struct {
		lang           liaison.Language
		date, datetime string
		number         string
	}{
		{liaison.English, "5 Mar 2026", "5 Mar 2026, 16:07", "1,234,567"},
		{liaison.Swedish, "5 mars 2026", "5 mars 2026 16:07", "1\u00a0234\u00a0567"},
		{liaison.Finnish, "5.3.2026", "5.3.2026 klo 16.07", "1\u00a0234\u00a0567"},
		{liaison.Chinese, "2026年3月5日", "2026年3月5日 16:07", "1,234,567"},
	}
	for _, tt := range tests {
		l := For(tt.lang)
		if got := l.Date(d); got != tt.date {
			t.Errorf("%s Date = %q, want %q", tt.lang, got, tt.date)
		}
		if got := l.DateTime(d, helsinki); got != tt.datetime {
			t.Errorf("%s DateTime = %q, want %q", tt.lang, got, tt.datetime)
		}
		if got := l.Number(1234567); got != tt.number {
			t.Errorf("%s Number = %q, want %q", tt.lang, got, tt.number)
		}
	}
	if got := For(liaison.English).DateString("2026-12-31"); got != "31 Dec 2026" {
		t.Errorf("DateString = %q", got)
	}
	if got := For(liaison.English).DateString("not a date"); got != "not a date" {
		t.Errorf("DateString(bad) = %q", got)
	}
}

func TestMatch(t *testing.T) {
	tests := map[string]liaison.Language{
		"":                           liaison.English,
		"sv-SE,sv;q=0.9,en;q=0.8":    liaison.Swedish,
		"fi":                         liaison.Finnish,
		"zh-CN,zh;q=0.9":             liaison.Chinese,
		"zh-TW":                      liaison.Chinese,
		"de-DE,de;q=0.9":             liaison.English,
		"de;q=0.9,fi;q=0.5":          liaison.Finnish,
		"en-GB":                      liaison.English,
		"garbage;;;q=x":              liaison.English,
		"ja,sv;q=0.3":                liaison.Swedish,
		"nb-NO":                      liaison.English,
		"fr-CA,fr;q=0.9,zh-Hans;q=0": liaison.English,
	}
	for header, want := range tests {
		if got := Match(header); got != want && !(header == "nb-NO" && got == liaison.Swedish) {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	sv := For(liaison.Swedish)
	var v liaison.Validation
	v.RequireName("name", "")
	v.MaxLen("title", strings.Repeat("x", 300), 200)
	err := v.Err()
	fields := sv.FieldErrors(err)
	if got, want := fields["name"], "Fältet måste fyllas i."; got != want {
		t.Errorf("name: %q, want %q", got, want)
	}
	if got, want := fields["title"], "Använd högst 200 tecken."; got != want {
		t.Errorf("title: %q, want %q", got, want)
	}
	if got := sv.Error(errors.New("disk on fire")); got != sv.T("error.internal") {
		t.Errorf("internal error leaks: %q", got)
	}
	// A message whose arguments are missing falls back to the code's text.
	race := &liaison.Error{Code: liaison.ECONFLICT, Key: "error.customer_taken", Message: "the account already has an active customer"}
	if got := sv.Error(race); got != sv.T("error.code.conflict") {
		t.Errorf("customer_taken without args = %q", got)
	}
	if got := For(liaison.English).Error(race); got != race.Message {
		t.Errorf("English falls back to the message, got %q", got)
	}
	taken := &liaison.Error{Code: liaison.ECONFLICT, Key: "error.customer_taken", Args: []any{"Kultur", "Anna"}}
	if got, want := For(liaison.Finnish).Error(taken), "Kultur: voimassa oleva asiakas on jo Anna. Päätä rooli ensin."; got != want {
		t.Errorf("fi customer_taken = %q, want %q", got, want)
	}
	// Extra arguments are ignored rather than printed as %!(EXTRA…).
	nf := &liaison.Error{Code: liaison.ENOTFOUND, Key: "error.not_found", Args: []any{"organisation", "x1"}}
	if got := For(liaison.Chinese).Error(nf); strings.Contains(got, "EXTRA") || got != For(liaison.Chinese).T("error.not_found") {
		t.Errorf("zh not_found = %q", got)
	}
	for _, w := range liaison.AccountWarnings(&liaison.Organisation{BudgetHolder: true}, false, time.Now(), 12) {
		if got := For(liaison.Chinese).Warning(w); got == w.Key || got == "" {
			t.Errorf("warning %s untranslated", w.Code)
		}
	}
}

// keyLiteral finds translation keys written as string literals in Go code.
var keyLiteral = regexp.MustCompile(`"((?:error|warning)\.[a-z0-9_]+)"`)

// TestDomainKeys checks that every error and warning key the domain, the
// service layer, the stores and the handlers can produce has a translation.
func TestDomainKeys(t *testing.T) {
	en := For(liaison.English)
	found := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "tmp", "web", "i18n", "e2e":
				if path != "../.." {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(b), -1) {
			found++
			if !en.Has(m[1]) {
				t.Errorf("%s: key %q has no translation", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Fatalf("found only %d error keys: is the walk broken?", found)
	}
	codes := []string{liaison.EINVALID, liaison.EBADREQUEST, liaison.ENOTFOUND, liaison.ECONFLICT, liaison.ESTALE,
		liaison.EPRECONDITION, liaison.EUNAUTHORIZED, liaison.EFORBIDDEN, liaison.ETOOMANY, liaison.EINTERNAL}
	for _, c := range codes {
		if !en.Has("error.code." + c) {
			t.Errorf("error code %s has no translation", c)
		}
	}
	for _, k := range liaison.RoleKinds {
		if !en.Has("role_kind." + string(k)) {
			t.Errorf("role kind %s has no translation", k)
		}
	}
	for _, r := range liaison.UserRoles {
		if !en.Has("user_role." + string(r)) {
			t.Errorf("user role %s has no translation", r)
		}
	}
	for _, k := range []liaison.CustomerKind{liaison.KindAgreement, liaison.KindAdHoc} {
		if !en.Has("customer_kind." + string(k)) {
			t.Errorf("customer kind %s has no translation", k)
		}
	}
	for _, a := range []string{liaison.ActionCreate, liaison.ActionUpdate, liaison.ActionDelete, liaison.ActionRestore} {
		if !en.Has("audit.action." + a) {
			t.Errorf("audit action %s has no translation", a)
		}
		for _, s := range []string{"organisation", "person", "role", "segment"} {
			if !en.Has("timeline." + s + "." + a) {
				t.Errorf("timeline kind %s.%s has no translation", s, a)
			}
		}
	}
}

// templateCall finds .T "key" and .N "key" in templates.
var templateCall = regexp.MustCompile(`\.(T|N) "([a-z0-9_.]+)"`)

// goCall finds T("key"…), N("key"…) and flashT(w, r, "key"…) in Go code.
var goCall = regexp.MustCompile(`\b(T|N|flashT\(w, r,) ?\(?"([a-z0-9_]+\.[a-z0-9_.]+)"`)

// TestWebKeys checks that every key the web UI's templates and handlers ask
// for exists; a plural (N) key needs both forms.
func TestWebKeys(t *testing.T) {
	en := For(liaison.English)
	n := 0
	check := func(path, kind, key string) {
		if strings.HasSuffix(key, ".") {
			return // a prefix completed at run time; the families are checked below
		}
		n++
		if kind == "N" {
			if !en.Has(key+".one") || !en.Has(key+".other") {
				t.Errorf("%s: plural key %q needs .one and .other", path, key)
			}
			return
		}
		if !en.Has(key) {
			t.Errorf("%s: key %q is not translated", path, key)
		}
	}
	err := filepath.WalkDir("../web", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(path, ".html"):
			re = templateCall
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			re = goCall
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			kind := m[1]
			if kind != "N" {
				kind = "T"
			}
			check(path, kind, m[2])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 200 {
		t.Fatalf("found only %d keys in internal/web: is the scan broken?", n)
	}
	// Keys built at run time: nav items, error pages, portfolio gaps.
	b, err := os.ReadFile("../web/templates/layout/base.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"Key" "([a-z_]+)"`).FindAllStringSubmatch(string(b), -1) {
		check("base.html", "T", "nav."+m[1])
	}
	for _, code := range []string{"403", "404", "429", "500"} {
		check("errors", "T", "errorpage."+code+".title")
		check("errors", "T", "errorpage."+code+".text")
	}
	for _, g := range []string{"manager_missing_segment", "account_without_deputy", "deputy_is_manager", "account_without_manager"} {
		check("portfolio", "T", "portfolio.gap."+g)
		check("portfolio", "T", "portfolio.gap_kind."+g)
	}
	for _, s := range []liaison.Scope{liaison.ScopeRead, liaison.ScopeWrite} {
		check("tokens", "T", "scope."+string(s))
	}
}
