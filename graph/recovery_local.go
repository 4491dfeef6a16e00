package graph

import "math/bits"

// The failed and down services of a scenario as a graph of their own,
// made in one pass over them in node order: the index's arrays are then
// read front to back, and the walks that follow read only these small
// arrays, not the graph's, which at a million services do not fit in the
// processor's caches.

// simScratch is a scenario's working memory, reused through the
// simulator's pool.
type simScratch struct {
	// in has a bit for each node of the set, and rank[w] is the place of
	// the first of them in word w: since the set is sorted, a node's place
	// is that plus the bits before it in its word. The two take 12 bytes
	// per 64 nodes, small enough to stay in the processor's caches where
	// a place per node would not; only the words the set touches are
	// written, and cleared again.
	in   []uint64
	rank []uint32

	// The local graph: place p's hard entries that point into the set are
	// ents[entAt[p]:entAt[p+1]], and the places they point at
	// dep[depAt[p]:depAt[p+1]], entry after entry.
	base         []uint32 // own restore time, None when unknown
	fixed        []bool   // a vendor back when its contract says, whatever it needs
	entAt, depAt []uint32
	ents         []localEntry
	dep          []int32

	// Tarjan's algorithm.
	index, low []int32 // visit order (0: not yet) and low link
	comp       []int32 // the component of each place, -1 until found
	onStack    []bool
	stack      []int32
	calls      []tarjanFrame
	visited    int32 // places visited so far
	comps      int32 // components found so far

	times []span // the members of one group
}

// localEntry is a hard entry that points into the set: a dependency on a
// single service, as a group of one, or a redundancy group.
type localEntry struct {
	from, to uint32 // its places are dep[from:to]
	wa       uint32 // how long its workaround lasts, None without one
	need     int32  // members it needs up
	back     int32  // members outside the set: up, back at once
}

type tarjanFrame struct {
	place int32
	next  uint32 // the next of its dependencies, in dep, to look at
	child int32  // the place being visited, -1 for none
}

func (sim *Simulator) scratch() *simScratch {
	s, ok := sim.pool.Get().(*simScratch)
	if !ok {
		words := sim.x.Len()/64 + 1
		s = &simScratch{in: make([]uint64, words), rank: make([]uint32, words)}
	}
	return s
}

// mark records the places of a sorted set.
func (s *simScratch) mark(set []uint32) {
	for i, n := range set {
		w := n / 64
		if s.in[w] == 0 {
			s.rank[w] = uint32(i)
		}
		s.in[w] |= 1 << (n % 64)
	}
}

// unmark clears what mark recorded, for the next scenario.
func (s *simScratch) unmark(set []uint32) {
	for _, n := range set {
		s.in[n/64] = 0
	}
}

// place is the place of node n in the set, if it is in it.
func (s *simScratch) place(n uint32) (int32, bool) {
	w, bit := s.in[n/64], uint64(1)<<(n%64)
	if w&bit == 0 {
		return 0, false
	}
	return int32(s.rank[n/64]) + int32(bits.OnesCount64(w&(bit-1))), true
}

// gather makes the local graph of the set (sorted): each place's own
// restore time and its hard entries that point into the set. An entry
// that points only outside it keeps no one waiting and is left out.
func (sc *Scenario) gather(s *simScratch) {
	x := sc.sim.x
	k := len(sc.Set)
	s.mark(sc.Set)
	defer s.unmark(sc.Set)
	s.base, s.fixed = grow(s.base, k), grow(s.fixed, k)
	s.entAt, s.depAt = append(s.entAt[:0], 0), append(s.depAt[:0], 0)
	s.ents, s.dep = s.ents[:0], s.dep[:0]
	for p, n := range sc.Set {
		s.base[p], s.fixed[p] = x.restore[n], false
		if a := x.attr(n); x.kind[n] == kindVendor && a.contractRTO != None {
			s.base[p], s.fixed[p] = a.contractRTO, true
		}
		lo, hi := x.entries(n)
		for e := lo; e < hi; e++ {
			if x.flags[e]&flagSoft == 0 {
				s.addEntry(x, e)
			}
		}
		s.entAt = append(s.entAt, uint32(len(s.ents)))
		s.depAt = append(s.depAt, uint32(len(s.dep)))
	}
}

// addEntry adds entry e of the place being gathered, if it points into
// the set.
func (s *simScratch) addEntry(x *Index, e uint32) {
	le := localEntry{from: uint32(len(s.dep)), wa: None, need: 1}
	if t := x.target[e]; t >= 0 {
		if q, ok := s.place(uint32(t)); ok {
			s.dep = append(s.dep, q)
		}
	} else {
		members, minUp := x.group(t)
		le.need = int32(min(minUp, len(members)))
		for _, m := range members {
			if q, ok := s.place(m); ok {
				s.dep = append(s.dep, q)
			} else {
				le.back++
			}
		}
	}
	le.to = uint32(len(s.dep))
	if le.to == le.from {
		return
	}
	if x.flags[e]&flagWorkaround != 0 {
		le.wa = x.workaround[e]
	}
	s.ents = append(s.ents, le)
}
