package sqldb_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// importSize is the import target: 1,000,000 services with about 5,000,000
// dependencies in at most 30 s. LIFEBOAT_IMPORT_SIZE sets another size.
func importSize() int {
	if n, err := strconv.Atoi(os.Getenv("LIFEBOAT_IMPORT_SIZE")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkImport imports a generated catalog into a fresh database of each
// kind, once per iteration.
func BenchmarkImport(b *testing.B) {
	n := importSize()
	services := gen.Catalog(1, n, 1000, gen.Layered)
	deps := 0
	for _, s := range services {
		deps += len(s.DependsOn)
	}
	for _, name := range dbtest.Names() {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := dbtest.Open(b, name)
				m := &lifeboat.Model{Teams: gen.Teams(1000), Services: services}
				b.StartTimer()
				start := time.Now()
				if _, err := db.ImportModel(context.Background(), m, lifeboat.ImportSource{}); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: imported %d services with %d dependencies in %v", name, n, deps, time.Since(start).Round(time.Millisecond))
				b.StopTimer()
				db.Close()
			}
		})
	}
}

// BenchmarkImportVsCreateServices is the same 100,000 services imported
// as a model (one transaction, indexes built at the end, one audit entry)
// and created through the catalog's bulk path (one transaction, indexes
// kept, an audit entry per service), in one run.
func BenchmarkImportVsCreateServices(b *testing.B) {
	const n = 100_000
	for _, name := range dbtest.Names() {
		for _, how := range []string{"import", "create"} {
			b.Run(name+"/"+how, func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					db := dbtest.Open(b, name)
					teams, services := gen.Teams(1000), gen.Catalog(1, n, 1000, gen.Layered)
					ctx := context.Background()
					var err error
					if how == "create" {
						for _, t := range teams {
							if err := db.CreateTeam(ctx, t); err != nil {
								b.Fatal(err)
							}
						}
						b.StartTimer()
						err = db.CreateServices(ctx, services)
					} else {
						b.StartTimer()
						_, err = db.ImportModel(ctx, &lifeboat.Model{Teams: teams, Services: services}, lifeboat.ImportSource{})
					}
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					db.Close()
				}
			})
		}
	}
}
