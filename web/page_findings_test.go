package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// The seed's findings: a vendor-gap (stripe's 4h contract under the 1h of
// payments-api), six missing-objectives, a no-owner (recommendations), a
// bia-not-approved (checkout, tier 0, has no BIA) and three single points
// of failure, primary-dc worst.

func TestFindingsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)

		r := get(t, s, "/findings", "Authorization", viewer)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `<a href="/findings" aria-current="page">Findings</a>`, "<h1>Findings</h1>",
			`<span class="badge sev-error">1 error</span>`, `<span class="badge sev-warning">11 warnings</span>`,
			// The chart: one row per rule, its bar in severity segments.
			`<a class="bar-label" href="/findings?rule=vendor-gap"`, `<title>1 error</title>`, `<title>6 warnings</title>`,
			// The filters, with counts.
			`href="/findings?severity=error">Errors <span class="chip-count">1</span>`,
			`href="/findings?rule=spof"><code>spof</code> <span class="chip-count">3</span>`,
			// Each finding with its subject and related services linked.
			`id="rule-vendor-gap"`, `the contract with &#34;stripe&#34; allows 4h rto`,
			`service <a href="/services/stripe">stripe</a>`, `related: <a href="/services/payments-api">payments-api</a>`,
			`id="rule-no-owner"`, `service <a href="/services/recommendations">recommendations</a>`,
			"12 findings")
		// Worst first: errors' rules before warnings'.
		if i, j := strings.Index(r.Body, `id="rule-vendor-gap"`), strings.Index(r.Body, `id="rule-missing-objectives"`); i < 0 || j < i {
			t.Error("vendor-gap is not listed before missing-objectives")
		}
		// Single points of failure in rank order.
		spof := between(r.Body, `id="rule-spof"`, "</section>")
		ranks := []string{"#1</span> if &#34;primary-dc&#34;", "#2</span> if &#34;k8s-prod&#34;", "#3</span> if &#34;payments-api&#34;"}
		last := -1
		for _, rank := range ranks {
			i := strings.Index(spof, rank)
			if i <= last {
				t.Errorf("spof ranks out of order or missing at %q:\n%s", rank, spof)
			}
			last = i
		}

		// Filter by rule: that rule alone.
		r = get(t, s, "/findings?rule=spof")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `id="rule-spof"`, "3 findings match this filter", `class="chip is-active" href="/findings?rule=spof"`,
			`related: <a href="/services/checkout">checkout</a>, <a href="/services/k8s-prod">k8s-prod</a>, <a href="/services/payments-api">payments-api</a>`,
			// The severity filter counts within the rule.
			`href="/findings?rule=spof&amp;severity=warning">Warnings <span class="chip-count">3</span>`)
		wantLacks(t, r, `id="rule-vendor-gap"`, `id="rule-no-owner"`)

		// Filter by severity, and both.
		r = get(t, s, "/findings?severity=error")
		wantContains(t, r, `id="rule-vendor-gap"`, "1 finding match")
		wantLacks(t, r, `id="rule-spof"`, `id="rule-missing-objectives"`)
		r = get(t, s, "/findings?rule=spof&severity=error")
		wantContains(t, r, "No findings match this filter")

		// Unknown severities are dropped; an unknown rule matches nothing.
		r = get(t, s, "/findings?severity=fatal")
		wantContains(t, r, "12 findings")
		r = get(t, s, "/findings?rule=%3Cscript%3E")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "No findings match this filter")
		wantLacks(t, r, "<script>")

		// A change to the model shows at once: the analysis follows the
		// model's version.
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "orphan"}); err != nil {
			t.Fatal(err)
		}
		r = get(t, s, "/findings?rule=no-owner")
		wantContains(t, r, "2 findings match", `service <a href="/services/orphan">orphan</a>`)
	})
}

func TestFindingsPageEmpty(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	r := get(t, s, "/findings")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "No findings", "The stored model passes every rule.")
}

func TestServicePageFindingsAndObjectives(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		// No tier but an RTO of a day: tier 2, derived.
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "reporting", Owner: "platform-team",
			Objectives: &lifeboat.Objectives{RTO: dur("1d")}, Recovery: &lifeboat.Recovery{Time: dur("6h")},
			DependsOn: []lifeboat.Dependency{{On: "k8s-prod"}}}); err != nil {
			t.Fatal(err)
		}
		s := pageServer(t, db)

		// The subject of findings and related to others.
		r := get(t, s, "/services/payments-api")
		wantStatus(t, r, http.StatusOK)
		card := between(r.Body, `id="service-findings"`, "</section>")
		for _, want := range []string{`<a class="rule" href="/findings?rule=spof"><code>spof</code></a>`,
			"if &#34;payments-api&#34; fails on its own", // its own
			`about <a href="/services/k8s-prod">k8s-prod</a>`, `about <a href="/services/primary-dc">primary-dc</a>`,
			`about <a href="/services/stripe">stripe</a>`, `<span class="badge sev-error">1 error</span>`} {
			if !strings.Contains(card, want) {
				t.Errorf("findings card lacks %q:\n%s", want, card)
			}
		}
		if strings.Contains(card, "recommendations") {
			t.Error("the findings card lists a finding that does not concern the service")
		}
		objectives := between(r.Body, `id="effective-objectives"`, "</dl>")
		for _, want := range []string{`1h <span class="obj-source">declared</span>`, `5m <span class="obj-source">declared</span>`,
			`Tier 0 <span class="obj-source">declared</span>`, "no recovery times known"} {
			if !strings.Contains(objectives, want) {
				t.Errorf("objectives lack %q:\n%s", want, objectives)
			}
		}

		// Objectives inherited from what needs the service.
		r = get(t, s, "/services/k8s-prod")
		objectives = between(r.Body, `id="effective-objectives"`, "</dl>")
		if want := `1h <span class="obj-source">from <a href="/services/payments-api">payments-api</a></span>`; !strings.Contains(objectives, want) {
			t.Errorf("objectives lack %q:\n%s", want, objectives)
		}

		// A tier derived from the RTO, and the achievable time.
		r = get(t, s, "/services/reporting")
		objectives = between(r.Body, `id="effective-objectives"`, "</dl>")
		for _, want := range []string{`1d <span class="obj-source">declared</span>`, "<dd>6h</dd>", `Tier 2 <span class="obj-source">derived</span>`} {
			if !strings.Contains(objectives, want) {
				t.Errorf("objectives lack %q:\n%s", want, objectives)
			}
		}
		// Its dependency restores at once, so no chain slows it down.
		wantLacks(t, r, `id="service-findings"`, "Slowest chain")

		// A chain that misses the RTO is said so, with its rto-gap.
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "slow-db", Owner: "platform-team",
			Recovery: &lifeboat.Recovery{Time: dur("8h")}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateService(context.Background(), &lifeboat.Service{ID: "fast-app", Owner: "platform-team",
			Objectives: &lifeboat.Objectives{RTO: dur("2h")}, Recovery: &lifeboat.Recovery{Time: dur("30m")},
			DependsOn: []lifeboat.Dependency{{On: "slow-db"}}}); err != nil {
			t.Fatal(err)
		}
		r = get(t, s, "/services/fast-app")
		wantContains(t, r, "<dd>8h30m <span class=\"badge sev-error\"", "misses the RTO",
			`<a class="rule" href="/findings?rule=rto-gap"><code>rto-gap</code></a>`,
			`Slowest chain: <a href="/services/slow-db">slow-db</a> <span aria-hidden="true">→</span> <a href="/services/fast-app">fast-app</a>`)
	})
}
