package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// The graph explorer: a service's neighbourhood drawn as a layered graph by
// static/explorer.js from the neighbourhood API, with a failure simulation
// over the impact API. The page itself lists the same neighbourhood, so
// that it is useful without JavaScript.

// The explorer's choices. Levels beyond four and views beyond a few hundred
// services stop being readable, and the API caps views anyway.
var (
	explorerLevels = []int{1, 2, 3, 4}
	explorerLimits = []int{25, 50, 100, 200}
)

const (
	defaultUp, defaultDown, defaultLimit = 2, 3, 100
	// throughShown bounds the services named beside each one of the list.
	throughShown = 5
)

// explorerQuery is the view asked for in the URL; values that are not
// among the choices take the defaults.
type explorerQuery struct{ Up, Down, Limit int }

func readExplorerQuery(r *http.Request) explorerQuery {
	v := r.URL.Query()
	choice := func(name string, choices []int, def int) int {
		if n, err := strconv.Atoi(v.Get(name)); err == nil && slices.Contains(choices, n) {
			return n
		}
		return def
	}
	return explorerQuery{Up: choice("up", explorerLevels, defaultUp), Down: choice("down", explorerLevels, defaultDown),
		Limit: choice("limit", explorerLimits, defaultLimit)}
}

type explorerData struct {
	Service *lifeboat.Service
	Query   explorerQuery
	Levels  []int
	Limits  []int
	View    *graph.Neighbourhood
	// Down and Up are the neighbourhood as lists: what the service needs,
	// level by level, and what needs it.
	Down, Up []explorerLevel
	Shown    int // services in the view besides the centre
}

// explorerLevel is the services at one distance from the centre.
type explorerLevel struct {
	Distance int
	Nodes    []explorerNode
}

// explorerNode is one service of the list, with the services one level
// closer to the centre that link it to the view, and how many of its own
// neighbours further out the view leaves out.
type explorerNode struct {
	ID          string
	Kind        lifeboat.Kind
	Tier        *int
	Through     []string
	MoreThrough int
	More        int
}

// explorerPage shows a service's neighbourhood: the graph, drawn by the
// script, and the same services as lists.
func (s *Server) explorerPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	svc, err := s.Services.FindServiceByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	x, err := s.graph.Index(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	n, ok := x.Lookup(svc.ID)
	if !ok { // the index is at least as new as the service just read
		s.pageError(w, r, lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q not found", svc.ID))
		return
	}
	q := readExplorerQuery(r)
	v := x.Neighbourhood(n, q.Up, q.Down, q.Limit)
	d := explorerData{Service: svc, Query: q, Levels: explorerLevels, Limits: explorerLimits, View: v, Shown: len(v.Nodes) - 1}
	d.Down, d.Up = neighbourhoodLists(v)
	s.render(w, r, http.StatusOK, "explorer", page{Title: "Dependencies of " + svc.Name, Nav: "services", Data: d})
}

// neighbourhoodLists sorts a view's services by distance: dependencies
// level by level down, dependents level by level up, each with the
// services that link it to the level before.
func neighbourhoodLists(v *graph.Neighbourhood) (down, up []explorerLevel) {
	level := make(map[string]int, len(v.Nodes))
	for _, n := range v.Nodes {
		level[n.ID] = n.Level
	}
	members := make(map[string][]string, len(v.Groups))
	for _, g := range v.Groups {
		members[g.ID] = g.Members
	}
	needs := map[string][]string{}    // service -> the services of the view it needs
	neededBy := map[string][]string{} // service -> the services of the view that need it
	for _, e := range v.Edges {
		targets, isGroup := members[e.To]
		if !isGroup {
			targets = []string{e.To}
		}
		for _, t := range targets {
			needs[e.From] = append(needs[e.From], t)
			neededBy[t] = append(neededBy[t], e.From)
		}
	}
	for _, n := range v.Nodes { // sorted by id
		node := explorerNode{ID: n.ID, Kind: lifeboat.Kind(n.Kind), Tier: n.Tier}
		var list *[]explorerLevel
		var linked []string
		switch {
		case n.Level > 0:
			list, linked, node.More = &down, neededBy[n.ID], n.MoreBelow
		case n.Level < 0:
			list, linked, node.More = &up, needs[n.ID], n.MoreAbove
		default:
			continue
		}
		closer := n.Level - sign(n.Level)
		for _, id := range uniqueSorted(linked) {
			if level[id] != closer {
				continue
			}
			if len(node.Through) == throughShown {
				node.MoreThrough++
				continue
			}
			node.Through = append(node.Through, id)
		}
		dist := abs(n.Level)
		for len(*list) < dist {
			*list = append(*list, explorerLevel{Distance: len(*list) + 1})
		}
		(*list)[dist-1].Nodes = append((*list)[dist-1].Nodes, node)
	}
	return down, up
}

func uniqueSorted(ids []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

func abs(n int) int { return n * sign(n) }
