package sqldb_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func dur(s string) *lifeboat.Duration {
	d, err := lifeboat.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func tier(n int) *int { return &n }

func mustCreate(t *testing.T, db *sqldb.DB, services ...*lifeboat.Service) {
	t.Helper()
	for _, s := range services {
		if err := db.CreateService(context.Background(), s); err != nil {
			t.Fatalf("create %s: %v", s.ID, err)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := lifeboat.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestServiceRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if err := db.CreateTeam(ctx, &lifeboat.Team{ID: "payments-team"}); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db,
			&lifeboat.Service{ID: "payments-api"},
			&lifeboat.Service{ID: "recommendations"},
			&lifeboat.Service{ID: "primary-dc", Kind: lifeboat.KindSite},
			&lifeboat.Service{ID: "db-east", Kind: lifeboat.KindDataStore},
			&lifeboat.Service{ID: "db-west", Kind: lifeboat.KindDataStore},
		)
		in := &lifeboat.Service{
			ID: "checkout", Name: "Checkout", Kind: lifeboat.KindApplication, Owner: "payments-team",
			Tier: tier(1), Tags: []string{"pci", "customer-facing", "pci"}, Description: "Takes orders.",
			Lifecycle:  lifeboat.LifecycleActive,
			Objectives: &lifeboat.Objectives{RTO: dur("4h"), RPO: dur("0"), MTPD: dur("1d")},
			Recovery:   &lifeboat.Recovery{Time: dur("2h"), DataLoss: dur("5m")},
			DependsOn: []lifeboat.Dependency{
				{On: "payments-api"},
				{On: "recommendations", Impact: lifeboat.ImpactDegraded},
				{On: "primary-dc", Type: "hosted-in", Workaround: dur("8h")},
				{AnyOf: []string{"db-west", "db-east"}, MinUp: 1},
			},
		}
		mustCreate(t, db, in)
		got, err := db.FindServiceByID(ctx, "checkout")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || got.CreatedAt.IsZero() {
			t.Errorf("version %d, created %v", got.Version, got.CreatedAt)
		}
		want := *in
		want.Tags = []string{"customer-facing", "pci"}
		want.Version, want.CreatedAt, want.UpdatedAt = got.Version, got.CreatedAt, got.UpdatedAt
		want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
		}
		if *got.Objectives.RPO != 0 {
			t.Errorf("an RPO of zero must survive, got %v", got.Objectives.RPO)
		}
		if got.DependsOn[3].AnyOf[0] != "db-west" {
			t.Errorf("group members must keep their order: %v", got.DependsOn[3].AnyOf)
		}
	})
}

func TestServiceIntegrity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreate(t, db, &lifeboat.Service{ID: "a"}, &lifeboat.Service{ID: "b", DependsOn: []lifeboat.Dependency{{On: "a"}}})

		err := db.CreateService(ctx, &lifeboat.Service{ID: "a"})
		wantCode(t, err, lifeboat.ECONFLICT)

		err = db.CreateService(ctx, &lifeboat.Service{ID: "c", Tags: []string{"x"}, DependsOn: []lifeboat.Dependency{{On: "a"}, {AnyOf: []string{"b", "ghost"}}}})
		wantCode(t, err, lifeboat.EINVALID)
		if f := lifeboat.ErrorFields(err); len(f) != 1 || f[0].Field != "depends_on[1].any_of[1]" || !strings.Contains(f[0].Message, "ghost") {
			t.Errorf("fields = %+v", f)
		}
		if _, err := db.FindServiceByID(ctx, "c"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("a refused create must leave nothing behind: %v", err)
		}

		err = db.CreateService(ctx, &lifeboat.Service{ID: "d", DependsOn: []lifeboat.Dependency{{On: "d"}}})
		wantCode(t, err, lifeboat.EINVALID)

		err = db.CreateService(ctx, &lifeboat.Service{ID: "e", Owner: "nobody"})
		wantCode(t, err, lifeboat.EINVALID)

		err = db.DeleteService(ctx, "a", 0)
		wantCode(t, err, lifeboat.ECONFLICT)
		if !strings.Contains(err.Error(), "b depends on it") {
			t.Errorf("delete refusal must name the dependents: %v", err)
		}
		if err := db.DeleteService(ctx, "b", 0); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteService(ctx, "a", 0); err != nil {
			t.Fatalf("once b is gone, a can go: %v", err)
		}
		wantCode(t, db.DeleteService(ctx, "a", 0), lifeboat.ENOTFOUND)
	})
}

func TestServiceUpdateVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreate(t, db, &lifeboat.Service{ID: "a"}, &lifeboat.Service{ID: "b"}, &lifeboat.Service{ID: "svc", DependsOn: []lifeboat.Dependency{{On: "a"}}})
		s, _ := db.FindServiceByID(ctx, "svc")
		s.DependsOn = []lifeboat.Dependency{{On: "b", Impact: lifeboat.ImpactDegraded}}
		s.Name = "Service"
		if err := db.UpdateService(ctx, s, 1); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindServiceByID(ctx, "svc")
		if got.Version != 2 || got.Name != "Service" || len(got.DependsOn) != 1 || got.DependsOn[0].On != "b" {
			t.Errorf("after update: %+v", got)
		}
		s.Name = "Stale"
		wantCode(t, db.UpdateService(ctx, s, 1), lifeboat.ESTALE)
		wantCode(t, db.DeleteService(ctx, "svc", 1), lifeboat.ESTALE)
		got, _ = db.FindServiceByID(ctx, "svc")
		if got.Name != "Service" {
			t.Errorf("a stale update must change nothing, name is %q", got.Name)
		}
		deps, err := db.FindDependents(ctx, "b")
		if err != nil || len(deps) != 1 || deps[0].ServiceID != "svc" || !deps[0].Dependency.Soft() {
			t.Errorf("dependents of b = %+v, %v", deps, err)
		}
		if deps, _ := db.FindDependents(ctx, "a"); len(deps) != 0 {
			t.Errorf("a has no dependents after the update: %+v", deps)
		}
		wantCode(t, db.UpdateService(ctx, &lifeboat.Service{ID: "ghost"}, 0), lifeboat.ENOTFOUND)
	})
}

func TestFindServicesPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		kinds := []lifeboat.Kind{lifeboat.KindApplication, lifeboat.KindDataStore, lifeboat.KindSite}
		var all []*lifeboat.Service
		for i := range 137 {
			s := &lifeboat.Service{ID: fmt.Sprintf("svc-%03d", i), Name: fmt.Sprintf("Name %d", (i*7)%50), Kind: kinds[i%3]}
			if i%4 != 0 {
				s.Tier = tier(i % 5)
			}
			if i%2 == 0 {
				s.Tags = []string{"even"}
			}
			if i%10 == 0 {
				s.Description = "Holds 100% of_the data"
			}
			all = append(all, s)
		}
		mustCreate(t, db, all...)
		cases := []struct {
			name   string
			filter lifeboat.ServiceFilter
			keep   func(*lifeboat.Service) bool
			less   func(a, b *lifeboat.Service) int
		}{
			{"by name", lifeboat.ServiceFilter{}, nil, byKey(func(s *lifeboat.Service) string { return strings.ToLower(s.Name) })},
			{"by id", lifeboat.ServiceFilter{Sort: lifeboat.SortByID}, nil, byKey(func(s *lifeboat.Service) string { return "" })},
			{"by tier", lifeboat.ServiceFilter{Sort: lifeboat.SortByTier}, nil, byKey(func(s *lifeboat.Service) string {
				if s.Tier == nil {
					return "z"
				}
				return fmt.Sprint(*s.Tier)
			})},
			{"kind filter", lifeboat.ServiceFilter{Kind: lifeboat.KindDataStore}, func(s *lifeboat.Service) bool { return s.Kind == lifeboat.KindDataStore },
				byKey(func(s *lifeboat.Service) string { return strings.ToLower(s.Name) })},
			{"tag and tier", lifeboat.ServiceFilter{Tag: "even", Tier: tier(2), Sort: lifeboat.SortByKind},
				func(s *lifeboat.Service) bool { return len(s.Tags) == 1 && s.Tier != nil && *s.Tier == 2 },
				byKey(func(s *lifeboat.Service) string { return string(s.Kind) })},
			{"query with wildcards", lifeboat.ServiceFilter{Query: "100% OF_"}, func(s *lifeboat.Service) bool { return s.Description != "" },
				byKey(func(s *lifeboat.Service) string { return strings.ToLower(s.Name) })},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var want []string
				sorted := slices.Clone(all)
				slices.SortFunc(sorted, tc.less)
				for _, s := range sorted {
					if tc.keep == nil || tc.keep(s) {
						want = append(want, s.ID)
					}
				}
				var got []string
				f := tc.filter
				f.Limit = 10
				for pages := 0; ; pages++ {
					if pages > 20 {
						t.Fatal("paging does not end")
					}
					page, err := db.FindServices(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range page.Services {
						got = append(got, s.ID)
					}
					if page.Next == "" {
						break
					}
					f.After = page.Next
				}
				if !slices.Equal(got, want) {
					t.Errorf("got  %v\nwant %v", got, want)
				}
			})
		}
		_, err := db.FindServices(ctx, lifeboat.ServiceFilter{After: "not-a-cursor"})
		wantCode(t, err, lifeboat.EINVALID)
		_, err = db.FindServices(ctx, lifeboat.ServiceFilter{Sort: "price"})
		wantCode(t, err, lifeboat.EINVALID)
	})
}

// byKey orders services by a key, then by id, as the catalog does.
func byKey(key func(*lifeboat.Service) string) func(a, b *lifeboat.Service) int {
	return func(a, b *lifeboat.Service) int {
		if c := strings.Compare(key(a), key(b)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
}

func TestTeamsAndPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, id := range []string{"alice", "bob"} {
			if err := db.CreatePerson(ctx, &lifeboat.Person{ID: id, Email: id + "@example.com", Phone: "+1 555 0100"}); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, db.CreatePerson(ctx, &lifeboat.Person{ID: "carol", Email: "not an address"}), lifeboat.EINVALID)
		wantCode(t, db.CreateTeam(ctx, &lifeboat.Team{ID: "ops", Members: []string{"alice", "carol"}}), lifeboat.EINVALID)
		if err := db.CreateTeam(ctx, &lifeboat.Team{ID: "ops", Name: "Operations", Members: []string{"bob", "alice"}}); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, &lifeboat.Service{ID: "erp", Owner: "ops"})
		team, err := db.FindTeamByID(ctx, "ops")
		if err != nil || !slices.Equal(team.Members, []string{"bob", "alice"}) {
			t.Fatalf("team = %+v, %v", team, err)
		}
		err = db.DeleteTeam(ctx, "ops", 0)
		wantCode(t, err, lifeboat.ECONFLICT)
		if !strings.Contains(err.Error(), "erp") {
			t.Errorf("refusal must name the owned service: %v", err)
		}
		if err := db.DeletePerson(ctx, "bob", 0); err != nil {
			t.Fatal(err)
		}
		team, _ = db.FindTeamByID(ctx, "ops")
		if !slices.Equal(team.Members, []string{"alice"}) {
			t.Errorf("deleting a person removes them from teams: %v", team.Members)
		}
		teams, _ := db.FindTeamsOfPerson(ctx, "alice")
		if len(teams) != 1 || teams[0].ID != "ops" {
			t.Errorf("teams of alice = %+v", teams)
		}
		st, err := db.ServiceStats(ctx)
		if err != nil || st.Total != 1 || st.ByKind[lifeboat.KindApplication] != 1 || st.Untiered != 1 {
			t.Errorf("stats = %+v, %v", st, err)
		}
	})
}
