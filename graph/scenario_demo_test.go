package graph

import (
	"reflect"
	"testing"
)

// TestDemoScenarios works out two failures of the demo organisation by
// hand, from examples/, apart from the engine and the golden files: the
// figures the explorer's browser test expects come from here.
func TestDemoScenarios(t *testing.T) {
	_, x, sim := demoSimulator(t)
	report := func(ids ...string) *ImpactReport {
		nodes, err := x.LookupAll(ids)
		if err != nil {
			t.Fatal(err)
		}
		return sim.Scenario(nodes).Report()
	}

	// The production cluster fails. Down with it: catalog-db (runs only
	// there), catalog-api and recommendations (need catalog-db), the
	// search index and search, and the storefront (needs catalog-api).
	// The only business service down is the storefront; its BIA gives
	// 35,000 at 1h, 160,000 at 4h, 950,000 at 1d, 3,200,000 at 3d and
	// 8,400,000 at 1w, all points of the curve.
	r := report("k8s-prod")
	wantLoss := LossAt{H1: 35000, H4: 160000, D1: 950000, D3: 3200000, W1: 8400000}
	if r.Loss.At != wantLoss || r.Loss.Services != 1 || r.Loss.Currency != "USD" {
		t.Errorf("k8s-prod: loss %+v", r.Loss)
	}
	// Restore times along the waves: k8s-prod 2h (East is up); catalog-db
	// 2h after it, 4h; catalog-api 10m after catalog-db, 4h10m (k8s-dr is
	// up, so its cluster group keeps no one waiting); recommendations 1h
	// after catalog-db, 5h; search-index 3h after the cluster, 5h; search
	// 15m after that, 5h15m. The storefront has no restore time of its own:
	// at least catalog-api's 4h10m, not known.
	want := map[string]uint32{"catalog-db": 4 * 3600, "catalog-api": 4*3600 + 600, "recommendations": 5 * 3600,
		"search-index": 5 * 3600, "search": 5*3600 + 900}
	for _, h := range r.Impacted {
		if w, ok := want[h.ID]; ok && (h.Recovery == nil || *h.Recovery != w) {
			t.Errorf("k8s-prod: %s back after %v, want %d", h.ID, h.Recovery, w)
		}
		if h.ID == "storefront" && (h.Recovery != nil || h.AtLeast == nil || *h.AtLeast != 4*3600+600 || h.Unknown != "storefront" ||
			*h.MTPD != 86400 || *h.RTO != 4*3600 || h.MissesRTO == nil || !*h.MissesRTO) {
			t.Errorf("k8s-prod: storefront %+v", h.Outlook)
		}
	}
	if f := r.FailedServices[0]; *f.Recovery != 2*3600 || *f.RTO != 3600 || !*f.MissesRTO {
		t.Errorf("k8s-prod: the cluster itself %+v", f.Outlook)
	}
	// Three miss their RTO: catalog-api (4h, declared), the cluster (1h,
	// inherited from checkout through web-frontend), and the storefront,
	// whose own restore time is unknown but which waits for catalog-api.
	wantMisses := []RTOMiss{
		{ID: "catalog-api", Estimate: 4*3600 + 600, RTO: 4 * 3600, Chain: []string{"k8s-prod", "catalog-db", "catalog-api"}},
		{ID: "k8s-prod", Estimate: 2 * 3600, RTO: 3600, Chain: []string{"k8s-prod"}},
		{ID: "storefront", Estimate: 4*3600 + 600, AtLeast: true, RTO: 4 * 3600, Chain: []string{"k8s-prod", "catalog-db", "catalog-api", "storefront"}},
	}
	if !reflect.DeepEqual(r.RTOMisses, wantMisses) {
		t.Errorf("k8s-prod: misses %+v", r.RTOMisses)
	}
	latest := uint32(5*3600 + 900)
	if rec := r.Recovery; rec.Estimated != 6 || rec.Unknown != 1 || rec.MissRTO != 3 || *rec.Latest != latest ||
		!reflect.DeepEqual(rec.WithoutRestoreTime, []string{"storefront"}) {
		t.Errorf("k8s-prod: recovery %+v", rec)
	}

	// DC East fails. Down with a BIA: the storefront (as above) and
	// finance-close, through the ERP on the VM platform; checkout,
	// customer-service, order-fulfilment and customer-notifications are
	// only degraded and count nothing. finance-close's first loss is 5,000
	// at 1d: 5,000/24 = 208.33 at 1h and 833.33 at 4h; then 35,000 at 3d
	// and 220,000 at 1w.
	r = report("dc-east")
	wantLoss = LossAt{H1: 35208.33, H4: 160833.33, D1: 955000, D3: 3235000, W1: 8620000}
	if r.Loss.At != wantLoss || r.Loss.Services != 2 {
		t.Errorf("dc-east: loss %+v", r.Loss)
	}
	// The site has no restore time, so nothing that waits for it has an
	// estimate; yet five cannot make their RTO even with the site back at
	// once: the network (30m) and the cluster (2h) alone take 2h30m.
	if rec := r.Recovery; rec.Estimated != 0 || rec.Unknown != 20 || rec.MissRTO != 5 || len(r.RTOMisses) != 5 {
		t.Errorf("dc-east: recovery %+v", rec)
	}
	if m := r.RTOMisses[2]; m.ID != "k8s-prod" || m.Estimate != 2*3600+1800 || !m.AtLeast || m.RTO != 3600 {
		t.Errorf("dc-east: the cluster's miss %+v", m)
	}
}
