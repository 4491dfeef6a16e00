package web

import (
	"context"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// programme is what the home page says of the continuity programme as a
// whole: how much of what matters most has a signed-off BIA, and where
// the model still has holes.
type programme struct {
	// Critical counts the tier 0 and 1 business services, declared or
	// derived from their BIA; Approved those of them whose BIA is approved
	// and neither overdue nor in need of review.
	Critical, Approved int
	// WithoutObjectives counts the services the missing-objectives rule
	// names; Gaps the findings where a requirement is not met.
	WithoutObjectives, Gaps int
}

// gapRules are the rules whose findings are objectives not met.
var gapRules = map[string]bool{graph.RuleRTOGap: true, graph.RuleRPOGap: true, graph.RuleVendorGap: true, lifeboat.RuleRTOExceedsMTPD: true}

// newProgramme sums up a model and its findings at a time.
func newProgramme(m *lifeboat.Model, findings []lifeboat.Finding, now time.Time) programme {
	var p programme
	bias := make(map[string]*lifeboat.BIA, len(m.BIAs))
	for _, b := range m.BIAs {
		bias[b.Service] = b
	}
	scale := m.Scale()
	for _, s := range m.Services {
		if s.Kind != lifeboat.KindBusinessService {
			continue
		}
		b := bias[s.ID]
		if t := lifeboat.DeriveObjectives(scale, s, b).Tier.Tier; t == nil || *t > 1 {
			continue
		}
		p.Critical++
		if b != nil && b.Status() == lifeboat.ReviewApproved && !lifeboat.ReviewStateOf(b, s, now).Due() {
			p.Approved++
		}
	}
	for _, f := range findings {
		switch {
		case f.Rule == lifeboat.RuleMissingObjectives:
			p.WithoutObjectives++
		case gapRules[f.Rule]:
			p.Gaps++
		}
	}
	return p
}

// ApprovedShare is the share of critical services with a current BIA, in
// percent, for the gauge.
func (p programme) ApprovedShare() int {
	if p.Critical == 0 {
		return 0
	}
	return p.Approved * 100 / p.Critical
}

// siteRisk is the site whose failure alone costs the most after a day.
type siteRisk struct {
	sim      *graph.Simulator // the index it was computed for
	Site     string           // empty when no site failure costs anything
	Loss     lifeboat.Amount  // the scenario's loss after one day
	Currency string
	Down     int // services failed or down with it
}

// worstSite fails each site on its own and keeps the costliest after a
// day; the answer is kept for the live index it was computed on.
func (s *Server) worstSite(ctx context.Context) (*siteRisk, error) {
	cache := &s.analyses.site
	sim, err := s.graph.Simulator(ctx)
	if err != nil {
		return nil, err
	}
	if w := cache.Load(); w != nil && w.sim == sim {
		return w, nil
	}
	x := sim.Index()
	w := &siteRisk{sim: sim, Currency: sim.Currency()}
	day := dayHorizon()
	for n := range uint32(x.Len()) {
		if x.Kind(n) != lifeboat.KindSite {
			continue
		}
		sc := sim.Scenario([]uint32{n})
		if loss := lifeboat.Amount(sc.Loss[day]); loss > w.Loss {
			w.Site, w.Loss, w.Down = x.ID(n), loss, len(sc.Set)
		}
	}
	cache.Store(w)
	return w, nil
}

// dayHorizon is the place of one day among the scenario's horizons.
func dayHorizon() int {
	for i, h := range graph.Horizons {
		if h == 24*3600 {
			return i
		}
	}
	panic("graph.Horizons lacks one day")
}
