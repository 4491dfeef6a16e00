package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// adminTokens holds, per test server, an admin's API token that test
// requests without credentials of their own are sent with.
var adminTokens sync.Map

// authServer is the real router over a real database with every store,
// and an admin signed in for requests that bring no credentials.
func authServer(t testing.TB, db *sqldb.DB) *Server {
	t.Helper()
	s, err := New(Config{Services: db, Teams: db, People: db, Users: db, Sessions: db, Tokens: db,
		Throttle: db, Setup: db, Audit: db, Models: db, BIAs: db, Ready: db.Ping, Version: "test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	adminTokens.Store(s, makeUser(t, db, "root", lifeboat.RoleAdmin, ""))
	return s
}

// makeUser creates a user with the password "correct horse battery" and
// returns an API token with the user's role.
func makeUser(t testing.TB, db *sqldb.DB, id string, role lifeboat.Role, person string) string {
	t.Helper()
	ctx := context.Background()
	hash, err := password.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &lifeboat.User{ID: id, Role: role, PersonID: person, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	token, th := secret.NewToken("lbt_")
	if err := db.CreateToken(ctx, &lifeboat.Token{ID: "test", UserID: id, Role: role, Hash: th}); err != nil {
		t.Fatal(err)
	}
	return token
}

// asAdmin adds the test admin's token to a request that has no credentials.
func asAdmin(s http.Handler, r *http.Request) {
	if _, err := r.Cookie("lifeboat_session"); err == nil || r.Header.Get("Authorization") != "" || r.Header.Get("X-Anonymous") != "" {
		return
	}
	if token, ok := adminTokens.Load(s); ok {
		r.Header.Set("Authorization", "Bearer "+token.(string))
	}
}

// expectedRoutes is every route with the permission it must need. A route
// added to the server without a line here fails TestAuthorizationMatrix,
// so each new route is a decision about who may use it.
var expectedRoutes = map[string]lifeboat.Permission{
	"GET /healthz": public, "GET /readyz": public, "GET /static/": public, "GET /schema/v1.json": public,
	"GET /api/v1/openapi.json": public, " /api/v1/": public,
	"GET /api/v1/services": read, "POST /api/v1/services": editSvc, "GET /api/v1/services/{id}": read,
	"PUT /api/v1/services/{id}": editSvc, "PATCH /api/v1/services/{id}": editSvc, "DELETE /api/v1/services/{id}": editSvc,
	"GET /api/v1/services/{id}/dependents": read,
	"GET /api/v1/teams":                    read, "POST /api/v1/teams": editAll, "GET /api/v1/teams/{id}": read, "PUT /api/v1/teams/{id}": editAll,
	"PATCH /api/v1/teams/{id}": editAll, "DELETE /api/v1/teams/{id}": editAll,
	"GET /api/v1/people": read, "POST /api/v1/people": editAll, "GET /api/v1/people/{id}": read, "PUT /api/v1/people/{id}": editAll,
	"PATCH /api/v1/people/{id}": editAll, "DELETE /api/v1/people/{id}": editAll,
	"GET /api/v1/model": read, "GET /api/v1/model/findings": read, "POST /api/v1/model/check": read,
	"POST /api/v1/impact": read, "GET /api/v1/order": read, "GET /api/v1/objectives": read, "GET /api/v1/services/{id}/graph": read,
	"GET /api/v1/impact-scale": read, "PUT /api/v1/impact-scale": admin, "GET /impact-scale": read, "POST /impact-scale": admin,
	"POST /api/v1/model/plan": editAll, "POST /api/v1/model/apply": editAll,
	"GET /api/v1/bias": read, "GET /api/v1/services/{id}/bia": read, "PUT /api/v1/services/{id}/bia": editSvc,
	"DELETE /api/v1/services/{id}/bia": editSvc, "POST /api/v1/services/{id}/bia/submit": editSvc,
	"POST /api/v1/services/{id}/bia/approve": approveBIA, "POST /api/v1/services/{id}/bia/return": approveBIA,
	"GET /login": public, "POST /login": public, "POST /logout": signedIn, "GET /login/oidc": public, "GET /login/oidc/callback": public, "GET /setup": public, "POST /setup": public,
	"GET /api/docs": read, "GET /{$}": read, "GET /services": read, "GET /services/new": editSvc, "POST /services": editSvc,
	"GET /services/{id}": read, "GET /services/{id}/graph": read, "GET /services/{id}/edit": editSvc, "POST /services/{id}": editSvc,
	"GET /services/{id}/delete": editSvc, "POST /services/{id}/delete": editSvc, "POST /services/{id}/dependencies": editSvc,
	"POST /services/{id}/dependencies/{pos}/delete": editSvc, "GET /service-options": read,
	"GET /services/{id}/bia": read, "GET /services/{id}/bia/report": read, "GET /services/{id}/bia/edit": editSvc,
	"POST /services/{id}/bia": editSvc, "POST /services/{id}/bia/preview": editSvc, "POST /services/{id}/bia/submit": editSvc,
	"POST /services/{id}/bia/approve": approveBIA, "POST /services/{id}/bia/return": approveBIA,
	"GET /bia": read, "GET /bia/report": read,
	"GET /teams": read, "GET /teams/new": editAll, "POST /teams": editAll, "GET /teams/{id}": read, "GET /teams/{id}/edit": editAll,
	"POST /teams/{id}": editAll, "POST /teams/{id}/delete": editAll,
	"GET /people": read, "GET /people/new": editAll, "POST /people": editAll, "GET /people/{id}": read, "GET /people/{id}/edit": editAll,
	"POST /people/{id}": editAll, "POST /people/{id}/delete": editAll,
	"GET /model": read, "GET /model/export.yaml": read, "GET /findings": read, "POST /model/plan": editAll, "POST /model/apply": editAll,
	"GET /audit": audit, "GET /admin/sessions": admin, "POST /admin/sessions/{id}/delete": admin,
	" /": public,
}

// TestAuthorizationMatrix sends every route of the router as every role and
// as an anonymous visitor, and checks each answer against the permission
// the route must need.
func TestAuthorizationMatrix(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	ctx := context.Background()
	// The service owner owns svc through a team, so that route permissions
	// alone decide; TestServiceOwnerRule covers services of other teams.
	db.CreatePerson(ctx, &lifeboat.Person{ID: "owner"})
	db.CreateTeam(ctx, &lifeboat.Team{ID: "owners", Members: []string{"owner"}})
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "svc", Owner: "owners"}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range s.table {
		key := r.Method + " " + r.Path
		seen[key] = true
		want, ok := expectedRoutes[key]
		if !ok {
			t.Errorf("route %q has no expected permission in expectedRoutes: decide who may use it", key)
		} else if want != r.Perm {
			t.Errorf("route %q needs %q, want %q", key, r.Perm, want)
		}
	}
	for key := range expectedRoutes {
		if !seen[key] {
			t.Errorf("expected route %q is not registered", key)
		}
	}
	tokens := map[lifeboat.Role]string{}
	for _, role := range lifeboat.Roles {
		tokens[role] = makeUser(t, db, "u-"+string(role), role, "owner")
	}
	for _, r := range s.table {
		method := r.Method
		if method == "" {
			method = http.MethodGet
		}
		path := strings.NewReplacer("{id}", "svc", "{pos}", "0", "{$}", "").Replace(r.Path)
		if r.Path == "/" {
			path = "/no-such-page" // the catch-all, not the home page
		}
		api := strings.HasPrefix(path, APIPrefix)
		for _, role := range append([]lifeboat.Role{""}, lifeboat.Roles...) {
			req := httptest.NewRequest(method, path, strings.NewReader(""))
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			if role == "" {
				req.Header.Set("X-Anonymous", "1")
			} else {
				req.Header.Set("Authorization", "Bearer "+tokens[role])
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			got := w.Code
			switch {
			case r.Perm == public:
				if got == http.StatusForbidden || (api && got == http.StatusUnauthorized) || strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
					t.Errorf("%s %s as %q = %d, but it is public", method, path, role, got)
				}
			case role == "" && api:
				if got != http.StatusUnauthorized {
					t.Errorf("%s %s anonymous = %d, want 401", method, path, got)
				}
			case role == "":
				if got != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
					t.Errorf("%s %s anonymous = %d to %q, want a redirect to sign in", method, path, got, w.Header().Get("Location"))
				}
			case !role.Can(r.Perm):
				if got != http.StatusForbidden {
					t.Errorf("%s %s as %s = %d, want 403", method, path, role, got)
				}
			default:
				if got == http.StatusUnauthorized || got == http.StatusForbidden {
					t.Errorf("%s %s as %s = %d, want it allowed", method, path, role, got)
				}
			}
		}
	}
}

func TestTokens(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	ctx := context.Background()
	viewer := makeUser(t, db, "vera", lifeboat.RoleViewer, "")
	expired, eh := secret.NewToken("lbt_")
	db.CreateToken(ctx, &lifeboat.Token{ID: "old", UserID: "vera", Role: lifeboat.RoleViewer, Hash: eh, ExpiresAt: time.Now().Add(-time.Hour)})
	revoked, rh := secret.NewToken("lbt_")
	db.CreateToken(ctx, &lifeboat.Token{ID: "gone", UserID: "vera", Role: lifeboat.RoleViewer, Hash: rh})
	if err := db.RevokeToken(ctx, "vera", "gone"); err != nil {
		t.Fatal(err)
	}
	forged := "lbt_" + strings.Repeat("A", 43)
	for _, c := range []struct {
		name, header string
		want         int
	}{
		{"valid", "Bearer " + viewer, 200},
		{"expired", "Bearer " + expired, 401},
		{"revoked", "Bearer " + revoked, 401},
		{"forged", "Bearer " + forged, 401},
		{"not bearer", "Basic dmVyYTp4", 401},
	} {
		r := do(s, "GET", "/api/v1/services", "", "Authorization", c.header)
		if r.status != c.want {
			t.Errorf("%s token: %d, want %d", c.name, r.status, c.want)
		}
	}
	if r := do(s, "POST", "/api/v1/services", `{"id":"x"}`, "Authorization", "Bearer "+viewer); r.status != 403 {
		t.Errorf("a viewer's token may not write: %d", r.status)
	}
	u, _ := db.FindUserByID(ctx, "vera")
	u.Disabled = true
	if err := db.UpdateUser(ctx, u, 0); err != nil {
		t.Fatal(err)
	}
	if r := do(s, "GET", "/api/v1/services", "", "Authorization", "Bearer "+viewer); r.status != 401 {
		t.Errorf("a disabled user's token must stop working: %d", r.status)
	}
}

// signIn posts the sign-in form and returns the response.
func signIn(s *Server, user, pw, addr string) pageResponse {
	form := url.Values{"user": {user}, "password": {pw}, "next": {"/services"}}
	r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set("X-Anonymous", "1")
	r.RemoteAddr = addr + ":40000"
	return serve(s, r)
}

func TestSessions(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	makeUser(t, db, "vera", lifeboat.RoleViewer, "")
	r := signIn(s, "vera", "correct horse battery", "10.0.0.1")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/services" {
		t.Fatalf("sign-in = %d to %q", r.Status, r.Header.Get("Location"))
	}
	cookie := r.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("session cookie %q must be HttpOnly and SameSite", cookie)
	}
	jar := strings.SplitN(cookie, ";", 2)[0]
	page := get(t, s, "/services", "Cookie", jar)
	wantStatus(t, page, 200)
	wantContains(t, page, "vera", "Sign out")
	wantLacks(t, page, `href="/services/new"`) // a viewer sees no edit controls

	// A forged POST from the viewer's session is refused by role...
	req := httptest.NewRequest(http.MethodPost, "/services", strings.NewReader("id=evil"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", jar)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if got := serve(s, req); got.Status != http.StatusForbidden {
		t.Errorf("a viewer's POST = %d, want 403", got.Status)
	}
	// ...and from another site by origin, whatever the role.
	req = httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.Header.Set("Cookie", jar)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if got := serve(s, req); got.Status != http.StatusForbidden {
		t.Errorf("a cross-site POST = %d, want 403", got.Status)
	}

	req = httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.Header.Set("Cookie", jar)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if got := serve(s, req); got.Status != http.StatusSeeOther {
		t.Fatalf("sign out = %d", got.Status)
	}
	if got := get(t, s, "/services", "Cookie", jar); got.Status != http.StatusSeeOther {
		t.Errorf("after signing out the old cookie must not work: %d", got.Status)
	}
}

func TestSignInAnswersAlikeAndThrottles(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	makeUser(t, db, "vera", lifeboat.RoleViewer, "")
	wrong := signIn(s, "vera", "not the password", "10.0.0.2")
	unknown := signIn(s, "nobody", "not the password", "10.0.0.3")
	if wrong.Status != 401 || unknown.Status != 401 {
		t.Fatalf("wrong password %d, unknown user %d; want 401 for both", wrong.Status, unknown.Status)
	}
	if !strings.Contains(wrong.Body, "Wrong user name or password") || !strings.Contains(unknown.Body, "Wrong user name or password") {
		t.Error("unknown users and wrong passwords must get the same message")
	}
	for i := range s.Auth.MaxFailures {
		signIn(s, "vera", fmt.Sprint("guess", i), "10.0.0.4")
	}
	if r := signIn(s, "vera", "correct horse battery", "10.0.0.5"); r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Too many failed sign-ins") {
		t.Errorf("after %d failures the account is throttled: %d", s.Auth.MaxFailures, r.Status)
	}
	for i := range s.Auth.MaxFailures {
		signIn(s, fmt.Sprint("user", i), "x", "10.0.0.6")
	}
	if r := signIn(s, "root", "correct horse battery", "10.0.0.6"); r.Status != http.StatusTooManyRequests {
		t.Errorf("after %d failures from one address, that address is throttled: %d", s.Auth.MaxFailures, r.Status)
	}
	if r := signIn(s, "root", "correct horse battery", "10.0.0.7"); r.Status != http.StatusSeeOther {
		t.Errorf("other addresses and accounts still sign in: %d", r.Status)
	}
	if got := safeNext("//evil.example/x"); got != "/" {
		t.Errorf("safeNext kept an off-site redirect: %q", got)
	}
}

func TestServiceOwnerRule(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	ctx := context.Background()
	db.CreatePerson(ctx, &lifeboat.Person{ID: "olga"})
	db.CreateTeam(ctx, &lifeboat.Team{ID: "payments", Members: []string{"olga"}})
	db.CreateTeam(ctx, &lifeboat.Team{ID: "logistics"})
	db.CreateService(ctx, &lifeboat.Service{ID: "pay", Owner: "payments"})
	db.CreateService(ctx, &lifeboat.Service{ID: "ship", Owner: "logistics"})
	owner := "Bearer " + makeUser(t, db, "olga", lifeboat.RoleServiceOwner, "olga")
	runSteps(t, s, []step{
		{name: "own service", method: "PUT", path: "/api/v1/services/pay", body: `{"id":"pay","owner":"payments","name":"Pay"}`, headers: []string{"Authorization", owner}, status: 200},
		{name: "other team's service", method: "PUT", path: "/api/v1/services/ship", body: `{"id":"ship","owner":"logistics"}`, headers: []string{"Authorization", owner}, status: 403},
		{name: "give it away", method: "PUT", path: "/api/v1/services/pay", body: `{"id":"pay","owner":"logistics"}`, headers: []string{"Authorization", owner}, status: 403},
		{name: "create for own team", method: "POST", path: "/api/v1/services", body: `{"id":"pay2","owner":"payments"}`, headers: []string{"Authorization", owner}, status: 201},
		{name: "create unowned", method: "POST", path: "/api/v1/services", body: `{"id":"loose"}`, headers: []string{"Authorization", owner}, status: 403},
		{name: "delete other's", method: "DELETE", path: "/api/v1/services/ship", headers: []string{"Authorization", owner}, status: 403},
		{name: "teams are the managers'", method: "POST", path: "/api/v1/teams", body: `{"id":"mine"}`, headers: []string{"Authorization", owner}, status: 403},
	})
}

func TestClientAddressAndHTTPSBehindProxies(t *testing.T) {
	s := authServer(t, dbtest.Open(t, "sqlite"))
	s.Auth.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		peer, forwardedFor, proto string
		wantAddr                  string
		wantHTTPS                 bool
	}{
		{"192.0.2.1", "", "", "192.0.2.1", false},
		{"192.0.2.1", "203.0.113.9", "https", "192.0.2.1", false}, // untrusted peers cannot claim anything
		{"10.1.2.3", "203.0.113.9", "https", "203.0.113.9", true},
		{"10.1.2.3", "198.51.100.7, 203.0.113.9, 10.9.9.9", "http", "203.0.113.9", false}, // the nearest untrusted hop
		{"10.1.2.3", "garbage", "", "10.1.2.3", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer + ":5555"
		if c.forwardedFor != "" {
			r.Header.Set("X-Forwarded-For", c.forwardedFor)
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if got := s.clientAddress(r); got != c.wantAddr {
			t.Errorf("peer %s, X-Forwarded-For %q: address %q, want %q", c.peer, c.forwardedFor, got, c.wantAddr)
		}
		if got := s.isHTTPS(r); got != c.wantHTTPS {
			t.Errorf("peer %s, proto %q: https %v, want %v", c.peer, c.proto, got, c.wantHTTPS)
		}
	}
}

func TestAdminEndsSessions(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	makeUser(t, db, "vera", lifeboat.RoleViewer, "")
	jar := strings.SplitN(signIn(s, "vera", "correct horse battery", "10.0.0.9").Header.Get("Set-Cookie"), ";", 2)[0]
	if r := get(t, s, "/services", "Cookie", jar); r.Status != 200 {
		t.Fatalf("signed in: %d", r.Status)
	}
	list := get(t, s, "/admin/sessions")
	wantStatus(t, list, 200)
	wantContains(t, list, "vera", "10.0.0.9")
	sessions, err := db.FindSessions(context.Background(), "vera")
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions of vera: %v, %v", sessions, err)
	}
	wantStatus(t, post(t, s, "/admin/sessions/"+sessions[0].ID+"/delete", nil), http.StatusSeeOther)
	if r := get(t, s, "/services", "Cookie", jar); r.Status != http.StatusSeeOther {
		t.Errorf("an ended session must not work: %d", r.Status)
	}
	if r := get(t, s, "/admin/sessions", "Authorization", "Bearer "+makeUser(t, db, "mgr", lifeboat.RoleContinuityManager, "")); r.Status != http.StatusForbidden {
		t.Errorf("only admins see sessions: %d", r.Status)
	}
}

func TestAuditPage(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := authServer(t, db)
	makeUser(t, db, "vera", lifeboat.RoleViewer, "")
	signIn(s, "vera", "wrong password here", "192.0.2.44")
	signIn(s, "vera", "correct horse battery", "192.0.2.45")
	auditor := makeUser(t, db, "otto", lifeboat.RoleAuditor, "")
	page := get(t, s, "/audit", "Authorization", "Bearer "+auditor)
	wantStatus(t, page, 200)
	wantContains(t, page, "sign-in-failed", "192.0.2.44", "sign-in", "192.0.2.45", ">create</span> user <strong>vera</strong>")
	filtered := get(t, s, "/audit?action=sign-in-failed", "Authorization", "Bearer "+auditor)
	wantContains(t, filtered, "192.0.2.44")
	wantLacks(t, filtered, "192.0.2.45")
	viewer := makeUser(t, db, "vic", lifeboat.RoleViewer, "")
	wantStatus(t, get(t, s, "/audit", "Authorization", "Bearer "+viewer), http.StatusForbidden)
	check, err := db.VerifyAudit(context.Background())
	if err != nil || !check.Intact() || check.Entries < 5 {
		t.Errorf("the chain after these events: %+v, %v", check, err)
	}
}
