package lifeboat

import "slices"

// Permission is something a route or action needs. Every route of the
// server names exactly one; roles grant them here and nowhere else.
type Permission string

// The permissions, from open to most guarded.
const (
	// PermPublic needs no sign-in: health checks, static files, sign-in.
	PermPublic Permission = "public"
	// PermSignedIn needs any signed-in user: signing out, one's own account.
	PermSignedIn Permission = "signed-in"
	// PermRead reads continuity data: the catalog, teams, people.
	PermRead Permission = "read"
	// PermEditServices changes services. Service owners have it only for
	// services their teams own; see CanEditService.
	PermEditServices Permission = "edit-services"
	// PermEditCatalog changes everything in the catalog: teams, people and
	// any service.
	PermEditCatalog Permission = "edit-catalog"
	// PermApproveBIA signs off business impact analyses and returns them
	// to draft: the continuity manager's call, not the service owner's.
	PermApproveBIA Permission = "approve-bia"
	// PermReadAudit reads the audit trail.
	PermReadAudit Permission = "read-audit"
	// PermAdmin manages users, sessions, tokens and settings.
	PermAdmin Permission = "admin"
)

// Permissions lists every permission.
var Permissions = []Permission{PermPublic, PermSignedIn, PermRead, PermEditServices, PermEditCatalog, PermApproveBIA, PermReadAudit, PermAdmin}

// grants says which permissions each role has beyond PermPublic and
// PermSignedIn, which every signed-in user has.
var grants = map[Role][]Permission{
	RoleViewer:            {PermRead},
	RoleAuditor:           {PermRead, PermReadAudit},
	RoleResponder:         {PermRead},
	RoleServiceOwner:      {PermRead, PermEditServices},
	RoleContinuityManager: {PermRead, PermEditServices, PermEditCatalog, PermApproveBIA},
	RoleAdmin:             {PermRead, PermEditServices, PermEditCatalog, PermApproveBIA, PermReadAudit, PermAdmin},
}

// Can reports whether a role has a permission. An unknown role has none
// but PermPublic.
func (r Role) Can(p Permission) bool {
	switch {
	case p == PermPublic:
		return true
	case !r.Valid():
		return false
	case p == PermSignedIn:
		return true
	}
	return slices.Contains(grants[r], p)
}

// CanEditService reports whether an actor may change a service owned by
// owner (before and after the change: a service owner may neither take a
// service from another team nor give one away). teams are the teams the
// actor's user belongs to.
func (a Actor) CanEditService(teams []string, owners ...string) bool {
	if a.Role.Can(PermEditCatalog) {
		return true
	}
	if !a.Role.Can(PermEditServices) {
		return false
	}
	for _, o := range owners {
		if o == "" || !slices.Contains(teams, o) {
			return false
		}
	}
	return true
}
