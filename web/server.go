// Package web serves Lifeboat over HTTP: the REST API under /api/v1, the
// server-rendered pages and the health checks. Every route is listed in
// routes.go.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// Config is what the server needs from the rest of the program.
type Config struct {
	Services lifeboat.ServiceStore
	Teams    lifeboat.TeamStore
	People   lifeboat.PersonStore
	Users    lifeboat.UserStore
	Sessions lifeboat.SessionStore
	Tokens   lifeboat.TokenStore
	Throttle LoginThrottle
	Setup    SetupStore
	Audit    lifeboat.AuditStore
	// Models reads and applies whole continuity models: the Model API and
	// pages.
	Models lifeboat.ModelStore
	// BIAs keeps business impact analyses one at a time.
	BIAs lifeboat.BIAStore
	// Auth tunes sign-in; zero values take the defaults of DefaultAuth.
	Auth AuthConfig
	// OIDC sets up single sign-on; nil for none.
	OIDC *OIDCConfig
	// Ready reports whether the server can take traffic, such as whether the
	// database answers. Nil means always ready.
	Ready   func(context.Context) error
	Logger  *slog.Logger
	Version string
}

// Server holds the handlers' dependencies. It keeps no state of its own
// beyond what Config gives it, so several instances can share a database.
type Server struct {
	Config
	mux     *http.ServeMux
	table   []route       // every route with its permission, in registration order
	hashing chan struct{} // a slot per password check that may run at once
	api     huma.API
	pages   map[string]*template.Template
	handler http.Handler
	sso     oidcState // the single sign-on provider, once found
	graph   *graph.Live
	// analyses keeps the findings and objectives of the stored model for
	// the version they were computed at (see analysis.go).
	analyses analyses
}

// New builds a server with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Auth = cfg.Auth.withDefaults()
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	s := &Server{Config: cfg, mux: http.NewServeMux(), hashing: make(chan struct{}, 4)}
	s.Services = ownedServices{cfg.Services, s}
	if cfg.BIAs != nil {
		s.BIAs = ownedBIAs{cfg.BIAs, s}
	}
	if cfg.Models != nil {
		s.graph = graph.NewLive(cfg.Models)
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.api = newAPI(s.mux, cfg.Version)
	s.routes()
	s.handler = s.middleware(s.authenticate(s.mux))
	return s, nil
}

// ServeHTTP serves a request through the middleware and the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// OpenAPI returns the API description, as served at /api/v1/openapi.json.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.Ready != nil {
		if err := s.Ready(r.Context()); err != nil {
			s.Logger.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready\n"))
			return
		}
	}
	w.Write([]byte("ready\n"))
}
