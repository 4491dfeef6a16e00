package web

import "github.com/lifeboat-itscm/lifeboat"

// Shorter names for the permissions every route names.
const (
	public   = lifeboat.PermPublic
	signedIn = lifeboat.PermSignedIn
	read     = lifeboat.PermRead
	editSvc  = lifeboat.PermEditServices
	editAll  = lifeboat.PermEditCatalog
	// approveBIA signs off BIAs and returns them to draft.
	approveBIA = lifeboat.PermApproveBIA
	audit      = lifeboat.PermReadAudit
	admin      = lifeboat.PermAdmin
)

// routes registers every route of the server with the permission it needs:
// health checks, static files, the REST API and the pages. A route
// registered any other way is refused to everyone (see authorize).
func (s *Server) routes() {
	s.handle("GET /healthz", public, s.healthz)
	s.handle("GET /readyz", public, s.readyz)
	s.handle("GET /static/", public, staticHandler().ServeHTTP)
	// The JSON Schema of model files. One URL, outside the API: it describes
	// files, not API objects, which the OpenAPI document describes.
	s.handle("GET /schema/v1.json", public, s.schemaDocument)

	// REST API under /api/v1; the OpenAPI document is /api/v1/openapi.json.
	s.handle("GET "+APIPrefix+"/openapi.json", public, s.openAPIDocument)
	s.serviceOperations()
	s.teamOperations()
	s.modelOperations()
	s.graphOperations()
	s.biaOperations()
	s.scaleOperations()
	s.handle(APIPrefix+"/", public, s.apiNotFound)

	// Signing in and out.
	s.handle("GET /login", public, s.loginPage)
	s.handle("POST /login", public, s.loginSubmit)
	s.handle("POST /logout", signedIn, s.logoutSubmit)
	s.handle("GET /login/oidc", public, s.oidcStart)
	s.handle("GET /login/oidc/callback", public, s.oidcCallback)
	s.handle("GET /setup", public, s.setupPage)
	s.handle("POST /setup", public, s.setupSubmit)

	// Pages.
	s.handle("GET /api/docs", read, s.apiDocsPage)
	s.handle("GET /{$}", read, s.homePage)
	s.handle("GET /services", read, s.servicesPage)
	s.handle("GET /services/new", editSvc, s.newServicePage)
	s.handle("POST /services", editSvc, s.createServicePage)
	s.handle("GET /services/{id}", read, s.servicePage)
	s.handle("GET /services/{id}/graph", read, s.explorerPage)
	s.handle("GET /services/{id}/edit", editSvc, s.editServicePage)
	s.handle("POST /services/{id}", editSvc, s.updateServicePage)
	s.handle("GET /services/{id}/delete", editSvc, s.confirmDeleteServicePage)
	s.handle("POST /services/{id}/delete", editSvc, s.deleteServicePage)
	s.handle("POST /services/{id}/dependencies", editSvc, s.addDependencyPage)
	s.handle("POST /services/{id}/dependencies/{pos}/delete", editSvc, s.removeDependencyPage)
	s.handle("GET /services/{id}/bia", read, s.biaPage)
	s.handle("GET /services/{id}/bia/report", read, s.biaReportPage)
	s.handle("GET /services/{id}/bia/edit", editSvc, s.editBIAPage)
	s.handle("POST /services/{id}/bia", editSvc, s.saveBIAPage)
	s.handle("POST /services/{id}/bia/preview", editSvc, s.previewBIAPage)
	s.handle("POST /services/{id}/bia/submit", editSvc, s.submitBIAPage)
	s.handle("POST /services/{id}/bia/approve", approveBIA, s.approveBIAPage)
	s.handle("POST /services/{id}/bia/return", approveBIA, s.returnBIAPage)
	s.handle("GET /bia", read, s.biaListPage)
	s.handle("GET /bia/report", read, s.biaOrgReportPage)
	s.handle("GET /service-options", read, s.serviceOptionsPage)
	s.handle("GET /teams", read, s.teamsPage)
	s.handle("GET /teams/new", editAll, s.newTeamPage)
	s.handle("POST /teams", editAll, s.createTeamPage)
	s.handle("GET /teams/{id}", read, s.teamPage)
	s.handle("GET /teams/{id}/edit", editAll, s.editTeamPage)
	s.handle("POST /teams/{id}", editAll, s.updateTeamPage)
	s.handle("POST /teams/{id}/delete", editAll, s.deleteTeamPage)
	s.handle("GET /people", read, s.peoplePage)
	s.handle("GET /people/new", editAll, s.newPersonPage)
	s.handle("POST /people", editAll, s.createPersonPage)
	s.handle("GET /people/{id}", read, s.personPage)
	s.handle("GET /people/{id}/edit", editAll, s.editPersonPage)
	s.handle("POST /people/{id}", editAll, s.updatePersonPage)
	s.handle("POST /people/{id}/delete", editAll, s.deletePersonPage)
	s.handle("GET /model", read, s.modelPage)
	s.handle("GET /model/export.yaml", read, s.modelExport)
	s.handle("GET /findings", read, s.findingsPage)
	s.handle("GET /impact-scale", read, s.scalePage)
	s.handle("POST /impact-scale", admin, s.updateScalePage)
	s.handle("POST /model/plan", editAll, s.modelPlanPage)
	s.handle("POST /model/apply", editAll, s.modelApplyPage)
	s.handle("GET /audit", audit, s.auditPage)
	s.handle("GET /admin/sessions", admin, s.sessionsPage)
	s.handle("POST /admin/sessions/{id}/delete", admin, s.revokeSessionSubmit)
	s.handle("/", public, s.notFoundPage)
}
