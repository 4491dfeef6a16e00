package graph

import (
	"slices"
	"sync"
)

// Order is a recovery order: waves of services, each wave needing only
// services of earlier waves, and the cycles condensed into one wave each.
type Order struct {
	Waves  [][]uint32 // each sorted
	Cycles [][]uint32 // each sorted; listed by their first member
}

// neighbours calls fn for every service node n depends on: targets and
// members of redundancy groups, hard or soft alike.
func (x *Index) neighbours(n uint32, fn func(uint32)) {
	lo, hi := x.entries(n)
	for e := lo; e < hi; e++ {
		if t := x.target[e]; t >= 0 {
			fn(uint32(t))
		} else {
			members, _ := x.group(t)
			for _, m := range members {
				fn(m)
			}
		}
	}
}

// components are strongly connected components, flat: component c is
// members[at[c]:at[c+1]], and of maps a node to its component.
type components struct {
	members []uint32
	at      []uint32
	of      []int32
	// peeled counts the first components, of one node each, that Kahn's
	// algorithm placed (see topo); the rest are in or behind cycles.
	peeled int
}

func (cs *components) len() int           { return len(cs.at) - 1 }
func (cs *components) get(c int) []uint32 { return cs.members[cs.at[c]:cs.at[c+1]] }

// topo orders the nodes for dependencies first, following every dependency
// or, with hard, only hard ones, as components: Kahn's algorithm peels the
// nodes outside cycles one by one, in one pass over the flat arrays, and
// Tarjan's finds the cycles among the rest, which follow them.
func (x *Index) topo(hard bool) *components {
	t := &x.orders[0]
	if hard {
		t = &x.orders[1]
	}
	t.once.Do(func() {
		t.wave = make([]int32, x.Len())
		t.cs = x.topoWaves(hard, t.wave)
		t.cs.byWave(t.wave)
	})
	return t.cs
}

// Prepare makes the topological orders that the order and the objectives
// start from, so that the first question does not wait for them.
func (x *Index) Prepare() {
	x.topo(false)
	x.topo(true)
}

// topoOrder is a topological order computed once per index, when first
// asked for: the index never changes, so neither does its order.
type topoOrder struct {
	once sync.Once
	cs   *components
	wave []int32 // of the nodes peeled by Kahn's algorithm
}

// byWave reorders the peeled components by wave and, within a wave, by
// node: still dependencies first, and a walk in this order reads and
// writes the per-node arrays front to back instead of all over them.
func (cs *components) byWave(wave []int32) {
	peeled := cs.members[:cs.peeled]
	start := []int{}
	for _, v := range peeled {
		for int(wave[v]) >= len(start) {
			start = append(start, 0)
		}
		start[wave[v]]++
	}
	for w, sum := 0, 0; w < len(start); w++ {
		start[w], sum = sum, sum+start[w]
	}
	for v := range uint32(len(cs.of)) { // in node order: every peeled node once
		if int(cs.of[v]) >= cs.peeled {
			continue
		}
		i := start[wave[v]]
		start[wave[v]]++
		peeled[i], cs.of[v] = v, int32(i)
	}
}

// topoWaves is topo, filling in the recovery wave of every node that is in
// no cycle and needs none, when wave is not nil: one more than the highest
// wave of what it needs, known by the time Kahn's algorithm places it.
func (x *Index) topoWaves(hard bool, wave []int32) *components {
	n := x.Len()
	count := make([]uint32, n) // dependencies not yet placed
	for v := range uint32(n) {
		lo, hi := x.entries(v)
		for e := lo; e < hi; e++ {
			if hard && x.flags[e]&flagSoft != 0 {
				continue
			}
			count[v] += uint32(x.pointers(e))
		}
	}
	cs := &components{members: make([]uint32, 0, n), at: make([]uint32, 1, n+1), of: make([]int32, n)}
	for v := range uint32(n) {
		if count[v] == 0 {
			cs.add(v)
		}
	}
	for i := 0; i < len(cs.members); i++ {
		d := cs.members[i]
		for u := x.userAt[d]; u < x.userAt[d+1]; u++ {
			s, flags := x.user(u)
			if hard && flags&flagSoft != 0 {
				continue
			}
			if count[s] > 0 {
				if wave != nil {
					wave[s] = max(wave[s], wave[d]+1)
				}
				if count[s]--; count[s] == 0 {
					cs.add(s)
				}
			}
		}
	}
	cs.peeled = cs.len()
	if len(cs.members) == n {
		return cs
	}
	rest := x.components(func(v uint32) bool { return count[v] > 0 }, hard)
	for c := range rest.len() {
		start := len(cs.members)
		cs.members = append(cs.members, rest.get(c)...)
		cs.at = append(cs.at, uint32(len(cs.members)))
		for _, v := range cs.members[start:] {
			cs.of[v] = int32(cs.len() - 1)
		}
	}
	return cs
}

// pointers counts the services entry e points at.
func (x *Index) pointers(e uint32) int {
	if t := x.target[e]; t < 0 {
		members, _ := x.group(t)
		return len(members)
	}
	return 1
}

// add appends a component of one node.
func (cs *components) add(v uint32) {
	cs.of[v] = int32(cs.len())
	cs.members = append(cs.members, v)
	cs.at = append(cs.at, uint32(len(cs.members)))
}

// components finds the strongly connected components of the nodes for
// which in is true (all nodes when in is nil), with Tarjan's algorithm
// without recursion, following every dependency or, with hard, only hard
// ones. Components come dependencies first: every component a component
// depends on comes before it.
func (x *Index) components(in func(uint32) bool, hard bool) *components {
	n := x.Len()
	cs := &components{at: []uint32{0}, of: make([]int32, n)}
	index := make([]int32, n) // 0: not visited; else visit order + 1
	low := make([]int32, n)
	onStack := make([]bool, n)
	var stack []uint32
	type frame struct {
		node      uint32
		entry     uint32 // next entry to look at
		member    int    // next member of that entry's group
		neighbour int32  // the neighbour being visited, -1 for none
	}
	var calls []frame
	next := int32(0)
	for root := range uint32(n) {
		if index[root] != 0 || (in != nil && !in(root)) {
			continue
		}
		calls = append(calls, frame{node: root, entry: x.entryAt[root], neighbour: -1})
		next++
		index[root], low[root] = next, next
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.neighbour >= 0 { // back from a visit
				low[f.node] = min(low[f.node], low[f.neighbour])
				f.neighbour = -1
			}
			w, ok := x.nextNeighbour(&f.entry, &f.member, f.node, hard)
			for ok && in != nil && !in(w) {
				w, ok = x.nextNeighbour(&f.entry, &f.member, f.node, hard)
			}
			if ok {
				switch {
				case index[w] == 0:
					f.neighbour = int32(w)
					next++
					index[w], low[w] = next, next
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{node: w, entry: x.entryAt[w], neighbour: -1})
				case onStack[w]:
					low[f.node] = min(low[f.node], index[w])
				}
				continue
			}
			v := f.node
			calls = calls[:len(calls)-1]
			if low[v] != index[v] {
				continue
			}
			start := len(cs.members)
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				cs.of[w] = int32(cs.len())
				cs.members = append(cs.members, w)
				if w == v {
					break
				}
			}
			slices.Sort(cs.members[start:])
			cs.at = append(cs.at, uint32(len(cs.members)))
		}
	}
	return cs
}

// nextNeighbour steps through the neighbours of node n: the targets of its
// entries and the members of its groups, of hard entries only with hard.
func (x *Index) nextNeighbour(entry *uint32, member *int, n uint32, hard bool) (uint32, bool) {
	for *entry < x.entryAt[n+1] {
		if hard && x.flags[*entry]&flagSoft != 0 {
			*entry++
			continue
		}
		t := x.target[*entry]
		if t >= 0 {
			*entry++
			return uint32(t), true
		}
		members, _ := x.group(t)
		if *member < len(members) {
			*member++
			return members[*member-1], true
		}
		*entry++
		*member = 0
	}
	return 0, false
}

// order makes the waves of the nodes in (all when nil): a component's wave
// is one more than the highest wave among the components it depends on.
func (x *Index) order(in func(uint32) bool) *Order {
	wave := make([]int32, x.Len())
	var cs *components
	if in == nil {
		cs = x.topo(false)
		copy(wave, x.orders[0].wave) // the waves of peeled nodes
	} else {
		cs = x.components(in, false)
	}
	o := &Order{}
	for c := cs.peeled; c < cs.len(); c++ {
		members := cs.get(c)
		w := int32(0)
		for _, n := range members {
			x.neighbours(n, func(t uint32) {
				if (in == nil || in(t)) && cs.of[t] != int32(c) {
					w = max(w, wave[t]+1)
				}
			})
		}
		for _, n := range members {
			wave[n] = w
		}
		if len(members) > 1 {
			o.Cycles = append(o.Cycles, members)
		}
	}
	o.Waves = bucket(x.Len(), wave, func(n uint32) bool { return in == nil || in(n) })
	slices.SortFunc(o.Cycles, func(a, b []uint32) int { return int(a[0]) - int(b[0]) })
	return o
}

// bucket groups the nodes by wave, each wave in node order.
func bucket(n int, wave []int32, in func(uint32) bool) [][]uint32 {
	size := []int{}
	for v := range uint32(n) {
		if in(v) {
			for int(wave[v]) >= len(size) {
				size = append(size, 0)
			}
			size[wave[v]]++
		}
	}
	waves := make([][]uint32, len(size))
	for w, k := range size {
		waves[w] = make([]uint32, 0, k)
	}
	for v := range uint32(n) {
		if in(v) {
			waves[wave[v]] = append(waves[wave[v]], v)
		}
	}
	return waves
}

// Order is the recovery order of the whole model, as after a total loss.
func (x *Index) Order() *Order { return x.order(nil) }

// RecoveryWaves orders the failed and down services of an impact.
func (im *Impact) RecoveryWaves() [][]uint32 {
	set := make(map[uint32]bool, len(im.Failed)+len(im.Impacted))
	for _, f := range im.Failed {
		set[f] = true
	}
	for _, h := range im.Impacted {
		if h.State == Down {
			set[h.Node] = true
		}
	}
	return im.x.orderOf(set).Waves
}

// orderOf orders a small set of nodes without walking the whole graph.
func (x *Index) orderOf(set map[uint32]bool) *Order {
	nodes := make([]uint32, 0, len(set))
	for n := range set {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	sub := x.subgraph(nodes)
	o := sub.order(nil)
	for _, w := range o.Waves {
		for i := range w {
			w[i] = nodes[w[i]]
		}
	}
	for _, c := range o.Cycles {
		for i := range c {
			c[i] = nodes[c[i]]
		}
	}
	return o
}

// subgraph indexes the dependencies among some nodes (sorted) as plain
// edges, numbered by their position in nodes.
func (x *Index) subgraph(nodes []uint32) *Index {
	sub := &Index{entryAt: make([]uint32, 1, len(nodes)+1), tier: make([]int8, len(nodes))}
	for i, n := range nodes {
		x.neighbours(n, func(t uint32) {
			if j, ok := slices.BinarySearch(nodes, t); ok {
				sub.target = append(sub.target, int32(j))
				sub.source = append(sub.source, uint32(i))
			}
		})
		sub.entryAt = append(sub.entryAt, uint32(len(sub.target)))
	}
	sub.flags = make([]uint8, len(sub.target))
	sub.buildUsers()
	return sub
}
