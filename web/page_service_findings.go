package web

import (
	"context"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// What the engine says about one service, on its page: the findings that
// concern it and its effective objectives through its chains.

// serviceFindingsShown bounds the findings a service page lists; a site
// can be related to thousands of gaps.
const serviceFindingsShown = 20

// serviceEngine is the engine's part of a service page.
type serviceEngine struct {
	Findings     []findingRow
	MoreFindings int
	Counts       lifeboat.FindingCounts
	Objectives   *objectivesView // nil when the engine does not have the service
}

// objectivesView is a service's effective objectives, worded.
type objectivesView struct {
	RTO, RPO   objectiveLine
	MTPD       string
	Achievable string // "" when no recovery time along the chain is known
	// Misses says the achievable time is beyond the RTO: an rto-gap.
	Misses     bool
	Tier       *int
	TierSource string
	// Chain is the slowest chain behind the achievable time, bottom up,
	// the service last; empty when the service needs nothing.
	Chain []string
}

// objectiveLine is one objective and where it comes from.
type objectiveLine struct {
	Value  string // "4h", or "" for none
	Source string // declared, bia, inherited or none
	From   string // the service it is inherited from
}

// loadServiceEngine computes the engine's part of a service page: the
// findings come from the analysis of the model's current version, the
// objectives from the live index, each computed once per version.
func (s *Server) loadServiceEngine(ctx context.Context, id string) (*serviceEngine, error) {
	a, err := s.analyse(ctx)
	if err != nil {
		return nil, err
	}
	e := &serviceEngine{}
	about := a.About(id)
	e.Counts = lifeboat.CountFindings(about)
	for i, f := range about {
		if i == serviceFindingsShown {
			e.MoreFindings = len(about) - i
			break
		}
		e.Findings = append(e.Findings, newFindingRow(f))
	}
	obj, chain, ok, err := s.objectivesOf(ctx, id)
	if err != nil || !ok {
		return e, err
	}
	v := &objectivesView{RTO: objectiveLineOf(obj.RTO, obj.Source, obj.RTOFrom), RPO: objectiveLineOf(obj.RPO, obj.RPOSource, obj.RPOFrom),
		Tier: obj.Tier, TierSource: obj.TierSource}
	if obj.Achievable > 0 { // zero: no recovery time is known along the chain
		v.Achievable = secondsText(obj.Achievable)
	}
	if obj.MTPD != nil {
		v.MTPD = secondsText(*obj.MTPD)
	}
	v.Misses = obj.RTO != nil && obj.Achievable > *obj.RTO
	if len(chain) > 1 {
		v.Chain = chain
	}
	e.Objectives = v
	return e, nil
}

func objectiveLineOf(seconds *uint32, source, from string) objectiveLine {
	l := objectiveLine{Source: source, From: from}
	if seconds != nil {
		l.Value = secondsText(*seconds)
	}
	if l.Value == "" {
		l.Source = graph.SourceNone.String()
	}
	return l
}

func secondsText(s uint32) string { return lifeboat.Duration(s).String() }
