package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// pageServer is the real router with a real store behind it.
func pageServer(t *testing.T, db *sqldb.DB) *Server {
	t.Helper()
	return authServer(t, db)
}

type pageResponse struct {
	Status int
	Header http.Header
	Body   string
}

// get requests a page, with extra headers as name, value pairs.
func get(t *testing.T, s *Server, path string, headers ...string) pageResponse {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return serve(s, r)
}

// post sends a form as a browser on the same site would.
func post(t *testing.T, s *Server, path string, form url.Values) pageResponse {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	return serve(s, r)
}

func serve(s *Server, r *http.Request) pageResponse {
	asAdmin(s, r)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return pageResponse{Status: w.Code, Header: w.Header(), Body: w.Body.String()}
}

func dur(s string) *lifeboat.Duration {
	d, err := lifeboat.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func intp(n int) *int { return &n }

// seed stores a small catalog: two teams, three people and services of
// several kinds with plain, soft and redundant dependencies.
func seed(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	for _, p := range []*lifeboat.Person{{ID: "alice", Name: "Alice Martin", Email: "alice@example.com"},
		{ID: "bob", Name: "Bob Okafor"}, {ID: "chen", Name: "Chen Wei"}} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tm := range []*lifeboat.Team{{ID: "payments-team", Name: "Payments", Members: []string{"alice", "bob"}},
		{ID: "platform-team", Name: "Platform", Members: []string{"chen"}}} {
		if err := db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []*lifeboat.Service{
		{ID: "primary-dc", Name: "Primary data center", Kind: lifeboat.KindSite, Owner: "platform-team", Tier: intp(0)},
		{ID: "k8s-prod", Name: "Kubernetes", Kind: lifeboat.KindInfrastructure, Owner: "platform-team", Tier: intp(0),
			DependsOn: []lifeboat.Dependency{{On: "primary-dc", Type: "hosted-in"}}},
		{ID: "db-east", Name: "Orders DB east", Kind: lifeboat.KindDataStore, Owner: "platform-team", Tier: intp(1), Tags: []string{"pci"}},
		{ID: "db-west", Name: "Orders DB west", Kind: lifeboat.KindDataStore, Owner: "platform-team", Tier: intp(1), Tags: []string{"pci"}},
		{ID: "stripe", Name: "Stripe", Kind: lifeboat.KindVendor, Owner: "payments-team", Tier: intp(0),
			Contract: &lifeboat.Contract{RTO: dur("4h"), Reference: "MSA-2024-17"}},
		{ID: "recommendations", Name: "Recommendations", Kind: lifeboat.KindApplication, Lifecycle: lifeboat.LifecycleDeprecated, Tier: intp(3)},
		{ID: "payments-api", Name: "Payments API", Kind: lifeboat.KindApplication, Owner: "payments-team", Tier: intp(0), Tags: []string{"pci"},
			Objectives: &lifeboat.Objectives{RTO: dur("1h"), RPO: dur("5m"), MTPD: dur("1d12h")},
			DependsOn: []lifeboat.Dependency{{On: "k8s-prod", Type: "runs-on"}, {AnyOf: []string{"db-east", "db-west"}, MinUp: 1},
				{On: "stripe", Type: "provided-by", Workaround: dur("8h")}}},
		{ID: "checkout", Name: "Checkout", Kind: lifeboat.KindBusinessService, Owner: "payments-team", Tier: intp(0),
			Description: "Takes orders and payments.",
			DependsOn:   []lifeboat.Dependency{{On: "payments-api"}, {On: "recommendations", Impact: lifeboat.ImpactDegraded}}},
	} {
		if err := db.CreateService(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// rowIDs lists the service ids of a catalog table, in order.
func rowIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<span class="row-sub">([^<]*)</span>`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func wantStatus(t *testing.T, r pageResponse, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body:\n%.3000s", r.Status, status, r.Body)
	}
}

func wantContains(t *testing.T, r pageResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

func wantLacks(t *testing.T, r pageResponse, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.Body, p) {
			t.Errorf("page has %q, want it absent", p)
		}
	}
}

func TestCatalogFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		tests := []struct {
			query string
			want  []string
		}{
			// By name, then id.
			{"", []string{"checkout", "k8s-prod", "db-east", "db-west", "payments-api", "primary-dc", "recommendations", "stripe"}},
			// The query matches ids, names and descriptions.
			{"?q=orders", []string{"checkout", "db-east", "db-west"}},
			{"?q=ORDERS+DB+EAST", []string{"db-east"}},
			{"?q=takes+orders", []string{"checkout"}},
			{"?kind=vendor", []string{"stripe"}},
			{"?tier=1", []string{"db-east", "db-west"}},
			{"?owner=payments-team", []string{"checkout", "payments-api", "stripe"}},
			{"?tag=pci", []string{"db-east", "db-west", "payments-api"}},
			{"?lifecycle=deprecated", []string{"recommendations"}},
			{"?kind=application&tier=0", []string{"payments-api"}},
			{"?sort=id", []string{"checkout", "db-east", "db-west", "k8s-prod", "payments-api", "primary-dc", "recommendations", "stripe"}},
			{"?sort=tier&tier=0", []string{"checkout", "k8s-prod", "payments-api", "primary-dc", "stripe"}},
			{"?q=nothing-like-this", nil},
			// Bytes that are not UTF-8 are dropped, not sent to the database.
			{"?q=%ffstr%feipe", []string{"stripe"}},
			{"?kind=not-a-kind&sort=bogus", []string{"checkout", "k8s-prod", "db-east", "db-west", "payments-api", "primary-dc", "recommendations", "stripe"}},
		}
		for _, tc := range tests {
			t.Run(tc.query, func(t *testing.T) {
				r := get(t, s, "/services"+tc.query)
				wantStatus(t, r, http.StatusOK)
				got := rowIDs(r.Body)
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("rows %v, want %v", got, tc.want)
				}
				if tc.want == nil {
					wantContains(t, r, "No services match")
				}
			})
		}
	})
}

func TestCatalogPaging(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	for i := range 120 {
		if err := db.CreateService(ctx, &lifeboat.Service{ID: fmt.Sprintf("svc-%03d", i), Kind: lifeboat.KindApplication}); err != nil {
			t.Fatal(err)
		}
	}
	s := pageServer(t, db)
	next := regexp.MustCompile(`href="([^"]*)" rel="next"`)
	path, seen := "/services?sort=id&kind=application", []string{}
	for page := 1; ; page++ {
		r := get(t, s, path)
		wantStatus(t, r, http.StatusOK)
		ids := rowIDs(r.Body)
		seen = append(seen, ids...)
		if page > 1 {
			wantContains(t, r, `href="/services?kind=application&amp;sort=id">« First page`)
		}
		m := next.FindStringSubmatch(r.Body)
		if m == nil {
			if page != 3 || len(ids) != 20 {
				t.Fatalf("last page is page %d with %d rows, want page 3 with 20", page, len(ids))
			}
			break
		}
		if len(ids) != lifeboat.DefaultPageSize {
			t.Fatalf("page %d has %d rows, want %d", page, len(ids), lifeboat.DefaultPageSize)
		}
		path = strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.Contains(path, "kind=application") || !strings.Contains(path, "cursor=") {
			t.Fatalf("next page link %q lost the filter or the cursor", path)
		}
	}
	for i, id := range seen {
		if want := fmt.Sprintf("svc-%03d", i); id != want {
			t.Fatalf("row %d is %s, want %s", i, id, want)
		}
	}
	r := get(t, s, "/services?cursor=garbage")
	wantStatus(t, r, http.StatusBadRequest)
	wantContains(t, r, "no longer valid", "First page")
}

func TestCatalogHTMXPartial(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	seed(t, db)
	s := pageServer(t, db)

	full := get(t, s, "/services?q=orders+db")
	wantStatus(t, full, http.StatusOK)
	wantContains(t, full, "<!doctype html>", `<form class="filters card"`, `hx-get="/services"`, `hx-target="#results"`, `hx-push-url="true"`, "db-east")

	part := get(t, s, "/services?q=orders+db", "HX-Request", "true")
	wantStatus(t, part, http.StatusOK)
	wantContains(t, part, `id="service-table"`, "db-east", "db-west")
	wantLacks(t, part, "<html", "<form", "checkout")
	if !strings.Contains(part.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary = %q, want it to name HX-Request", part.Header.Get("Vary"))
	}

	restore := get(t, s, "/services?q=orders", "HX-Request", "true", "HX-History-Restore-Request", "true")
	wantContains(t, restore, "<!doctype html>")
}

func TestServicePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		r := get(t, s, "/services/payments-api")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r,
			"<h1>Payments API</h1>", "Tier 0", "Application",
			`<a href="/teams/payments-team">Payments</a>`,
			// Objectives as readable durations.
			"1h</dd>", "5m</dd>", "1d12h</dd>",
			// Depends on: plain, redundancy group and workaround.
			`<a href="/services/k8s-prod">k8s-prod</a>`, "runs-on",
			`any 1 of</span> <a href="/services/db-east">db-east</a>, <a href="/services/db-west">db-west</a>`,
			"up to 8h", `action="/services/payments-api/dependencies/2/delete"`,
			// Depended on by.
			`<a class="row-title" href="/services/checkout">Checkout</a>`,
			// The forms to add a dependency.
			`action="/services/payments-api/dependencies"`, `name="any_of"`, `name="min_up"`)

		r = get(t, s, "/services/checkout")
		wantContains(t, r, `<span class="badge impact-soft"`, "Takes orders and payments.", "No service depends on this one.")

		r = get(t, s, "/services/stripe")
		wantContains(t, r, "Contract", "MSA-2024-17", "4h</dd>")

		r = get(t, s, "/services/db-west")
		wantContains(t, r, "Payments API", "any 1 of")
	})
}

func serviceValues(kv ...string) url.Values {
	f := url.Values{"kind": {"application"}, "lifecycle": {"active"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestCreateServiceForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		r := post(t, s, "/services", serviceValues("id", "billing", "name", "Billing", "kind", "application", "owner", "payments-team",
			"tier", "2", "tags", "pci, finance ,", "description", "Sends invoices.", "objectives.rto", "1d12h",
			"objectives.rpo", "15m", "objectives.mtpd", "3d", "recovery.time", "90m", "recovery.data_loss", "3600"))
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/services/billing" {
			t.Fatalf("Location = %q", loc)
		}
		svc, err := db.FindServiceByID(context.Background(), "billing")
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%s %s %s %d %v %s %s %s %s %s", svc.Name, svc.Kind, svc.Owner, *svc.Tier, svc.Tags, svc.Objectives.RTO,
			svc.Objectives.RPO, svc.Objectives.MTPD, svc.Recovery.Time, svc.Recovery.DataLoss)
		if want := "Billing application payments-team 2 [finance pci] 1d12h 15m 3d 1h30m 1h"; got != want {
			t.Errorf("stored %q, want %q", got, want)
		}
		if svc.Contract != nil {
			t.Errorf("contract = %+v, want none", svc.Contract)
		}

		// The redirect shows the new service with a message.
		c := r.Header.Get("Set-Cookie")
		req := httptest.NewRequest(http.MethodGet, "/services/billing", nil)
		req.Header.Set("Cookie", strings.Split(c, ";")[0])
		page := serve(s, req)
		wantContains(t, page, "Created service Billing.", "Sends invoices.")
		again := serve(s, httptest.NewRequest(http.MethodGet, "/services/billing", nil))
		wantLacks(t, again, "Created service Billing.")
	})
}

func TestServiceFormErrors(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		status int
		field  string // the input the message must sit under
		msg    string
		kept   string // the user's input, shown again
	}{
		{"bad id", serviceValues("id", "Not An Id"), http.StatusUnprocessableEntity, "id", "is not a valid id", `value="Not An Id"`},
		{"bad duration", serviceValues("id", "x", "objectives.rto", "4 hours"), http.StatusUnprocessableEntity,
			"objectives-rto", `&#34;4 hours&#34; is not a duration`, `value="4 hours"`},
		{"bad duration and bad id", serviceValues("id", "X!", "recovery.data_loss", "5x"), http.StatusUnprocessableEntity,
			"recovery-data_loss", "is not a duration", `<p class="field-error" id="err-id">&#34;X!&#34; is not a valid id`},
		{"duration too long", serviceValues("id", "x", "recovery.time", "200000w"), http.StatusUnprocessableEntity,
			"recovery-time", "longer than 100 years", `value="200000w"`},
		{"rto above mtpd", serviceValues("id", "x", "objectives.rto", "2d", "objectives.mtpd", "1d"), http.StatusUnprocessableEntity,
			"objectives-rto", "must not exceed the MTPD", `value="2d"`},
		{"bad tag", serviceValues("id", "x", "tags", "ok, Not OK"), http.StatusUnprocessableEntity, "tags", "is not a valid tag", `value="ok, Not OK"`},
		{"contract for an application", serviceValues("id", "x", "contract.reference", "MSA-1"), http.StatusUnprocessableEntity,
			"contract", "only vendors have a contract", `value="MSA-1"`},
		{"unknown owner", serviceValues("id", "x", "owner", "ghosts"), http.StatusUnprocessableEntity, "owner", `no team &#34;ghosts&#34;`, `name="owner"`},
		{"taken id", serviceValues("id", "checkout", "name", "Second checkout"), http.StatusConflict, "id", "already taken", `value="Second checkout"`},
	}
	db := dbtest.Open(t, "sqlite")
	seed(t, db)
	s := pageServer(t, db)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, s, "/services", tc.form)
			wantStatus(t, r, tc.status)
			errID := "err-" + tc.field
			m := regexp.MustCompile(`<p class="field-error" id="` + errID + `">([^<]*)</p>`).FindStringSubmatch(r.Body)
			if m == nil || !strings.Contains(m[1], tc.msg) {
				t.Fatalf("no message %q under input %s; body:\n%.4000s", tc.msg, tc.field, r.Body)
			}
			wantContains(t, r, tc.kept, `role="alert"`)
			if tc.field != "contract" { // a fieldset, not an input
				wantContains(t, r, `aria-invalid="true" aria-describedby="`+errID+`"`)
			}
		})
	}
	if _, err := db.FindServiceByID(context.Background(), "x"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		t.Errorf("a refused form stored a service: %v", err)
	}
}

func TestUpdateServiceForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()
		edit := get(t, s, "/services/payments-api/edit")
		wantStatus(t, edit, http.StatusOK)
		wantContains(t, edit, `name="id" value="payments-api" readonly`, `name="version" value="1"`, `value="1d12h"`, `<option value="0" selected>Tier 0 · mission-critical</option>`)

		form := serviceValues("id", "payments-api", "name", "Payments API v2", "owner", "payments-team", "tier", "1",
			"objectives.rto", "2h", "version", "1")
		r := post(t, s, "/services/payments-api", form)
		wantStatus(t, r, http.StatusSeeOther)
		svc, _ := db.FindServiceByID(ctx, "payments-api")
		if svc.Name != "Payments API v2" || *svc.Tier != 1 || svc.Objectives.RTO.String() != "2h" || len(svc.DependsOn) != 3 {
			t.Fatalf("after update: %+v", svc)
		}

		// Someone else saves in between: the form with the old version is
		// refused and the other change stays.
		svc.Description = "Changed by someone else."
		if err := db.UpdateService(ctx, svc, 0); err != nil {
			t.Fatal(err)
		}
		form.Set("name", "My stale edit")
		form.Set("version", "2")
		r = post(t, s, "/services/payments-api", form)
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "changed by someone else", `value="My stale edit"`, `href="/services/payments-api/edit"`)
		svc, _ = db.FindServiceByID(ctx, "payments-api")
		if svc.Name != "Payments API v2" || svc.Description != "Changed by someone else." {
			t.Errorf("the stale edit overwrote the service: %+v", svc)
		}

		r = post(t, s, "/services/nobody", form)
		wantStatus(t, r, http.StatusNotFound)
	})
}

func TestDeleteService(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()

		confirm := get(t, s, "/services/k8s-prod/delete")
		wantStatus(t, confirm, http.StatusOK)
		wantContains(t, confirm, "1 service depends", `<a href="/services/payments-api">Payments API</a>`)

		r := post(t, s, "/services/k8s-prod/delete", url.Values{"version": {"1"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "cannot be deleted", "payments-api depends on it")
		if _, err := db.FindServiceByID(ctx, "k8s-prod"); err != nil {
			t.Fatalf("refused delete removed the service: %v", err)
		}

		r = post(t, s, "/services/checkout/delete", url.Values{"version": {"7"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "changed by someone else")

		r = post(t, s, "/services/checkout/delete", url.Values{"version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		if _, err := db.FindServiceByID(ctx, "checkout"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestDependencyForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()
		deps := func() string {
			svc, err := db.FindServiceByID(ctx, "checkout")
			if err != nil {
				t.Fatal(err)
			}
			labels := make([]string, len(svc.DependsOn))
			for i, d := range svc.DependsOn {
				labels[i] = d.Label() + "/" + string(d.Impact)
				if d.Workaround != nil {
					labels[i] += "/" + d.Workaround.String()
				}
			}
			return strings.Join(labels, " ")
		}

		r := post(t, s, "/services/checkout/dependencies", url.Values{"form": {"single"}, "version": {"1"},
			"on": {"stripe"}, "impact": {"degraded"}, "type": {"provided-by"}, "workaround": {"1d"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = post(t, s, "/services/checkout/dependencies", url.Values{"form": {"group"}, "version": {"2"},
			"any_of": {"db-east, db-west"}, "min_up": {"2"}, "impact": {"down"}})
		wantStatus(t, r, http.StatusSeeOther)
		if got, want := deps(), "payments-api/down recommendations/degraded stripe/degraded/1d any 2 of db-east, db-west/down"; got != want {
			t.Fatalf("dependencies %q, want %q", got, want)
		}

		refused := []struct {
			name   string
			form   url.Values
			status int
			input  string
			msg    string
		}{
			{"unknown service", url.Values{"form": {"single"}, "version": {"3"}, "on": {"nowhere"}}, 422, "on", `no service &#34;nowhere&#34;`},
			{"itself", url.Values{"form": {"single"}, "version": {"3"}, "on": {"checkout"}}, 422, "on", "cannot depend on itself"},
			{"twice", url.Values{"form": {"single"}, "version": {"3"}, "on": {"stripe"}}, 422, "on", "already a dependency"},
			{"bad workaround", url.Values{"form": {"single"}, "version": {"3"}, "on": {"k8s-prod"}, "workaround": {"soon"}}, 422, "workaround", "is not a duration"},
			// With a problem of its own, the form also says what the store would.
			{"bad workaround, unknown service", url.Values{"form": {"single"}, "version": {"3"}, "on": {"nowhere"}, "workaround": {"soon"}}, 422, "on", `no service &#34;nowhere&#34;`},
			{"bad min up, itself", url.Values{"form": {"group"}, "version": {"3"}, "any_of": {"checkout, stripe"}, "min_up": {"one"}}, 422, "any_of", "cannot depend on itself"},
			{"min up too high", url.Values{"form": {"group"}, "version": {"3"}, "any_of": {"k8s-prod, primary-dc"}, "min_up": {"3"}}, 422, "min_up", "between 1 and"},
			{"unknown member", url.Values{"form": {"group"}, "version": {"3"}, "any_of": {"k8s-prod, ghost"}}, 422, "any_of", `no service &#34;ghost&#34;`},
			{"stale", url.Values{"form": {"single"}, "version": {"1"}, "on": {"k8s-prod"}}, 409, "", "changed by someone else"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				r := post(t, s, "/services/checkout/dependencies", tc.form)
				wantStatus(t, r, tc.status)
				if tc.input != "" {
					m := regexp.MustCompile(`<p class="field-error" id="err-` + tc.input + `">([^<]*)</p>`).FindStringSubmatch(r.Body)
					if m == nil || !strings.Contains(m[1], tc.msg) {
						t.Fatalf("no message %q under input %s; body:\n%.3000s", tc.msg, tc.input, r.Body)
					}
				}
				wantContains(t, r, tc.msg)
				for k, v := range tc.form {
					if k != "form" && k != "version" {
						wantContains(t, r, `value="`+v[0]+`"`)
					}
				}
			})
		}

		// Remove the soft dependency on recommendations (position 1).
		r = post(t, s, "/services/checkout/dependencies/1/delete", url.Values{"version": {"2"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "nothing was removed")
		r = post(t, s, "/services/checkout/dependencies/1/delete", url.Values{"version": {"3"}})
		wantStatus(t, r, http.StatusSeeOther)
		if got, want := deps(), "payments-api/down stripe/degraded/1d any 2 of db-east, db-west/down"; got != want {
			t.Fatalf("after removal %q, want %q", got, want)
		}
		r = post(t, s, "/services/checkout/dependencies/9/delete", url.Values{"version": {"4"}})
		wantStatus(t, r, http.StatusNotFound)
	})
}

func TestPagesEscapeUntrustedText(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	seed(t, db)
	s := pageServer(t, db)
	evil := `<script>alert(1)</script>`
	r := post(t, s, "/services", serviceValues("id", "evil", "name", evil, "description", `<img src=x onerror=alert(2)>`))
	wantStatus(t, r, http.StatusSeeOther)
	if err := db.UpdateService(context.Background(), &lifeboat.Service{ID: "checkout", Name: "Checkout",
		DependsOn: []lifeboat.Dependency{{On: "evil", Type: `"><b>x</b>`}}}, 0); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/services", "/services/evil", "/services/evil/edit", "/services/evil/delete", "/services/checkout", "/services?q=%3Cscript%3E"} {
		t.Run(path, func(t *testing.T) {
			r := get(t, s, path)
			wantStatus(t, r, http.StatusOK)
			wantLacks(t, r, evil, "<img src=x", "<b>x</b>")
			if !strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(r.Body, "&lt;b&gt;x&lt;/b&gt;") {
				t.Errorf("page shows neither text escaped")
			}
		})
	}
	r = post(t, s, "/services", serviceValues("id", "<script>", "name", evil))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantLacks(t, r, evil, `value="<script>"`)
}

func TestTeamPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()

		r := get(t, s, "/teams")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `<a class="row-title" href="/teams/payments-team">Payments</a>`)

		r = get(t, s, "/teams/payments-team")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Alice Martin", "Bob Okafor", `href="/services/checkout"`, `href="/services/stripe"`, `href="/services?owner=payments-team"`)
		wantLacks(t, r, `href="/services/k8s-prod"`)

		r = post(t, s, "/teams", url.Values{"id": {"sre"}, "name": {"SRE"}, "members": {"chen, ghost"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, `id="err-members"`, `no person &#34;ghost&#34;`, `value="chen, ghost"`)

		r = post(t, s, "/teams", url.Values{"id": {"sre"}, "name": {"SRE"}, "members": {"chen, alice"}, "description": {"On call."}})
		wantStatus(t, r, http.StatusSeeOther)
		team, err := db.FindTeamByID(ctx, "sre")
		if err != nil || fmt.Sprint(team.Members) != "[chen alice]" {
			t.Fatalf("stored team %+v, %v", team, err)
		}

		r = post(t, s, "/teams/sre", url.Values{"name": {"Site reliability"}, "members": {"alice"}, "version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = post(t, s, "/teams/sre", url.Values{"name": {"Stale"}, "version": {"1"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "changed by someone else", `value="Stale"`)

		r = post(t, s, "/teams/payments-team/delete", url.Values{"version": {"1"}})
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "cannot be deleted", "checkout")
		r = post(t, s, "/teams/sre/delete", url.Values{"version": {"2"}})
		wantStatus(t, r, http.StatusSeeOther)
		if _, err := db.FindTeamByID(ctx, "sre"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestPersonPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()

		r := get(t, s, "/people")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Alice Martin", "mailto:alice@example.com", "Chen Wei")

		r = get(t, s, "/people/alice")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `<a class="row-title" href="/teams/payments-team">Payments</a>`)
		wantLacks(t, r, "Platform")

		r = post(t, s, "/people", url.Values{"id": {"dana"}, "name": {"Dana"}, "email": {"not-mail"}, "phone": {"call me"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r, `id="err-email"`, `id="err-phone"`, `value="not-mail"`)

		r = post(t, s, "/people", url.Values{"id": {"dana"}, "name": {"Dana Schmidt"}, "email": {"dana@example.com"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = post(t, s, "/people/dana", url.Values{"name": {"Dana S."}, "phone": {"+49 30 1234"}, "version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		x, err := db.FindPersonByID(ctx, "dana")
		if err != nil || x.Name != "Dana S." || x.Phone != "+49 30 1234" || x.Email != "" {
			t.Fatalf("stored %+v, %v", x, err)
		}

		r = post(t, s, "/people/bob/delete", url.Values{"version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		team, _ := db.FindTeamByID(ctx, "payments-team")
		if fmt.Sprint(team.Members) != "[alice]" {
			t.Errorf("members after deleting bob: %v", team.Members)
		}
	})
}

func TestHomePage(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	r := get(t, s, "/")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Add the first service", `aria-current="page">Home`)

	seed(t, db)
	r = get(t, s, "/")
	wantContains(t, r, `<span class="stat-value">8</span><span class="stat-label">services</span>`,
		`<span class="stat-value">7</span><span class="stat-label">dependencies</span>`,
		`<a class="bar-label" href="/services?kind=data-store">Data store</a>`,
		`<a class="bar-label" href="/services?tier=0">Tier 0 · mission-critical</a>`)
	// Tier 0 has the most services, so its bar is full; tier 1 has 2 of 5.
	wantContains(t, r, `<rect class="bar-fill" width="100.0"`, `<rect class="bar-fill" width="40.0"`)
}

func TestNotFoundPages(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	seed(t, db)
	s := pageServer(t, db)
	for _, path := range []string{"/nowhere", "/services/nobody", "/services/nobody/edit", "/teams/nobody", "/people/nobody", "/services/nobody/delete"} {
		r := get(t, s, path)
		wantStatus(t, r, http.StatusNotFound)
		wantContains(t, r, "404", `action="/services"`)
	}
	r := get(t, s, "/api/v1/nowhere")
	wantStatus(t, r, http.StatusNotFound)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("unknown API path answered with %q", ct)
	}
}

func TestAPIDocsPage(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	r := get(t, s, "/api/docs")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `href="/api/v1/openapi.json"`, `aria-current="page">API`,
		`id="op-list-services"`, `<span class="method method-GET">GET</span> <code class="op-path">/api/v1/services</code>`,
		`<code class="op-path">/api/v1/services/{id}/dependents</code>`, "List what depends on a service",
		`<code>cursor</code>`, "one of: name, id, tier, kind", // a parameter with its choices
		`id="schema-Service"`, `<code>depends_on</code>`, `href="#schema-Dependency"`, // schemas and their links
		"How many members of any_of must be up", `id="tag-Teams"`, `id="tag-People"`)
	if strings.Index(r.Body, `id="tag-Services"`) > strings.Index(r.Body, `id="tag-Teams"`) {
		t.Error("services are not listed first")
	}
}

func TestFormLimits(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	r := post(t, s, "/services", url.Values{"id": {"big"}, "description": {strings.Repeat("x", maxBodyBytes+1)}})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)

	req := httptest.NewRequest(http.MethodPost, "/services", strings.NewReader("id=evil"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := serve(s, req); r.Status != http.StatusForbidden {
		t.Errorf("cross-site form post: status %d, want 403", r.Status)
	}
}

func TestManyDependents(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "hub", Kind: lifeboat.KindSite}); err != nil {
		t.Fatal(err)
	}
	for i := range dependentsShown + 3 {
		svc := &lifeboat.Service{ID: fmt.Sprintf("app-%03d", i), DependsOn: []lifeboat.Dependency{{On: "hub"}}}
		if err := db.CreateService(ctx, svc); err != nil {
			t.Fatal(err)
		}
	}
	s := pageServer(t, db)
	for _, path := range []string{"/services/hub", "/services/hub/delete"} {
		r := get(t, s, path)
		wantStatus(t, r, http.StatusOK)
		if n := strings.Count(r.Body, `href="/services/app-`); n != dependentsShown {
			t.Errorf("%s lists %d dependents, want %d", path, n, dependentsShown)
		}
		wantContains(t, r, "and 3 more")
	}
	wantContains(t, get(t, s, "/services/hub/delete"), "103 services depend on hub")
}

func TestTextValue(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"  plain  ", 0, "plain"},
		{"a\xffb", 0, "ab"},
		{"héllo", 2, "h"}, // "é" is two bytes and does not fit
		{"héllo", 3, "hé"},
		{"abc", 3, "abc"},
	}
	for _, tc := range tests {
		if got := textValue(tc.in, tc.limit); got != tc.want {
			t.Errorf("textValue(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}
