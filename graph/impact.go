package graph

import "slices"

// State is how a service fares in a failure.
type State uint8

// States in increasing severity; a state only ever rises while an impact
// spreads, which is what makes the spread end on graphs with cycles.
const (
	Up State = iota
	Degraded
	Down
)

func (s State) String() string {
	return [...]string{"up", "degraded", "down"}[s]
}

// Impact is what a set of failed services takes with it.
type Impact struct {
	x      *Index
	Failed []uint32 // sorted
	// Impacted are the services down or degraded because of the failure,
	// failed ones excluded, sorted.
	Impacted []Hit
}

// Hit is one impacted service and the dependency that brought it down or
// degraded it.
type Hit struct {
	Node  uint32
	State State
	// By is the dependency whose loss made the state: following By from
	// hit to hit leads to a failed service.
	By uint32
}

// scratch is the per-query working memory, reused through a pool so that
// a query clears nothing: a slot is valid only when its stamp is the
// query's epoch.
type scratch struct {
	epoch     uint32
	stamp     []uint32
	state     []State
	processed []State
	by        []uint32
	gstamp    []uint32
	gdown     []uint16
	queue     []uint32
}

func (x *Index) newScratch() *scratch {
	return &scratch{stamp: make([]uint32, x.Len()), state: make([]State, x.Len()), processed: make([]State, x.Len()),
		by: make([]uint32, x.Len()), gstamp: make([]uint32, len(x.minUp)), gdown: make([]uint16, len(x.minUp))}
}

func (x *Index) scratch() *scratch {
	s, ok := x.pool.Get().(*scratch)
	if !ok {
		s = x.newScratch()
	}
	s.epoch++
	if s.epoch == 0 { // wrapped: every old stamp would look current
		clear(s.stamp)
		clear(s.gstamp)
		s.epoch = 1
	}
	s.queue = s.queue[:0]
	return s
}

func (x *Index) release(s *scratch) { x.pool.Put(s) }

func (s *scratch) get(n uint32) State {
	if s.stamp[n] != s.epoch {
		return Up
	}
	return s.state[n]
}

func (s *scratch) set(n uint32, st State, by uint32) {
	if s.stamp[n] != s.epoch {
		s.stamp[n], s.processed[n] = s.epoch, Up
	}
	s.state[n], s.by[n] = st, by
	s.queue = append(s.queue, n)
}

// groupDown counts one more member of group g down and reports whether
// the group is down now: fewer than min_up members up.
func (s *scratch) groupDown(x *Index, g int32) bool {
	i := ^g
	if s.gstamp[i] != s.epoch {
		s.gstamp[i], s.gdown[i] = s.epoch, 0
	}
	s.gdown[i]++
	members, minUp := x.group(g)
	return len(members)-int(s.gdown[i]) < minUp
}

// Impact spreads the failure of some services through the graph. A hard
// dependency takes its service down with it, a soft one degrades it, a
// workaround keeps it degraded rather than down, and a redundancy group is
// lost only when fewer than min_up of its members are up. A degraded
// dependency degrades what needs it.
func (x *Index) Impact(failed []uint32) *Impact {
	s := x.scratch()
	defer x.release(s)
	failed = slices.Compact(slices.Sorted(slices.Values(failed)))
	for _, f := range failed {
		s.set(f, Down, f)
	}
	for q := 0; q < len(s.queue); q++ {
		n := s.queue[q]
		st := s.state[n]
		if s.processed[n] >= st {
			continue // queued twice on the way up; done at this state
		}
		s.processed[n] = st
		for i := x.userAt[n]; i < x.userAt[n+1]; i++ {
			c := x.spread(s, i, st)
			if src := x.userSrc[i]; c > s.get(src) {
				s.set(src, c, n)
			}
		}
	}
	im := &Impact{x: x, Failed: failed}
	for _, n := range s.queue {
		// A node may be queued more than once; after listing it, processed
		// is set below any state so that it is listed once.
		if s.processed[n] == s.state[n] && !isFailed(failed, n) {
			im.Impacted = append(im.Impacted, Hit{Node: n, State: s.state[n], By: s.by[n]})
			s.processed[n] = Up
		}
	}
	slices.SortFunc(im.Impacted, func(a, b Hit) int { return int(a.Node) - int(b.Node) })
	return im
}

// spread returns what user slot i passes on to its service when the node
// it points at reaches state st, which happens once per state.
func (x *Index) spread(s *scratch, i uint32, st State) State {
	f := x.userFlags[i]
	c := Degraded
	if f&flagGroup == 0 {
		if st == Down {
			c = Down
		}
	} else {
		if st != Down || !s.groupDown(x, x.target[x.users[i]]) {
			return Up // a degraded or lost member that leaves enough up changes nothing
		}
		c = Down
	}
	if c == Down && f&(flagSoft|flagWorkaround) != 0 {
		c = Degraded
	}
	return c
}

func isFailed(failed []uint32, n uint32) bool {
	_, ok := slices.BinarySearch(failed, n)
	return ok
}

// Path returns one chain of dependencies from a failed service to the hit,
// both included.
func (im *Impact) Path(h Hit) []uint32 {
	path := []uint32{h.Node}
	for by := h.By; ; {
		if isFailed(im.Failed, by) {
			path = append(path, by)
			break
		}
		i, ok := slices.BinarySearchFunc(im.Impacted, by, func(a Hit, t uint32) int { return int(a.Node) - int(t) })
		if !ok || len(path) > len(im.Impacted)+1 {
			break // cannot happen: every cause is impacted or failed
		}
		path = append(path, by)
		by = im.Impacted[i].By
	}
	slices.Reverse(path)
	return path
}
