package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// endless is the reference's time that never comes.
const endless = math.MaxInt64

// refBounds is the plain reference of the recovery estimate: for each
// failed or down service, the earliest it can be back with every unknown
// restore time taken as zero (lo) and as endless (hi), by recursion over
// the cycles of the set found by reachability, straight from the rules of
// docs/engine.md.
type refBounds struct {
	m     *lifeboat.Model
	set   map[string]bool
	byID  map[string]*lifeboat.Service
	reach map[string]map[string]bool
	memo  map[string][2]int64
}

func newRefBounds(m *lifeboat.Model, set map[string]bool) *refBounds {
	r := &refBounds{m: m, set: set, byID: map[string]*lifeboat.Service{}, reach: map[string]map[string]bool{}, memo: map[string][2]int64{}}
	for _, s := range m.Services {
		r.byID[s.ID] = s
	}
	for id := range set {
		seen := map[string]bool{id: true}
		stack := []string{id}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range r.byID[v].DependsOn {
				for _, t := range d.Targets() {
					if !d.Soft() && set[t] && !seen[t] {
						seen[t] = true
						stack = append(stack, t)
					}
				}
			}
		}
		r.reach[id] = seen
	}
	return r
}

func (r *refBounds) together(a, b string) bool { return r.reach[a][b] && r.reach[b][a] }

// of is the bounds of a service of the set: its cycle shares the latest.
func (r *refBounds) of(id string) [2]int64 {
	if v, ok := r.memo[id]; ok {
		return v
	}
	var out [2]int64
	for m := range r.set {
		if r.together(id, m) {
			l := r.local(m, id)
			out[0], out[1] = max(out[0], l[0]), max(out[1], l[1])
		}
	}
	for m := range r.set {
		if r.together(id, m) {
			r.memo[m] = out
		}
	}
	return out
}

// local is a member's own bounds, what its cycle (the one of id) needs
// of itself counting as back at once.
func (r *refBounds) local(sid, id string) [2]int64 {
	s := r.byID[sid]
	if s.Kind == lifeboat.KindVendor && s.Contract != nil && s.Contract.RTO != nil {
		c := int64(*s.Contract.RTO)
		return [2]int64{c, c}
	}
	own := [2]int64{0, endless}
	if s.Recovery != nil && s.Recovery.Time != nil {
		own = [2]int64{int64(*s.Recovery.Time), int64(*s.Recovery.Time)}
	}
	var slowest [2]int64
	for _, d := range s.DependsOn {
		if d.Soft() {
			continue
		}
		var los, his []int64
		for _, t := range d.Targets() {
			w := [2]int64{0, 0}
			if r.set[t] && !r.together(t, id) {
				w = r.of(t)
			}
			los, his = append(los, w[0]), append(his, w[1])
		}
		slices.Sort(los)
		slices.Sort(his)
		k := 0
		if d.IsGroup() {
			k = min(d.MinUp, len(los)) - 1
		}
		for i, w := range []int64{los[k], his[k]} {
			if d.Workaround != nil && w <= int64(*d.Workaround) {
				w = 0
			}
			slowest[i] = max(slowest[i], w)
		}
	}
	out := [2]int64{own[0] + slowest[0], endless}
	if own[1] != endless && slowest[1] != endless {
		out[1] = own[1] + slowest[1]
	}
	return out
}

// randomTimes gives a random model restore times (some left out),
// vendors contracts, workarounds of several lengths, objectives and BIAs
// with losses.
func randomTimes(rng *rand.Rand, m *lifeboat.Model, unknown bool) {
	for _, s := range m.Services {
		if !unknown || rng.IntN(5) != 0 {
			s.Recovery = &lifeboat.Recovery{Time: durPtr(rng.IntN(6) * 900)}
		}
		if s.Kind == lifeboat.KindVendor && rng.IntN(2) == 0 {
			s.Contract = &lifeboat.Contract{RTO: durPtr(rng.IntN(8) * 1800)}
		}
		if rng.IntN(3) == 0 {
			s.Objectives = &lifeboat.Objectives{RTO: durPtr(rng.IntN(10) * 1200)}
		}
		for i := range s.DependsOn {
			if s.DependsOn[i].Workaround != nil {
				s.DependsOn[i].Workaround = durPtr(rng.IntN(4) * 1800)
			}
		}
		if rng.IntN(3) == 0 {
			b := &lifeboat.BIA{Service: s.ID}
			loss := 0.0
			for i := range 1 + rng.IntN(3) {
				loss += float64(rng.IntN(50000))
				a := lifeboat.Amount(loss)
				pt := lifeboat.ImpactPoint{After: lifeboat.Duration((i + 1) * (1 + rng.IntN(2*86400))), Ratings: map[string]int{"financial": 1 + rng.IntN(5)}}
				if i > 0 {
					pt.After += b.Impacts[i-1].After
				}
				if rng.IntN(4) != 0 {
					pt.Loss = &a
				}
				b.Impacts = append(b.Impacts, pt)
			}
			m.BIAs = append(m.BIAs, b)
		}
	}
}

// TestScenarioMatchesReference compares the scenario's estimates, misses
// and loss with the plain reference on random graphs with cycles,
// redundancy groups, workarounds and restore times left out.
func TestScenarioMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for round := range 3000 {
		m := randomModel(rng)
		randomTimes(rng, m, true)
		x, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		sim := NewSimulator(x, m)
		failed := map[string]bool{}
		var nodes []uint32
		for range 1 + rng.IntN(3) {
			n := uint32(rng.IntN(x.Len()))
			failed[x.ID(n)] = true
			nodes = append(nodes, n)
		}
		sc := sim.Scenario(nodes)
		set := map[string]bool{}
		for id, st := range refImpact(m, failed) {
			if st == Down {
				set[id] = true
			}
		}
		if len(set) != len(sc.Set) {
			t.Fatalf("round %d: the scenario has %d failed or down services, the reference %d", round, len(sc.Set), len(set))
		}
		ref := newRefBounds(m, set)
		rto := x.Objectives().RTO
		for p, n := range sc.Set {
			id := x.ID(n)
			want := ref.of(id)
			got := [2]int64{int64(sc.lo[p]), int64(sc.hi[p])}
			if sc.hi[p] == None {
				got[1] = endless
			}
			if !set[id] || got != want {
				t.Fatalf("round %d: %s is back within %v, the reference says %v; failed %v\n%s", round, id, got, want, failed, describe(m))
			}
			misses := rto(n).Seconds != None && want[0] > int64(rto(n).Seconds)
			if misses != slices.Contains(sc.Misses, int32(p)) {
				t.Fatalf("round %d: %s misses its RTO: %v, the scenario says otherwise", round, id, misses)
			}
			checkCause(t, sc, p, m)
			if _, known := sc.Estimate(p); known {
				checkChain(t, sc, p, ref)
			}
		}
		checkLoss(t, sim, sc, m, set)
	}
}

// checkChain makes sure the chain behind an estimate is a chain of hard
// dependencies in the set that ends at the service, or of members of one
// cycle, and that each step's estimate is as late as what it waits for.
func checkChain(t *testing.T, sc *Scenario, p int, ref *refBounds) {
	t.Helper()
	x := sc.sim.x
	chain := sc.Chain(p)
	if chain[len(chain)-1] != sc.Set[p] {
		t.Fatalf("the chain %v of %s does not end at it", x.ids(chain), x.ID(sc.Set[p]))
	}
	for i := 1; i < len(chain); i++ {
		if _, in := sc.place(chain[i-1]); !in {
			t.Fatalf("the chain %v leaves the set", x.ids(chain))
		}
		found := ref.together(x.ID(chain[i]), x.ID(chain[i-1]))
		x.neighbours(chain[i], func(n uint32) { found = found || n == chain[i-1] })
		a, _ := sc.place(chain[i-1])
		b, _ := sc.place(chain[i])
		if sc.lo[a] > sc.lo[b] {
			t.Fatalf("the chain %v: %s is back before %s, which it waits for", x.ids(chain), x.ID(chain[i]), x.ID(chain[i-1]))
		}
		if !found {
			t.Fatalf("the chain %v: %s does not depend on %s", x.ids(chain), x.ID(chain[i]), x.ID(chain[i-1]))
		}
	}
}

// checkCause makes sure an unknown estimate names a service of the set
// without a restore time, and a known one none.
func checkCause(t *testing.T, sc *Scenario, p int, m *lifeboat.Model) {
	t.Helper()
	x := sc.sim.x
	c, ok := sc.Cause(p)
	if _, known := sc.Estimate(p); known == ok {
		t.Fatalf("%s: known %v, cause given %v", x.ID(sc.Set[p]), known, ok)
	}
	if !ok {
		return
	}
	if _, in := sc.place(c); !in || x.restore[c] != None {
		t.Fatalf("%s waits for %s, which is not a failed or down service without a restore time", x.ID(sc.Set[p]), x.ID(c))
	}
}

// checkLoss sums the losses of the set's BIAs at each horizon.
func checkLoss(t *testing.T, sim *Simulator, sc *Scenario, m *lifeboat.Model, set map[string]bool) {
	t.Helper()
	var want [horizons]float64
	counted := 0
	for _, b := range m.BIAs {
		if !set[b.Service] || !b.HasLoss() {
			continue
		}
		counted++
		for i, h := range Horizons {
			l, _ := b.LossAt(h)
			want[i] += float64(l)
		}
	}
	for i := range want {
		if math.Abs(want[i]-sc.Loss[i]) > 1e-6*max(1, want[i]) || counted != sc.Counted {
			t.Fatalf("the loss at %s is %v over %d services, want %v over %d", Horizons[i], sc.Loss[i], sc.Counted, want[i], counted)
		}
	}
}

// TestScenarioOfEverythingIsTheObjectives fails every service of random
// graphs without cycles and with every restore time known: the estimates
// are then the achievable times of the objectives, which assume the same
// total loss.
func TestScenarioOfEverythingIsTheObjectives(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for round := 0; round < 1000; {
		m := randomModel(rng)
		randomTimes(rng, m, false)
		x, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Order().Cycles) > 0 {
			continue
		}
		round++
		all := make([]uint32, x.Len())
		for i := range all {
			all[i] = uint32(i)
		}
		sc := NewSimulator(x, m).Scenario(all)
		o := x.Objectives()
		for p, n := range sc.Set {
			if e, known := sc.Estimate(p); !known || e != o.Achievable[n] {
				t.Fatalf("round %d: %s is back after %d (%v), its achievable time is %d\n%s", round, x.ID(n), e, known, o.Achievable[n], describe(m))
			}
		}
	}
}
