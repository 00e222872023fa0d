package web

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed templates
var templateFS embed.FS

// pages lists every page template. Each is parsed once at start with the
// layout and the partials into a set of its own; a page file that is not
// listed here, or a listed page without a file, stops the program at boot.
var pages = []string{
	"login", "error", "home", "accounts", "tree", "unit", "unit_form", "unit_delete",
	"person", "person_form", "role_form", "portfolio", "search", "tokens", "trash",
	"segments", "segment_form", "users", "jobs", "respond",
}

type engine struct {
	sets map[string]*template.Template
}

// newEngine parses the templates. It panics on any error: templates are
// part of the binary, so a broken one is a programming error.
func newEngine() *engine {
	e := &engine{sets: map[string]*template.Template{}}
	shared := []string{}
	for _, dir := range []string{"templates/layout", "templates/partials"} {
		files, err := fs.Glob(templateFS, dir+"/*.html")
		if err != nil {
			panic(err)
		}
		shared = append(shared, files...)
	}
	declared := map[string]bool{}
	for _, name := range pages {
		declared[name] = true
		files := append(append([]string{}, shared...), "templates/pages/"+name+".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			panic(fmt.Sprintf("web: parse page %q: %v", name, err))
		}
		if t.Lookup("content") == nil {
			panic(fmt.Sprintf("web: page %q defines no content block", name))
		}
		e.sets[name] = t
	}
	files, _ := fs.Glob(templateFS, "templates/pages/*.html")
	var undeclared []string
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".html"); !declared[name] {
			undeclared = append(undeclared, name)
		}
	}
	if len(undeclared) > 0 {
		sort.Strings(undeclared)
		panic(fmt.Sprintf("web: page templates not declared in pages: %v", undeclared))
	}
	return e
}

// render executes a page's "base" template, the full document. htmx picks
// the parts it swaps with hx-select, so there is one rendering per page.
// An undeclared page panics.
func (e *engine) render(w io.Writer, page string, data any) error {
	t, ok := e.sets[page]
	if !ok {
		panic(fmt.Sprintf("web: render of undeclared page %q", page))
	}
	return t.ExecuteTemplate(w, "base", data)
}
