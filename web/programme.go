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
	// Pending says the answer is still being worked out, for Sites sites.
	Pending bool
	Sites   int
}

// inlineSites is the most sites whose failures a page works out while it
// waits; more are worked out in the background, and the page says so.
const inlineSites = 64

// worstSite fails each site on its own and keeps the costliest after a
// day; the answer is kept for the live index it was computed on. A model
// with many sites gets its answer in the background: until then the
// result is Pending.
func (s *Server) worstSite(ctx context.Context) (*siteRisk, error) {
	sim, err := s.graph.Simulator(ctx)
	if err != nil {
		return nil, err
	}
	if w := s.analyses.site.Load(); w != nil && w.sim == sim {
		return w, nil
	}
	sites := sitesOf(sim.Index())
	if len(sites) <= inlineSites {
		w := costliestSite(sim, sites)
		s.analyses.site.Store(w)
		return w, nil
	}
	if s.analyses.siteWork.Swap(sim) != sim { // the first to ask for this index starts the work
		go func() { s.analyses.site.Store(costliestSite(sim, sites)) }()
	}
	return &siteRisk{sim: sim, Pending: true, Sites: len(sites)}, nil
}

func sitesOf(x *graph.Index) []uint32 {
	var out []uint32
	for n := range uint32(x.Len()) {
		if x.Kind(n) == lifeboat.KindSite {
			out = append(out, n)
		}
	}
	return out
}

// costliestSite fails each site on its own.
func costliestSite(sim *graph.Simulator, sites []uint32) *siteRisk {
	w := &siteRisk{sim: sim, Currency: sim.Currency(), Sites: len(sites)}
	day := dayHorizon()
	for _, n := range sites {
		sc := sim.Scenario([]uint32{n})
		if loss := lifeboat.Amount(sc.Loss[day]); loss > w.Loss {
			w.Site, w.Loss, w.Down = sim.Index().ID(n), loss, len(sc.Set)
		}
	}
	return w
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
