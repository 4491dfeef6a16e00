package web

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// The findings page and every service page show what the analysis finds in
// the stored model. Running it means reading the whole model and every rule,
// about a tenth of a second at 10,000 services, so the answer is kept for
// the model version it was computed at, the way graph.Live keeps its index:
// a page first compares versions, one cheap query, and runs the analysis
// again only when someone has changed the model since. Several instances on
// one database each keep their own copy, which the version keeps honest.

// analysis is the findings of the stored model at one version.
type analysis struct {
	version int64
	// until is when the passing of time alone changes the findings (a BIA
	// falling due for review); zero for never.
	until    time.Time
	findings []lifeboat.Finding // sorted worst first, as graph.Analyse gives them
	// about lists, per service id, the findings whose subject is the
	// service or whose related services include it, as indexes into
	// findings, in order.
	about map[string][]int
	// programme sums the model up for the home page.
	programme programme
}

// analyses keeps the latest analysis and worst site; the zero value is
// ready to use.
type analyses struct {
	findings atomic.Pointer[analysis]
	site     atomic.Pointer[siteRisk]        // the worst single-site failure
	siteWork atomic.Pointer[graph.Simulator] // the index whose worst site is being worked out
	mu       sync.Mutex                      // one computation at a time; the others wait for it
}

// analyse returns the findings of the stored model at least as new as the
// database's version when it was called.
func (s *Server) analyse(ctx context.Context) (*analysis, error) {
	v, err := s.Models.ModelVersion(ctx)
	if err != nil {
		return nil, err
	}
	if a := s.analyses.findings.Load(); a.current(v, s.Auth.Now()) {
		return a, nil
	}
	s.analyses.mu.Lock()
	defer s.analyses.mu.Unlock()
	if a := s.analyses.findings.Load(); a.current(v, s.Auth.Now()) {
		return a, nil
	}
	// The model is read after the version, so it is at least that new.
	m, err := s.Models.FindModel(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Auth.Now()
	a := newAnalysis(v, graph.Analyse(m, now))
	a.programme = newProgramme(m, a.findings, now)
	a.until, _ = lifeboat.ReviewsChangeAt(m.BIAs, now)
	s.analyses.findings.Store(a)
	return a, nil
}

// current reports whether the analysis still holds for the model at
// version v at the time now.
func (a *analysis) current(v int64, now time.Time) bool {
	return a != nil && a.version >= v && (a.until.IsZero() || now.Before(a.until))
}

func newAnalysis(version int64, fs []lifeboat.Finding) *analysis {
	a := &analysis{version: version, findings: fs, about: map[string][]int{}}
	for i, f := range fs {
		if f.Kind == lifeboat.ObjService || f.Kind == lifeboat.ObjBIA {
			a.about[f.Subject] = append(a.about[f.Subject], i)
		}
		if relatedAreServices(f.Rule) {
			for _, id := range f.Related {
				if ids := a.about[id]; len(ids) == 0 || ids[len(ids)-1] != i {
					a.about[id] = append(ids, i)
				}
			}
		}
	}
	return a
}

// About returns the findings that concern a service.
func (a *analysis) About(id string) []lifeboat.Finding {
	var out []lifeboat.Finding
	for _, i := range a.about[id] {
		out = append(out, a.findings[i])
	}
	return out
}

// relatedAreServices reports whether a rule's related ids name services
// of the model; those of unknown-reference name what the model lacks.
func relatedAreServices(rule string) bool {
	return slices.Contains([]string{graph.RuleCycle, graph.RuleRTOGap, graph.RuleRPOGap, graph.RuleVendorGap, graph.RuleSPOF}, rule)
}

// objectivesOf returns a service's effective objectives and the slowest
// chain behind its achievable recovery time, from the live index, whose
// simulator has them worked out; ok is false when the index does not have
// the service.
func (s *Server) objectivesOf(ctx context.Context, id string) (obj graph.ServiceObjectives, chain []string, ok bool, err error) {
	sim, err := s.graph.Simulator(ctx)
	if err != nil {
		return obj, nil, false, err
	}
	x, o := sim.Index(), sim.Objectives()
	n, found := x.Lookup(id)
	if !found {
		return obj, nil, false, nil
	}
	for _, c := range o.Chain(n) {
		chain = append(chain, x.ID(c))
	}
	return o.Service(n), chain, true, nil
}
