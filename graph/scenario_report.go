package graph

import (
	"math"

	"github.com/lifeboat-itscm/lifeboat"
)

// ScenarioReport is what a scenario adds to the impact report of
// `lifeboat impact` and POST /api/v1/impact, beyond the keys of format.md
// (see docs/engine.md). The totals count every failed and down service,
// also when the impacted list is cut.
type ScenarioReport struct {
	FailedServices []FailedAs      `json:"failed_services" nullable:"false" doc:"The failed services, in the order of failed, with what the scenario tells of each."`
	Loss           ScenarioLoss    `json:"loss" doc:"The loss of the whole scenario if nothing were recovered: summed over the failed and down services with a BIA; degraded services count none."`
	Recovery       RecoverySummary `json:"recovery" doc:"How the recovery of the failed and down services goes when it starts at once and follows the waves."`
	RTOMisses      []RTOMiss       `json:"rto_misses" nullable:"false" doc:"The failed and down services whose recovery estimate is beyond their effective RTO, by id; at most limit of them."`
}

// ScenarioLoss is the cumulative loss of a scenario at each horizon.
type ScenarioLoss struct {
	Currency string `json:"currency" doc:"ISO 4217 code of the impact scale."`
	At       LossAt `json:"at"`
	Services int    `json:"services" doc:"How many failed or down services have loss figures in their BIA."`
}

// LossAt is a loss at each horizon: once the outage has lasted an hour,
// four hours, a day, three days and a week. Amounts are rounded to cents.
type LossAt struct {
	H1 lifeboat.Amount `json:"1h"`
	H4 lifeboat.Amount `json:"4h"`
	D1 lifeboat.Amount `json:"1d"`
	D3 lifeboat.Amount `json:"3d"`
	W1 lifeboat.Amount `json:"1w"`
}

func lossAt(l [horizons]float64) LossAt {
	c := func(v float64) lifeboat.Amount { return lifeboat.Amount(math.Round(v*100) / 100) }
	return LossAt{H1: c(l[0]), H4: c(l[1]), D1: c(l[2]), D3: c(l[3]), W1: c(l[4])}
}

// Amounts are the losses in the order of Horizons.
func (l LossAt) Amounts() [horizons]lifeboat.Amount {
	return [...]lifeboat.Amount{l.H1, l.H4, l.D1, l.D3, l.W1}
}

// Outlook is what a scenario tells of one failed or down service; each
// part is absent when the model does not say it.
type Outlook struct {
	MTPD      *uint32 `json:"mtpd_seconds,omitempty" doc:"When the outage becomes intolerable: the declared MTPD, else the BIA's."`
	LossAt    *LossAt `json:"loss_at,omitempty" doc:"The service's cumulative loss from its BIA at each horizon."`
	Recovery  *uint32 `json:"recovery_seconds,omitempty" doc:"The estimate of when it can be back, from the failure; absent when a restore time it waits for is not known."`
	RTO       *uint32 `json:"rto_seconds,omitempty" doc:"Its effective RTO: declared, from the BIA or inherited."`
	MissesRTO *bool   `json:"misses_rto,omitempty" doc:"Whether it cannot be back within its RTO: the estimate, or without one the earliest it can be back, is beyond it; absent without an RTO, and without an estimate unless it is a miss."`
	AtLeast   *uint32 `json:"recovery_at_least_seconds,omitempty" doc:"Without an estimate: the earliest it can be back, from the restore times the model has."`
	Unknown   string  `json:"unknown_restore_time,omitempty" doc:"Without an estimate: a service it waits for, itself included, whose restore time is not in the model."`
}

// FailedAs is one failed service with its outlook.
type FailedAs struct {
	ID string `json:"id"`
	Outlook
}

// RecoverySummary counts the failed and down services by what their
// recovery estimate says.
type RecoverySummary struct {
	Estimated int     `json:"estimated" doc:"Services with an estimate."`
	Unknown   int     `json:"unknown" doc:"Services without one: a restore time they wait for is not in the model."`
	MissRTO   int     `json:"miss_rto" doc:"Services that cannot be back within their effective RTO; all of them, also when rto_misses is cut."`
	Latest    *uint32 `json:"latest_seconds,omitempty" doc:"The latest estimate: when every service with one is back."`
	// WithoutRestoreTime are the services whose missing restore time
	// leaves estimates unknown: what to add to the model first.
	WithoutRestoreTime []string `json:"without_restore_time" nullable:"false" doc:"The failed and down services without a restore time that estimates wait for, by id; at most limit of them."`
}

// RTOMiss is a service that cannot be back within its RTO, with the
// slowest chain of restores that makes it late.
type RTOMiss struct {
	ID       string   `json:"id"`
	Estimate uint32   `json:"estimate_seconds"`
	AtLeast  bool     `json:"at_least,omitempty" doc:"The estimate is only the earliest it can be back: a restore time it waits for is not in the model, and what is known already misses the RTO."`
	RTO      uint32   `json:"rto_seconds"`
	Chain    []string `json:"chain" doc:"From the service restored first to this one, each waiting for the one before."`
}

// Report writes the scenario with ids, listing everything.
func (sc *Scenario) Report() *ImpactReport {
	return sc.ReportFirst(len(sc.Set) + len(sc.Impact.Impacted))
}

// ReportFirst writes the scenario with ids: the impact report with at most
// limit impacted services, each down one with its outlook, and at most
// limit RTO misses with their chains; truncated says either list was cut.
// The loss and the counts are over the whole scenario.
func (sc *Scenario) ReportFirst(limit int) *ImpactReport {
	x := sc.sim.x
	r := sc.Impact.ReportFirst(limit)
	for i, h := range sc.Impact.Impacted[:len(r.Impacted)] {
		if p, ok := sc.place(h.Node); ok && h.State == Down {
			r.Impacted[i].Outlook = sc.outlook(p)
		}
	}
	sr := &ScenarioReport{FailedServices: make([]FailedAs, len(sc.Impact.Failed)), RTOMisses: []RTOMiss{},
		Loss:     ScenarioLoss{Currency: sc.sim.currency, At: lossAt(sc.Loss), Services: sc.Counted},
		Recovery: RecoverySummary{Estimated: len(sc.Set) - sc.Unknown, Unknown: sc.Unknown, MissRTO: len(sc.Misses)}}
	for i, n := range sc.Impact.Failed {
		p, _ := sc.place(n)
		sr.FailedServices[i] = FailedAs{ID: x.ID(n), Outlook: sc.outlook(p)}
	}
	if sr.Recovery.Estimated > 0 {
		sr.Recovery.Latest = &sc.Latest
	}
	for _, p := range sc.Misses[:min(limit, len(sc.Misses))] {
		n := sc.Set[p]
		_, known := sc.Estimate(int(p))
		sr.RTOMisses = append(sr.RTOMisses, RTOMiss{ID: x.ID(n), Estimate: sc.lo[p], AtLeast: !known, RTO: sc.sim.rto[n], Chain: x.ids(sc.Chain(int(p)))})
	}
	causes := sc.Causes()
	sr.Recovery.WithoutRestoreTime = x.ids(causes[:min(limit, len(causes))])
	r.Truncated = r.Truncated || len(sc.Misses) > limit || len(causes) > limit
	r.ScenarioReport = sr
	return r
}

// outlook is what the scenario tells of the service at place p.
func (sc *Scenario) outlook(p int) Outlook {
	n := sc.Set[p]
	o := Outlook{RTO: optional(sc.sim.rto[n])}
	if e, ok := sc.Estimate(p); ok {
		o.Recovery = &e
	} else {
		if lo := sc.AtLeast(p); lo > 0 {
			o.AtLeast = &lo
		}
		if c, ok := sc.Cause(p); ok {
			o.Unknown = sc.sim.x.ID(c)
		}
	}
	if j := sc.fact[p]; j >= 0 {
		f := &sc.sim.facts[j]
		o.MTPD = optional(f.mtpd)
		if f.hasLoss {
			l := lossAt(f.loss)
			o.LossAt = &l
		}
	}
	switch {
	case o.Recovery != nil && o.RTO != nil:
		misses := *o.Recovery > *o.RTO
		o.MissesRTO = &misses
	case o.AtLeast != nil && o.RTO != nil && *o.AtLeast > *o.RTO:
		misses := true
		o.MissesRTO = &misses
	}
	return o
}
