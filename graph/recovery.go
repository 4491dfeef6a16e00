package graph

import (
	"cmp"
	"slices"
)

// The recovery estimate of a scenario: when each failed or down service can
// be back if recovery starts at once and goes along the waves. It follows
// the achievable times of Objectives, on the scenario instead of a total
// loss: what is not in the failed and down set is up and keeps no one
// waiting, and a restore time that is not known is not taken as zero but
// makes the estimate unknown, for what waits on it too.
//
// The set's strongly connected components over hard dependencies are found
// with Tarjan's algorithm, which completes a component only after every
// component it depends on, so each is estimated when it is found: one walk
// over the set and its dependency entries.

// estimate fills in the estimate and chain of every place of the set.
func (sc *Scenario) estimate(s *simScratch) {
	k := len(sc.Set)
	for i, n := range sc.Set {
		s.stamp[n], s.at[n] = s.epoch, int32(i)
	}
	s.index, s.low, s.comp, s.onStack = grow(s.index, k), grow(s.low, k), grow(s.comp, k), grow(s.onStack, k)
	clear(s.index)
	clear(s.onStack)
	for i := range s.comp {
		s.comp[i] = -1
	}
	s.stack, s.calls = s.stack[:0], s.calls[:0]
	next, comps := int32(0), int32(0)
	visit := func(p int32) {
		next++
		s.index[p], s.low[p] = next, next
		s.stack = append(s.stack, p)
		s.onStack[p] = true
		s.calls = append(s.calls, tarjanFrame{place: p, entry: sc.sim.x.entryAt[sc.Set[p]], child: -1})
	}
	for root := range int32(k) {
		if s.index[root] != 0 {
			continue
		}
		visit(root)
		for len(s.calls) > 0 {
			f := &s.calls[len(s.calls)-1]
			if f.child >= 0 { // back from a visit
				s.low[f.place] = min(s.low[f.place], s.low[f.child])
				f.child = -1
			}
			if w, ok := sc.nextInSet(s, f); ok {
				if s.index[w] == 0 {
					f.child = w
					visit(w)
				} else if s.onStack[w] {
					s.low[f.place] = min(s.low[f.place], s.index[w])
				}
				continue
			}
			v := f.place
			s.calls = s.calls[:len(s.calls)-1]
			if s.low[v] != s.index[v] {
				continue
			}
			end := len(s.stack)
			for {
				w := s.stack[len(s.stack)-1]
				s.stack = s.stack[:len(s.stack)-1]
				s.onStack[w], s.comp[w] = false, comps
				if w == v {
					break
				}
			}
			sc.settle(s, s.stack[len(s.stack):end], comps)
			comps++
		}
	}
}

// nextInSet steps through the hard dependencies of a frame's service that
// are in the set: the targets of its entries and the members of its groups.
func (sc *Scenario) nextInSet(s *simScratch, f *tarjanFrame) (int32, bool) {
	x := sc.sim.x
	end := x.entryAt[sc.Set[f.place]+1]
	for f.entry < end {
		e := f.entry
		if t := x.target[e]; x.flags[e]&flagSoft == 0 && t < 0 {
			members, _ := x.group(t)
			for f.member < len(members) {
				m := members[f.member]
				f.member++
				if p, ok := s.place(m); ok {
					return p, true
				}
			}
		}
		f.entry, f.member = e+1, 0
		if t := x.target[e]; x.flags[e]&flagSoft == 0 && t >= 0 {
			if p, ok := s.place(uint32(t)); ok {
				return p, true
			}
		}
	}
	return 0, false
}

// place is the place of node n in the set, if it is in it.
func (s *simScratch) place(n uint32) (int32, bool) {
	if s.stamp[n] != s.epoch {
		return 0, false
	}
	return s.at[n], true
}

// span is what is known of a time: it lies between lo, taking every
// restore time not in the model as zero, and hi, taking them as endless
// (None); it is known when the two meet. via is the place on the slowest
// chain behind lo, and cause, when lo and hi differ, the place whose cause
// explains it (-1 otherwise).
type span struct {
	lo, hi     uint32
	via, cause int32
}

func (t span) known() bool { return t.lo == t.hi }

// settle estimates the members of component c, every component they
// depend on done: each is back its own restore time after the slowest of
// its hard dependencies outside the component, and the members of a cycle
// are back together, at the latest of their times. The chain of a member
// runs through the member that sets the latest.
func (sc *Scenario) settle(s *simScratch, members []int32, c int32) {
	shared, slowest := span{cause: -1}, members[0]
	for _, p := range members {
		t := sc.own(s, p, c)
		sc.put(p, t)
		if t.lo >= shared.lo {
			shared.lo, slowest = t.lo, p
		}
		shared.hi = max(shared.hi, t.hi) // None, the largest, absorbs
		if !t.known() && shared.cause < 0 {
			shared.cause = t.cause
		}
	}
	if len(members) == 1 {
		return
	}
	if shared.known() {
		shared.cause = -1
	}
	for _, p := range members {
		shared.via = slowest
		if p == slowest {
			shared.via = sc.via[p]
		}
		sc.put(p, shared)
	}
}

// put records the span of place p.
func (sc *Scenario) put(p int32, t span) {
	sc.lo[p], sc.hi[p], sc.via[p], sc.cause[p] = t.lo, t.hi, t.via, t.cause
}

// own is the span of place p of component c before the component shares
// its latest: a vendor's contracted RTO, or its restore time after the
// slowest wait among its hard entries. A dependency a workaround covers
// keeps it waiting only when it takes longer than the workaround lasts.
func (sc *Scenario) own(s *simScratch, p, c int32) span {
	x, n := sc.sim.x, sc.Set[p]
	if a := x.attr(n); x.kind[n] == kindVendor && a.contractRTO != None {
		return span{lo: a.contractRTO, hi: a.contractRTO, via: p, cause: -1}
	}
	base := x.restore[n]
	t := span{via: p, cause: -1}
	if base == None {
		t.cause = p
	}
	lo, hi := x.entries(n)
	for e := lo; e < hi; e++ {
		if x.flags[e]&flagSoft != 0 {
			continue
		}
		w := sc.entryWait(s, e, c)
		if x.flags[e]&flagWorkaround != 0 { // the workaround bridges a short wait
			wa := x.workaround[e]
			w.lo, w.hi = bridged(w.lo, wa), bridged(w.hi, wa)
		}
		if w.lo > t.lo {
			t.lo, t.via = w.lo, w.via
		}
		t.hi = max(t.hi, w.hi)
		if !w.known() && t.cause < 0 {
			t.cause = w.cause
		}
	}
	if base != None {
		t.lo = saturatingAdd(base, t.lo)
	}
	t.hi = addOrNone(base, t.hi)
	if t.known() { // a slower known wait can hide an unknown one
		t.cause = -1
	}
	return t
}

// bridged is a wait behind a workaround that lasts wa: none while the
// workaround holds, all of it otherwise.
func bridged(wait, wa uint32) uint32 {
	if wait <= wa {
		return 0
	}
	return wait
}

// addOrNone adds two times, either of which may be endless.
func addOrNone(a, b uint32) uint32 {
	if a == None || b == None {
		return None
	}
	return saturatingAdd(a, b)
}

// entryWait is how long entry e of a service of component c keeps it
// waiting: nothing for a dependency that is up or in the same component;
// for a redundancy group, the min_up-th fastest member, the members that
// are up counting as back at once.
func (sc *Scenario) entryWait(s *simScratch, e uint32, c int32) span {
	x := sc.sim.x
	of := func(p int32) span {
		if s.comp[p] == c {
			return span{via: -1, cause: -1}
		}
		return span{lo: sc.lo[p], hi: sc.hi[p], via: p, cause: sc.cause[p]}
	}
	if t := x.target[e]; t >= 0 {
		if p, ok := s.place(uint32(t)); ok {
			return of(p)
		}
		return span{via: -1, cause: -1}
	}
	members, minUp := x.group(x.target[e])
	need := min(minUp, len(members))
	s.times = s.times[:0]
	for _, m := range members {
		if p, ok := s.place(m); ok {
			if w := of(p); w.hi > 0 {
				s.times = append(s.times, w)
			}
		}
	}
	back := len(members) - len(s.times) // up, or back at once
	if back >= need {
		return span{via: -1, cause: -1}
	}
	// The k-th fastest by the lower and by the upper bounds: each bound of
	// a member moves the k-th the same way.
	k := need - back - 1
	slices.SortStableFunc(s.times, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	w := span{lo: s.times[k].lo, via: s.times[k].via, cause: -1}
	slices.SortStableFunc(s.times, func(a, b span) int { return cmp.Compare(a.hi, b.hi) })
	w.hi = s.times[k].hi
	if !w.known() {
		for _, m := range s.times {
			if !m.known() {
				w.cause = m.cause
				break
			}
		}
	}
	return w
}
