package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// randomModel makes a small model with every kind of dependency, cycles
// included: hard, soft, with workarounds, and redundancy groups.
func randomModel(rng *rand.Rand) *lifeboat.Model {
	n := 1 + rng.IntN(30)
	m := &lifeboat.Model{}
	id := func(i int) string { return fmt.Sprintf("s%02d", i) }
	for i := range n {
		s := &lifeboat.Service{ID: id(i), Kind: lifeboat.Kinds[rng.IntN(len(lifeboat.Kinds))]}
		used := map[int]bool{i: true}
		pick := func() (int, bool) {
			j := rng.IntN(n)
			if used[j] {
				return 0, false
			}
			used[j] = true
			return j, true
		}
		for range rng.IntN(4) {
			var d lifeboat.Dependency
			if rng.IntN(4) == 0 {
				for range 2 + rng.IntN(3) {
					if j, ok := pick(); ok {
						d.AnyOf = append(d.AnyOf, id(j))
					}
				}
				if len(d.AnyOf) == 0 {
					continue
				}
				d.MinUp = 1 + rng.IntN(len(d.AnyOf))
			} else if j, ok := pick(); ok {
				d.On = id(j)
			} else {
				continue
			}
			if rng.IntN(5) == 0 {
				d.Impact = lifeboat.ImpactDegraded
			}
			if rng.IntN(8) == 0 {
				w := lifeboat.Duration(3600)
				d.Workaround = &w
			}
			s.DependsOn = append(s.DependsOn, d)
		}
		m.Services = append(m.Services, s)
	}
	m.Normalize()
	return m
}

// refImpact is the plain reference: apply the rules to every service over
// and over until nothing changes.
func refImpact(m *lifeboat.Model, failed map[string]bool) map[string]State {
	state := map[string]State{}
	for f := range failed {
		state[f] = Down
	}
	for changed := true; changed; {
		changed = false
		for _, s := range m.Services {
			st := state[s.ID]
			for _, d := range s.DependsOn {
				st = max(st, refContribution(d, state))
			}
			if st > state[s.ID] {
				state[s.ID], changed = st, true
			}
		}
	}
	return state
}

func refContribution(d lifeboat.Dependency, state map[string]State) State {
	c := Up
	if d.IsGroup() {
		up := 0
		for _, mbr := range d.AnyOf {
			if state[mbr] != Down {
				up++
			}
		}
		if up < d.MinUp {
			c = Down
		}
	} else {
		c = state[d.On]
	}
	if c == Down && (d.Soft() || d.Workaround != nil) {
		c = Degraded
	}
	return c
}

func TestImpactMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 3000 {
		m := randomModel(rng)
		x, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		failed := map[string]bool{}
		var nodes []uint32
		for range 1 + rng.IntN(3) {
			n := uint32(rng.IntN(x.Len()))
			failed[x.ID(n)] = true
			nodes = append(nodes, n)
		}
		want := refImpact(m, failed)
		im := x.Impact(nodes)
		got := map[string]State{}
		for _, h := range im.Impacted {
			got[x.ID(h.Node)] = h.State
			checkPath(t, x, m, im, h)
		}
		for id, st := range want {
			if !failed[id] && st != Up && got[id] != st {
				t.Fatalf("round %d: %s is %v, the reference says %v\nfailed %v\n%s", round, id, got[id], st, failed, describe(m))
			}
		}
		for id, st := range got {
			if want[id] != st || failed[id] {
				t.Fatalf("round %d: %s is %v, the reference says %v\nfailed %v\n%s", round, id, st, want[id], failed, describe(m))
			}
		}
		checkWaves(t, x, im)
	}
}

// checkPath makes sure a hit's path starts at a failed service, ends at
// the hit, and each step is a dependency of the next.
func checkPath(t *testing.T, x *Index, m *lifeboat.Model, im *Impact, h Hit) {
	t.Helper()
	path := im.Path(h)
	if !isFailed(im.Failed, path[0]) || path[len(path)-1] != h.Node {
		t.Fatalf("path %v of %s does not run from a failed service to it", x.ids(path), x.ID(h.Node))
	}
	for i := 1; i < len(path); i++ {
		found := false
		x.neighbours(path[i], func(n uint32) { found = found || n == path[i-1] })
		if !found {
			t.Fatalf("path %v: %s does not depend on %s", x.ids(path), x.ID(path[i]), x.ID(path[i-1]))
		}
	}
}

// checkWaves checks the wave rule on the failed and down services.
func checkWaves(t *testing.T, x *Index, im *Impact) {
	t.Helper()
	waves := im.RecoveryWaves()
	wave := map[uint32]int{}
	for w, nodes := range waves {
		if !slices.IsSorted(nodes) || len(nodes) == 0 {
			t.Fatalf("wave %d is empty or unsorted: %v", w, nodes)
		}
		for _, n := range nodes {
			wave[n] = w
		}
	}
	reach := reachability(x, wave)
	cyclic := func(a, b uint32) bool { return reach[a][b] && reach[b][a] }
	for n, w := range wave {
		// The wave of a cycle is one more than the highest wave any of its
		// members depends on outside it.
		want := 0
		for m := range wave {
			if !cyclic(n, m) {
				continue
			}
			if wave[m] != w {
				t.Fatalf("%s and %s are in one cycle but in waves %d and %d", x.ID(n), x.ID(m), w, wave[m])
			}
			x.neighbours(m, func(d uint32) {
				if _, in := wave[d]; in && !cyclic(n, d) {
					want = max(want, wave[d]+1)
				}
			})
		}
		if w != want {
			t.Fatalf("%s is in wave %d, want %d; waves %v", x.ID(n), w, want, waves)
		}
	}
}

// reachability says which nodes of a set reach which, within the set.
func reachability(x *Index, set map[uint32]int) map[uint32]map[uint32]bool {
	reach := map[uint32]map[uint32]bool{}
	for n := range set {
		seen := map[uint32]bool{n: true}
		stack := []uint32{n}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x.neighbours(v, func(d uint32) {
				if _, in := set[d]; in && !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			})
		}
		reach[n] = seen
	}
	return reach
}

func TestOrderMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		m := randomModel(rng)
		x, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		o := x.Order()
		all := map[uint32]int{}
		for w, nodes := range o.Waves {
			for _, n := range nodes {
				all[n] = w
			}
		}
		if len(all) != x.Len() {
			t.Fatalf("the order has %d of %d services", len(all), x.Len())
		}
		reach := reachability(x, all)
		var cycles [][]uint32
		seen := map[uint32]bool{}
		for n := range uint32(x.Len()) {
			if seen[n] {
				continue
			}
			var c []uint32
			for d := range uint32(x.Len()) {
				if reach[n][d] && reach[d][n] {
					c = append(c, d)
					seen[d] = true
				}
			}
			if len(c) > 1 {
				cycles = append(cycles, c)
			}
		}
		if fmt.Sprint(cycles) != fmt.Sprint(o.Cycles) {
			t.Fatalf("cycles %v, want %v\n%s", o.Cycles, cycles, describe(m))
		}
	}
}

func describe(m *lifeboat.Model) string {
	var s string
	for _, svc := range m.Services {
		s += svc.ID + ":"
		for _, d := range svc.DependsOn {
			s += " " + d.Label()
			if d.Soft() {
				s += "(soft)"
			}
			if d.Workaround != nil {
				s += "(workaround)"
			}
		}
		s += "\n"
	}
	return s
}

// refRequirements passes requirements down hard dependencies until nothing
// changes: the strictest of what needs a service.
func refRequirements(m *lifeboat.Model, own func(*lifeboat.Service) *lifeboat.Duration) map[string]lifeboat.Duration {
	req := map[string]lifeboat.Duration{}
	for _, s := range m.Services {
		if d := own(s); d != nil {
			req[s.ID] = *d
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range m.Services {
			r, ok := req[s.ID]
			if !ok {
				continue
			}
			for _, d := range s.DependsOn {
				if d.Soft() {
					continue
				}
				for _, t := range d.Targets() {
					if cur, has := req[t]; !has || r < cur {
						req[t], changed = r, true
					}
				}
			}
		}
	}
	return req
}

// refAchievable is the achievable time on a graph without cycles, by plain
// recursion over the rules.
func refAchievable(m *lifeboat.Model, id string, memo map[string]lifeboat.Duration) lifeboat.Duration {
	if v, ok := memo[id]; ok {
		return v
	}
	var s *lifeboat.Service
	for _, c := range m.Services {
		if c.ID == id {
			s = c
		}
	}
	if s.Kind == lifeboat.KindVendor && s.Contract != nil && s.Contract.RTO != nil {
		memo[id] = *s.Contract.RTO
		return memo[id]
	}
	var own lifeboat.Duration
	if s.Recovery != nil && s.Recovery.Time != nil {
		own = *s.Recovery.Time
	}
	var slowest lifeboat.Duration
	for _, d := range s.DependsOn {
		if d.Soft() {
			continue
		}
		var times []lifeboat.Duration
		for _, t := range d.Targets() {
			times = append(times, refAchievable(m, t, memo))
		}
		slices.Sort(times)
		wait := times[0]
		if d.IsGroup() {
			wait = times[d.MinUp-1]
		}
		if d.Workaround != nil && wait <= *d.Workaround {
			wait = 0
		}
		slowest = max(slowest, wait)
	}
	memo[id] = own + slowest
	return memo[id]
}

func TestObjectivesMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 2000 {
		m := randomModel(rng)
		for _, s := range m.Services {
			if rng.IntN(3) == 0 {
				s.Objectives = &lifeboat.Objectives{RTO: durPtr(rng.IntN(10) * 600), RPO: durPtr(rng.IntN(10) * 60)}
			}
			s.Recovery = &lifeboat.Recovery{Time: durPtr(rng.IntN(6) * 900)}
			if s.Kind == lifeboat.KindVendor && rng.IntN(2) == 0 {
				s.Contract = &lifeboat.Contract{RTO: durPtr(rng.IntN(8) * 1800)}
			}
		}
		x, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		o := x.Objectives()
		for what, own := range map[string]func(*lifeboat.Service) *lifeboat.Duration{
			"rto": func(s *lifeboat.Service) *lifeboat.Duration { return objective(s, true) },
			"rpo": func(s *lifeboat.Service) *lifeboat.Duration { return objective(s, false) },
		} {
			want := refRequirements(m, own)
			got := o.RTO
			if what == "rpo" {
				got = o.RPO
			}
			for n := range uint32(x.Len()) {
				w, ok := want[x.ID(n)]
				if r := got(n); (r.Seconds == None) == ok || (ok && uint32(w) != r.Seconds) {
					t.Fatalf("round %d: %s of %s is %v, the reference says %v (%v)\n%s", round, what, x.ID(n), r, w, ok, describe(m))
				}
			}
		}
		if len(x.Order().Cycles) > 0 {
			continue // the reference knows no cycles; the order test covers them
		}
		memo := map[string]lifeboat.Duration{}
		for n := range uint32(x.Len()) {
			if w := refAchievable(m, x.ID(n), memo); uint32(w) != o.Achievable[n] {
				t.Fatalf("round %d: achievable of %s is %d, the reference says %d\n%s", round, x.ID(n), o.Achievable[n], w, describe(m))
			}
		}
	}
}

func objective(s *lifeboat.Service, rto bool) *lifeboat.Duration {
	if s.Objectives == nil {
		return nil
	}
	if rto {
		return s.Objectives.RTO
	}
	return s.Objectives.RPO
}

func durPtr(seconds int) *lifeboat.Duration {
	d := lifeboat.Duration(seconds)
	return &d
}
