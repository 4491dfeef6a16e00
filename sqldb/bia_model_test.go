package sqldb_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// FindBIAModel gives what FindModel gives of the BIAs, the scale and the
// people, and of the services only those with a BIA or of the business.
func TestFindBIAModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db, db); err != nil {
			t.Fatal(err)
		}
		whole, err := db.FindModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindBIAModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		hasBIA := map[string]bool{}
		for _, b := range whole.BIAs {
			hasBIA[b.Service] = true
		}
		var want []*lifeboat.Service
		for _, s := range whole.Services {
			if s.Kind == lifeboat.KindBusinessService || hasBIA[s.ID] {
				want = append(want, s)
			}
		}
		if len(want) == 0 || len(want) == len(whole.Services) {
			t.Fatalf("the demo should have some services, not all, with a BIA or of the business: %d of %d", len(want), len(whole.Services))
		}
		for what, pair := range map[string][2]any{
			"services": {got.Services, want}, "bias": {got.BIAs, whole.BIAs},
			"scale": {got.ImpactScale, whole.ImpactScale}, "people": {got.People, whole.People},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("%s differ from the whole model's", what)
			}
		}
	})
}
