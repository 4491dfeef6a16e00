package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// The scripts of the graph explorer, which only its page loads.
var explorerScripts = []string{`<script src="/static/vendor/cytoscape.min.js" defer></script>`,
	`<script src="/static/vendor/cytoscape-dagre.min.js" defer></script>`, `<script src="/static/explorer.js" defer></script>`,
	`<script src="/static/vendor/echarts.common.min.js" defer></script>`, `<script src="/static/explorer-loss.js" defer></script>`,
	`<link rel="stylesheet" href="/static/explorer.css" id="__________cytoscape_stylesheet">`}

func TestExplorerPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)

		r := get(t, s, "/services/payments-api/graph")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, explorerScripts...)
		wantContains(t, r, "<h1>Dependencies of Payments API</h1>", `<a href="/services/payments-api">payments-api</a>`,
			// What the script needs to fetch the same view.
			`data-center="payments-api" data-up="2" data-down="3" data-limit="100"`,
			"<noscript>", "The graph and the failure simulation need JavaScript",
			// The view as lists: dependents, then dependencies level by level.
			`id="up-1"`, `<a href="/services/checkout">checkout</a>`,
			`id="down-1"`, `<a href="/services/k8s-prod">k8s-prod</a>`, `<a href="/services/db-east">db-east</a>`,
			`<a href="/services/db-west">db-west</a>`, `<a href="/services/stripe">stripe</a>`,
			`id="down-2"`, `<a href="/services/primary-dc">primary-dc</a>`, "through k8s-prod",
			// The card the script fills with the cost and recovery of a failure.
			`id="loss"`, `id="loss-figures"`, `id="loss-chart"`,
			// The controls keep the choices.
			`<option value="3" selected>3</option>`, `<option value="100" selected>100</option>`)
		wantLacks(t, r, `id="up-2"`, `id="down-3"`, "more down", "Capped at")
		if strings.Contains(between(r.Body, `id="up-1"`, `</ul>`), "payments-api") {
			t.Error("the centre is listed among its own dependents")
		}

		// Fewer levels: what is left out is counted, with a link to go on.
		r = get(t, s, "/services/payments-api/graph?up=1&down=1&limit=25")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `data-up="1" data-down="1" data-limit="25"`,
			`<a class="x-more" href="/services/k8s-prod/graph?up=1&amp;down=1&amp;limit=25">+1 more down</a>`)
		wantLacks(t, r, `<a href="/services/primary-dc">primary-dc</a>`, `id="down-2"`)

		// Values that are not among the choices take the defaults.
		r = get(t, s, "/services/payments-api/graph?up=9&down=-1&limit=100000")
		wantContains(t, r, `data-up="2" data-down="3" data-limit="100"`)

		// The cap: the view stops at the limit and says so.
		r = get(t, s, "/services/primary-dc/graph?up=4&down=1&limit=25")
		wantContains(t, r, "<h1>Dependencies of Primary data center</h1>", `<a href="/services/checkout">checkout</a>`, "through payments-api")

		// A service with nothing around it.
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "lonely"}); err != nil {
			t.Fatal(err)
		}
		r = get(t, s, "/services/lonely/graph")
		wantContains(t, r, "depends on nothing and nothing depends on it")
		wantLacks(t, r, `id="down-1"`)

		// The service page links to the explorer, and only the explorer
		// loads its scripts.
		r = get(t, s, "/services/payments-api")
		wantContains(t, r, `<a class="btn" href="/services/payments-api/graph" id="explore-link">Explore dependencies</a>`)
		for _, path := range []string{"/services/payments-api", "/", "/services", "/findings", "/model"} {
			wantLacks(t, get(t, s, path), explorerScripts...)
		}

		wantStatus(t, get(t, s, "/services/nope/graph"), http.StatusNotFound)
	})
}

// TestExplorerCap views a hub with more dependents than the cap: the page
// draws at most the limit and says what is left out.
func TestExplorerCap(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "hub", Kind: lifeboat.KindSite}); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		app := &lifeboat.Service{ID: fmt.Sprintf("app-%02d", i), DependsOn: []lifeboat.Dependency{{On: "hub"}}}
		if err := db.CreateService(ctx, app); err != nil {
			t.Fatal(err)
		}
	}
	s := pageServer(t, db)
	r := get(t, s, "/services/hub/graph?up=1&down=1&limit=25")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Capped at 25 services", `<span class="count" title="services in the view">24</span>`,
		`<a href="/services/app-00">app-00</a>`, `<a href="/services/app-23">app-23</a>`)
	wantLacks(t, r, `<a href="/services/app-24">app-24</a>`)
}

// between returns the text of s from the first from to the next to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
