package graph_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// The same impact question three other ways, in one run with the engine,
// for the ratios of docs/benchmarks.md: a recursive SQL query on SQLite and
// on PostgreSQL, and gonum's breadth-first traversal. The question is the
// one all of them can ask: which services reach the failed one through
// hard dependencies on a single service (the engine also honours
// redundancy groups, soft dependencies and workarounds, which only make
// its answer smaller). LIFEBOAT_COMPARE_SIZE sets the catalog size
// (1,000,000 by default).

func compareSize() int {
	if n, err := strconv.Atoi(os.Getenv("LIFEBOAT_COMPARE_SIZE")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

type compared struct {
	model   *lifeboat.Model
	x       *graph.Index
	hub     string
	typical []string
}

var compareOnce = sync.OnceValue(func() *compared {
	n := compareSize()
	m := &lifeboat.Model{Teams: gen.Teams(100), Services: gen.Catalog(1, n, 100, gen.Layered)}
	m.Normalize()
	// Only hard single dependencies, so that every way answers the same.
	for _, s := range m.Services {
		s.DependsOn = slices.DeleteFunc(s.DependsOn, func(d lifeboat.Dependency) bool { return d.IsGroup() || d.Soft() })
	}
	x, err := graph.Build(m)
	if err != nil {
		panic(err)
	}
	c := &compared{model: m, x: x}
	most := -1
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200 {
		id := m.Services[rng.IntN(min(len(m.Services), 2000))].ID // the ground layers hold the hubs
		nodes, _ := x.LookupAll([]string{id})
		if k := len(x.Impact(nodes).Impacted); k > most {
			c.hub, most = id, k
		}
	}
	for range 100 {
		c.typical = append(c.typical, m.Services[rng.IntN(len(m.Services))].ID)
	}
	return c
})

// compareDatabase is the catalog imported into a database, with a plain
// connection for the recursive query.
type compareDatabase struct {
	db    *sqldb.DB
	raw   *sql.DB
	query string
}

var (
	compareDBs  = map[string]*compareDatabase{}
	compareLock sync.Mutex
	cleanups    []func() // run by TestMain after every benchmark
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, fn := range slices.Backward(cleanups) {
		fn()
	}
	os.Exit(code)
}

// lasting lets a database outlive the benchmark that made it; TestMain
// removes it at the end of the run.
type lasting struct{ testing.TB }

func (l lasting) Cleanup(fn func()) { cleanups = append(cleanups, fn) }
func (l lasting) TempDir() string {
	dir, err := os.MkdirTemp("", "lifeboat-compare-")
	if err != nil {
		l.Fatal(err)
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	return dir
}

// compareDB imports the catalog into a database that lives for the run.
func compareDB(b *testing.B, name string, c *compared) *compareDatabase {
	compareLock.Lock()
	defer compareLock.Unlock()
	if d, ok := compareDBs[name]; ok {
		return d
	}
	url := dbtest.URL(lasting{b}, name)
	ctx := context.Background()
	db, err := sqldb.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Migrate(ctx, discard); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := db.ImportModel(ctx, c.model, lifeboat.ImportSource{}); err != nil {
		b.Fatal(err)
	}
	b.Logf("imported %d services into %s in %v", len(c.model.Services), name, time.Since(start).Round(time.Millisecond))
	kind, target, _ := sqldb.ParseURL(url)
	driver, dsn := "pgx", target
	if kind == "sqlite" {
		driver, dsn = "sqlite", "file:"+target+"?_pragma=query_only(1)"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	cleanups = append(cleanups, func() { raw.Close(); db.Close() })
	q := recursiveImpact
	if kind == "postgres" { // its ids use the "C" collation; the seed must too
		q = strings.Replace(q, "SELECT $1", `SELECT CAST($1 AS TEXT) COLLATE "C"`, 1)
	}
	compareDBs[name] = &compareDatabase{db: db, raw: raw, query: q}
	return compareDBs[name]
}

const recursiveImpact = `WITH RECURSIVE down(id) AS (
	SELECT $1
	UNION
	SELECT d.service_id FROM dependencies d JOIN down ON d.target_id = down.id WHERE d.impact = 'down' AND d.workaround IS NULL
) SELECT count(*) - 1 FROM down`

func BenchmarkCompareImpact(b *testing.B) {
	c := compareOnce()
	b.Run("engine/worst", func(b *testing.B) {
		nodes, _ := c.x.LookupAll([]string{c.hub})
		for b.Loop() {
			c.x.Impact(nodes)
		}
		b.ReportMetric(float64(len(c.x.Impact(nodes).Impacted)), "impacted")
	})
	b.Run("engine/typical", func(b *testing.B) {
		for b.Loop() {
			for _, id := range c.typical {
				nodes, _ := c.x.LookupAll([]string{id})
				c.x.Impact(nodes)
			}
		}
	})
	for _, name := range dbtest.Names() {
		b.Run("sql-"+name+"/worst", func(b *testing.B) {
			db := compareDB(b, name, c)
			var k int
			for b.Loop() {
				k = countSQL(b, db, c.hub)
			}
			b.ReportMetric(float64(k), "impacted")
		})
		b.Run("sql-"+name+"/typical", func(b *testing.B) {
			db := compareDB(b, name, c)
			for b.Loop() {
				for _, id := range c.typical {
					countSQL(b, db, id)
				}
			}
		})
	}
	g := gonumGraph(c.x)
	b.Run("gonum/worst", func(b *testing.B) {
		var k int
		for b.Loop() {
			k = gonumImpact(g, c.x, c.hub)
		}
		b.ReportMetric(float64(k), "impacted")
	})
	b.Run("gonum/typical", func(b *testing.B) {
		for b.Loop() {
			for _, id := range c.typical {
				gonumImpact(g, c.x, id)
			}
		}
	})
}

func countSQL(b *testing.B, d *compareDatabase, id string) int {
	var k int
	if err := d.raw.QueryRow(d.query, id).Scan(&k); err != nil {
		b.Fatal(err)
	}
	return k
}

// gonumGraph is the reverse dependency graph: an edge from each service
// to every service that needs it.
func gonumGraph(x *graph.Index) *simple.DirectedGraph {
	g := simple.NewDirectedGraph()
	for n := range uint32(x.Len()) {
		g.AddNode(simple.Node(n))
	}
	x.EachHardEdge(func(from, to uint32) { g.SetEdge(g.NewEdge(simple.Node(to), simple.Node(from))) })
	return g
}

func gonumImpact(g *simple.DirectedGraph, x *graph.Index, id string) int {
	n, _ := x.Lookup(id)
	var bfs traverse.BreadthFirst
	count := 0
	bfs.Walk(g, simple.Node(n), func(gg.Node, int) bool { count++; return false })
	return count - 1
}

// BenchmarkFromDatabase builds the index from a database holding the
// catalog: reading the model and indexing it.
func BenchmarkFromDatabase(b *testing.B) {
	c := compareOnce()
	for _, name := range dbtest.Names() {
		b.Run(name, func(b *testing.B) {
			d := compareDB(b, name, c)
			for b.Loop() {
				m, err := d.db.FindGraphModel(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := graph.Build(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))
