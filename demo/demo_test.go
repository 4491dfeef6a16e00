package demo_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestLoad imports the sample and reads back exactly what the files say.
func TestLoad(t *testing.T) {
	want, _, err := demo.Model()
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db, db); err != nil {
			t.Fatalf("Load: %v", err)
		}
		got, err := db.FindModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := encode(t, want), encode(t, got); !bytes.Equal(a, b) {
			t.Errorf("the stored sample differs from the files")
		}
		checkout, err := db.FindServiceByID(ctx, "checkout-api")
		if err != nil {
			t.Fatal(err)
		}
		if !hasGroup(checkout, "orders-db-primary", "orders-db-replica") {
			t.Errorf("checkout-api lost its redundancy group: %+v", checkout.DependsOn)
		}
		// A second load must leave the catalog alone.
		if err := demo.Load(ctx, db, db); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Load: got %v, want ErrNotEmpty", err)
		}
	})
}

func TestLoadRefusesExistingCatalog(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "mainframe"}); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db, db); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("Load into a catalog with a service: got %v, want ErrNotEmpty", err)
	}
	if people, err := db.FindPeople(ctx); err != nil || len(people) != 0 {
		t.Errorf("Load wrote people into a used database: %d, err %v", len(people), err)
	}
}

// TestSampleCoversTheModel keeps the sample a showcase of the model: each
// feature listed here must appear at least once.
func TestSampleCoversTheModel(t *testing.T) {
	m, _, err := demo.Model()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []lifeboat.Kind
	var groups, soft, workarounds, contracts, objectives, recovery int
	for _, s := range m.Services {
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
		"vendor contract": contracts, "objectives": objectives, "recovery capability": recovery,
		"BIA": len(m.BIAs), "risk": len(m.Risks), "team": len(m.Teams), "person": len(m.People)} {
		if n == 0 {
			t.Errorf("no %s in the sample", what)
		}
	}
}

func encode(t *testing.T, m *lifeboat.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func hasGroup(s *lifeboat.Service, members ...string) bool {
	for _, d := range s.DependsOn {
		if d.IsGroup() && slices.Equal(d.AnyOf, members) {
			return true
		}
	}
	return false
}
