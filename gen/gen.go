// Package gen generates seeded, believable catalogs for benchmarks and
// property tests: the same seed gives the same catalog on any machine.
package gen

import (
	"fmt"
	"math/rand/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

// Shape is how services depend on each other.
type Shape int

const (
	// Layered is shaped like a CMDB: business services depend on
	// applications, applications on data stores and infrastructure,
	// infrastructure on networks and sites, with shared hubs and
	// redundancy groups.
	Layered Shape = iota
	// Uniform draws dependencies among all services at random, cycles
	// included.
	Uniform
)

// layer is one band of the layered shape: a kind, its share of the
// services, and how many dependencies each member has on lower layers.
type layer struct {
	kind  lifeboat.Kind
	share float64
	deps  int
}

// layers run from the ground up; each depends only on the layers below.
var layers = []layer{
	{lifeboat.KindSite, 0.001, 0},
	{lifeboat.KindVendor, 0.004, 0},
	{lifeboat.KindNetwork, 0.015, 1},
	{lifeboat.KindInfrastructure, 0.18, 3},
	{lifeboat.KindDataStore, 0.15, 4},
	{lifeboat.KindApplication, 0.55, 6},
	{lifeboat.KindBusinessService, 0.10, 7},
}

// Teams returns n teams named team-0000 upward.
func Teams(n int) []*lifeboat.Team {
	out := make([]*lifeboat.Team, n)
	for i := range out {
		out[i] = &lifeboat.Team{ID: fmt.Sprintf("team-%04d", i), Name: fmt.Sprintf("Team %d", i)}
	}
	return out
}

// Catalog returns n services in dependency order (every service comes after
// the services it depends on, except in the uniform shape), owned by teams
// team-0000 to team-(teams-1). About 5 dependencies per service.
func Catalog(seed uint64, n, teams int, shape Shape) []*lifeboat.Service {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	if shape == Uniform {
		return uniform(rng, n, teams)
	}
	out := make([]*lifeboat.Service, 0, n)
	var bounds []int // start of each layer in out
	for li, l := range layers {
		count := max(1, int(float64(n)*l.share))
		if li == len(layers)-1 {
			count = max(1, n-len(out))
		}
		bounds = append(bounds, len(out))
		for range count {
			s := newService(rng, len(out), l.kind, teams)
			if li > 0 {
				addLayeredDeps(rng, s, out[:bounds[li]], l.deps)
			}
			out = append(out, s)
		}
	}
	return out
}

func newService(rng *rand.Rand, i int, kind lifeboat.Kind, teams int) *lifeboat.Service {
	s := &lifeboat.Service{ID: fmt.Sprintf("%s-%07d", kind, i), Name: fmt.Sprintf("%s %d", kind, i), Kind: kind}
	if teams > 0 {
		s.Owner = fmt.Sprintf("team-%04d", rng.IntN(teams))
	}
	if rng.IntN(4) > 0 {
		t := rng.IntN(5)
		s.Tier = &t
	}
	if rng.IntN(3) == 0 {
		s.Tags = []string{[]string{"pci", "customer-facing", "internal", "gdpr", "batch"}[rng.IntN(5)]}
	}
	if kind == lifeboat.KindVendor {
		rto := lifeboat.Duration(3600 * (1 + rng.IntN(24)))
		s.Contract = &lifeboat.Contract{RTO: &rto, Reference: fmt.Sprintf("MSA-%d", i)}
	}
	rt := lifeboat.Duration(60 * (5 + rng.IntN(240)))
	s.Recovery = &lifeboat.Recovery{Time: &rt}
	return s
}

// addLayeredDeps picks dependencies below the service, favouring a few hubs
// (the first services of the lower layers) as real CMDBs do, and turning
// some pairs into redundancy groups.
func addLayeredDeps(rng *rand.Rand, s *lifeboat.Service, below []*lifeboat.Service, want int) {
	seen := map[string]bool{}
	pick := func() string {
		var j int
		if rng.IntN(10) == 0 {
			j = rng.IntN(min(len(below), 50)) // a hub
		} else {
			j = len(below) - 1 - rng.IntN(len(below)) // anywhere below
		}
		return below[j].ID
	}
	for range want * 3 {
		if len(s.DependsOn) >= want {
			break
		}
		a := pick()
		if seen[a] {
			continue
		}
		if rng.IntN(8) == 0 {
			b := pick()
			if b != a && !seen[b] {
				seen[a], seen[b] = true, true
				s.DependsOn = append(s.DependsOn, lifeboat.Dependency{AnyOf: []string{a, b}, MinUp: 1})
				continue
			}
		}
		seen[a] = true
		d := lifeboat.Dependency{On: a}
		if rng.IntN(6) == 0 {
			d.Impact = lifeboat.ImpactDegraded
		}
		s.DependsOn = append(s.DependsOn, d)
	}
}

func uniform(rng *rand.Rand, n, teams int) []*lifeboat.Service {
	out := make([]*lifeboat.Service, n)
	for i := range out {
		out[i] = newService(rng, i, lifeboat.Kinds[rng.IntN(len(lifeboat.Kinds)-1)], teams)
		out[i].ID = fmt.Sprintf("svc-%07d", i)
	}
	if n < 2 {
		return out
	}
	for i, s := range out {
		seen := map[int]bool{i: true}
		for range 5 {
			j := rng.IntN(n)
			if seen[j] {
				continue
			}
			seen[j] = true
			s.DependsOn = append(s.DependsOn, lifeboat.Dependency{On: out[j].ID})
		}
	}
	return out
}
