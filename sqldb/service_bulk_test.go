package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestCreateServices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, team := range gen.Teams(3) {
			if err := db.CreateTeam(ctx, team); err != nil {
				t.Fatal(err)
			}
		}
		services := gen.Catalog(7, 400, 3, gen.Layered)
		// Reverse the order: references inside a batch may point forward.
		for i, j := 0, len(services)-1; i < j; i, j = i+1, j-1 {
			services[i], services[j] = services[j], services[i]
		}
		if err := db.CreateServices(ctx, services); err != nil {
			t.Fatal(err)
		}
		st, err := db.ServiceStats(ctx)
		if err != nil || st.Total != 400 {
			t.Fatalf("stats %+v, %v", st, err)
		}
		want := 0
		for _, s := range services {
			want += len(s.DependencyIDs())
		}
		if st.Dependencies != want {
			t.Errorf("%d dependencies stored, want %d", st.Dependencies, want)
		}
		got, err := db.FindServiceByID(ctx, services[0].ID)
		if err != nil || len(got.DependsOn) != len(services[0].DependsOn) {
			t.Errorf("read back %+v, %v", got, err)
		}

		bad := []*lifeboat.Service{
			{ID: "fresh"},
			{ID: "broken", DependsOn: []lifeboat.Dependency{{On: "ghost"}}},
			{ID: services[1].ID},
		}
		err = db.CreateServices(ctx, bad)
		if lifeboat.ErrorCode(err) != lifeboat.EINVALID || !strings.Contains(err.Error(), "ghost") || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("bad batch: %v", err)
		}
		if _, err := db.FindServiceByID(ctx, "fresh"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("a refused batch stores nothing: %v", err)
		}
	})
}
