package main

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestTokenCreate checks that token create prints the token alone, so that
// TOKEN=$(lifeboat token create ...) works, and that the token it printed
// is the one stored.
func TestTokenCreate(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			db := dsnFlag(dsn)
			if r := runLifeboat(t, nil, append([]string{"user", "add", "alice", "--role", "continuity-manager"}, db...)...); r.err != nil {
				t.Fatal(r.err)
			}
			store := openStore(t, dsn)
			before := time.Now()
			// With info logs on stderr, as by default: stdout stays clean.
			r := runLifeboat(t, nil, "token", "create", "--user", "alice", "--name", "ci-deploy", "--role", "responder", "--expires", "30d", "--database", dsn)
			wantExit(t, r, exitOK, "Created token ci-deploy for alice with role responder")
			tok := strings.TrimSuffix(r.stdout, "\n")
			if r.stdout != tok+"\n" || strings.Contains(tok, "\n") || !secret.Valid(tok, secret.TokenPrefix) {
				t.Fatalf("stdout is %q, want the token and a line end only", r.stdout)
			}
			if strings.Contains(r.stderr, tok) || strings.Contains(r.stderr, secret.Hash(tok)) {
				t.Errorf("stderr shows the token or its hash:\n%s", r.stderr)
			}
			got, err := store.FindTokenByHash(t.Context(), secret.Hash(tok), time.Now())
			if err != nil {
				t.Fatalf("the printed token is not stored: %v", err)
			}
			want := before.Add(30 * 24 * time.Hour)
			if got.UserID != "alice" || got.ID != "ci-deploy" || got.Role != lifeboat.RoleResponder ||
				got.ExpiresAt.Before(want.Add(-time.Second)) || got.ExpiresAt.After(want.Add(time.Minute)) {
				t.Errorf("stored token: %+v, want expiry near %v", got, want)
			}

			// The role defaults to the user's, the lifetime to 90 days.
			r = runLifeboat(t, nil, append([]string{"token", "create", "--user", "alice", "--name", "nightly"}, db...)...)
			wantExit(t, r, exitOK, "")
			got, err = store.FindTokenByHash(t.Context(), secret.Hash(strings.TrimSpace(r.stdout)), time.Now())
			if err != nil || got.Role != lifeboat.RoleContinuityManager || got.ExpiresAt.Sub(before) < 89*24*time.Hour {
				t.Errorf("token with defaults: %+v, %v", got, err)
			}
			r = runLifeboat(t, nil, append([]string{"token", "create", "--user", "alice", "--name", "forever", "--expires", "never"}, db...)...)
			wantExit(t, r, exitOK, "it never expires")
			got, err = store.FindTokenByHash(t.Context(), secret.Hash(strings.TrimSpace(r.stdout)), time.Now())
			if err != nil || !got.ExpiresAt.IsZero() {
				t.Errorf("token that never expires: %+v, %v", got, err)
			}
		})
	}
}

func TestTokenCreateRefused(t *testing.T) {
	dsn := dbtest.URL(t, "sqlite")
	db := dsnFlag(dsn)
	for _, u := range [][]string{{"alice", "admin"}, {"bob", "viewer"}} {
		if r := runLifeboat(t, nil, append([]string{"user", "add", u[0], "--role", u[1]}, db...)...); r.err != nil {
			t.Fatal(r.err)
		}
	}
	if r := runLifeboat(t, nil, append([]string{"token", "create", "--user", "bob", "--name", "ci"}, db...)...); r.err != nil {
		t.Fatal(r.err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		msg  string
	}{
		{"no user", []string{"--name", "ci"}, nil, exitUsage, "--user is required"},
		{"user from the environment", []string{"--name", "ci"}, map[string]string{"LIFEBOAT_USER": "alice"}, exitUsage, "--user is required"},
		{"no name", []string{"--user", "bob"}, nil, exitUsage, "--name is required"},
		{"bad name", []string{"--user", "bob", "--name", "CI deploy"}, nil, exitUsage, "not a valid token name"},
		{"above the user", []string{"--user", "bob", "--name", "x", "--role", "admin"}, nil, exitUsage, "a token may do no more than its owner"},
		{"bad role", []string{"--user", "bob", "--name", "x", "--role", "root"}, nil, exitUsage, `"root" is not a role`},
		{"zero lifetime", []string{"--user", "bob", "--name", "x", "--expires", "0"}, nil, exitUsage, "--expires: use a duration such as 90d, or never"},
		{"bad lifetime", []string{"--user", "bob", "--name", "x", "--expires", "soon"}, nil, exitUsage, "--expires: invalid duration"},
		{"argument", []string{"ci", "--user", "bob"}, nil, exitUsage, "create takes no arguments"},
		{"unknown user", []string{"--user", "ghost", "--name", "x"}, nil, exitFailure, `user "ghost" not found`},
		{"taken", []string{"--user", "bob", "--name", "ci"}, nil, exitFailure, `already has a token "ci"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboat(t, tt.env, append(append([]string{"token", "create"}, tt.args...), db...)...)
			wantExit(t, r, tt.code, tt.msg)
			if r.stdout != "" {
				t.Errorf("a refused token create printed %q", r.stdout)
			}
		})
	}
	if all, _ := openStore(t, dsn).FindTokens(t.Context(), ""); len(all) != 1 {
		t.Errorf("%d tokens after refused creations, want 1", len(all))
	}
}

func TestTokenListRevoke(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			db := dsnFlag(dsn)
			for _, u := range [][]string{{"alice", "admin"}, {"bob", "viewer"}} {
				if r := runLifeboat(t, nil, append([]string{"user", "add", u[0], "--role", u[1]}, db...)...); r.err != nil {
					t.Fatal(r.err)
				}
			}
			tokens := map[string]string{}
			for _, tk := range [][]string{{"alice", "ci"}, {"alice", "backup"}, {"bob", "report"}} {
				r := runLifeboat(t, nil, append([]string{"token", "create", "--user", tk[0], "--name", tk[1]}, db...)...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				tokens[tk[1]] = strings.TrimSpace(r.stdout)
			}

			r := runLifeboat(t, nil, append([]string{"token", "revoke", "--user", "alice", "--name", "ci"}, db...)...)
			wantExit(t, r, exitOK, "")
			if r.stdout != "Revoked token ci of alice.\n" {
				t.Errorf("stdout: %q", r.stdout)
			}
			store := openStore(t, dsn)
			if _, err := store.FindTokenByHash(t.Context(), secret.Hash(tokens["ci"]), time.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
				t.Errorf("a revoked token is still found: %v", err)
			}
			if _, err := store.FindTokenByHash(t.Context(), secret.Hash(tokens["backup"]), time.Now()); err != nil {
				t.Errorf("revoking one token stopped another: %v", err)
			}

			r = runLifeboat(t, nil, append([]string{"token", "list", "--user", "alice"}, db...)...)
			wantExit(t, r, exitOK, "")
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], "USER") ||
				!strings.Contains(lines[1], "alice  backup  admin  active") || !strings.Contains(lines[2], "alice  ci      admin  revoked") {
				t.Errorf("token list --user alice:\n%s", r.stdout)
			}
			r = runLifeboat(t, nil, append([]string{"token", "list"}, db...)...)
			wantExit(t, r, exitOK, "")
			if !strings.Contains(r.stdout, "bob    report") || strings.Count(r.stdout, "\n") != 4 {
				t.Errorf("token list:\n%s", r.stdout)
			}
			for _, tok := range tokens {
				if strings.Contains(r.stdout, tok) || strings.Contains(r.stdout, secret.Hash(tok)) {
					t.Errorf("token list shows a token or its hash:\n%s", r.stdout)
				}
			}

			wantExit(t, runLifeboat(t, nil, append([]string{"token", "list", "--user", "ghost"}, db...)...), exitFailure, `user "ghost" not found`)
			wantExit(t, runLifeboat(t, nil, append([]string{"token", "revoke", "--user", "alice", "--name", "nope"}, db...)...),
				exitFailure, `user "alice" has no token "nope"`)
			wantExit(t, runLifeboat(t, nil, append([]string{"token", "revoke", "--user", "alice"}, db...)...), exitUsage, "--name is required")
		})
	}
}

// TestIdentityHelp checks that the flags naming what a command acts on
// have no environment variable, and that the database flags keep theirs.
func TestIdentityHelp(t *testing.T) {
	r := runLifeboat(t, nil, "token", "create", "--help")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if strings.Contains(r.stdout, "$LIFEBOAT_USER") || strings.Contains(r.stdout, "$LIFEBOAT_ROLE") || !strings.Contains(r.stdout, "$LIFEBOAT_DATABASE") {
		t.Errorf("token create --help:\n%s", r.stdout)
	}
	wantExit(t, runLifeboat(t, nil, "user"), exitUsage, "no command given")
	wantExit(t, runLifeboat(t, nil, "token", "mint"), exitUsage, `unknown command "mint"`)
}
