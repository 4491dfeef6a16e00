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
// a query clears nothing: a node's slot is valid only when it carries the
// query's epoch. The slot packs the epoch, the state a node has reached and
// the state it has been processed at into one word, so that checking a
// node on the way up costs one memory access, not three.
type scratch struct {
	epoch  uint32
	slot   []uint32 // epoch<<4 | processed<<2 | state
	by     []uint32
	gstamp []uint32
	gdown  []uint16
	queue  []uint32
}

// maxEpoch is the largest epoch a slot can hold.
const maxEpoch = 1<<28 - 1

func (x *Index) newScratch() *scratch {
	return &scratch{slot: make([]uint32, x.Len()), by: make([]uint32, x.Len()),
		gstamp: make([]uint32, len(x.minUp)), gdown: make([]uint16, len(x.minUp))}
}

func (x *Index) scratch() *scratch {
	s, ok := x.pool.Get().(*scratch)
	if !ok {
		s = x.newScratch()
	}
	s.epoch++
	if s.epoch > maxEpoch { // wrapped: every old slot would look current
		clear(s.slot)
		clear(s.gstamp)
		s.epoch = 1
	}
	s.queue = s.queue[:0]
	return s
}

func (x *Index) release(s *scratch) { x.pool.Put(s) }

func (s *scratch) get(n uint32) State {
	if v := s.slot[n]; v>>4 == s.epoch {
		return State(v & 3)
	}
	return Up
}

func (s *scratch) set(n uint32, st State, by uint32) {
	v := s.slot[n]
	if v>>4 != s.epoch {
		v = s.epoch << 4
	}
	s.slot[n], s.by[n] = v&^3|uint32(st), by
	s.queue = append(s.queue, n)
}

// groupDown counts one more member of group g down and reports whether
// the group is down now: fewer than min_up members up.
func (s *scratch) groupDown(x *Index, g uint32) bool {
	if s.gstamp[g] != s.epoch {
		s.gstamp[g], s.gdown[g] = s.epoch, 0
	}
	s.gdown[g]++
	members, minUp := x.group(^int32(g))
	return len(members)-int(s.gdown[g]) < minUp
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
		v := s.slot[n]
		st := State(v & 3)
		if State(v>>2&3) >= st {
			continue // queued twice on the way up; done at this state
		}
		s.slot[n] = v&^12 | uint32(st)<<2
		for i := x.userAt[n]; i < x.userAt[n+1]; i++ {
			src, c := x.spread(s, i, st)
			if c > s.get(src) {
				s.set(src, c, n)
			}
		}
	}
	return &Impact{x: x, Failed: failed, Impacted: s.hits(x.Len(), failed)}
}

// hits lists the impacted nodes in node order: sorting the queue when few
// are, and reading every slot in order when many are, which is faster than
// sorting hundreds of thousands.
func (s *scratch) hits(nodes int, failed []uint32) []Hit {
	out := make([]Hit, 0, len(s.queue))
	hit := func(n uint32) {
		if !isFailed(failed, n) {
			out = append(out, Hit{Node: n, State: State(s.slot[n] & 3), By: s.by[n]})
		}
	}
	if len(s.queue) < nodes/16 {
		slices.Sort(s.queue)
		for i, n := range s.queue {
			if i == 0 || s.queue[i-1] != n {
				hit(n)
			}
		}
		return out
	}
	for n := range uint32(nodes) {
		if s.slot[n]>>4 == s.epoch {
			hit(n)
		}
	}
	return out
}

// spread returns the service of user slot i and what the slot passes on
// to it when the node it points at reaches state st, which happens once
// per state.
func (x *Index) spread(s *scratch, i uint32, st State) (uint32, State) {
	slot := x.users[i]
	c := Degraded
	src := slot >> slotFlagBits
	if slot&flagGroup == 0 {
		if st == Down {
			c = Down
		}
	} else {
		g := src
		src = x.groupSrc[g]
		if st != Down || !s.groupDown(x, g) {
			return src, Up // a degraded or lost member that leaves enough up changes nothing
		}
		c = Down
	}
	if c == Down && slot&(flagSoft|flagWorkaround) != 0 {
		c = Degraded
	}
	return src, c
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
