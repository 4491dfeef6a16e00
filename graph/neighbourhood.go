package graph

import (
	"fmt"
	"slices"
)

// Neighbourhood is the part of the graph around one service that a graph
// view draws: what it needs some levels down and what needs it some levels
// up, capped so that a view of a hub never tries to draw a million nodes.
type Neighbourhood struct {
	Center string              `json:"center"`
	Nodes  []NeighbourhoodNode `json:"nodes"`
	Groups []NeighbourhoodGrp  `json:"groups"`
	Edges  []NeighbourhoodEdge `json:"edges"`
	// Truncated says the cap left services out; the nodes at the edge of
	// the view count what is missing behind them.
	Truncated bool `json:"truncated"`
}

// NeighbourhoodNode is one service of a view.
type NeighbourhoodNode struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Tier *int   `json:"tier"`
	// Level is 0 for the centre, positive for what it needs (1 for its
	// dependencies), negative for what needs it.
	Level int `json:"level"`
	// MoreBelow and MoreAbove count dependencies and dependents left out.
	MoreBelow int `json:"more_below"`
	MoreAbove int `json:"more_above"`
}

// NeighbourhoodGrp is a redundancy group of a service in the view.
type NeighbourhoodGrp struct {
	ID    string `json:"id"`
	Of    string `json:"of"`
	MinUp int    `json:"min_up"`
	// Size counts all the members; Members lists those in the view.
	Size    int      `json:"size"`
	Members []string `json:"members"`
}

// NeighbourhoodEdge is a dependency: From needs To, a service or a group.
type NeighbourhoodEdge struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Soft       bool   `json:"soft,omitempty"`
	Workaround uint32 `json:"workaround_seconds,omitempty"`
}

// Neighbourhood collects the view around node n: down levels of
// dependencies, up levels of dependents, at most limit services.
func (x *Index) Neighbourhood(n uint32, up, down, limit int) *Neighbourhood {
	level := map[uint32]int{n: 0}
	order := []uint32{n}
	truncated := false
	spread := func(levels, sign int, next func(uint32, func(uint32))) {
		frontier := []uint32{n}
		for l := 1; l <= levels && len(frontier) > 0; l++ {
			var grown []uint32
			for _, v := range frontier {
				next(v, func(w uint32) {
					if _, seen := level[w]; seen {
						return
					}
					if len(order) >= limit {
						truncated = true
						return
					}
					level[w] = sign * l
					order = append(order, w)
					grown = append(grown, w)
				})
			}
			frontier = grown
		}
	}
	spread(down, 1, x.neighbours)
	spread(up, -1, x.dependents)
	v := &Neighbourhood{Center: x.ID(n), Truncated: truncated, Nodes: []NeighbourhoodNode{}, Groups: []NeighbourhoodGrp{}, Edges: []NeighbourhoodEdge{}}
	slices.Sort(order)
	for _, w := range order {
		v.Nodes = append(v.Nodes, x.viewNode(w, level))
		x.viewEdges(v, w, level)
	}
	return v
}

// dependents calls fn for every service that depends on n.
func (x *Index) dependents(n uint32, fn func(uint32)) {
	for u := x.userAt[n]; u < x.userAt[n+1]; u++ {
		src, _ := x.user(u)
		fn(src)
	}
}

func (x *Index) viewNode(n uint32, level map[uint32]int) NeighbourhoodNode {
	node := NeighbourhoodNode{ID: x.ID(n), Kind: string(x.Kind(n)), Level: level[n]}
	if t := x.Tier(n); t >= 0 {
		node.Tier = &t
	}
	x.neighbours(n, func(w uint32) {
		if _, in := level[w]; !in {
			node.MoreBelow++
		}
	})
	x.dependents(n, func(w uint32) {
		if _, in := level[w]; !in {
			node.MoreAbove++
		}
	})
	return node
}

// viewEdges adds the entries of node n whose targets are in the view; a
// group is drawn when any of its members is.
func (x *Index) viewEdges(v *Neighbourhood, n uint32, level map[uint32]int) {
	lo, hi := x.entries(n)
	for e := lo; e < hi; e++ {
		edge := NeighbourhoodEdge{From: x.ID(n), Soft: x.flags[e]&flagSoft != 0, Workaround: x.workaround[e]}
		if t := x.target[e]; t >= 0 {
			if _, in := level[uint32(t)]; in {
				edge.To = x.ID(uint32(t))
				v.Edges = append(v.Edges, edge)
			}
			continue
		}
		members, minUp := x.group(x.target[e])
		g := NeighbourhoodGrp{ID: fmt.Sprintf("%s#%d", x.ID(n), e-lo), Of: x.ID(n), MinUp: minUp, Size: len(members)}
		for _, m := range members {
			if _, in := level[m]; in {
				g.Members = append(g.Members, x.ID(m))
			}
		}
		if len(g.Members) > 0 {
			v.Groups = append(v.Groups, g)
			edge.To = g.ID
			v.Edges = append(v.Edges, edge)
		}
	}
}
