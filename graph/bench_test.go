package graph

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
)

// benchSize is the reference scale: 1,000,000 services with about
// 5,000,000 dependencies. LIFEBOAT_GRAPH_SIZE sets another.
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("LIFEBOAT_GRAPH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var (
	benchOnce    sync.Map // gen.Shape -> *benchGraph
	benchShapes  = map[string]gen.Shape{"layered": gen.Layered, "uniform": gen.Uniform}
	shapeOrdered = []string{"layered", "uniform"}
)

type benchGraph struct {
	model *lifeboat.Model
	x     *Index
	hub   uint32 // the node whose failure takes down the most
}

func benchIndex(b *testing.B, shape string) *benchGraph {
	if v, ok := benchOnce.Load(shape); ok {
		return v.(*benchGraph)
	}
	n := benchSize()
	m := &lifeboat.Model{Services: gen.Catalog(1, n, 0, benchShapes[shape])}
	// Objectives where real models have them, so that requirements flow
	// and the gap check finds gaps: business services ask for an RTO and
	// an RPO, data stores lose up to their backup interval.
	rto, rpo, loss := lifeboat.Duration(4*3600), lifeboat.Duration(900), lifeboat.Duration(3600)
	for i, s := range m.Services {
		switch {
		case s.Kind == lifeboat.KindBusinessService:
			s.Objectives = &lifeboat.Objectives{RTO: &rto, RPO: &rpo}
		case s.Kind == lifeboat.KindDataStore && i%2 == 0:
			s.Recovery.DataLoss = &loss
		}
		s.Normalize()
	}
	x, err := Build(m)
	if err != nil {
		b.Fatal(err)
	}
	g := &benchGraph{model: m, x: x, hub: worstHub(x)}
	benchOnce.Store(shape, g)
	return g
}

// worstHub picks, among the nodes with the most dependents, the one whose
// failure takes down the most.
func worstHub(x *Index) uint32 {
	nodes := make([]uint32, x.Len())
	for i := range nodes {
		nodes[i] = uint32(i)
	}
	fanIn := func(n uint32) uint32 { return x.userAt[n+1] - x.userAt[n] }
	slices.SortFunc(nodes, func(a, b uint32) int { return int(fanIn(b)) - int(fanIn(a)) })
	best, most := nodes[0], -1
	for _, n := range nodes[:20] {
		if c := len(x.Impact([]uint32{n}).Impacted); c > most {
			best, most = n, c
		}
	}
	return best
}

func BenchmarkBuild(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			for b.Loop() {
				if _, err := Build(g.model); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(g.x.Bytes())/(1<<20), "MiB")
		})
	}
}

func BenchmarkImpactWorst(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			var hits int
			for b.Loop() {
				hits = len(g.x.Impact([]uint32{g.hub}).Impacted)
			}
			b.ReportMetric(float64(hits), "impacted")
		})
	}
}

// BenchmarkImpactTypical fails 1,000 random services, one at a time, and
// reports the 99th percentile.
func BenchmarkImpactTypical(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			rng := rand.New(rand.NewPCG(7, 8))
			starts := make([]uint32, 1000)
			for i := range starts {
				starts[i] = uint32(rng.IntN(g.x.Len()))
			}
			times := make([]time.Duration, 0, len(starts))
			for b.Loop() {
				times = times[:0]
				for _, s := range starts {
					t0 := time.Now()
					g.x.Impact([]uint32{s})
					times = append(times, time.Since(t0))
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
		})
	}
}

func BenchmarkOrder(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			for b.Loop() {
				g.x.Order()
			}
		})
	}
}

// BenchmarkGapCheck computes the objectives through every chain and checks
// every service's against them; BenchmarkGapFindings words what it finds.
func BenchmarkGapCheck(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			var gaps int
			for b.Loop() {
				o := g.x.Objectives()
				gaps = 0
				for n := range uint32(g.x.Len()) {
					if o.gaps(n) != 0 {
						gaps++
					}
				}
			}
			b.ReportMetric(float64(gaps), "services-with-gaps")
		})
	}
}

func BenchmarkGapFindings(b *testing.B) {
	g := benchIndex(b, "layered")
	o := g.x.Objectives()
	var n int
	for b.Loop() {
		n = 0
		for v := range uint32(g.x.Len()) {
			n += len(o.gapFindings(v))
		}
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkTopo is what the first order or gap check on a new index pays
// once, before every later one: the topological order over every
// dependency and over hard ones.
func BenchmarkTopo(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g := benchIndex(b, shape)
			for b.Loop() {
				for _, hard := range []bool{false, true} {
					wave := make([]int32, g.x.Len())
					g.x.topoWaves(hard, wave).byWave(wave)
				}
			}
		})
	}
}
