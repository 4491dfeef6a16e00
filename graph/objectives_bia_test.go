package graph

import (
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// Several BIAs feed one shared dependency: the database takes the
// strictest RTO and RPO any of them derives, names the service it comes
// from, and on a tie the service first in id order. A BIA without an
// intolerable point passes nothing down.
func TestBIAsFeedASharedDependency(t *testing.T) {
	h := lifeboat.Duration(3600)
	wrt := func(d lifeboat.Duration) *lifeboat.Duration { return &d }
	intolerableAt := func(svc string, at lifeboat.Duration, w, rpo lifeboat.Duration) *lifeboat.BIA {
		return &lifeboat.BIA{Service: svc, WorkRecoveryTime: wrt(w), RPO: wrt(rpo),
			Impacts: []lifeboat.ImpactPoint{{After: h, Ratings: map[string]int{"customer": 2}}, {After: at, Ratings: map[string]int{"customer": 4}}}}
	}
	m := &lifeboat.Model{
		Services: []*lifeboat.Service{
			{ID: "orders", Kind: lifeboat.KindBusinessService, DependsOn: []lifeboat.Dependency{{On: "db"}}},
			{ID: "billing", Kind: lifeboat.KindBusinessService, DependsOn: []lifeboat.Dependency{{On: "db"}}},
			{ID: "archive", Kind: lifeboat.KindBusinessService, DependsOn: []lifeboat.Dependency{{On: "db"}}},
			{ID: "reports", Kind: lifeboat.KindBusinessService, DependsOn: []lifeboat.Dependency{{On: "db"}}},
			{ID: "db", Kind: lifeboat.KindDataStore},
		},
		BIAs: []*lifeboat.BIA{
			intolerableAt("orders", 8*h, h, 900),   // RTO 7h, RPO 15m
			intolerableAt("billing", 4*h, h, 3600), // RTO 3h, RPO 1h
			intolerableAt("reports", 4*h, h, 300),  // RTO 3h as well, RPO 5m
			{Service: "archive", Impacts: []lifeboat.ImpactPoint{{After: h, Ratings: map[string]int{"customer": 3}}}}, // never intolerable
		},
	}
	for _, s := range m.Services {
		s.Normalize()
	}
	x, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ServiceObjectives{}
	for _, s := range x.Objectives().Report().Services {
		got[s.ID] = s
	}
	db := got["db"]
	if db.RTO == nil || *db.RTO != 3*3600 || db.Source != "inherited" || db.RTOFrom != "billing" {
		t.Errorf("db's RTO: %d from %q (%s), want 3h inherited from billing, first in id order of the two at 3h", deref(db.RTO), db.RTOFrom, db.Source)
	}
	if db.RPO == nil || *db.RPO != 300 || db.RPOSource != "inherited" || db.RPOFrom != "reports" {
		t.Errorf("db's RPO: %d from %q (%s), want 5m inherited from reports", deref(db.RPO), db.RPOFrom, db.RPOSource)
	}
	if o := got["orders"]; o.RTO == nil || *o.RTO != 7*3600 || o.Source != "bia" {
		t.Errorf("orders keeps its own RTO from its BIA: %+v", o)
	}
	if a := got["archive"]; a.RTO != nil || a.Source != "none" {
		t.Errorf("archive's BIA is never intolerable, so it asks no RTO: %+v", a)
	}
}

func deref(p *uint32) uint32 {
	if p == nil {
		return None
	}
	return *p
}
