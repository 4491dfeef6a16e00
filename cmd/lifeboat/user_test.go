package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// openStore opens a database the command has migrated.
func openStore(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wantExit fails the test unless r ended with code and, when msg is not
// empty, says msg on stderr.
func wantExit(t *testing.T, r result, code int, msg string) {
	t.Helper()
	if got := exitCode(r.err); got != code {
		t.Fatalf("exit code %d, want %d (err %v)\nstdout: %s\nstderr: %s", got, code, r.err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, msg) {
		t.Fatalf("stderr does not say %q:\n%s", msg, r.stderr)
	}
}

var printedPassword = regexp.MustCompile(`(?m)^Password: (\S+)$`)

// checkPassword checks that the user's stored hash matches pw and that
// neither output shows the hash.
func checkPassword(t *testing.T, db *sqldb.DB, r result, id, pw string) {
	t.Helper()
	u, err := db.FindUserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := password.Verify(pw, u.PasswordHash); !ok || err != nil {
		t.Errorf("the password of %s does not verify: %v, %v", id, ok, err)
	}
	if strings.Contains(r.stdout+r.stderr, u.PasswordHash) || strings.Contains(r.stdout+r.stderr, "$argon2id$") {
		t.Errorf("the output shows a password hash:\n%s%s", r.stdout, r.stderr)
	}
}

func TestUserAdd(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			db := dsnFlag(dsn)
			r := runLifeboat(t, nil, append([]string{"user", "list"}, db...)...)
			wantExit(t, r, exitOK, "No users yet")
			if r.stdout != "ID  NAME  ROLE  DISABLED  CREATED\n" {
				t.Errorf("user list of a new database:\n%s", r.stdout)
			}

			r = runLifeboat(t, nil, append([]string{"user", "add", "alice", "--role", "admin", "--name", "Alice Adams", "--email", "alice@example.com"}, db...)...)
			wantExit(t, r, exitOK, "")
			m := printedPassword.FindStringSubmatch(r.stdout)
			if m == nil || !strings.Contains(r.stdout, "shown only this once") {
				t.Fatalf("user add without --password-stdin should print a password once:\n%s", r.stdout)
			}
			store := openStore(t, dsn)
			checkPassword(t, store, r, "alice", m[1])
			alice, _ := store.FindUserByID(t.Context(), "alice")
			if alice.Name != "Alice Adams" || alice.Email != "alice@example.com" || alice.Role != lifeboat.RoleAdmin {
				t.Errorf("alice: %+v", alice)
			}

			const pw = "correct horse battery staple"
			r = runLifeboatStdin(t, nil, pw+"\r\n", append([]string{"user", "add", "bob", "--role", "viewer", "--password-stdin"}, db...)...)
			wantExit(t, r, exitOK, "")
			if r.stdout != "Created user bob with role viewer.\n" {
				t.Errorf("stdout: %q", r.stdout)
			}
			checkPassword(t, store, r, "bob", pw)

			if err := store.CreatePerson(t.Context(), &lifeboat.Person{ID: "carol-c"}); err != nil {
				t.Fatal(err)
			}
			r = runLifeboatStdin(t, nil, "no line end at all", append([]string{"user", "add", "carol", "--role", "responder", "--person", "carol-c", "--password-stdin"}, db...)...)
			wantExit(t, r, exitOK, "")
			checkPassword(t, store, r, "carol", "no line end at all")
			if carol, _ := store.FindUserByID(t.Context(), "carol"); carol.PersonID != "carol-c" {
				t.Errorf("carol's person: %q", carol.PersonID)
			}

			r = runLifeboat(t, nil, append([]string{"user", "list"}, db...)...)
			wantExit(t, r, exitOK, "")
			for _, want := range []string{"alice  Alice Adams  admin      no", "bob    -            viewer     no", "carol  -            responder  no"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("user list does not show %q:\n%s", want, r.stdout)
				}
			}
		})
	}
}

func TestUserAddRefused(t *testing.T) {
	dsn := dbtest.URL(t, "sqlite")
	db := dsnFlag(dsn)
	if r := runLifeboat(t, nil, append([]string{"user", "add", "alice", "--role", "admin"}, db...)...); r.err != nil {
		t.Fatal(r.err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		env   map[string]string
		code  int
		msg   string
	}{
		{"no role", []string{"dave"}, "", nil, exitUsage, "--role is required"},
		{"role from the environment", []string{"dave"}, "", map[string]string{"LIFEBOAT_ROLE": "admin"}, exitUsage, "--role is required"},
		{"bad role", []string{"dave", "--role", "root"}, "", nil, exitUsage, `"root" is not a role`},
		{"bad name", []string{"Dave", "--role", "viewer"}, "", nil, exitUsage, "not a valid user name"},
		{"no name", []string{"--role", "viewer"}, "", nil, exitUsage, "takes one argument, NAME; got 0"},
		{"two names", []string{"dave", "erin", "--role", "viewer"}, "", nil, exitUsage, "got 2"},
		{"bad email", []string{"dave", "--role", "viewer", "--email", "dave"}, "", nil, exitUsage, "not an e-mail address"},
		{"unknown person", []string{"dave", "--role", "viewer", "--person", "ghost"}, "", nil, exitUsage, `no person "ghost"`},
		{"short password", []string{"dave", "--role", "viewer", "--password-stdin"}, "hunter2\n", nil, exitUsage, "at least 12 characters"},
		{"one character", []string{"dave", "--role", "viewer", "--password-stdin"}, "hhhhhhhhhhhhhhhh\n", nil, exitUsage, "one character"},
		{"empty stdin", []string{"dave", "--role", "viewer", "--password-stdin"}, "", nil, exitUsage, "no password on stdin"},
		{"empty line", []string{"dave", "--role", "viewer", "--password-stdin"}, "\n", nil, exitUsage, "at least 12 characters"},
		{"taken", []string{"alice", "--role", "viewer"}, "", nil, exitFailure, `a user with id "alice" already exists`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboatStdin(t, tt.env, tt.stdin, append(append([]string{"user", "add"}, tt.args...), db...)...)
			wantExit(t, r, tt.code, tt.msg)
			if pw := strings.TrimSpace(tt.stdin); pw != "" && strings.Contains(r.stderr+r.stdout, pw) {
				t.Errorf("the output shows the password:\n%s", r.stderr)
			}
		})
	}
	if n, _ := openStore(t, dsn).CountUsers(t.Context()); n != 1 {
		t.Errorf("%d users after refused additions, want 1", n)
	}
}

func TestUserDisableEnable(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			db := dsnFlag(dsn)
			for _, u := range [][]string{{"alice", "admin"}, {"bob", "responder"}} {
				if r := runLifeboat(t, nil, append([]string{"user", "add", u[0], "--role", u[1]}, db...)...); r.err != nil {
					t.Fatal(r.err)
				}
			}
			store := openStore(t, dsn)
			ctx := t.Context()
			mustSession(t, store, "bob")
			r := runLifeboat(t, nil, append([]string{"user", "disable", "bob"}, db...)...)
			wantExit(t, r, exitOK, "")
			if !strings.Contains(r.stdout, "User bob is disabled") {
				t.Errorf("stdout: %s", r.stdout)
			}
			bob, _ := store.FindUserByID(ctx, "bob")
			if sessions, _ := store.FindSessions(ctx, "bob"); !bob.Disabled || len(sessions) != 0 {
				t.Errorf("after user disable: disabled %v, %d sessions", bob.Disabled, len(sessions))
			}
			r = runLifeboat(t, nil, append([]string{"user", "disable", "bob"}, db...)...)
			wantExit(t, r, exitOK, "")
			if r.stdout != "User bob is already disabled.\n" {
				t.Errorf("disabling twice: %q", r.stdout)
			}
			r = runLifeboat(t, nil, append([]string{"user", "enable", "bob"}, db...)...)
			wantExit(t, r, exitOK, "")
			if bob, _ := store.FindUserByID(ctx, "bob"); bob.Disabled {
				t.Error("bob is still disabled after user enable")
			}
			wantExit(t, runLifeboat(t, nil, append([]string{"user", "disable", "alice"}, db...)...), exitFailure, "last enabled admin")
			wantExit(t, runLifeboat(t, nil, append([]string{"user", "disable", "ghost"}, db...)...), exitFailure, `user "ghost" not found`)
			wantExit(t, runLifeboat(t, nil, append([]string{"user", "enable"}, db...)...), exitUsage, "takes one argument")
		})
	}
}

func TestUserResetPassword(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			db := dsnFlag(dsn)
			if r := runLifeboat(t, nil, append([]string{"user", "add", "alice", "--role", "admin"}, db...)...); r.err != nil {
				t.Fatal(r.err)
			}
			store := openStore(t, dsn)
			ctx := t.Context()
			mustSession(t, store, "alice")
			if err := store.RecordFailedLogin(ctx, []string{lifeboat.ThrottleUser("alice")}, time.Now()); err != nil {
				t.Fatal(err)
			}

			r := runLifeboat(t, nil, append([]string{"user", "reset-password", "alice"}, db...)...)
			wantExit(t, r, exitOK, "")
			m := printedPassword.FindStringSubmatch(r.stdout)
			if m == nil {
				t.Fatalf("reset-password should print the new password:\n%s", r.stdout)
			}
			checkPassword(t, store, r, "alice", m[1])
			if sessions, _ := store.FindSessions(ctx, "alice"); len(sessions) != 0 {
				t.Errorf("%d sessions left after reset-password", len(sessions))
			}
			if n, _ := store.CountFailedLogins(ctx, lifeboat.ThrottleUser("alice"), time.Time{}); n != 0 {
				t.Errorf("%d failed sign-ins left after reset-password", n)
			}

			const pw = "a passphrase from stdin"
			r = runLifeboatStdin(t, nil, pw+"\n", append([]string{"user", "reset-password", "alice", "--password-stdin"}, db...)...)
			wantExit(t, r, exitOK, "")
			if strings.Contains(r.stdout, pw) || printedPassword.MatchString(r.stdout) {
				t.Errorf("stdout shows a password:\n%s", r.stdout)
			}
			checkPassword(t, store, r, "alice", pw)

			wantExit(t, runLifeboatStdin(t, nil, "short\n", append([]string{"user", "reset-password", "alice", "--password-stdin"}, db...)...),
				exitUsage, "at least 12 characters")
			checkPassword(t, store, r, "alice", pw)
			wantExit(t, runLifeboat(t, nil, append([]string{"user", "reset-password", "ghost"}, db...)...), exitFailure, `user "ghost" not found`)
		})
	}
}

func dsnFlag(dsn string) []string { return []string{"--database", dsn, "--log-level", "warn"} }

func mustSession(t *testing.T, db *sqldb.DB, user string) {
	t.Helper()
	s := &lifeboat.Session{ID: "session-of-" + user, UserID: user, ExpiresAt: time.Now().Add(time.Hour)}
	if err := db.CreateSession(t.Context(), s); err != nil {
		t.Fatal(err)
	}
}
