package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// parseTemplates parses each page in templates/ together with the layout
// and the partials (files starting with "_"), one template set per page, so
// that every page can define its own "title" and "content" blocks.
func parseTemplates() (map[string]*template.Template, error) {
	entries, err := fs.ReadDir(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, e := range entries {
		name := "templates/" + e.Name()
		if e.Name() == "layout.html" || strings.HasPrefix(e.Name(), "_") {
			shared = append(shared, name)
		} else {
			pages = append(pages, name)
		}
	}
	out := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		t, err := template.New(path.Base(p)).Funcs(templateFuncs).ParseFS(templateFiles, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}

// staticHandler serves the embedded CSS, scripts and the front-end
// libraries copied from npm at build time. File names do not change between
// releases, so clients revalidate rather than cache forever.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// apiNotFound answers unknown API paths with a problem document rather than
// an HTML page.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusNotFound)
	json.NewEncoder(w).Encode(map[string]any{"title": "Not Found", "status": http.StatusNotFound,
		"detail": "There is no API route " + r.Method + " " + r.URL.Path + "; see " + APIPrefix + "/openapi.json."})
}
