package graph

import (
	"slices"
)

// Scenario is an impact with what it costs and how its recovery goes:
// the loss while the failed and down services stay down, and when each of
// them can be back when recovery starts at once and follows the waves.
// Degraded services still run: they count no loss and need no recovery.
type Scenario struct {
	Impact *Impact
	sim    *Simulator
	// Set is the failed and down services, sorted; the slices below are
	// by place in Set.
	Set []uint32
	// lo and hi bound when each can be back, in seconds from the failure:
	// with every restore time the model does not have taken as zero, and
	// as endless (None). Where they meet, the estimate is known.
	lo, hi []uint32
	// via is the place of the service on the slowest chain behind lo, or
	// the service's own place at the end of the chain; cause, where the
	// estimate is not known, the place of a service without a restore
	// time that it waits for (itself included), else -1.
	via, cause []int32
	fact       []int32 // place in the simulator's facts, or -1
	// Loss is the loss of the whole scenario at each horizon, summed over
	// the failed and down services, and Counted how many of them have a
	// loss figure.
	Loss    [horizons]float64
	Counted int
	// Misses are the places of the services that cannot be back within
	// their effective RTO (their estimate, or the part of it that is known,
	// is beyond it), in id order; Unknown counts those without an
	// estimate, and Latest is the latest estimate there is.
	Misses  []int32
	Unknown int
	Latest  uint32
}

// Scenario spreads the failure of some services and tells what it costs
// and how recovery goes.
func (sim *Simulator) Scenario(failed []uint32) *Scenario { return sim.Of(sim.x.Impact(failed)) }

// Of tells what an impact on the simulator's index costs and how its
// recovery goes. The work is linear in the failed and down services and
// their dependency entries, whatever the size of the graph.
func (sim *Simulator) Of(im *Impact) *Scenario {
	sc := &Scenario{Impact: im, sim: sim, Set: make([]uint32, 0, len(im.Failed)+len(im.Impacted))}
	f := 0
	for _, h := range im.Impacted { // both sorted: merge them
		if h.State != Down {
			continue
		}
		for f < len(im.Failed) && im.Failed[f] < h.Node {
			sc.Set = append(sc.Set, im.Failed[f])
			f++
		}
		sc.Set = append(sc.Set, h.Node)
	}
	sc.Set = append(sc.Set, im.Failed[f:]...)
	k := len(sc.Set)
	sc.lo, sc.hi, sc.via, sc.cause = make([]uint32, k), make([]uint32, k), make([]int32, k), make([]int32, k)
	s := sim.scratch()
	sc.estimate(s)
	sim.pool.Put(s)
	sc.fact = sim.factsOf(sc.Set)
	for i, n := range sc.Set {
		if j := sc.fact[i]; j >= 0 && sim.facts[j].hasLoss {
			sc.Counted++
			for h, l := range sim.facts[j].loss {
				sc.Loss[h] += l
			}
		}
		// Even a service whose estimate is not known misses its RTO when
		// the restore times that are known already take longer.
		if sim.rto[n] != None && sc.lo[i] > sim.rto[n] {
			sc.Misses = append(sc.Misses, int32(i))
		}
		if e, known := sc.Estimate(i); known {
			sc.Latest = max(sc.Latest, e)
		} else {
			sc.Unknown++
		}
	}
	return sc
}

// Estimate is when the service at place i can be back, in seconds from
// the failure, if every restore time it waits for is known.
func (sc *Scenario) Estimate(i int) (uint32, bool) { return sc.lo[i], sc.lo[i] == sc.hi[i] }

// AtLeast is the earliest the service at place i can be back: its
// estimate, or when that is not known, the time the restore times that
// are known take.
func (sc *Scenario) AtLeast(i int) uint32 { return sc.lo[i] }

// Cause is a service without a restore time that the estimate of place i
// waits for, itself included, when the estimate is not known.
func (sc *Scenario) Cause(i int) (uint32, bool) {
	if c := sc.cause[i]; c >= 0 {
		return sc.Set[c], true
	}
	return 0, false
}

// Causes are the services of the set without a restore time that
// estimates wait for, sorted: what the model needs first for the
// estimates it cannot give.
func (sc *Scenario) Causes() []uint32 {
	seen := make([]bool, len(sc.Set))
	for _, c := range sc.cause {
		if c >= 0 {
			seen[c] = true
		}
	}
	var out []uint32
	for p, ok := range seen {
		if ok {
			out = append(out, sc.Set[p])
		}
	}
	return out
}

// place returns the place in the set of node n, if it is in it.
func (sc *Scenario) place(n uint32) (int, bool) { return slices.BinarySearch(sc.Set, n) }

// Chain is the slowest chain behind the estimate of the service at place
// i: from the service that restores first up to it.
func (sc *Scenario) Chain(i int) []uint32 {
	chain := []uint32{sc.Set[i]}
	for v := int32(i); sc.via[v] != v && len(chain) <= len(sc.Set); v = sc.via[v] {
		chain = append(chain, sc.Set[sc.via[v]])
	}
	slices.Reverse(chain)
	return chain
}

// grow returns a slice of length n, reusing b's memory when it is enough.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
