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
