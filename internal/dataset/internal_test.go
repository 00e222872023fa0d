package dataset

import (
	"encoding/json"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "Malmö stad", "北极光（苏州）", `a "quoted" \ back`, "tab\tnew\nline\r", "<b>&</b>", "\x01\x1f", "line\u2028sep\u2029", "bad \xff byte"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// Every Chinese name can be spelled in an e-mail address.
func TestPinyinCoversNames(t *testing.T) {
	n := personNames[liaison.Chinese]
	for _, s := range append(n.given, n.family...) {
		for _, r := range s {
			if pinyin[r] == "" {
				t.Errorf("no pinyin for %c (in %s)", r, s)
			}
		}
	}
	for _, p := range places[liaison.Chinese] {
		if p.ascii == "" {
			t.Errorf("place %s has no ASCII name", p.name)
		}
	}
}

// Every pool the generator draws from has something in every language.
func TestPoolsCoverLanguages(t *testing.T) {
	for _, lang := range liaison.Languages {
		for name, pool := range map[string][]string{
			"given": personNames[lang].given, "family": personNames[lang].family, "teams": teams[lang],
			"descriptions": unitDescriptions[lang], "staff": staffTitles[lang], "heads": headTitles[lang],
			"customers": customerTitles[lang], "labels": otherLabels[lang], "notes": personNotes[lang], "brands": brands[lang],
		} {
			if len(pool) == 0 {
				t.Errorf("%s: no %s", lang, name)
			}
		}
		if len(places[lang]) == 0 {
			t.Errorf("%s: no places", lang)
		}
		for _, kind := range []string{kindRegion, kindMunicipal, kindCompany, kindFoundation} {
			if len(rootNames[lang][kind]) == 0 {
				t.Errorf("%s: no names for a %s", lang, kind)
			}
		}
		for _, dom := range []string{domHealth, domEducation, domInfra, domCulture, domSocial, domAdmin, domBusiness, domSupport} {
			if len(divisions[lang][dom]) == 0 || len(departments[lang][dom]) == 0 {
				t.Errorf("%s: no divisions or departments for %s", lang, dom)
			}
		}
	}
	for _, s := range segmentSpecs {
		if strings.TrimSpace(s.name) == "" {
			t.Error("a segment without a name")
		}
	}
}
