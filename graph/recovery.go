package graph

import (
	"cmp"
	"slices"
)

// The recovery estimate of a scenario: when each failed or down service can
// be back if recovery starts at once and goes along the waves. It follows
// the achievable times of Objectives, on the scenario instead of a total
// loss: what is not in the failed and down set is up and keeps no one
// waiting, and a restore time the model does not have is not taken as
// zero. Each time is kept as the span it must lie in, with the unknown
// restore times taken as zero and as endless: where the two meet the
// estimate is known, elsewhere it is not, and the lower end still says
// how long it takes at least.
//
// The set's strongly connected components over hard dependencies are found
// with Tarjan's algorithm, which completes a component only after every
// component it depends on, so each is estimated when it is found: one walk
// over the set and its dependency entries.

// estimate fills in the span and chain of every place of the set.
func (sc *Scenario) estimate(s *simScratch) {
	sc.gather(s)
	s.reset(len(sc.Set))
	for root := range int32(len(sc.Set)) {
		if s.index[root] == 0 {
			sc.walk(s, root)
		}
	}
}

// reset readies Tarjan's algorithm for k places, none visited yet.
func (s *simScratch) reset(k int) {
	s.index, s.low, s.comp, s.onStack = grow(s.index, k), grow(s.low, k), grow(s.comp, k), grow(s.onStack, k)
	clear(s.index)
	clear(s.onStack)
	for i := range s.comp {
		s.comp[i] = -1
	}
	s.stack, s.calls, s.visited, s.comps = s.stack[:0], s.calls[:0], 0, 0
}

// walk is Tarjan's algorithm from one place, without recursion.
func (sc *Scenario) walk(s *simScratch, root int32) {
	sc.visit(s, root)
	for len(s.calls) > 0 {
		f := &s.calls[len(s.calls)-1]
		if f.child >= 0 { // back from a visit
			s.low[f.place] = min(s.low[f.place], s.low[f.child])
			f.child = -1
		}
		if w, ok := sc.nextInSet(s, f); ok {
			if s.index[w] == 0 {
				f.child = w
				sc.visit(s, w)
			} else if s.onStack[w] {
				s.low[f.place] = min(s.low[f.place], s.index[w])
			}
			continue
		}
		v := f.place
		s.calls = s.calls[:len(s.calls)-1]
		if s.low[v] == s.index[v] {
			sc.complete(s, v)
		}
	}
}

func (sc *Scenario) visit(s *simScratch, p int32) {
	s.visited++
	s.index[p], s.low[p] = s.visited, s.visited
	s.stack = append(s.stack, p)
	s.onStack[p] = true
	s.calls = append(s.calls, tarjanFrame{place: p, next: s.depAt[p], child: -1})
}

// complete takes the component of root v off the stack and estimates it.
func (sc *Scenario) complete(s *simScratch, v int32) {
	end := len(s.stack)
	for {
		w := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		s.onStack[w], s.comp[w] = false, s.comps
		if w == v {
			break
		}
	}
	sc.settle(s, s.stack[len(s.stack):end], s.comps)
	s.comps++
}

// nextInSet is the next of a frame's hard dependencies in the set.
func (sc *Scenario) nextInSet(s *simScratch, f *tarjanFrame) (int32, bool) {
	if f.next == s.depAt[f.place+1] {
		return 0, false
	}
	f.next++
	return s.dep[f.next-1], true
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
	base := s.base[p]
	if s.fixed[p] {
		return span{lo: base, hi: base, via: p, cause: -1}
	}
	t := span{via: p, cause: -1}
	if base == None {
		t.cause = p
	}
	for _, le := range s.ents[s.entAt[p]:s.entAt[p+1]] {
		w := sc.entryWait(s, le, c)
		if le.wa != None { // the workaround bridges a short wait
			w.lo, w.hi = bridged(w.lo, le.wa), bridged(w.hi, le.wa)
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

// entryWait is how long an entry of a service of component c keeps it
// waiting: nothing for a dependency in the same component; for a
// redundancy group, the min_up-th fastest member, the members that are up
// counting as back at once.
func (sc *Scenario) entryWait(s *simScratch, le localEntry, c int32) span {
	s.times = s.times[:0]
	for _, p := range s.dep[le.from:le.to] {
		if s.comp[p] != c && sc.hi[p] > 0 {
			s.times = append(s.times, span{lo: sc.lo[p], hi: sc.hi[p], via: p, cause: sc.cause[p]})
		}
	}
	back := le.back + int32(int(le.to-le.from)-len(s.times))
	if back >= le.need {
		return span{via: -1, cause: -1}
	}
	k := le.need - back - 1
	if len(s.times) == 1 {
		return s.times[0]
	}
	// The k-th fastest by the lower and by the upper bounds: each bound of
	// a member moves the k-th the same way.
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
