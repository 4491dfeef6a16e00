package graph

import (
	"fmt"
	"slices"

	"github.com/lifeboat-itscm/lifeboat"
)

// The reports below are the JSON of `lifeboat impact`, `order` and
// `objectives` (format.md) and of their API equivalents: ids instead of
// node numbers, durations as whole seconds in fields ending in _seconds.

// ImpactReport answers "what if these fail".
type ImpactReport struct {
	Failed        []string     `json:"failed"`
	Impacted      []ImpactedAs `json:"impacted"`
	RecoveryWaves [][]string   `json:"recovery_waves"`
	// Down and Degraded count the impacted services, and Truncated says the
	// list holds only the first of them (the API caps it; the command line
	// never does).
	Down      int  `json:"down"`
	Degraded  int  `json:"degraded"`
	Truncated bool `json:"truncated,omitempty"`
	// The loss and recovery of the scenario, when a simulator tells them
	// (see ScenarioReport); absent from a bare impact.
	*ScenarioReport
}

// ImpactedAs is one service down or degraded, with one dependency path
// from a failed service to it.
type ImpactedAs struct {
	ID    string   `json:"id"`
	State string   `json:"state"`
	Via   []string `json:"via"`
	// What a scenario tells of a down service; nothing for a degraded one.
	Outlook
}

// LookupAll returns the nodes of ids, or an error naming those it does not
// have.
func (x *Index) LookupAll(ids []string) ([]uint32, error) {
	var nodes []uint32
	var missing []string
	for _, id := range ids {
		if n, ok := x.Lookup(id); ok {
			nodes = append(nodes, n)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("the model has no service %s", lifeboat.QuoteList(missing, 10))
	}
	return nodes, nil
}

// Report writes the impact with ids.
func (im *Impact) Report() *ImpactReport { return im.ReportFirst(len(im.Impacted)) }

// ReportFirst writes the impact with ids, listing at most limit impacted
// services (in id order) with their paths, and counting them all.
func (im *Impact) ReportFirst(limit int) *ImpactReport {
	x := im.x
	shown := im.Impacted[:min(limit, len(im.Impacted))]
	r := &ImpactReport{Failed: x.ids(im.Failed), Impacted: make([]ImpactedAs, len(shown)), RecoveryWaves: [][]string{},
		Truncated: len(shown) < len(im.Impacted)}
	for i, h := range shown {
		r.Impacted[i] = ImpactedAs{ID: x.ID(h.Node), State: h.State.String(), Via: x.ids(im.Path(h))}
	}
	for _, h := range im.Impacted {
		if h.State == Down {
			r.Down++
		} else {
			r.Degraded++
		}
	}
	for _, w := range im.RecoveryWaves() {
		r.RecoveryWaves = append(r.RecoveryWaves, x.ids(w))
	}
	return r
}

// OrderReport is the recovery order of the whole model.
type OrderReport struct {
	Waves  [][]string `json:"waves"`
	Cycles [][]string `json:"cycles"`
}

// Report writes the order with ids.
func (o *Order) Report(x *Index) *OrderReport {
	r := &OrderReport{Waves: [][]string{}, Cycles: [][]string{}}
	for _, w := range o.Waves {
		r.Waves = append(r.Waves, x.ids(w))
	}
	for _, c := range o.Cycles {
		r.Cycles = append(r.Cycles, x.ids(c))
	}
	return r
}

// ObjectivesReport lists the effective objectives of every service.
type ObjectivesReport struct {
	Services []ServiceObjectives `json:"services"`
}

// ServiceObjectives are one service's effective objectives. Fields beyond
// those of format.md: tier_source, rpo_source, rto_from and rpo_from (the
// service an inherited objective comes from), achievable_seconds.
type ServiceObjectives struct {
	ID         string  `json:"id"`
	Tier       *int    `json:"tier"`
	TierSource string  `json:"tier_source"`
	MTPD       *uint32 `json:"mtpd_seconds"`
	RTO        *uint32 `json:"rto_seconds"`
	RPO        *uint32 `json:"rpo_seconds"`
	Source     string  `json:"source"`
	RPOSource  string  `json:"rpo_source"`
	RTOFrom    string  `json:"rto_from,omitempty"`
	RPOFrom    string  `json:"rpo_from,omitempty"`
	Achievable uint32  `json:"achievable_seconds"`
}

// Report writes the objectives with ids, services sorted by id.
func (o *Objectives) Report() *ObjectivesReport {
	r := &ObjectivesReport{Services: make([]ServiceObjectives, o.x.Len())}
	for i := range uint32(o.x.Len()) {
		r.Services[i] = o.Service(i)
	}
	return r
}

// Service writes the objectives of node n with ids.
func (o *Objectives) Service(n uint32) ServiceObjectives {
	x := o.x
	rto, rpo := o.RTO(n), o.RPO(n)
	s := ServiceObjectives{ID: x.ID(n), MTPD: optional(x.attr(n).mtpd), RTO: optional(rto.Seconds),
		RPO: optional(rpo.Seconds), Source: rto.Source.String(), RPOSource: rpo.Source.String(), Achievable: o.Achievable[n]}
	if rto.Source == SourceInherited {
		s.RTOFrom = x.ID(rto.From)
	}
	if rpo.Source == SourceInherited {
		s.RPOFrom = x.ID(rpo.From)
	}
	s.Tier, s.TierSource = o.tier(n)
	return s
}

// tier is a service's declared tier, or the tier its RTO calls for: the
// slowest whose max_rto is still within the RTO, or the fastest there is.
func (o *Objectives) tier(n uint32) (*int, string) {
	if t := o.x.tier[n]; t >= 0 {
		v := int(t)
		return &v, SourceDeclared.String()
	}
	rto := o.RTO(n).Seconds
	tiers := o.x.scale.Tiers
	if rto == None || len(tiers) == 0 {
		return nil, SourceNone.String()
	}
	best := tiers[0].ID
	for _, t := range tiers {
		if int64(t.MaxRTO) <= int64(rto) {
			best = t.ID
		}
	}
	return &best, "derived"
}

func optional(s uint32) *uint32 {
	if s == None {
		return nil
	}
	return &s
}

func (x *Index) ids(nodes []uint32) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = x.ID(n)
	}
	return out
}
