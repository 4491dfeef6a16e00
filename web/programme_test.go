package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/examples"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// The home page sums up the demo's continuity programme: the BIA sign-off
// of its critical business services (examples/README.md lists them), the
// holes the rules find, and the site whose failure costs most, which the
// engine is asked here directly, site by site.
func TestHomeProgramme(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if err := demo.Load(ctx, db, db); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, db)
	s.Auth.Now = func() time.Time { return examples.AsOf() }

	m, _, err := demo.Model()
	if err != nil {
		t.Fatal(err)
	}
	x, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	sim := graph.NewSimulator(x, m)
	worst, most := "", lifeboat.Amount(0)
	for _, svc := range m.Services {
		if svc.Kind != lifeboat.KindSite {
			continue
		}
		n, _ := x.Lookup(svc.ID)
		if loss := lifeboat.Amount(sim.Scenario([]uint32{n}).Loss[dayHorizon()]); loss > most {
			worst, most = svc.ID, loss
		}
	}
	if worst == "" {
		t.Fatal("no demo site has a loss: the test needs one")
	}

	r := get(t, s, "/")
	for _, want := range []string{
		// checkout, storefront, payments and employee-sign-in are approved
		// and current; order-fulfilment is in review and gift-cards has no
		// BIA.
		"<strong>4 of 6</strong> tier 0–1 business services have a current, approved BIA",
		`aria-label="66%"`,
		`<span class="programme-value is-warn">1</span>`, // wms-db
		money(most, "USD"), "if <strong>" + worst + "</strong> fails",
		`href="/services/` + worst + `/graph"`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the home page lacks %q", want)
		}
	}
	gaps := 0
	a, err := s.analyse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.findings {
		if gapRules[f.Rule] {
			gaps++
		}
	}
	if gaps == 0 || !strings.Contains(r.Body, `<span class="programme-value is-bad">`+strconv.Itoa(gaps)+`</span>`) {
		t.Errorf("the home page does not count the %d gaps", gaps)
	}
}

// With many sites, the home page does not wait for every site's failure to
// be simulated: it says the answer is being worked out, and shows it once
// it is.
func TestHomeWorstSiteInBackground(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	m := &lifeboat.Model{BIAs: []*lifeboat.BIA{{Service: "shop", Impacts: []lifeboat.ImpactPoint{
		{After: 3600, Ratings: map[string]int{"customer": 4}, Loss: amount(1000)}, {After: 24 * 3600, Loss: amount(48000)}}}}}
	m.Services = append(m.Services, &lifeboat.Service{ID: "shop", Kind: lifeboat.KindBusinessService,
		DependsOn: []lifeboat.Dependency{{On: "site-042"}}})
	for i := range inlineSites + 6 {
		m.Services = append(m.Services, &lifeboat.Service{ID: fmt.Sprintf("site-%03d", i), Kind: lifeboat.KindSite})
	}
	if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, db)
	r := get(t, s, "/")
	if !strings.Contains(r.Body, fmt.Sprintf("Working out the costliest of %d single-site failures", inlineSites+6)) {
		t.Fatalf("the first view should say the answer is being worked out:\n%s", r.Body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.Body, "if <strong>site-042</strong> fails") {
		if time.Now().After(deadline) {
			t.Fatalf("the worst site never showed:\n%s", r.Body)
		}
		time.Sleep(10 * time.Millisecond)
		r = get(t, s, "/")
	}
	if !strings.Contains(r.Body, "$48,000") {
		t.Errorf("the loss after a day is 48,000:\n%s", r.Body)
	}
}

func amount(a float64) *lifeboat.Amount { v := lifeboat.Amount(a); return &v }
