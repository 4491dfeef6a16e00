package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"github.com/lifeboat-itscm/lifeboat"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The pattern names the files, not the folder, so that partials starting
// with "_" are embedded too.
//
//go:embed templates/*.html
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
	writeProblem(w, http.StatusNotFound, "There is no API route "+r.Method+" "+r.URL.Path+"; see "+APIPrefix+"/openapi.json.")
}

// page is what every page template receives: the layout's fields and the
// page's own Data.
type page struct {
	Title   string // the document title, before " · Lifeboat"
	Nav     string // the active section of the top bar: home, services, teams, people, model, api
	Version string
	Flash   string // a one-time message after a redirect
	// User is who is looking; pages show only what this user may do.
	User     lifeboat.Actor
	SignedIn bool
	Data     any
}

// render writes a whole page: the named template set executed through its
// layout. The output is buffered so that a template error becomes a clean
// 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Version = s.Version
	p.User, p.SignedIn = lifeboat.ActorFrom(r.Context()), signedInFrom(r.Context())
	if p.Flash == "" {
		p.Flash = takeFlash(w, r)
	}
	s.execute(w, status, name, "layout", p)
}

// renderPartial writes one block of a page, for htmx requests that replace
// part of the page already shown.
func (s *Server) renderPartial(w http.ResponseWriter, r *http.Request, status int, name, block string, p page) {
	p.Version = s.Version
	p.User, p.SignedIn = lifeboat.ActorFrom(r.Context()), signedInFrom(r.Context())
	s.execute(w, status, name, block, p)
}

func (s *Server) execute(w http.ResponseWriter, status int, name, block string, p page) {
	var buf bytes.Buffer
	t, ok := s.pages[name]
	if !ok {
		s.Logger.Error("render: no such page", "page", name)
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		s.Logger.Error("render", "page", name, "block", block, "err", err)
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const flashCookie = "lifeboat_flash"

// setFlash keeps a message for the next page the browser shows, which is
// the one it is redirected to after a form.
func setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the pending message, if any, and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// redirect answers a successful form with 303 See Other, so that reloading
// the next page does not post the form again.
func redirect(w http.ResponseWriter, r *http.Request, url, flash string) {
	if flash != "" {
		setFlash(w, flash)
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}
