package web

import "github.com/danielgtaylor/huma/v2/autopatch"

// routes registers every route of the server: health checks, static files,
// the REST API and the pages.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /static/", staticHandler())

	// REST API under /api/v1; the OpenAPI document is /api/v1/openapi.json.
	// PATCH (JSON merge patch, guarded by the ETag) is derived from GET and PUT.
	s.serviceOperations()
	s.teamOperations()
	autopatch.AutoPatch(s.api)
	s.mux.HandleFunc("/api/", s.apiNotFound)

	// Pages.
	// PAGES s.mux.HandleFunc("GET /api/docs", s.apiDocsPage)
	// PAGES s.mux.HandleFunc("GET /{$}", s.homePage)
	// PAGES s.mux.HandleFunc("GET /services", s.servicesPage)
	// PAGES s.mux.HandleFunc("GET /services/new", s.newServicePage)
	// PAGES s.mux.HandleFunc("POST /services", s.createServicePage)
	// PAGES s.mux.HandleFunc("GET /services/{id}", s.servicePage)
	// PAGES s.mux.HandleFunc("GET /services/{id}/edit", s.editServicePage)
	// PAGES s.mux.HandleFunc("POST /services/{id}", s.updateServicePage)
	// PAGES s.mux.HandleFunc("GET /services/{id}/delete", s.confirmDeleteServicePage)
	// PAGES s.mux.HandleFunc("POST /services/{id}/delete", s.deleteServicePage)
	// PAGES s.mux.HandleFunc("POST /services/{id}/dependencies", s.addDependencyPage)
	// PAGES s.mux.HandleFunc("POST /services/{id}/dependencies/{pos}/delete", s.removeDependencyPage)
	// PAGES s.mux.HandleFunc("GET /teams", s.teamsPage)
	// PAGES s.mux.HandleFunc("GET /teams/new", s.newTeamPage)
	// PAGES s.mux.HandleFunc("POST /teams", s.createTeamPage)
	// PAGES s.mux.HandleFunc("GET /teams/{id}", s.teamPage)
	// PAGES s.mux.HandleFunc("GET /teams/{id}/edit", s.editTeamPage)
	// PAGES s.mux.HandleFunc("POST /teams/{id}", s.updateTeamPage)
	// PAGES s.mux.HandleFunc("POST /teams/{id}/delete", s.deleteTeamPage)
	// PAGES s.mux.HandleFunc("GET /people", s.peoplePage)
	// PAGES s.mux.HandleFunc("GET /people/new", s.newPersonPage)
	// PAGES s.mux.HandleFunc("POST /people", s.createPersonPage)
	// PAGES s.mux.HandleFunc("GET /people/{id}", s.personPage)
	// PAGES s.mux.HandleFunc("GET /people/{id}/edit", s.editPersonPage)
	// PAGES s.mux.HandleFunc("POST /people/{id}", s.updatePersonPage)
	// PAGES s.mux.HandleFunc("POST /people/{id}/delete", s.deletePersonPage)
	// PAGES s.mux.HandleFunc("/", s.notFoundPage)
}
