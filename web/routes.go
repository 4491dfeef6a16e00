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
	s.mux.HandleFunc("GET /api/docs", s.apiDocsPage)
	s.mux.HandleFunc("GET /{$}", s.homePage)
	s.mux.HandleFunc("GET /services", s.servicesPage)
	s.mux.HandleFunc("GET /services/new", s.newServicePage)
	s.mux.HandleFunc("POST /services", s.createServicePage)
	s.mux.HandleFunc("GET /services/{id}", s.servicePage)
	s.mux.HandleFunc("GET /services/{id}/edit", s.editServicePage)
	s.mux.HandleFunc("POST /services/{id}", s.updateServicePage)
	s.mux.HandleFunc("GET /services/{id}/delete", s.confirmDeleteServicePage)
	s.mux.HandleFunc("POST /services/{id}/delete", s.deleteServicePage)
	s.mux.HandleFunc("POST /services/{id}/dependencies", s.addDependencyPage)
	s.mux.HandleFunc("POST /services/{id}/dependencies/{pos}/delete", s.removeDependencyPage)
	s.mux.HandleFunc("GET /service-options", s.serviceOptionsPage)
	s.mux.HandleFunc("GET /teams", s.teamsPage)
	s.mux.HandleFunc("GET /teams/new", s.newTeamPage)
	s.mux.HandleFunc("POST /teams", s.createTeamPage)
	s.mux.HandleFunc("GET /teams/{id}", s.teamPage)
	s.mux.HandleFunc("GET /teams/{id}/edit", s.editTeamPage)
	s.mux.HandleFunc("POST /teams/{id}", s.updateTeamPage)
	s.mux.HandleFunc("POST /teams/{id}/delete", s.deleteTeamPage)
	s.mux.HandleFunc("GET /people", s.peoplePage)
	s.mux.HandleFunc("GET /people/new", s.newPersonPage)
	s.mux.HandleFunc("POST /people", s.createPersonPage)
	s.mux.HandleFunc("GET /people/{id}", s.personPage)
	s.mux.HandleFunc("GET /people/{id}/edit", s.editPersonPage)
	s.mux.HandleFunc("POST /people/{id}", s.updatePersonPage)
	s.mux.HandleFunc("POST /people/{id}/delete", s.deletePersonPage)
	s.mux.HandleFunc("/", s.notFoundPage)
}
