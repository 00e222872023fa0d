package api

import (
	"embed"
	"io/fs"
	"net/http"

	liaison "github.com/liaisonhq/liaison"
)

// docsFS holds the docs page and the Swagger UI files it loads, vendored
// by web/apidocs/vendor.sh: nothing comes from a CDN.
//
//go:embed docs/index.html docs/init.js docs/vendor
var docsFS embed.FS

func (api *API) registerDocs() {
	sub, err := fs.Sub(docsFS, "docs")
	if err != nil {
		panic(err)
	}
	index, err := fs.ReadFile(sub, "index.html")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix(DocsPath+"/", http.FileServerFS(sub))
	api.handle(http.MethodGet, OpenAPIPath, liaison.AccessPublic, api.serveSpec)
	api.handle(http.MethodGet, DocsPath, liaison.AccessPublic, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(index)
	})
	api.handle(http.MethodGet, DocsPath+"/{file...}", liaison.AccessPublic, func(w http.ResponseWriter, r *http.Request) {
		switch f := r.PathValue("file"); f {
		case "", "index.html":
			http.Redirect(w, r, DocsPath, http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
	api.handle("", BasePath+"/", liaison.AccessSignedIn, api.fallback)
}
