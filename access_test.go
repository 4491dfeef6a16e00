package lifeboat

import (
	"slices"
	"testing"
)

func TestRolePermissions(t *testing.T) {
	// want lists, per role, the permissions it has; every other one it lacks.
	want := map[Role][]Permission{
		RoleViewer:            {PermPublic, PermSignedIn, PermRead},
		RoleAuditor:           {PermPublic, PermSignedIn, PermRead, PermReadAudit},
		RoleResponder:         {PermPublic, PermSignedIn, PermRead},
		RoleServiceOwner:      {PermPublic, PermSignedIn, PermRead, PermEditServices},
		RoleContinuityManager: {PermPublic, PermSignedIn, PermRead, PermEditServices, PermEditCatalog, PermApproveBIA},
		RoleAdmin:             Permissions,
		Role("intruder"):      {PermPublic},
		Role(""):              {PermPublic},
	}
	for role, perms := range want {
		for _, p := range Permissions {
			if got := role.Can(p); got != slices.Contains(perms, p) {
				t.Errorf("%q.Can(%q) = %v", role, p, got)
			}
		}
	}
}

func TestCanEditService(t *testing.T) {
	owner := Actor{UserID: "olivia", Role: RoleServiceOwner}
	cases := []struct {
		actor  Actor
		teams  []string
		owners []string
		want   bool
	}{
		{owner, []string{"payments"}, []string{"payments"}, true},
		{owner, []string{"payments"}, []string{"payments", "payments"}, true},
		{owner, []string{"payments"}, []string{"payments", "logistics"}, false}, // giving it away
		{owner, []string{"payments"}, []string{"logistics"}, false},
		{owner, []string{"payments"}, []string{""}, false}, // unowned services are the managers'
		{owner, nil, []string{"payments"}, false},
		{Actor{Role: RoleContinuityManager}, nil, []string{"logistics", ""}, true},
		{Actor{Role: RoleAdmin}, nil, []string{""}, true},
		{Actor{Role: RoleViewer}, []string{"payments"}, []string{"payments"}, false},
		{Actor{Role: RoleAuditor}, []string{"payments"}, []string{"payments"}, false},
	}
	for _, c := range cases {
		if got := c.actor.CanEditService(c.teams, c.owners...); got != c.want {
			t.Errorf("%s with teams %v editing owners %v = %v, want %v", c.actor.Role, c.teams, c.owners, got, c.want)
		}
	}
	if !RoleViewer.AtMost(RoleAdmin) || RoleAdmin.AtMost(RoleViewer) || Role("x").AtMost(RoleAdmin) {
		t.Error("AtMost orders roles from viewer to admin and refuses unknown ones")
	}
}
