package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// benchSize is the catalog size of the performance targets.
const benchSize = 100_000

type seeded struct {
	db       *sqldb.DB
	url      string
	services []*lifeboat.Service
}

var (
	seedOnce     sync.Map // database name -> *seeded, so each is seeded once per run
	benchCleanup []func() // run by TestMain after every benchmark
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, fn := range slices.Backward(benchCleanup) {
		fn()
	}
	os.Exit(code)
}

// seededDB returns a database holding a generated catalog of benchSize
// services with about 5 dependencies each.
func seededDB(b *testing.B, name string) *seeded {
	if v, ok := seedOnce.Load(name); ok {
		return v.(*seeded)
	}
	if name == "postgres" && os.Getenv(dbtest.PostgresEnv) == "" {
		b.Skip(dbtest.PostgresEnv + " is not set")
	}
	ctx := context.Background()
	// The database outlives this benchmark: later ones reuse it.
	url := dbtest.URL(persistent{b}, name)
	db, err := sqldb.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	benchCleanup = append(benchCleanup, func() { db.Close() })
	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for _, team := range gen.Teams(200) {
		if err := db.CreateTeam(ctx, team); err != nil {
			b.Fatal(err)
		}
	}
	services := gen.Catalog(1, benchSize, 200, gen.Layered)
	if err := db.CreateServices(ctx, services); err != nil {
		b.Fatal(err)
	}
	// Benchmark output always shows logs: the seeding time tracks the bulk
	// insert path, audit trail included.
	b.Logf("seeded %d services into %s in %v", benchSize, name, time.Since(start).Round(10*time.Millisecond))
	s := &seeded{db: db, url: url, services: services}
	seedOnce.Store(name, s)
	return s
}

// BenchmarkFindServiceByID reads one random service with its tags and
// direct dependencies.
func BenchmarkFindServiceByID(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			s := seededDB(b, name)
			ctx := context.Background()
			rng := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for b.Loop() {
				id := s.services[rng.IntN(len(s.services))].ID
				if _, err := s.db.FindServiceByID(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCatalogPage reads a 50-row page of applications sorted by name,
// 1,000 rows deep, with tags and dependencies: what the catalog API does.
func BenchmarkCatalogPage(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			s := seededDB(b, name)
			ctx := context.Background()
			f := lifeboat.ServiceFilter{Kind: lifeboat.KindApplication, Limit: 50}
			for range 20 { // walk to page 21, 1,000 rows deep
				page, err := s.db.FindServices(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				f.After = page.Next
			}
			for b.Loop() {
				page, err := s.db.FindServices(ctx, f)
				if err != nil || len(page.Services) != 50 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPagingQuery compares the two ways of fetching the ids of a page
// 20,000 rows deep in the name order: keyset (the catalog's) and OFFSET
// (the usual alternative, which reads and discards every row before it).
func BenchmarkPagingQuery(b *testing.B) {
	const depth = 20_000
	for _, name := range []string{"sqlite", "postgres"} {
		queries := map[string]string{
			"keyset": `SELECT id FROM services WHERE lower(name) >= $1 AND (lower(name) > $1 OR id > $2) ORDER BY lower(name), id LIMIT 50`,
			"offset": `SELECT id FROM services ORDER BY lower(name), id LIMIT 50 OFFSET ` + fmt.Sprint(depth),
		}
		for _, way := range []string{"keyset", "offset"} {
			b.Run(name+"/"+way, func(b *testing.B) {
				s := seededDB(b, name)
				raw := openRaw(b, name, s.url)
				var key, id string
				if err := raw.QueryRow(`SELECT lower(name), id FROM services ORDER BY lower(name), id LIMIT 1 OFFSET `+fmt.Sprint(depth-1)).Scan(&key, &id); err != nil {
					b.Fatal(err)
				}
				args := []any{key, id}
				if way == "offset" {
					args = nil
				}
				for b.Loop() {
					rows, err := raw.Query(queries[way], args...)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					rows.Close()
					if n != 50 {
						b.Fatalf("%d rows", n)
					}
				}
			})
		}
	}
}

func openRaw(b *testing.B, name, url string) *sql.DB {
	kind, target, err := sqldb.ParseURL(url)
	if err != nil {
		b.Fatal(err)
	}
	driver := "pgx"
	if kind == "sqlite" {
		driver, target = "sqlite", "file:"+target+"?_pragma=query_only(1)"
	}
	raw, err := sql.Open(driver, target)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return raw
}

// persistent hands dbtest a TB whose cleanups run after all benchmarks, so
// a seeded database survives the benchmark that made it.
type persistent struct{ testing.TB }

func (persistent) Cleanup(fn func()) { benchCleanup = append(benchCleanup, fn) }

func (p persistent) TempDir() string {
	dir, err := os.MkdirTemp("", "lifeboat-bench-")
	if err != nil {
		p.Fatal(err)
	}
	benchCleanup = append(benchCleanup, func() { os.RemoveAll(dir) })
	return dir
}
