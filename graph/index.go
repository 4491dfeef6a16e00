// Package graph is Lifeboat's in-memory dependency engine: a compact index
// of the services and their dependencies, and the questions asked of it:
// what goes down when something fails, in what order to recover, which
// objectives hold through whole chains, and where the weak spots are.
//
// Nodes are numbered densely in id order, so that a sorted list of nodes is
// a list sorted by id. Adjacency is kept in both directions as flat arrays
// (CSR): the dependency entries of a node, and for each node the entries
// that point at it, as a target or as a member of a redundancy group.
package graph

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"unsafe"

	"github.com/lifeboat-itscm/lifeboat"
)

// None marks a duration that is not known.
const None = ^uint32(0)

// kindVendor is the kind number of vendors.
var kindVendor = uint8(slices.Index(lifeboat.Kinds, lifeboat.KindVendor))

// Entry flags.
const (
	flagSoft       = 1 << iota // losing the dependency degrades, not downs
	flagWorkaround             // a workaround covers it for a while
	flagGroup                  // the entry is a redundancy group (in user slots only)
)

// slotFlagBits are the bits of a user slot that hold the entry's flags.
const (
	slotFlagBits = 3
	slotFlags    = 1<<slotFlagBits - 1
)

// MaxNodes is the most services an index holds: a user slot keeps a node
// number beside three flag bits.
const MaxNodes = 1 << (32 - slotFlagBits)

// Index is an immutable snapshot of the dependency graph.
type Index struct {
	scale  *lifeboat.ImpactScale
	names  []byte   // every id, concatenated in node order
	nameAt []uint32 // node i's id is names[nameAt[i]:nameAt[i+1]]
	// What the walks over the whole graph read of every node is kept apart
	// from the rest, small enough to stay in the processor's caches.
	kind    []uint8  // index into lifeboat.Kinds
	tier    []int8   // -1 for none
	restore []uint32 // recovery.time, None when unknown
	// The other durations of a service are set for few: extra holds them
	// for those, extraOf[n] is n's place in it or -1.
	extra   []attrs
	extraOf []int32

	entryAt    []uint32 // node i's entries are entryAt[i] to entryAt[i+1]-1
	target     []int32  // per entry: the node depended on, or ^g for group g
	flags      []uint8  // per entry
	source     []uint32 // per entry while building: the node whose entry it is
	workaround map[uint32]uint32

	groupAt []uint32 // group g's members are members[groupAt[g]:groupAt[g+1]]
	members []uint32
	minUp   []uint16

	// The entries pointing at node i are the slots userAt[i] to
	// userAt[i+1]-1 of users. A slot packs what walking up the graph needs
	// into one word: the entry's flags in the low bits, and above them the
	// node the entry belongs to or, for a member of a redundancy group, the
	// group, whose node groupSrc holds. One array read in order thus serves
	// a walk up instead of jumping to each entry's own.
	userAt   []uint32
	users    []uint32
	groupSrc []uint32 // per group: the node whose entry it is

	// pool keeps the scratch memory of queries for reuse; it goes with the
	// index when a newer one replaces it.
	pool sync.Pool
	// orders are the topological orders over every dependency and over
	// hard ones, made the first time a question needs them.
	orders [2]topoOrder
}

// attrs are what the engine needs of a service besides its dependencies.
// Durations are seconds, None when not known.
type attrs struct {
	dataLoss    uint32 // recovery.data_loss
	rto, rpo    uint32 // the requested objectives: declared, or from the BIA
	mtpd        uint32
	contractRTO uint32
	contractRPO uint32
	rtoFromBIA  bool // rto comes from the BIA, not a declaration
	rpoFromBIA  bool
}

// Len is the number of nodes.
func (x *Index) Len() int { return len(x.tier) }

// Scale is the impact scale of the indexed model, the default one when the
// model has none.
func (x *Index) Scale() *lifeboat.ImpactScale { return x.scale }

// noAttrs are the attributes of a service that sets none.
var noAttrs = attrs{dataLoss: None, rto: None, rpo: None, mtpd: None, contractRTO: None, contractRPO: None}

// attr returns the attributes of node n; do not change them.
func (x *Index) attr(n uint32) *attrs {
	if i := x.extraOf[n]; i >= 0 {
		return &x.extra[i]
	}
	return &noAttrs
}

// Entries is the number of dependency entries.
func (x *Index) Entries() int { return len(x.target) }

// ID returns the id of node n.
func (x *Index) ID(n uint32) string { return string(x.names[x.nameAt[n]:x.nameAt[n+1]]) }

// Lookup returns the node of an id.
func (x *Index) Lookup(id string) (uint32, bool) {
	lo, hi := 0, x.Len()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if string(x.names[x.nameAt[mid]:x.nameAt[mid+1]]) < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < x.Len() && x.ID(uint32(lo)) == id {
		return uint32(lo), true
	}
	return 0, false
}

// Kind returns the kind of node n.
func (x *Index) Kind(n uint32) lifeboat.Kind { return lifeboat.Kinds[x.kind[n]] }

// Tier returns the tier of node n, or -1.
func (x *Index) Tier(n uint32) int { return int(x.tier[n]) }

// entries returns the range of node n's entries.
func (x *Index) entries(n uint32) (uint32, uint32) { return x.entryAt[n], x.entryAt[n+1] }

// group returns the members and min_up of the group of an entry.
func (x *Index) group(g int32) ([]uint32, int) {
	i := ^g
	return x.members[x.groupAt[i]:x.groupAt[i+1]], int(x.minUp[i])
}

// Build indexes a model. Dependencies on services the model does not have
// are an error: check the model's references first.
func Build(m *lifeboat.Model) (*Index, error) {
	services := slices.Clone(m.Services)
	slices.SortFunc(services, func(a, b *lifeboat.Service) int { return cmp.Compare(a.ID, b.ID) })
	x := &Index{nameAt: make([]uint32, 1, len(services)+1), kind: make([]uint8, len(services)),
		tier: make([]int8, len(services)), restore: make([]uint32, len(services)), extraOf: make([]int32, len(services)),
		entryAt: make([]uint32, 1, len(services)+1), groupAt: []uint32{0}, workaround: map[uint32]uint32{}}
	if len(services) >= MaxNodes {
		return nil, fmt.Errorf("graph: %d services are more than an index holds (%d)", len(services), MaxNodes-1)
	}
	for i, s := range services {
		if i > 0 && services[i-1].ID == s.ID {
			return nil, fmt.Errorf("graph: service %q appears twice", s.ID)
		}
		x.names = append(x.names, s.ID...)
		x.nameAt = append(x.nameAt, uint32(len(x.names)))
	}
	// A map finds the targets of millions of dependencies several times
	// faster than searching the sorted ids; it lives only while building.
	pos := make(map[string]uint32, len(services))
	for i, s := range services {
		pos[s.ID] = uint32(i)
	}
	bias := make(map[string]*lifeboat.BIA, len(m.BIAs))
	for _, b := range m.BIAs {
		bias[b.Service] = b
	}
	scale := m.Scale()
	x.scale = scale
	for i, s := range services {
		x.extraOf[i] = -1
		if a := nodeAttrs(s, bias[s.ID], scale); a != noAttrs {
			x.extraOf[i] = int32(len(x.extra))
			x.extra = append(x.extra, a)
		}
		x.kind[i], x.tier[i], x.restore[i] = uint8(slices.Index(lifeboat.Kinds, s.Kind)), -1, None
		if s.Tier != nil {
			x.tier[i] = int8(*s.Tier)
		}
		if s.Recovery != nil {
			x.restore[i] = seconds(s.Recovery.Time)
		}
		if err := x.addEntries(uint32(i), s, pos); err != nil {
			return nil, err
		}
		x.entryAt = append(x.entryAt, uint32(len(x.target)))
	}
	if len(x.minUp) >= MaxNodes {
		return nil, fmt.Errorf("graph: %d redundancy groups are more than an index holds (%d)", len(x.minUp), MaxNodes-1)
	}
	x.buildUsers()
	return x, nil
}

// addEntries indexes the dependencies of node n.
func (x *Index) addEntries(n uint32, s *lifeboat.Service, pos map[string]uint32) error {
	node := func(id string) (uint32, error) {
		t, ok := pos[id]
		if !ok {
			return 0, fmt.Errorf("graph: service %q depends on %q, which the model does not have", s.ID, id)
		}
		return t, nil
	}
	for _, d := range s.DependsOn {
		e := uint32(len(x.target))
		var f uint8
		if d.Soft() {
			f |= flagSoft
		}
		if d.Workaround != nil {
			f |= flagWorkaround
			x.workaround[e] = clampSeconds(*d.Workaround)
		}
		if !d.IsGroup() {
			t, err := node(d.On)
			if err != nil {
				return err
			}
			x.target = append(x.target, int32(t))
		} else {
			for _, id := range d.AnyOf {
				t, err := node(id)
				if err != nil {
					return err
				}
				x.members = append(x.members, t)
			}
			x.groupAt = append(x.groupAt, uint32(len(x.members)))
			x.minUp = append(x.minUp, uint16(max(1, d.MinUp)))
			x.target = append(x.target, ^int32(len(x.minUp)-1))
		}
		x.flags = append(x.flags, f)
		x.source = append(x.source, n)
	}
	return nil
}

// buildUsers makes the reverse adjacency: for each node, the entries that
// point at it, by counting then filling.
func (x *Index) buildUsers() {
	count := make([]uint32, x.Len()+1)
	x.eachPointer(func(_ uint32, t uint32) { count[t+1]++ })
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	x.userAt = slices.Clone(count)
	x.users = make([]uint32, count[len(count)-1])
	x.groupSrc = make([]uint32, len(x.minUp))
	x.eachPointer(func(e uint32, t uint32) {
		slot := x.source[e]<<slotFlagBits | uint32(x.flags[e])
		if g := x.target[e]; g < 0 {
			x.groupSrc[^g] = x.source[e]
			slot = uint32(^g)<<slotFlagBits | uint32(x.flags[e]) | flagGroup
		}
		x.users[count[t]] = slot
		count[t]++
	})
	x.source = nil // the users hold what walks need of it
}

// user returns the node that user slot u belongs to and the flags of its
// entry.
func (x *Index) user(u uint32) (uint32, uint8) {
	slot := x.users[u]
	if slot&flagGroup != 0 {
		return x.groupSrc[slot>>slotFlagBits], uint8(slot & slotFlags)
	}
	return slot >> slotFlagBits, uint8(slot & slotFlags)
}

// eachPointer calls fn for every entry and node it points at.
func (x *Index) eachPointer(fn func(e, t uint32)) {
	for e, t := range x.target {
		if t >= 0 {
			fn(uint32(e), uint32(t))
			continue
		}
		members, _ := x.group(t)
		for _, m := range members {
			fn(uint32(e), m)
		}
	}
}

func nodeAttrs(s *lifeboat.Service, b *lifeboat.BIA, scale *lifeboat.ImpactScale) attrs {
	a := noAttrs
	if r := s.Recovery; r != nil {
		a.dataLoss = seconds(r.DataLoss)
	}
	if c := s.Contract; c != nil {
		a.contractRTO, a.contractRPO = seconds(c.RTO), seconds(c.RPO)
	}
	if o := s.Objectives; o != nil {
		a.rto, a.rpo, a.mtpd = seconds(o.RTO), seconds(o.RPO), seconds(o.MTPD)
	}
	if b != nil {
		if mtpd, ok := b.MTPD(scale); ok && a.mtpd == None {
			a.mtpd = clampSeconds(mtpd)
		}
		if rto, ok := b.DerivedRTO(scale); ok && a.rto == None {
			a.rto, a.rtoFromBIA = clampSeconds(rto), true
		}
		if b.RPO != nil && a.rpo == None {
			a.rpo, a.rpoFromBIA = clampSeconds(*b.RPO), true
		}
	}
	return a
}

func seconds(d *lifeboat.Duration) uint32 {
	if d == nil {
		return None
	}
	return clampSeconds(*d)
}

func clampSeconds(d lifeboat.Duration) uint32 { return uint32(min(int64(d), int64(None-1))) }

// Bytes is the memory the index holds, about.
func (x *Index) Bytes() int {
	return len(x.names) + 4*(len(x.nameAt)+len(x.entryAt)+len(x.target)+len(x.groupAt)+len(x.members)+len(x.userAt)+len(x.users)+len(x.groupSrc)) +
		len(x.flags) + 2*len(x.minUp) + len(x.extra)*int(unsafe.Sizeof(attrs{})) + 4*len(x.extraOf) + len(x.kind) + len(x.tier) + 4*len(x.restore) + 16*len(x.workaround)
}

// EachHardEdge calls fn for every hard dependency on a single service
// without a workaround: from depends on to.
func (x *Index) EachHardEdge(fn func(from, to uint32)) {
	for n := range uint32(x.Len()) {
		lo, hi := x.entries(n)
		for e := lo; e < hi; e++ {
			if t := x.target[e]; t >= 0 && x.flags[e] == 0 {
				fn(n, uint32(t))
			}
		}
	}
}
