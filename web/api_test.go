package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// newTestServer returns the real router over a real, empty database.
func newTestServer(t testing.TB, db *sqldb.DB) *Server {
	t.Helper()
	return authServer(t, db)
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
	return m
}

func do(s http.Handler, method, path, body string, headers ...string) response {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	asAdmin(s, req)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return response{w.Code, w.Header(), w.Body.String()}
}

// step is one request in a scripted API conversation and what must come back.
type step struct {
	name    string
	method  string
	path    string
	body    string
	headers []string
	status  int
	// contains lists strings the body must contain, such as a field location.
	contains []string
	// header lists header names and values the response must have.
	header []string
}

func runSteps(t *testing.T, s http.Handler, steps []step) {
	t.Helper()
	for _, st := range steps {
		r := do(s, st.method, st.path, st.body, st.headers...)
		if r.status != st.status {
			t.Errorf("%s: %s %s = %d, want %d\n%s", st.name, st.method, st.path, r.status, st.status, r.body)
			continue
		}
		for _, c := range st.contains {
			if !strings.Contains(r.body, c) {
				t.Errorf("%s: body lacks %q:\n%s", st.name, c, r.body)
			}
		}
		for i := 0; i+1 < len(st.header); i += 2 {
			if got := r.header.Get(st.header[i]); got != st.header[i+1] {
				t.Errorf("%s: header %s = %q, want %q", st.name, st.header[i], got, st.header[i+1])
			}
		}
		if r.status >= 400 && !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: error content type %q, want application/problem+json", st.name, r.header.Get("Content-Type"))
		}
	}
}

func TestServiceAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		big := `{"id":"big","description":"` + strings.Repeat("x", 2<<20) + `"}`
		runSteps(t, s, []step{
			{name: "create team", method: "POST", path: "/api/v1/teams", body: `{"id":"ops","name":"Operations"}`, status: 201},
			{name: "create db", method: "POST", path: "/api/v1/services", body: `{"id":"db","kind":"data-store"}`, status: 201,
				header: []string{"Location", "/api/v1/services/db", "ETag", `"1"`}},
			{name: "create replica", method: "POST", path: "/api/v1/services", body: `{"id":"db-replica","kind":"data-store"}`, status: 201},
			{name: "create network", method: "POST", path: "/api/v1/services", body: `{"id":"net","kind":"network"}`, status: 201},
			{name: "create app with every dependency form", method: "POST", path: "/api/v1/services", status: 201,
				body: `{"id":"shop","name":"Shop","owner":"ops","tier":1,"tags":["web"],"objectives":{"rto":"240m","rpo":"0"},
					"depends_on":["net",{"any_of":["db","db-replica"]}]}`,
				contains: []string{`"rto":"4h"`, `"rpo":"0s"`, `"on":"net"`, `"min_up":1`, `"impact":"down"`}},
			{name: "read back", method: "GET", path: "/api/v1/services/shop", status: 200, header: []string{"ETag", `"1"`},
				contains: []string{`"kind":"application"`, `"lifecycle":"active"`, `"any_of":["db","db-replica"]`}},
			{name: "duplicate id", method: "POST", path: "/api/v1/services", body: `{"id":"db"}`, status: 409, contains: []string{`already exists`}},
			{name: "malformed JSON", method: "POST", path: "/api/v1/services", body: `{"id":`, status: 400},
			{name: "unknown field", method: "POST", path: "/api/v1/services", body: `{"id":"x","colour":"red"}`, status: 422, contains: []string{"colour"}},
			{name: "wrong type", method: "POST", path: "/api/v1/services", body: `{"id":"x","tier":"high"}`, status: 422, contains: []string{"body.tier"}},
			{name: "bad id", method: "POST", path: "/api/v1/services", body: `{"id":"Not Valid"}`, status: 422, contains: []string{"body.id"}},
			{name: "duration as seconds", method: "POST", path: "/api/v1/services", body: `{"id":"timed","objectives":{"rto":5400}}`, status: 201,
				contains: []string{`"rto":"1h30m"`}},
			{name: "negative seconds", method: "POST", path: "/api/v1/services", body: `{"id":"x","objectives":{"rto":-5}}`, status: 422, contains: []string{"body.objectives.rto"}},
			{name: "bad duration", method: "POST", path: "/api/v1/services", body: `{"id":"x","objectives":{"rto":"4 hours"}}`, status: 422, contains: []string{"body.objectives.rto"}},
			{name: "missing dependency", method: "POST", path: "/api/v1/services", body: `{"id":"x","depends_on":["db",{"on":"ghost"}]}`, status: 422,
				contains: []string{"body.depends_on[1].on", `no service \"ghost\"`}},
			{name: "self dependency", method: "POST", path: "/api/v1/services", body: `{"id":"x","depends_on":["x"]}`, status: 422, contains: []string{"itself"}},
			{name: "oversized body", method: "POST", path: "/api/v1/services", body: big, status: 413},
			{name: "nothing half-written", method: "GET", path: "/api/v1/services/x", status: 404},
			{name: "replace with stale etag", method: "PUT", path: "/api/v1/services/shop", body: `{"id":"shop","name":"Old"}`,
				headers: []string{"If-Match", `"7"`}, status: 412, contains: []string{"changed by someone else"}},
			{name: "replace with garbage etag", method: "PUT", path: "/api/v1/services/shop", body: `{"id":"shop"}`, headers: []string{"If-Match", `abc`}, status: 412},
			{name: "replace with current etag", method: "PUT", path: "/api/v1/services/shop", body: `{"id":"shop","name":"New Shop","owner":"ops","depends_on":["db"]}`,
				headers: []string{"If-Match", `"1"`}, status: 200, header: []string{"ETag", `"2"`}},
			{name: "id cannot change", method: "PUT", path: "/api/v1/services/shop", body: `{"id":"other"}`, status: 422, contains: []string{"body.id"}},
			{name: "merge patch", method: "PATCH", path: "/api/v1/services/shop", body: `{"tier":0}`, headers: []string{"Content-Type", "application/merge-patch+json"},
				status: 200, contains: []string{`"tier":0`, `"name":"New Shop"`}},
			{name: "stale patch", method: "PATCH", path: "/api/v1/services/shop", body: `{"tier":2}`,
				headers: []string{"Content-Type", "application/merge-patch+json", "If-Match", `"2"`}, status: 412},
			{name: "dependents", method: "GET", path: "/api/v1/services/db/dependents", status: 200, contains: []string{`"id":"shop"`}},
			{name: "delete refused", method: "DELETE", path: "/api/v1/services/db", status: 409, contains: []string{"shop depends on it"}},
			{name: "delete team refused", method: "DELETE", path: "/api/v1/teams/ops", status: 409, contains: []string{"shop"}},
			{name: "delete", method: "DELETE", path: "/api/v1/services/shop", status: 204},
			{name: "gone", method: "GET", path: "/api/v1/services/shop", status: 404, contains: []string{`service \"shop\" not found`}},
			{name: "unknown route", method: "GET", path: "/api/v1/nothing", status: 404},
		})
	})
}

func TestServiceListAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		for _, body := range []string{
			`{"id":"a-site","kind":"site","tier":0}`, `{"id":"b-app","tags":["pci"]}`, `{"id":"c-app","tier":2,"tags":["pci"]}`,
			`{"id":"d-store","kind":"data-store","name":"Orders DB"}`, `{"id":"e-app","tier":2}`,
		} {
			if r := do(s, "POST", "/api/v1/services", body); r.status != 201 {
				t.Fatalf("create %s: %d %s", body, r.status, r.body)
			}
		}
		ids := func(r response) string {
			var page struct {
				Items []struct{ ID string } `json:"items"`
			}
			json.Unmarshal([]byte(r.body), &page)
			var out []string
			for _, it := range page.Items {
				out = append(out, it.ID)
			}
			return strings.Join(out, ",")
		}
		cases := []struct{ query, want string }{
			{"", "a-site,b-app,c-app,e-app,d-store"},
			{"?sort=id", "a-site,b-app,c-app,d-store,e-app"},
			{"?sort=tier", "a-site,c-app,e-app,b-app,d-store"},
			{"?tag=pci", "b-app,c-app"},
			{"?tier=2&sort=id", "c-app,e-app"},
			{"?kind=data-store", "d-store"},
			{"?q=ORDERS", "d-store"},
			{"?q=nothing-matches", ""},
		}
		for _, c := range cases {
			r := do(s, "GET", "/api/v1/services"+c.query, "")
			if r.status != 200 || ids(r) != c.want {
				t.Errorf("GET %s = %d %q, want %q", c.query, r.status, ids(r), c.want)
			}
		}
		// Walk the pages by the Link header.
		var got []string
		next := "/api/v1/services?limit=2&sort=id"
		for next != "" {
			r := do(s, "GET", next, "")
			if r.status != 200 {
				t.Fatalf("GET %s = %d %s", next, r.status, r.body)
			}
			got = append(got, ids(r))
			next = ""
			if link := r.header.Get("Link"); link != "" {
				next = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
				if r.json(t)["next_cursor"] == nil {
					t.Error("a Link header comes with next_cursor")
				}
			}
		}
		if strings.Join(got, "|") != "a-site,b-app|c-app,d-store|e-app" {
			t.Errorf("pages = %q", got)
		}
		runSteps(t, s, []step{
			{name: "bad cursor", method: "GET", path: "/api/v1/services?cursor=zzz", status: 422, contains: []string{"cursor"}},
			{name: "bad kind", method: "GET", path: "/api/v1/services?kind=spaceship", status: 422, contains: []string{"kind"}},
			{name: "limit too big", method: "GET", path: "/api/v1/services?limit=100000", status: 422},
		})
	})
}

func TestTeamAndPeopleAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		runSteps(t, s, []step{
			{name: "create person", method: "POST", path: "/api/v1/people", body: `{"id":"alice","name":"Alice Martin","email":"alice@example.com","phone":"+1 555 0100"}`, status: 201},
			{name: "bad email", method: "POST", path: "/api/v1/people", body: `{"id":"bob","email":"bob-at-example"}`, status: 422, contains: []string{"body.email"}},
			{name: "team with unknown member", method: "POST", path: "/api/v1/teams", body: `{"id":"ops","members":["alice","bob"]}`, status: 422, contains: []string{"body.members[1]"}},
			{name: "team", method: "POST", path: "/api/v1/teams", body: `{"id":"ops","members":["alice"]}`, status: 201},
			{name: "list teams", method: "GET", path: "/api/v1/teams", status: 200, contains: []string{`"members":["alice"]`}},
			{name: "replace person", method: "PUT", path: "/api/v1/people/alice", body: `{"id":"alice","name":"Alice M."}`, headers: []string{"If-Match", `"1"`}, status: 200, header: []string{"ETag", `"2"`}},
			{name: "patch person", method: "PATCH", path: "/api/v1/people/alice", body: `{"phone":"+1 555 0199","email":null}`,
				headers: []string{"Content-Type", "application/merge-patch+json"}, status: 200, header: []string{"ETag", `"3"`},
				contains: []string{`"phone":"+1 555 0199"`, `"name":"Alice M."`}},
			{name: "patch team, stale", method: "PATCH", path: "/api/v1/teams/ops", body: `{"name":"Ops"}`,
				headers: []string{"Content-Type", "application/merge-patch+json", "If-Match", `"9"`}, status: 412},
			{name: "patch team", method: "PATCH", path: "/api/v1/teams/ops", body: `{"name":"Ops"}`,
				headers: []string{"Content-Type", "application/merge-patch+json"}, status: 200, contains: []string{`"name":"Ops"`}},
			{name: "delete person", method: "DELETE", path: "/api/v1/people/alice", headers: []string{"If-Match", `"3"`}, status: 204},
			{name: "membership gone", method: "GET", path: "/api/v1/teams/ops", status: 200, contains: []string{`"id":"ops"`}},
			{name: "list people", method: "GET", path: "/api/v1/people", status: 200, contains: []string{`"items":[]`}},
		})
		if strings.Contains(do(s, "GET", "/api/v1/teams/ops", "").body, "alice") {
			t.Error("a deleted person must leave their teams")
		}
	})
}

func TestOpenAPIAndHealth(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := newTestServer(t, db)
	r := do(s, "GET", "/api/v1/openapi.json", "")
	if r.status != 200 {
		t.Fatalf("openapi: %d", r.status)
	}
	doc := r.json(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi version %v", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/services", "/api/v1/services/{id}", "/api/v1/services/{id}/dependents", "/api/v1/teams/{id}", "/api/v1/people/{id}"} {
		if paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
	if svc, _ := paths["/api/v1/services/{id}"].(map[string]any); svc["patch"] == nil {
		t.Error("PATCH is derived for services")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(s, "GET", path, ""); r.status != 200 {
			t.Errorf("%s = %d", path, r.status)
		}
	}
	db.Close()
	if r := do(s, "GET", "/readyz", ""); r.status != 503 {
		t.Errorf("readyz with the database closed = %d, want 503", r.status)
	}
}

func TestCrossOriginWritesRefused(t *testing.T) {
	s := newTestServer(t, dbtest.Open(t, "sqlite"))
	r := do(s, "POST", "/api/v1/services", `{"id":"evil"}`, "Sec-Fetch-Site", "cross-site")
	if r.status != http.StatusForbidden {
		t.Errorf("cross-site POST = %d, want 403", r.status)
	}
	if r := do(s, "GET", "/api/v1/services/evil", ""); r.status != 404 {
		t.Errorf("refused POST must not create: %d", r.status)
	}
	if h := do(s, "GET", "/healthz", "").header; h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("security headers missing: %v", h)
	}
}

func TestNULRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		runSteps(t, s, []step{
			{name: "NUL in name", method: "POST", path: "/api/v1/services", body: `{"id":"x","name":"a\u0000b"}`, status: 422, contains: []string{"body.name"}},
			{name: "NUL in reference", method: "POST", path: "/api/v1/services", body: `{"id":"x","kind":"vendor","contract":{"reference":"\u0000"}}`, status: 422, contains: []string{"body.contract.reference"}},
		})
	})
}
