package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// richModel has every kind of object, so that a round trip through the
// database and the export covers them all.
const richModel = `impact_scale:
  currency: EUR
people:
  - {id: ann, name: Ann Lee, email: ann@example.com}
teams:
  - {id: ops, name: Operations, members: [ann]}
services:
  - {id: site, kind: site, owner: ops}
  - id: db
    kind: data-store
    owner: ops
    tier: 1
    objectives: {rto: 1h, rpo: 15m}
    depends_on: [site]
  - id: app
    owner: ops
    tags: [web]
    depends_on:
      - db
      - {on: site, type: hosted-in, workaround: 8h}
bia:
  - service: app
    impacts:
      - {after: 1h, ratings: {financial: 2}, loss: 20000}
      - {after: 1d, ratings: {financial: 5}, loss: 2000000}
    work_recovery_time: 1h
    rpo: 15m
risks:
  - id: dc-fire
    title: Fire in the data center
    affects: [site]
    owner: ann
    likelihood: 2
    impact: 5
    treatment: mitigate
`

const yamlCT = "application/yaml"

// planOf decodes a plan from a response body.
func planOf(t *testing.T, r response) lifeboat.Plan {
	t.Helper()
	var p lifeboat.Plan
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Fatalf("not a plan: %v\n%s", err, r.body)
	}
	return p
}

// applyModel applies a model through the API as the admin and fails the
// test unless it is applied.
func applyModel(t *testing.T, s http.Handler, query, body string) lifeboat.Plan {
	t.Helper()
	r := do(s, "POST", "/api/v1/model/apply"+query, body, "Content-Type", yamlCT)
	if r.status != 200 {
		t.Fatalf("apply: %d %s", r.status, r.body)
	}
	return planOf(t, r)
}

func TestModelAPIRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		if p := applyModel(t, s, "", richModel); p.Create != 8 || !p.Applied {
			t.Fatalf("first apply: %+v", p)
		}
		yml := do(s, "GET", "/api/v1/model", "")
		if yml.status != 200 || yml.header.Get("Content-Type") != yamlCT {
			t.Fatalf("GET model = %d %q", yml.status, yml.header.Get("Content-Type"))
		}
		for _, want := range []string{"currency: EUR", "- id: app", "hosted-in", "service: app", "id: dc-fire"} {
			if !strings.Contains(yml.body, want) {
				t.Errorf("YAML export lacks %q:\n%s", want, yml.body)
			}
		}
		js := do(s, "GET", "/api/v1/model", "", "Accept", "application/json")
		if js.status != 200 || js.header.Get("Content-Type") != "application/json" || !strings.Contains(js.body, `"work_recovery_time":"1h"`) {
			t.Fatalf("GET model as JSON = %d %q\n%s", js.status, js.header.Get("Content-Type"), js.body)
		}
		// The export applied back, with prune, plans nothing, in either form.
		for _, c := range []struct{ ct, body string }{{yamlCT, yml.body}, {"application/json", js.body}} {
			r := do(s, "POST", "/api/v1/model/plan?prune=true", c.body, "Content-Type", c.ct)
			if r.status != 200 {
				t.Fatalf("plan of the %s export: %d %s", c.ct, r.status, r.body)
			}
			if p := planOf(t, r); !p.Empty() || p.Unchanged != 8 || p.Kept != 0 || p.Applied || p.Digest == "" {
				t.Errorf("plan of the %s export changes something: %s", c.ct, r.body)
			}
		}
		// YAML unless JSON is preferred.
		for accept, want := range map[string]string{
			"": yamlCT, "*/*": yamlCT, "application/yaml, application/json;q=0.5": yamlCT,
			"application/json": "application/json", "text/yaml;q=0.2, application/json": "application/json",
		} {
			if got := do(s, "GET", "/api/v1/model", "", "Accept", accept).header.Get("Content-Type"); got != want {
				t.Errorf("Accept %q gives %q, want %q", accept, got, want)
			}
		}
	})
}

func TestModelAPIPlanAndApply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		applyModel(t, s, "", "services: [{id: a, depends_on: [b]}, {id: b}, {id: c}]\n")
		next := "services: [{id: a, name: Service A, depends_on: [b]}, {id: b}, {id: d}]\n"

		r := do(s, "POST", "/api/v1/model/plan?prune=true", next, "Content-Type", yamlCT)
		reviewed := planOf(t, r)
		want := `[{"action":"update","kind":"service","id":"a","fields":[{"field":"name","before":"a","after":"Service A"}]},` +
			`{"action":"delete","kind":"service","id":"c"},{"action":"create","kind":"service","id":"d"}]`
		if got, _ := json.Marshal(reviewed.Changes); string(got) != want || reviewed.Applied {
			t.Fatalf("plan = %s, want changes %s", r.body, want)
		}
		if without := planOf(t, do(s, "POST", "/api/v1/model/plan", next, "Content-Type", yamlCT)); without.Delete != 0 || without.Kept != 1 {
			t.Errorf("without prune nothing is deleted: %+v", without)
		}
		if _, err := db.FindServiceByID(context.Background(), "d"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Fatalf("a plan changed the database: %v", err)
		}

		// Someone changes the database after the review: the apply is
		// refused with the new plan, which applies.
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "e"}); err != nil {
			t.Fatal(err)
		}
		r = do(s, "POST", "/api/v1/model/apply?prune=true&expect="+reviewed.Digest, next, "Content-Type", yamlCT)
		if r.status != http.StatusPreconditionFailed || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("stale apply = %d %s", r.status, r.body)
		}
		var stale struct {
			Status int
			Detail string
			Plan   lifeboat.Plan
		}
		json.Unmarshal([]byte(r.body), &stale)
		if stale.Status != 412 || !strings.Contains(stale.Detail, "changed") || stale.Plan.Delete != 2 || stale.Plan.Digest == reviewed.Digest {
			t.Fatalf("the 412 must carry the new plan: %s", r.body)
		}
		if _, err := db.FindServiceByID(context.Background(), "d"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Fatalf("a stale apply changed the database: %v", err)
		}
		applied := applyModel(t, s, "?prune=true&expect="+stale.Plan.Digest, next)
		if !applied.Applied || applied.Digest != stale.Plan.Digest || applied.Create != 1 || applied.Update != 1 || applied.Delete != 2 {
			t.Errorf("apply = %+v", applied)
		}
		if svc, err := db.FindServiceByID(context.Background(), "a"); err != nil || svc.Name != "Service A" {
			t.Errorf("after apply: %+v %v", svc, err)
		}
		runSteps(t, s, []step{
			{name: "pruning what others need", method: "POST", path: "/api/v1/model/apply?prune=true", body: "services: [{id: a, depends_on: [b]}]\n",
				headers: []string{"Content-Type", yamlCT}, status: 409,
				contains: []string{`pruning would delete service \"b\"`, `"location":"body"`}},
			{name: "refused plan too", method: "POST", path: "/api/v1/model/plan?prune=true", body: "services: [{id: a, depends_on: [b]}]\n",
				headers: []string{"Content-Type", yamlCT}, status: 409, contains: []string{`pruning would delete service \"b\"`}},
			{name: "dangling references", method: "POST", path: "/api/v1/model/apply", body: "services: [{id: x, depends_on: [ghost]}, {id: y, owner: nobody}]\n",
				headers: []string{"Content-Type", yamlCT}, status: 422,
				contains: []string{`service \"x\" depends on \"ghost\", which is neither in the model nor in the database`, `service \"y\" is owned by team \"nobody\"`}},
			{name: "nothing applied", method: "GET", path: "/api/v1/services/x", status: 404},
			{name: "several files as YAML documents", method: "POST", path: "/api/v1/model/plan", body: "---\nteams: [{id: ops}]\n---\nservices: [{id: z, owner: ops}]\n",
				headers: []string{"Content-Type", yamlCT}, status: 200,
				contains: []string{`{"action":"create","kind":"team","id":"ops"},{"action":"create","kind":"service","id":"z"}`}},
			{name: "expect is a digest", method: "POST", path: "/api/v1/model/apply?expect=NOT-HEX", body: "services: []\n",
				headers: []string{"Content-Type", yamlCT}, status: 422, contains: []string{"query.expect"}},
		})
		if svc, err := db.FindServiceByID(context.Background(), "b"); err != nil || svc.ID != "b" {
			t.Errorf("a refused prune deleted b: %v", err)
		}
	})
}

func TestModelAPILoadErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		broken := "services:\n  - id: a\n    colour: red\n  - id: Not-An-Id\n"
		for _, path := range []string{"/api/v1/model/check", "/api/v1/model/plan", "/api/v1/model/apply"} {
			runSteps(t, s, []step{
				{name: "load errors " + path, method: "POST", path: path, body: broken, headers: []string{"Content-Type", yamlCT}, status: 422,
					contains: []string{`"detail":"the model could not be loaded: 2 problems"`, `"location":"model.yaml:3:5"`, `unknown key \"colour\"`, `"location":"model.yaml:4:`}},
				{name: "named file " + path, method: "POST", path: path + "?name=catalog/services.yaml", body: broken, headers: []string{"Content-Type", yamlCT}, status: 422,
					contains: []string{`"location":"catalog/services.yaml:3:5"`}},
				{name: "syntax error " + path, method: "POST", path: path, body: "services: [{id: a\n", headers: []string{"Content-Type", yamlCT}, status: 422,
					contains: []string{`"location":"model.yaml:`, "YAML syntax"}},
				{name: "JSON " + path, method: "POST", path: path, body: `{"services": [{"id": "a", "tier": "high"}]}`, status: 422,
					contains: []string{`"location":"model.yaml:1:`}},
				{name: "not UTF-8 " + path, method: "POST", path: path, body: "services: [{id: a, name: \xff}]\n", headers: []string{"Content-Type", yamlCT}, status: 422,
					contains: []string{`"location":"model.yaml:1:1"`, "not UTF-8"}},
				{name: "not a model type " + path, method: "POST", path: path, body: "id=a", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
				{name: "no body " + path, method: "POST", path: path, status: 400},
			})
		}
		if r := do(s, "GET", "/api/v1/model/findings", ""); r.body != `{"findings":[],"counts":{"error":0,"warning":0,"info":0}}`+"\n" {
			t.Errorf("nothing was stored, so nothing is found: %s", r.body)
		}
	})
}

func TestModelAPIFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		doc := "teams: [{id: ops}]\nservices:\n  - {id: db, owner: ops, tier: 1}\n  - {id: app, depends_on: [db, ghost]}\n"
		r := do(s, "POST", "/api/v1/model/check", doc, "Content-Type", yamlCT)
		var report lifeboat.CheckReport
		if err := json.Unmarshal([]byte(r.body), &report); err != nil || r.status != 200 {
			t.Fatalf("check = %d %s", r.status, r.body)
		}
		m := &lifeboat.Model{Teams: []*lifeboat.Team{{ID: "ops"}}, Services: []*lifeboat.Service{
			{ID: "db", Owner: "ops", Tier: intp(1)}, {ID: "app", DependsOn: []lifeboat.Dependency{{On: "db"}, {On: "ghost"}}}}}
		m.Normalize()
		want, _ := json.Marshal(s.newFindingsReport(m))
		if got, _ := json.Marshal(report); string(got) != string(want) {
			t.Errorf("check = %s\nwant the findings of lifeboat check: %s", got, want)
		}
		if report.Counts != (lifeboat.FindingCounts{Error: 1, Warning: 2}) || report.Findings[0].Rule != lifeboat.RuleUnknownReference {
			t.Errorf("counts %+v, first %+v", report.Counts, report.Findings[0])
		}
		clean := do(s, "POST", "/api/v1/model/check", `{"teams": [{"id": "ops"}], "services": [{"id": "a", "owner": "ops"}]}`)
		if clean.status != 200 || !strings.Contains(clean.body, `"findings":[]`) {
			t.Errorf("clean check = %d %s", clean.status, clean.body)
		}

		applyModel(t, s, "", "teams: [{id: ops}]\nservices: [{id: db, owner: ops, tier: 1}, {id: app, depends_on: [db]}]\n")
		stored := do(s, "GET", "/api/v1/model/findings", "")
		if stored.status != 200 || !strings.Contains(stored.body, `"counts":{"error":0,"warning":2,"info":0}`) ||
			!strings.Contains(stored.body, `"rule":"no-owner"`) || !strings.Contains(stored.body, `"rule":"missing-objectives"`) {
			t.Errorf("stored findings = %d %s", stored.status, stored.body)
		}
	})
}

func TestModelAPIPermissions(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := newTestServer(t, db)
	viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)
	owner := "Bearer " + tokenUser(t, db, "omar", lifeboat.RoleServiceOwner)
	manager := "Bearer " + tokenUser(t, db, "mia", lifeboat.RoleContinuityManager)
	body := "services: [{id: a}]\n"
	for _, c := range []struct {
		who, method, path string
		want              int
	}{
		{viewer, "GET", "/api/v1/model", 200},
		{viewer, "GET", "/api/v1/model/findings", 200},
		{viewer, "POST", "/api/v1/model/check", 200},
		{viewer, "POST", "/api/v1/model/plan", 403},
		{viewer, "POST", "/api/v1/model/apply", 403},
		{owner, "POST", "/api/v1/model/plan", 403},
		{owner, "POST", "/api/v1/model/apply", 403},
		{manager, "POST", "/api/v1/model/plan", 200},
		{"", "GET", "/api/v1/model", 401},
		{"", "POST", "/api/v1/model/check", 401},
	} {
		headers := []string{"Content-Type", yamlCT, "Authorization", c.who}
		if c.who == "" {
			headers = []string{"Content-Type", yamlCT, "X-Anonymous", "1"}
		}
		payload := body
		if c.method == "GET" {
			payload = ""
		}
		if r := do(s, c.method, c.path, payload, headers...); r.status != c.want {
			t.Errorf("%s %s as %s = %d, want %d: %s", c.method, c.path, c.who, r.status, c.want, r.body)
		}
	}
	if _, err := db.FindServiceByID(context.Background(), "a"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		t.Errorf("a refused apply stored a service: %v", err)
	}
}

// tokenUser creates a user without a password, as single sign-on does,
// and returns an API token with the user's role; quicker than makeUser,
// which hashes a password.
func tokenUser(t testing.TB, db *sqldb.DB, id string, role lifeboat.Role) string {
	t.Helper()
	ctx := context.Background()
	if err := db.CreateUser(ctx, &lifeboat.User{ID: id, Role: role}); err != nil {
		t.Fatal(err)
	}
	token, th := secret.NewToken("lbt_")
	if err := db.CreateToken(ctx, &lifeboat.Token{ID: "test", UserID: id, Role: role, Hash: th}); err != nil {
		t.Fatal(err)
	}
	return token
}

// fill is an endless stream of one byte.
type fill byte

func (f fill) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

func TestModelAPIBodyLimit(t *testing.T) {
	s := newTestServer(t, dbtest.Open(t, "sqlite"))
	send := func(size int64) response {
		// A model followed by one long comment, so that only the size
		// decides.
		head := "services: [{id: big}]\n#"
		body := io.MultiReader(strings.NewReader(head), io.LimitReader(fill('x'), size-int64(len(head))))
		req := httptest.NewRequest("POST", "/api/v1/model/check", body)
		req.Header.Set("Content-Type", yamlCT)
		asAdmin(s, req)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return response{w.Code, w.Header(), w.Body.String()}
	}
	// Larger than other API bodies may be, within the model limit.
	if r := send(3 << 20); r.status != 200 {
		t.Errorf("a 3 MiB model = %d %.300s", r.status, r.body)
	}
	if r := send(maxModelBytes + 1); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a model over 64 MiB = %d %.300s", r.status, r.body)
	}
}

func TestModelAPIDocumented(t *testing.T) {
	s := newTestServer(t, dbtest.Open(t, "sqlite"))
	doc := do(s, "GET", "/api/v1/openapi.json", "").body
	var spec struct {
		Paths map[string]map[string]struct {
			Summary     string
			Description string
			Tags        []string
			RequestBody *struct{ Content map[string]any }
			Responses   map[string]struct{ Content map[string]any }
		}
	}
	if err := json.Unmarshal([]byte(doc), &spec); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct{ method, path string }{
		{"get", "/api/v1/model"}, {"get", "/api/v1/model/findings"}, {"post", "/api/v1/model/check"},
		{"post", "/api/v1/model/plan"}, {"post", "/api/v1/model/apply"},
	} {
		o, ok := spec.Paths[op.path][op.method]
		if !ok || o.Summary == "" || o.Description == "" || len(o.Tags) != 1 || o.Tags[0] != "Model" {
			t.Errorf("%s %s is not documented: %+v", op.method, op.path, o)
			continue
		}
		if op.method == "post" && (o.RequestBody == nil || o.RequestBody.Content[yamlCT] == nil || o.RequestBody.Content["application/json"] == nil) {
			t.Errorf("%s %s must take YAML and JSON bodies", op.method, op.path)
		}
	}
	if spec.Paths["/api/v1/model"]["get"].Responses["200"].Content[yamlCT] == nil {
		t.Error("GET /api/v1/model answers YAML")
	}
	if spec.Paths["/api/v1/model/apply"]["post"].Responses["412"].Content["application/problem+json"] == nil {
		t.Error("the 412 of apply, with its plan, is documented")
	}
	if page := do(s, "GET", "/api/docs", ""); page.status != 200 || !strings.Contains(page.body, "Apply a model") {
		t.Errorf("the API reference lists the model operations: %d", page.status)
	}
}
