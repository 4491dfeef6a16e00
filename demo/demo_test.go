package demo_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db, db, db); err != nil {
			t.Fatalf("Load: %v", err)
		}
		want := demo.Services()
		got := allServiceIDs(t, db)
		if len(got) != len(want) {
			t.Fatalf("got %d services, want %d: %v", len(got), len(want), got)
		}
		for _, s := range want {
			if !slices.Contains(got, s.ID) {
				t.Errorf("service %q missing", s.ID)
			}
		}
		if teams, err := db.FindTeams(ctx); err != nil || len(teams) != len(demo.Teams()) {
			t.Errorf("FindTeams: %d teams, err %v; want %d", len(teams), err, len(demo.Teams()))
		}
		if people, err := db.FindPeople(ctx); err != nil || len(people) != len(demo.People()) {
			t.Errorf("FindPeople: %d people, err %v; want %d", len(people), err, len(demo.People()))
		}
		checkout, err := db.FindServiceByID(ctx, "checkout-api")
		if err != nil {
			t.Fatal(err)
		}
		if !hasGroup(checkout, "orders-db-primary", "orders-db-replica") {
			t.Errorf("checkout-api lost its redundancy group: %+v", checkout.DependsOn)
		}

		// A second load must leave the catalog alone.
		if err := demo.Load(ctx, db, db, db); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Load: got %v, want ErrNotEmpty", err)
		}
		if again := allServiceIDs(t, db); len(again) != len(want) {
			t.Errorf("after the second load: %d services, want %d", len(again), len(want))
		}
	})
}

func TestLoadRefusesExistingCatalog(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "mainframe"}); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db, db, db); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("Load into a catalog with a service: got %v, want ErrNotEmpty", err)
	}
	if people, err := db.FindPeople(ctx); err != nil || len(people) != 0 {
		t.Errorf("Load wrote people into a used database: %d, err %v", len(people), err)
	}
}

// TestSampleCoversTheModel keeps the sample a showcase of the model: each
// feature listed here must appear at least once.
func TestSampleCoversTheModel(t *testing.T) {
	var kinds []lifeboat.Kind
	var groups, soft, workarounds, contracts, objectives, recovery int
	for _, s := range demo.Services() {
		kinds = append(kinds, s.Kind)
		if s.Contract != nil {
			contracts++
		}
		if s.Objectives != nil {
			objectives++
		}
		if s.Recovery != nil {
			recovery++
		}
		for _, d := range s.DependsOn {
			switch {
			case d.IsGroup():
				groups++
			case d.Impact == lifeboat.ImpactDegraded:
				soft++
			case d.Workaround != nil:
				workarounds++
			}
		}
	}
	for _, k := range []lifeboat.Kind{lifeboat.KindBusinessService, lifeboat.KindApplication, lifeboat.KindDataStore,
		lifeboat.KindInfrastructure, lifeboat.KindNetwork, lifeboat.KindSite, lifeboat.KindVendor} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no service of kind %s", k)
		}
	}
	for what, n := range map[string]int{"redundancy group": groups, "soft dependency": soft, "workaround": workarounds,
		"vendor contract": contracts, "objectives": objectives, "recovery capability": recovery} {
		if n == 0 {
			t.Errorf("no %s in the sample", what)
		}
	}
}

func allServiceIDs(t *testing.T, db *sqldb.DB) []string {
	t.Helper()
	page, err := db.FindServices(context.Background(), lifeboat.ServiceFilter{Sort: lifeboat.SortByID, Limit: lifeboat.MaxPageSize})
	if err != nil {
		t.Fatalf("FindServices: %v", err)
	}
	var ids []string
	for _, s := range page.Services {
		ids = append(ids, s.ID)
	}
	return ids
}

func hasGroup(s *lifeboat.Service, members ...string) bool {
	for _, d := range s.DependsOn {
		if d.IsGroup() && slices.Equal(d.AnyOf, members) {
			return true
		}
	}
	return false
}
