package graph

import (
	"slices"
	"sync"

	"github.com/lifeboat-itscm/lifeboat"
)

// Horizons are the outage durations at which a scenario's loss is told:
// an hour, four hours, a day, three days and a week.
var Horizons = [...]lifeboat.Duration{3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600}

// horizons is the number of Horizons.
const horizons = len(Horizons)

// Simulator joins an index with the business impact analysis of its model,
// to tell of an impact what it costs over time, when each service becomes
// intolerable, when each can be back along the recovery waves and which of
// them miss their RTO. It is made once per index, as the index is: the
// index never changes, so neither do the objectives and losses it reads.
type Simulator struct {
	x        *Index
	currency string
	// objectives are those of the whole index, which the simulator reads
	// and pages show.
	objectives *Objectives
	// rto is the effective RTO of every node, declared, from the BIA or
	// inherited (see Objectives), None when nothing asks one of it.
	rto []uint32
	// known are the nodes with an MTPD or a loss figure, sorted, and facts
	// what is known of each, in the same order: few services have a BIA,
	// so they are kept apart from the per-node arrays.
	known []uint32
	facts []facts
	// pool keeps the scratch memory of scenarios for reuse.
	pool sync.Pool
}

// facts are what the BIA of one service says of an outage.
type facts struct {
	mtpd    uint32 // None when no rating is ever intolerable
	hasLoss bool
	loss    [horizons]float64 // the cumulative loss at each horizon
}

// NewSimulator prepares the simulation of impacts on x, the index of m.
// The MTPD of a service is its declared one, else its BIA's, as
// `lifeboat objectives` gives it; BIAs of services the index does not have
// are left out.
func NewSimulator(x *Index, m *lifeboat.Model) *Simulator {
	scale := m.Scale()
	sim := &Simulator{x: x, currency: scale.Currency, rto: make([]uint32, x.Len())}
	if sim.currency == "" {
		sim.currency = lifeboat.DefaultCurrency
	}
	o := x.Objectives()
	sim.objectives = o
	for n := range sim.rto {
		sim.rto[n] = o.RTO(uint32(n)).Seconds
	}
	byNode := map[uint32]facts{}
	for _, s := range m.Services {
		if s.Objectives != nil && s.Objectives.MTPD != nil {
			if n, ok := x.Lookup(s.ID); ok {
				byNode[n] = facts{mtpd: clampSeconds(*s.Objectives.MTPD)}
			}
		}
	}
	for _, b := range m.BIAs {
		n, ok := x.Lookup(b.Service)
		if !ok {
			continue
		}
		f, declared := byNode[n]
		if !declared {
			f.mtpd = None
			if mtpd, ok := b.MTPD(scale); ok {
				f.mtpd = clampSeconds(mtpd)
			}
		}
		if curve := b.LossCurve(Horizons[:]); curve != nil {
			f.hasLoss = true
			for i, a := range curve {
				f.loss[i] = float64(a)
			}
		}
		byNode[n] = f
	}
	for n := range byNode {
		sim.known = append(sim.known, n)
	}
	slices.Sort(sim.known)
	for _, n := range sim.known {
		sim.facts = append(sim.facts, byNode[n])
	}
	return sim
}

// Index is the index the simulator works on.
func (sim *Simulator) Index() *Index { return sim.x }

// Objectives are the effective objectives of every service of the index.
func (sim *Simulator) Objectives() *Objectives { return sim.objectives }

// Currency is the currency of every loss, the impact scale's.
func (sim *Simulator) Currency() string { return sim.currency }

// factsOf finds the facts of the nodes of a sorted set: for each, its
// place in facts or -1. Merging the two sorted lists costs their length,
// searching costs the set's times the logarithm of the known ones: the
// cheaper of the two is taken, so that a small scenario does not walk
// every BIA.
func (sim *Simulator) factsOf(set []uint32) []int32 {
	out := make([]int32, len(set))
	if len(set)*16 < len(sim.known) {
		for i, n := range set {
			j, ok := slices.BinarySearch(sim.known, n)
			out[i] = -1
			if ok {
				out[i] = int32(j)
			}
		}
		return out
	}
	j := 0
	for i, n := range set {
		for j < len(sim.known) && sim.known[j] < n {
			j++
		}
		out[i] = -1
		if j < len(sim.known) && sim.known[j] == n {
			out[i] = int32(j)
		}
	}
	return out
}
