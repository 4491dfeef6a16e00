package graph

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

var benchSims sync.Map // shape -> *Simulator

// benchSimulator is the simulator of a benchmark graph, every business
// service with a BIA whose loss grows over a week and turns intolerable
// after a day.
func benchSimulator(b *testing.B, shape string) (*benchGraph, *Simulator) {
	g := benchIndex(b, shape)
	if v, ok := benchSims.Load(shape); ok {
		return g, v.(*Simulator)
	}
	m := &lifeboat.Model{Services: g.model.Services}
	rng := rand.New(rand.NewPCG(21, 22))
	for _, s := range m.Services {
		if s.Kind != lifeboat.KindBusinessService {
			continue
		}
		bia := &lifeboat.BIA{Service: s.ID}
		loss := lifeboat.Amount(0)
		for i, after := range []lifeboat.Duration{3600, 4 * 3600, 86400, 3 * 86400} {
			loss += lifeboat.Amount(1000 * (1 + rng.IntN(500)))
			l := loss
			bia.Impacts = append(bia.Impacts, lifeboat.ImpactPoint{After: after, Loss: &l, Ratings: map[string]int{"financial": min(5, 2+i)}})
		}
		m.BIAs = append(m.BIAs, bia)
	}
	sim := NewSimulator(g.x, m)
	benchSims.Store(shape, sim)
	return g, sim
}

// BenchmarkSimulator is what a new index pays once for its simulator: the
// effective objectives of every service and the BIAs' losses.
func BenchmarkSimulator(b *testing.B) {
	g, sim := benchSimulator(b, "layered")
	m := &lifeboat.Model{Services: g.model.Services}
	for _, n := range sim.known {
		m.BIAs = append(m.BIAs, &lifeboat.BIA{Service: g.x.ID(n)})
	}
	for b.Loop() {
		NewSimulator(g.x, m)
	}
	b.ReportMetric(float64(len(sim.known)), "bias")
}

// BenchmarkScenarioWorst is what the scenario adds to the impact of the
// worst single failure: the loss, the estimates along the waves and the
// misses, the impact itself computed before.
func BenchmarkScenarioWorst(b *testing.B) {
	for _, shape := range shapeOrdered {
		b.Run(shape, func(b *testing.B) {
			g, sim := benchSimulator(b, shape)
			im := g.x.Impact([]uint32{g.hub})
			var sc *Scenario
			for b.Loop() {
				sc = sim.Of(im)
			}
			b.ReportMetric(float64(len(sc.Set)), "failed+down")
			b.ReportMetric(float64(len(sc.Misses)), "misses")
			b.ReportMetric(float64(sc.Counted), "with-loss")
		})
	}
}

// BenchmarkScenarioReportWorst is the whole answer of the impact API for
// the worst failure, as it lists it (10,000 services and misses at most),
// beside the same answer without the scenario.
func BenchmarkScenarioReportWorst(b *testing.B) {
	g, sim := benchSimulator(b, "layered")
	b.Run("impact", func(b *testing.B) {
		for b.Loop() {
			g.x.Impact([]uint32{g.hub}).ReportFirst(10000)
		}
	})
	b.Run("scenario", func(b *testing.B) {
		for b.Loop() {
			sim.Scenario([]uint32{g.hub}).ReportFirst(10000)
		}
	})
}

// BenchmarkScenarioTypical adds the scenario to 1,000 random single
// failures and reports the 99th percentile of the addition.
func BenchmarkScenarioTypical(b *testing.B) {
	g, sim := benchSimulator(b, "layered")
	rng := rand.New(rand.NewPCG(7, 8))
	impacts := make([]*Impact, 1000)
	for i := range impacts {
		impacts[i] = g.x.Impact([]uint32{uint32(rng.IntN(g.x.Len()))})
	}
	times := make([]time.Duration, 0, len(impacts))
	for b.Loop() {
		times = times[:0]
		for _, im := range impacts {
			t0 := time.Now()
			sim.Of(im)
			times = append(times, time.Since(t0))
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
}

// BenchmarkEverySite fails each site on its own, as the home page does to
// find the costliest single-site failure.
func BenchmarkEverySite(b *testing.B) {
	g, sim := benchSimulator(b, "layered")
	var sites []uint32
	for n := range uint32(g.x.Len()) {
		if g.x.Kind(n) == lifeboat.KindSite {
			sites = append(sites, n)
		}
	}
	for b.Loop() {
		for _, n := range sites {
			sim.Scenario([]uint32{n})
		}
	}
	b.ReportMetric(float64(len(sites)), "sites")
}
