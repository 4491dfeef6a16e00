package convert

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// TestBackstageExamples converts part of Backstage's example catalog, in
// which some references point at entities left out on purpose.
func TestBackstageExamples(t *testing.T) {
	r, err := Backstage(readFixture(t, "backstage-examples"))
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	equal(t, "edges", edges(m), []string{
		"artist-engagement-portal -> artist-lookup", // spec.system: the system needs its parts
		"artist-engagement-portal -> artists-db",
		"artist-engagement-portal -> www-artist",
		"artist-lookup -> artists-db",                  // dependsOn resource:artists-db
		"wayback-archive -> wayback-archive-ingestion", // subcomponentOf: the parent needs its parts
		"wayback-archive -> wayback-archive-storage",
		"wayback-search -> wayback-archive", // consumesApis wayback-archive, which wayback-archive provides
		"www-artist -> artist-lookup",       // consumesApis component:artist-lookup
	})
	for id, kind := range map[string]lifeboat.Kind{
		"artist-engagement-portal": lifeboat.KindBusinessService, "artists-db": lifeboat.KindDataStore,
		"artist-lookup": lifeboat.KindApplication, "www-artist": lifeboat.KindApplication,
	} {
		if s := service(t, m, id); s.Kind != kind {
			t.Errorf("%s is of kind %s, want %s", id, s.Kind, kind)
		}
	}
	portal := service(t, m, "artist-engagement-portal")
	if portal.Name != "Artist Engagement Portal" || portal.Owner != "team-a" || portal.Description != "Everything related to artists" {
		t.Errorf("the system: %+v", portal)
	}
	lookup := service(t, m, "artist-lookup")
	if lookup.Lifecycle != lifeboat.LifecyclePlanned || strings.Join(lookup.Tags, ",") != "data,java,service" {
		t.Errorf("artist-lookup: lifecycle %s, tags %v; want planned (experimental), data,java,service", lookup.Lifecycle, lookup.Tags)
	}
	if s := service(t, m, "wayback-archive-ingestion"); s.Owner != "team-d" {
		t.Errorf("wayback-archive-ingestion is owned by %q, want team-d", s.Owner)
	}
	var teams []string
	for _, team := range m.Teams {
		teams = append(teams, team.ID)
	}
	equal(t, "teams made for the groups that are not there", teams, []string{"team-a", "team-d"})
	wantWarnings(t, r, 4,
		`artist-lookup-component.yaml:37: component:default/artist-lookup: owner: group:default/team-a is not in the input; made team "team-a"`,
		`wayback-archive-ingestion-component.yaml:9: component:default/wayback-archive-ingestion: owner: group:default/team-d is not in the input`,
		`wayback-archive-component.yaml:11: component:default/wayback-archive: providesApis: api:default/wayback-archive is not in the input`,
		`wayback-search-component.yaml:13: component:default/wayback-search: providesApis: api:default/wayback-search is not in the input`)
}

// catalog is a small Backstage catalog with groups, users, APIs and a
// namespace of its own.
const catalogYAML = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: Payments, description: Takes the money}
spec: {type: team, profile: {displayName: Payments Team}, members: [alice, ghost], children: []}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: alice}
spec: {profile: {displayName: Alice Martin, email: alice@example.com}, memberOf: [payments, group:ops]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: bob}
spec: {profile: {email: not-an-address}, memberOf: []}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: pay-api}
spec: {type: openapi, lifecycle: production, owner: payments, system: shop, definition: "openapi: 3.0.0"}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: orphan-api}
spec: {type: grpc, lifecycle: production, owner: payments, definition: x}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: payments, title: Payments service, tags: [PCI DSS, "go"]}
spec: {type: service, lifecycle: beta, owner: group:default/payments, providesApis: [pay-api]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout}
spec:
  type: website
  lifecycle: deprecated
  owner: user:alice
  system: shop
  consumesApis: [pay-api, orphan-api, missing-api]
  dependsOn: [resource:orders-db, component:nowhere, cache, group:payments, "a:b:c"]
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: orders-db, namespace: Sales}
spec: {type: postgres-database, owner: payments, dependencyOf: [component:default/checkout]}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: cache}
spec: {type: kubernetes-cluster, owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop}
spec: {owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: {name: commerce}
spec: {owner: payments}
---
apiVersion: backstage.io/v1alpha1
kind: Widget
metadata: {name: w}
---
apiVersion: v1
kind: Component
metadata: {name: not-backstage}
---
- a list
`

func TestBackstageCatalog(t *testing.T) {
	r, err := Backstage(inputs("catalog.yaml", catalogYAML))
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	equal(t, "services", ids(m), []string{"cache", "checkout", "payments", "sales.orders-db", "shop"})
	equal(t, "edges", edges(m), []string{
		"checkout -> cache",           // a bare dependsOn name is looked up as a component, then a resource
		"checkout -> payments",        // consumesApis pay-api, which payments provides
		"checkout -> sales.orders-db", // orders-db is a dependencyOf checkout
		"shop -> checkout",            // spec.system
		"shop -> payments",            // the API pay-api is part of shop: shop needs its provider
	})
	if s := service(t, m, "sales.orders-db"); s.Kind != lifeboat.KindDataStore || s.Owner != "sales.payments" {
		t.Errorf("orders-db: kind %s, owner %q; want data-store owned by the team made for group sales/payments", s.Kind, s.Owner)
	}
	if s := service(t, m, "cache"); s.Kind != lifeboat.KindInfrastructure {
		t.Errorf("a kubernetes-cluster resource is of kind %s, want infrastructure", s.Kind)
	}
	pay := service(t, m, "payments")
	if pay.Name != "Payments service" || pay.Owner != "payments" || strings.Join(pay.Tags, ",") != "go,lifecycle-beta,pci-dss,service" {
		t.Errorf("payments: %+v", pay)
	}
	checkout := service(t, m, "checkout")
	if checkout.Owner != "" || checkout.Lifecycle != lifeboat.LifecycleDeprecated || checkout.Kind != lifeboat.KindApplication {
		t.Errorf("checkout: %+v", checkout)
	}
	checkTeams(t, m)
	wantWarnings(t, r, -1,
		`component:default/checkout: owner: user:default/alice is a user`,
		`consumesApis: no component in the input provides api:default/orphan-api`,
		`api:default/orphan-api has no provider in the input`,
		`consumesApis: no component in the input provides api:default/missing-api`,
		`dependsOn: resource:default/orders-db is not in the input`, // it is in namespace sales
		`dependsOn: component:default/nowhere is not in the input`,
		`dependsOn: group:default/payments is not a component, resource, system or API`,
		`dependsOn: "a:b:c" is not an entity reference`,
		`resource:sales/orders-db: owner: group:sales/payments is not in the input; made team "sales.payments"`,
		`group:default/payments: members: user:default/ghost is not a user of the input`,
		`user:default/alice: memberOf: group:default/ops is not in the input; made team "ops"`,
		`person "bob": "not-an-address" is not an e-mail address`,
		`entity kind "Widget" is not converted`,
		`not a Backstage entity (apiVersion "v1")`,
		`not a Backstage entity: the document is a list`)
	for _, w := range r.Warnings {
		if strings.Contains(w.Message, "commerce") {
			t.Errorf("a domain has nothing to recover and should be left out quietly: %s", w)
		}
	}
}

func checkTeams(t *testing.T, m *lifeboat.Model) {
	t.Helper()
	var got []string
	for _, team := range m.Teams {
		got = append(got, team.ID+" "+team.Name+" "+strings.Join(team.Members, ","))
	}
	equal(t, "teams", got, []string{"ops ops alice", "payments Payments Team alice", "sales.payments payments "})
	var people []string
	for _, x := range m.People {
		people = append(people, x.ID+" "+x.Name+" "+x.Email)
	}
	equal(t, "people", people, []string{"alice Alice Martin alice@example.com", "bob bob "})
}

// TestBackstageIDs checks names that make the same id, or none.
func TestBackstageIDs(t *testing.T) {
	r, err := Backstage(inputs("a.yaml", `
kind: Component
metadata: {name: Web_Shop}
spec: {type: service, dependsOn: [resource:web_shop]}
---
kind: Resource
metadata: {name: web_shop}
spec: {type: s3-bucket}
---
kind: Component
metadata: {name: web_shop}
---
kind: Component
metadata: {name: "---"}
spec: {dependsOn: ["component:---"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	equal(t, "services", ids(m), []string{"component", "web_shop", "web_shop-resource"})
	equal(t, "edges", edges(m), []string{"web_shop -> web_shop-resource"})
	if s := service(t, m, "web_shop"); s.Name != "Web_Shop" {
		t.Errorf("the name keeps its spelling: %q", s.Name)
	}
	if s := service(t, m, "web_shop-resource"); s.Kind != lifeboat.KindDataStore {
		t.Errorf("an s3-bucket is of kind %s, want data-store", s.Kind)
	}
	wantWarnings(t, r, 2, `component:default/web_shop is defined twice (first at a.yaml:2)`,
		`resource:default/web_shop gets id "web_shop-resource": "web_shop" is already the id of component:default/web_shop`)
}

func TestBackstageNotYAML(t *testing.T) {
	for name, data := range map[string]string{
		"tab.yaml":   "kind: Component\nmetadata:\n\tname: x\n",
		"colon.yaml": "kind: Component\nmetadata: {name: x}\nspec: a: b\n",
	} {
		_, err := Backstage(inputs(name, data))
		var e *Error
		if !errors.As(err, &e) || e.File != name || e.Line == 0 || !strings.Contains(e.Message, "not valid YAML") {
			t.Errorf("%s: err %v, want a YAML error with file and line", name, err)
		}
	}
}

func TestParseRef(t *testing.T) {
	for in, want := range map[string]string{
		"artists-db":                  "resource:team/artists-db",
		"component:artist-lookup":     "component:team/artist-lookup",
		"resource:default/artists-db": "resource:default/artists-db",
		"Group:Ops/Team-A":            "group:ops/team-a",
		"other/x":                     "resource:other/x",
	} {
		r, ok := parseRef(in, "resource", "team")
		if !ok || r.String() != want {
			t.Errorf("parseRef(%q) = %s, %v; want %s", in, r, ok, want)
		}
	}
	for _, in := range []string{"", "a:b:c", "a/b/c", "kind:", "ns/", "x:/y"} {
		if r, ok := parseRef(in, "resource", "team"); ok {
			t.Errorf("parseRef(%q) = %s, want malformed", in, r)
		}
	}
}

func TestEmptyInputs(t *testing.T) {
	r, err := Backstage(inputs("values.yaml", "# nothing here\n---\nreplicas: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings(t, r, 2, "values.yaml:3: not a Backstage entity: the document has no kind",
		"the input holds no component, resource, system, API, group or user")
	if r.Warnings[0].String() != "the input holds no component, resource, system, API, group or user" {
		t.Errorf("a warning about the whole input comes first, without a place: %q", r.Warnings[0])
	}
	r, err = Kubernetes(inputs("catalog-info.yaml", "kind: Component\nmetadata: {name: x}\n"))
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings(t, r, 1, "the input holds no Deployment, StatefulSet or DaemonSet")
	mustLoad(t, r)
}
