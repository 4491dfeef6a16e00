package main

import (
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestServeOIDCFlagsChecked(t *testing.T) {
	ok := []string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "lifeboat",
		"--oidc-redirect-url", "https://lifeboat.example.com/login/oidc/callback"}
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
		msg  string
	}{
		{"bad role", append(ok, "--oidc-role-map", "admins=root"), nil, `"root" is not a role`},
		{"not a pair", append(ok, "--oidc-role-map", "admins"), nil, `"admins" is not VALUE=ROLE`},
		{"bad role from env", ok, map[string]string{"LIFEBOAT_OIDC_ROLE_MAP": "admins=admin,staff=boss"}, `LIFEBOAT_OIDC_ROLE_MAP: "boss" is not a role`},
		{"bad default role", append(ok, "--oidc-default-role", "guest"), nil, `--oidc-default-role: "guest" is not a role`},
		{"no mapping", ok, nil, "--oidc-role-map or --oidc-default-role is needed"},
		{"no client id", []string{"--oidc-issuer", "https://idp.example.com", "--oidc-default-role", "viewer",
			"--oidc-redirect-url", "https://lifeboat.example.com/login/oidc/callback"}, nil, "--oidc-client-id is needed"},
		{"no redirect", []string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "x", "--oidc-default-role", "viewer"}, nil,
			"--oidc-redirect-url is needed"},
		{"bad redirect", []string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "x", "--oidc-default-role", "viewer",
			"--oidc-redirect-url", "https://lifeboat.example.com/"}, nil, "must be an absolute URL ending in /login/oidc/callback"},
		{"bad issuer", []string{"--oidc-issuer", "idp.example.com"}, nil, "is not an http or https URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--database", dbtest.URL(t, "sqlite")}, c.args...)
			r := runLifeboat(t, c.env, args...)
			if code := exitCode(r.err); code != exitUsage || !strings.Contains(r.stderr, c.msg) {
				t.Errorf("exit %d, want %d; stderr does not say %q:\n%s", code, exitUsage, c.msg, r.stderr)
			}
		})
	}
}
