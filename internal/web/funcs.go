package web

import (
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/liaisonhq/liaison"
)

// funcs are the template functions. They are pure: anything that depends on
// the request (the language above all) travels in the page data.
var funcs = template.FuncMap{
	"icon":     icon,
	"asset":    assetURL,
	"dict":     dict,
	"deref":    deref,
	"initials": initials,
	"heat":     heat,
	"add":      func(a, b int) int { return a + b },
	"sub":      func(a, b int) int { return a - b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	"join":       strings.Join,
	"optionTags": optionTags,
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"languages": func() []liaison.Language { return liaison.Languages },
	"langName":  langName,
	"string":    func(v any) string { return fmt.Sprint(v) },
	"options": func(kv ...string) []Option {
		var o []Option
		for i := 0; i+1 < len(kv); i += 2 {
			o = append(o, Option{Value: kv[i], Label: kv[i+1]})
		}
		return o
	},
}

// langName is each language's name in itself, as language switchers show it.
func langName(l liaison.Language) string {
	switch l {
	case liaison.Swedish:
		return "Svenska"
	case liaison.Finnish:
		return "Suomi"
	case liaison.Chinese:
		return "中文"
	}
	return "English"
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// initials returns up to two letters for an avatar: "Anna Berg" → "AB", "王芳" → "王芳".
func initials(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "?"
	}
	first := []rune(f[0])
	if unicode.Is(unicode.Han, first[0]) {
		if len(first) > 2 {
			return string(first[len(first)-2:])
		}
		return string(first)
	}
	s := string(unicode.ToUpper(first[0]))
	if len(f) > 1 {
		s += string(unicode.ToUpper([]rune(f[len(f)-1])[0]))
	}
	return s
}

// heat maps a count to one of five shades of the portfolio heat map.
func heat(n, max int) string {
	switch {
	case n <= 0:
		return "h0"
	case max <= 1:
		return "h2"
	}
	step := 1 + (n-1)*4/max
	if step > 4 {
		step = 4
	}
	return fmt.Sprintf("h%d", step)
}

// icons are 24×24 stroke icons in the spirit of Lucide (ISC licence).
var icons = map[string]string{
	"bell":     `<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>`,
	"home":     `<path d="m3 10 9-7 9 7v10a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/>`,
	"building": `<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M9 21v-4h6v4M8 7h.01M12 7h.01M16 7h.01M8 11h.01M12 11h.01M16 11h.01"/>`,
	"tree":     `<rect x="9" y="3" width="6" height="5" rx="1"/><rect x="3" y="16" width="6" height="5" rx="1"/><rect x="15" y="16" width="6" height="5" rx="1"/><path d="M12 8v4M6 16v-2h12v2"/>`,
	"grid":     `<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="3" y="14" width="7" height="7" rx="1"/><rect x="14" y="14" width="7" height="7" rx="1"/>`,
	"download": `<path d="M12 3v12M7 10l5 5 5-5M5 21h14"/>`,
	"file":     `<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h6"/>`,
	"message":  `<path d="M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z"/>`,
	"calendar": `<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M16 3v4M8 3v4M3 11h18"/>`,
	"survey":   `<path d="M9 11l3 3 8-8"/><path d="M20 12v6a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h9"/>`,
	"bulb":     `<path d="M9 18h6M10 22h4"/><path d="M12 2a7 7 0 0 0-4 12.7V17h8v-2.3A7 7 0 0 0 12 2z"/>`,
	"folder":   `<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>`,
	"zap":      `<path d="M13 2 3 14h9l-1 8 10-12h-9z"/>`,
	"radar":    `<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/><path d="M12 12l6-6"/>`,
	"gauge":    `<path d="M12 14l4-4"/><path d="M3.3 19a10 10 0 1 1 17.4 0"/>`,
	"settings": `<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z"/>`,
	"users":    `<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8"/>`,
	"user":     `<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>`,
	"search":   `<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>`,
	"plus":     `<path d="M12 5v14M5 12h14"/>`,
	"chevron":  `<path d="m9 6 6 6-6 6"/>`,
	"down":     `<path d="m6 9 6 6 6-6"/>`,
	"up":       `<path d="m6 15 6-6 6 6"/>`,
	"alert":    `<path d="M12 3 2 20h20z"/><path d="M12 10v4M12 17h.01"/>`,
	"info":     `<circle cx="12" cy="12" r="9"/><path d="M12 11v5M12 8h.01"/>`,
	"check":    `<path d="M20 6 9 17l-5-5"/>`,
	"x":        `<path d="M18 6 6 18M6 6l12 12"/>`,
	"moon":     `<path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/>`,
	"sun":      `<circle cx="12" cy="12" r="4"/><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/>`,
	"monitor":  `<rect x="2" y="4" width="20" height="13" rx="2"/><path d="M8 21h8M12 17v4"/>`,
	"globe":    `<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>`,
	"key":      `<circle cx="8" cy="15" r="4"/><path d="m10.8 12.2 8.7-8.7M17 6l3 3M15 8l2 2"/>`,
	"logout":   `<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>`,
	"trash":    `<path d="M3 6h18M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6"/>`,
	"edit":     `<path d="M12 20h9"/><path d="M16.5 3.5a2.1 2.1 0 1 1 3 3L7 19l-4 1 1-4z"/>`,
	"clock":    `<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`,
	"history":  `<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5M12 7v5l4 2"/>`,
	"restore":  `<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/>`,
	"keyboard": `<rect x="2" y="6" width="20" height="12" rx="2"/><path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10"/>`,
	"crown":    `<path d="m2 7 5 5 5-7 5 7 5-5-2 12H4z"/>`,
	"shield":   `<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"/>`,
	"copy":     `<rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"mail":     `<rect x="2" y="4" width="20" height="16" rx="2"/><path d="m22 6-10 7L2 6"/>`,
	"phone":    `<path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.7 2z"/>`,
	"menu":     `<path d="M4 6h16M4 12h16M4 18h16"/>`,
	"move":     `<path d="M5 9l-3 3 3 3M9 5l3-3 3 3M15 19l-3 3-3-3M19 9l3 3-3 3M2 12h20M12 2v20"/>`,
	"link":     `<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/><path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>`,
}

// icon returns an inline SVG icon; decorative, hidden from screen readers.
func icon(name string, size ...int) template.HTML {
	s := 16
	if len(size) > 0 {
		s = size[0]
	}
	body, ok := icons[name]
	if !ok {
		panic("web: unknown icon " + name)
	}
	return template.HTML(fmt.Sprintf(`<svg width="%d" height="%d" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">%s</svg>`, s, s, body))
}

// optionTags renders the <option> elements of a select, marking the one
// whose value is selected. A select of every account holds hundreds of
// options: written here in one pass it costs microseconds, where a template
// range over them cost milliseconds per page.
func optionTags(opts []Option, selected string) template.HTML {
	var b strings.Builder
	b.Grow(len(opts) * 64)
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteString(`"`)
		if o.Value == selected {
			b.WriteString(` selected`)
		}
		b.WriteString(`>`)
		b.WriteString(template.HTMLEscapeString(o.Indent()))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String())
}
