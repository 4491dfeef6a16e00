package lifeboat_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

func TestRoleAtMost(t *testing.T) {
	tests := []struct {
		r, other lifeboat.Role
		want     bool
	}{
		{lifeboat.RoleViewer, lifeboat.RoleViewer, true},
		{lifeboat.RoleViewer, lifeboat.RoleAdmin, true},
		{lifeboat.RoleAdmin, lifeboat.RoleViewer, false},
		{lifeboat.RoleServiceOwner, lifeboat.RoleContinuityManager, true},
		{lifeboat.RoleContinuityManager, lifeboat.RoleServiceOwner, false},
		{lifeboat.RoleAdmin, lifeboat.RoleAdmin, true},
		{lifeboat.RoleAuditor, lifeboat.RoleAuditor, true},
		{lifeboat.RoleViewer, lifeboat.RoleAuditor, true},
		{lifeboat.RoleAuditor, lifeboat.RoleAdmin, true},
		{lifeboat.RoleAuditor, lifeboat.RoleResponder, false},
		{lifeboat.RoleAuditor, lifeboat.RoleContinuityManager, false},
		{lifeboat.RoleResponder, lifeboat.RoleAuditor, false},
		{lifeboat.RoleContinuityManager, lifeboat.RoleAuditor, false},
		{"", lifeboat.RoleAdmin, false},
		{lifeboat.RoleViewer, "root", false},
		{"root", "root", false},
	}
	for _, tt := range tests {
		if got := tt.r.AtMost(tt.other); got != tt.want {
			t.Errorf("%q.AtMost(%q) = %v, want %v", tt.r, tt.other, got, tt.want)
		}
	}
}

func TestRoleCappedAt(t *testing.T) {
	tests := []struct{ r, ceiling, want lifeboat.Role }{
		{lifeboat.RoleResponder, lifeboat.RoleAdmin, lifeboat.RoleResponder},
		{lifeboat.RoleAdmin, lifeboat.RoleResponder, lifeboat.RoleResponder},
		{lifeboat.RoleAuditor, lifeboat.RoleAdmin, lifeboat.RoleAuditor},
		{lifeboat.RoleAdmin, lifeboat.RoleAuditor, lifeboat.RoleAuditor},
		{lifeboat.RoleAuditor, lifeboat.RoleServiceOwner, lifeboat.RoleViewer},
		{lifeboat.RoleServiceOwner, lifeboat.RoleAuditor, lifeboat.RoleViewer},
		{lifeboat.RoleViewer, lifeboat.RoleAuditor, lifeboat.RoleViewer},
	}
	for _, tt := range tests {
		if got := tt.r.CappedAt(tt.ceiling); got != tt.want {
			t.Errorf("%q.CappedAt(%q) = %q, want %q", tt.r, tt.ceiling, got, tt.want)
		}
	}
	// Every role within every ceiling grants no more than the ceiling.
	for _, r := range lifeboat.Roles {
		for _, c := range lifeboat.Roles {
			if got := r.CappedAt(c); !got.AtMost(c) || !got.AtMost(r) {
				t.Errorf("%q.CappedAt(%q) = %q exceeds one of them", r, c, got)
			}
		}
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name string
		u    lifeboat.User
		want []string
	}{
		{"valid", lifeboat.User{ID: "alice", Name: "Alice Adams", Email: "alice@example.com", Role: lifeboat.RoleAdmin, PersonID: "alice"}, nil},
		{"minimal", lifeboat.User{ID: "a", Role: lifeboat.RoleViewer}, nil},
		{"email trimmed", lifeboat.User{ID: "a", Role: lifeboat.RoleViewer, Email: " a@example.com "}, nil},
		{"bad id", lifeboat.User{ID: "Alice", Role: lifeboat.RoleViewer}, []string{"id"}},
		{"no role", lifeboat.User{ID: "a"}, []string{"role"}},
		{"bad role", lifeboat.User{ID: "a", Role: "root"}, []string{"role"}},
		{"bad email", lifeboat.User{ID: "a", Role: lifeboat.RoleViewer, Email: "Alice <alice@example.com>"}, []string{"email"}},
		{"bad person", lifeboat.User{ID: "a", Role: lifeboat.RoleViewer, PersonID: "Alice Adams"}, []string{"person"}},
		{"long name", lifeboat.User{ID: "a", Role: lifeboat.RoleViewer, Name: strings.Repeat("n", 201)}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.u
			u.Normalize()
			checkFields(t, u.Validate(), tt.want)
		})
	}
}

func TestTokenValidate(t *testing.T) {
	tests := []struct {
		name string
		tok  lifeboat.Token
		want []string
	}{
		{"valid", lifeboat.Token{ID: "ci-deploy", Role: lifeboat.RoleResponder, Hash: "h"}, nil},
		{"role defaults later", lifeboat.Token{ID: "ci", Hash: "h"}, nil},
		{"bad id", lifeboat.Token{ID: "CI deploy", Hash: "h"}, []string{"id"}},
		{"bad role", lifeboat.Token{ID: "ci", Role: "root", Hash: "h"}, []string{"role"}},
		{"no hash", lifeboat.Token{ID: "ci"}, []string{"hash"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkFields(t, tt.tok.Validate(), tt.want) })
	}
}

func TestThrottleKeys(t *testing.T) {
	if got := lifeboat.ThrottleUser("alice"); got != "user:alice" {
		t.Errorf("ThrottleUser = %q", got)
	}
	if got := lifeboat.ThrottleAddress("192.0.2.1"); got != "addr:192.0.2.1" {
		t.Errorf("ThrottleAddress = %q", got)
	}
}

// checkFields checks that err is nil when want is empty and otherwise an
// EINVALID error on exactly the fields in want.
func checkFields(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if lifeboat.ErrorCode(err) != lifeboat.EINVALID {
		t.Fatalf("got %v, want EINVALID on %v", err, want)
	}
	var got []string
	for _, f := range lifeboat.ErrorFields(err) {
		got = append(got, f.Field)
	}
	if !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v (%v)", got, want, err)
	}
}
