package graph

import "slices"

// Source says where a requirement comes from.
type Source uint8

// The sources of a requirement.
const (
	SourceNone Source = iota
	SourceDeclared
	SourceBIA
	SourceInherited
)

func (s Source) String() string { return [...]string{"none", "declared", "bia", "inherited"}[s] }

// Requirement is a recovery objective in effect for a service: what it
// asks itself, or the strictest of what needs it.
type Requirement struct {
	Seconds uint32 // None when nothing asks anything of the service
	Source  Source
	// From is the service the requirement was set on, the service itself
	// unless inherited.
	From uint32
}

// Objectives are the objectives of every service through the chains of
// dependencies: requirements flowing down, capabilities flowing up.
type Objectives struct {
	x *Index
	// req holds each node's RTO and RPO side by side: they pass down the
	// same entries, and one cache line then serves both.
	req []requirements
	// Achievable is the earliest each service can be back after a total
	// loss: its own restore time after its slowest hard dependency.
	Achievable []uint32
	// Via is the dependency on the slowest chain behind Achievable, or the
	// node itself at the end of the chain.
	Via []uint32
}

// Objectives computes the effective objectives of every service.
func (x *Index) Objectives() *Objectives {
	cs := x.topo(true) // requirements and capabilities pass hard dependencies only
	o := &Objectives{x: x, req: make([]requirements, x.Len()),
		Achievable: make([]uint32, x.Len()), Via: make([]uint32, x.Len())}
	for n := range uint32(x.Len()) {
		a := x.attr(n)
		o.req[n] = requirements{need{a.rto, n}, need{a.rpo, n}}
	}
	o.flowDown(cs)
	o.flowUp(cs)
	return o
}

// requirements are the RTO and RPO in effect for one node, kept small so
// that more of them stay in the caches while they pass down.
type requirements struct{ rto, rpo need }

// need is a requirement in effect for a node: the seconds, and the node
// that set them, which is the node itself unless it inherited them.
type need struct{ seconds, from uint32 }

// RTO is the recovery time objective in effect for node n.
func (o *Objectives) RTO(n uint32) Requirement {
	return requirement(n, o.req[n].rto, o.x.attr(n).rtoFromBIA)
}

// RPO is the recovery point objective in effect for node n.
func (o *Objectives) RPO(n uint32) Requirement {
	return requirement(n, o.req[n].rpo, o.x.attr(n).rpoFromBIA)
}

func requirement(n uint32, r need, fromBIA bool) Requirement {
	switch {
	case r.seconds == None:
		return Requirement{Seconds: None, Source: SourceNone, From: n}
	case r.from != n:
		return Requirement{Seconds: r.seconds, Source: SourceInherited, From: r.from}
	case fromBIA:
		return Requirement{Seconds: r.seconds, Source: SourceBIA, From: n}
	}
	return Requirement{Seconds: r.seconds, Source: SourceDeclared, From: n}
}

// flowDown passes each service's requirements to what it needs through
// hard dependencies (soft ones only degrade it): dependents come before
// their dependencies in reverse component order, and a cycle shares its
// strictest requirement. RTO and RPO pass in one walk, since they follow
// the same entries.
func (o *Objectives) flowDown(cs *components) {
	for c := cs.len() - 1; c >= 0; c-- {
		members := cs.get(c)
		rto, rpo := o.req[members[0]].rto, o.req[members[0]].rpo
		rtoAt, rpoAt := members[0], members[0]
		for _, m := range members[1:] {
			r := o.req[m]
			if stricter(r.rto, rto, rtoAt) {
				rto, rtoAt = r.rto, m
			}
			if stricter(r.rpo, rpo, rpoAt) {
				rpo, rpoAt = r.rpo, m
			}
		}
		if rto.seconds == None && rpo.seconds == None {
			continue
		}
		if len(members) > 1 {
			for _, m := range members {
				o.take(m, rto, rpo)
			}
		}
		for _, m := range members {
			o.passDown(m, rto, rpo)
		}
	}
}

// take gives node n the requirements that are stricter than its own.
func (o *Objectives) take(n uint32, rto, rpo need) {
	r := &o.req[n]
	if stricter(rto, r.rto, n) {
		r.rto = rto
	}
	if stricter(rpo, r.rpo, n) {
		r.rpo = rpo
	}
}

// stricter reports whether requirement a wins over b, which node at holds:
// it asks for less time, or as little and comes from a service earlier in
// id order, so that the service named does not depend on the order of the
// walk. A service's own requirement is never replaced by an equal one it
// inherits.
func stricter(a, b need, at uint32) bool {
	if a.seconds != b.seconds {
		return a.seconds < b.seconds
	}
	return b.from != at && a.from < b.from
}

// passDown gives requirements to every service node n needs to be up:
// the targets of its hard entries and the members of its hard groups.
func (o *Objectives) passDown(n uint32, rto, rpo need) {
	x := o.x
	lo, hi := x.entries(n)
	for e := lo; e < hi; e++ {
		if x.flags[e]&flagSoft != 0 {
			continue
		}
		if t := x.target[e]; t >= 0 {
			o.take(uint32(t), rto, rpo)
			continue
		}
		members, _ := x.group(x.target[e])
		for _, m := range members {
			o.take(m, rto, rpo)
		}
	}
}

// flowUp computes achievable recovery times, dependencies first. A vendor
// is back when its contract says; any other service after its own restore
// time (0 when unknown) following the slowest hard entry: a single
// dependency's time, a group's min_up-th fastest member, and nothing for a
// dependency a workaround covers for at least as long. Members of a cycle
// are back together, at the latest of their times.
func (o *Objectives) flowUp(cs *components) {
	var b buffers
	for c := range cs.len() {
		members := cs.get(c)
		latest, latestVia := uint32(0), members[0]
		for _, n := range members {
			o.Achievable[n], o.Via[n] = o.capability(cs, c, n, &b)
			if o.Achievable[n] >= latest {
				latest, latestVia = o.Achievable[n], o.Via[n]
			}
		}
		if len(members) > 1 {
			for _, n := range members {
				o.Achievable[n], o.Via[n] = latest, latestVia
			}
		}
	}
}

// buffers are reused while computing capabilities, to not allocate per
// redundancy group.
type buffers struct{ times, sorted []uint32 }

// capability is the achievable time of node n of component c.
func (o *Objectives) capability(cs *components, c int, n uint32, b *buffers) (uint32, uint32) {
	x := o.x
	if a := x.attr(n); x.kind[n] == kindVendor && a.contractRTO != None {
		return a.contractRTO, n
	}
	base := x.restore[n]
	if base == None {
		base = 0
	}
	slowest, via := uint32(0), n
	lo, hi := x.entries(n)
	for e := lo; e < hi; e++ {
		if x.flags[e]&flagSoft != 0 {
			continue
		}
		wait, t := o.entryTime(cs, c, e, b)
		if x.flags[e]&flagWorkaround != 0 && wait <= x.workaround[e] {
			continue // the workaround bridges the wait
		}
		if wait > slowest {
			slowest, via = wait, t
		}
	}
	return saturatingAdd(base, slowest), via
}

// entryTime is how long entry e of a node in component c keeps it waiting,
// and the service that sets the wait. Dependencies inside the component
// do not count: the cycle is recovered together.
func (o *Objectives) entryTime(cs *components, c int, e uint32, b *buffers) (uint32, uint32) {
	x := o.x
	if t := x.target[e]; t >= 0 {
		return o.wait(cs, c, uint32(t)), uint32(t)
	}
	members, minUp := x.group(x.target[e])
	b.times = b.times[:0]
	for _, m := range members {
		b.times = append(b.times, o.wait(cs, c, m))
	}
	b.sorted = append(b.sorted[:0], b.times...)
	slices.Sort(b.sorted)
	k := b.sorted[min(minUp, len(b.sorted))-1]
	i := slices.Index(b.times, k)
	return k, members[i]
}

// wait is how long a node of component c waits for node t: its achievable
// time, or nothing inside the component.
func (o *Objectives) wait(cs *components, c int, t uint32) uint32 {
	if c >= cs.peeled && cs.of[t] == int32(c) { // a peeled node is in no cycle
		return 0
	}
	return o.Achievable[t]
}

func saturatingAdd(a, b uint32) uint32 {
	if s := a + b; s >= a && s != None {
		return s
	}
	return None - 1
}

// Chain returns the slowest chain behind a service's achievable time,
// from the bottom up, the service last.
func (o *Objectives) Chain(n uint32) []uint32 {
	chain := []uint32{n}
	for v := n; o.Via[v] != v && len(chain) <= o.x.Len(); v = o.Via[v] {
		if slices.Contains(chain, o.Via[v]) {
			break // a cycle shares its chain
		}
		chain = append(chain, o.Via[v])
	}
	slices.Reverse(chain)
	return chain
}
