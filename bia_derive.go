package lifeboat

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A service's recovery objectives come from what it declares and from its
// BIA (format.md, "impact_scale and bia"): the MTPD is the first point of
// the BIA at which any category is intolerable, the RTO is the MTPD less
// the work recovery time, the RPO is the BIA's, and the tier is the
// slowest whose max_rto is within the RTO. What the service declares wins.
// DeriveObjectives works them out one service at a time, with the
// reasoning in words for the people who own the service; the dependency
// engine (package graph) computes the same numbers for every service at
// once, and through the chains of dependencies.
//
// The RTO the BIA allows is always counted from the BIA's own MTPD, also
// when the service declares another MTPD: that is what the engine does,
// and the declared MTPD is shown beside the BIA's.

// ObjectiveSource says where an objective comes from.
type ObjectiveSource string

// The sources of an objective.
const (
	SourceDeclared ObjectiveSource = "declared" // the service's objectives or tier
	SourceBIA      ObjectiveSource = "bia"      // the service's BIA
	SourceDerived  ObjectiveSource = "derived"  // a tier worked out from the RTO, as the objectives command says
	SourceNone     ObjectiveSource = "none"     // nothing gives one
)

// DerivedDuration is one objective of a service: its value (nil for
// none), where it comes from, and why, in a sentence.
type DerivedDuration struct {
	Value  *Duration
	Source ObjectiveSource
	Reason string
}

// MarshalJSON writes the value in seconds, as computed results are.
func (d DerivedDuration) MarshalJSON() ([]byte, error) {
	var secs *int64
	if d.Value != nil {
		s := d.Value.Seconds()
		secs = &s
	}
	return json.Marshal(struct {
		Seconds *int64          `json:"value_seconds"`
		Source  ObjectiveSource `json:"source"`
		Reason  string          `json:"reason"`
	}{secs, d.Source, d.Reason})
}

// DerivedTier is a service's tier (nil for none), where it comes from and
// why.
type DerivedTier struct {
	Tier   *int            `json:"tier"`
	Name   string          `json:"name,omitempty"`
	Source ObjectiveSource `json:"source"`
	Reason string          `json:"reason"`
}

// Derivation is a service's MTPD, RTO, RPO and tier with their reasons.
type Derivation struct {
	MTPD DerivedDuration `json:"mtpd"`
	RTO  DerivedDuration `json:"rto"`
	RPO  DerivedDuration `json:"rpo"`
	Tier DerivedTier     `json:"tier"`
	// AllowedRTO is the largest RTO the BIA allows (its MTPD less the work
	// recovery time), nil without one; a declared RTO above it is the
	// finding rto-exceeds-mtpd.
	AllowedRTO *Duration `json:"-"`
}

// DeriveObjectives works out a service's objectives on the impact scale
// from what it declares and from its BIA, which may be nil.
func DeriveObjectives(scale *ImpactScale, s *Service, b *BIA) Derivation {
	var declared Objectives
	if s.Objectives != nil {
		declared = *s.Objectives
	}
	var in *Intolerance
	if b != nil {
		if x, ok := b.FirstIntolerable(scale); ok {
			in = &x
		}
	}
	d := Derivation{MTPD: deriveMTPD(scale, declared.MTPD, b, in)}
	if in != nil {
		allowed, _ := b.DerivedRTO(scale)
		d.AllowedRTO = &allowed
	}
	d.RTO = deriveRTO(declared, b, in, d.AllowedRTO)
	d.RPO = deriveRPO(declared.RPO, b)
	d.Tier = deriveTier(scale, s.Tier, d.RTO)
	return d
}

// deriveMTPD: declared wins; the BIA's first intolerable point otherwise.
func deriveMTPD(scale *ImpactScale, declared *Duration, b *BIA, in *Intolerance) DerivedDuration {
	switch {
	case declared != nil && in != nil && in.After == *declared:
		return DerivedDuration{declared, SourceDeclared, fmt.Sprintf("MTPD is %s as declared, and the BIA agrees: %s", declared, in.words())}
	case declared != nil && in != nil:
		return DerivedDuration{declared, SourceDeclared, fmt.Sprintf("MTPD is %s as declared in the service's objectives, although its BIA puts it at %s: %s; one of the two is wrong", declared, in.After, in.words())}
	case declared != nil:
		return DerivedDuration{declared, SourceDeclared, fmt.Sprintf("MTPD is %s as declared in the service's objectives", declared)}
	case in != nil:
		v := in.After
		reason := fmt.Sprintf("MTPD is %s because %s", v, in.words())
		if in.First {
			reason += "; the BIA does not say how bad the outage is before its first point, so the MTPD may be shorter: add an earlier point"
		}
		return DerivedDuration{&v, SourceBIA, reason}
	case b == nil:
		return DerivedDuration{nil, SourceNone, "No MTPD: none is declared and the service has no BIA"}
	case len(b.Impacts) == 0:
		return DerivedDuration{nil, SourceNone, "No MTPD: none is declared and the BIA rates no impacts yet"}
	}
	last := b.Impacts[len(b.Impacts)-1].After
	return DerivedDuration{nil, SourceNone, fmt.Sprintf("No MTPD: no impact in the BIA reaches an intolerable rating (%s), even at its last point (%s); add a later point where it does, or declare objectives.mtpd",
		strings.Join(intolerableNames(scale), " or "), last)}
}

// deriveRTO: declared wins, checked against what the BIA allows; the
// BIA's MTPD less the WRT otherwise.
func deriveRTO(declared Objectives, b *BIA, in *Intolerance, allowed *Duration) DerivedDuration {
	rto := declared.RTO
	switch {
	case rto != nil && allowed == nil:
		return DerivedDuration{rto, SourceDeclared, fmt.Sprintf("RTO is %s as declared", rto)}
	case rto != nil && *rto > *allowed:
		return DerivedDuration{rto, SourceDeclared, fmt.Sprintf("RTO is %s as declared, but that is more than the BIA allows: %s leaves %s, so the service would be back too late (rto-exceeds-mtpd)",
			rto, allowanceWords(in.After, b.WorkRecoveryTime), allowed)}
	case rto != nil:
		return DerivedDuration{rto, SourceDeclared, fmt.Sprintf("RTO is %s as declared, within the %s that %s leaves", rto, allowed, allowanceWords(in.After, b.WorkRecoveryTime))}
	case allowed == nil && b == nil:
		return DerivedDuration{nil, SourceNone, "No RTO: none is declared and the service has no BIA"}
	case allowed == nil && declared.MTPD != nil:
		return DerivedDuration{nil, SourceNone, "No RTO: none is declared, and the BIA gives no MTPD to count one from (the declared MTPD is not used for that); declare objectives.rto"}
	case allowed == nil:
		return DerivedDuration{nil, SourceNone, "No RTO: none is declared and the BIA gives no MTPD to count one from"}
	case *allowed == 0:
		than := "longer than"
		if *b.WorkRecoveryTime == in.After {
			than = "as long as"
		}
		return DerivedDuration{allowed, SourceBIA, fmt.Sprintf("RTO is 0s: the work recovery time (%s) is %s %s (%s), so recovery would have to be immediate; the BIA is inconsistent: shorten the work recovery time or review the impacts",
			b.WorkRecoveryTime, than, mtpdWords(declared, in), in.After)}
	case b.WorkRecoveryTime == nil:
		return DerivedDuration{allowed, SourceBIA, fmt.Sprintf("RTO is %s: %s of %s, since the BIA gives no work recovery time", allowed, mtpdWords(declared, in), in.After)}
	}
	return DerivedDuration{allowed, SourceBIA, fmt.Sprintf("RTO is %s: %s of %s less the work recovery time of %s", allowed, mtpdWords(declared, in), in.After, b.WorkRecoveryTime)}
}

// mtpdWords names the MTPD an RTO is counted from: the BIA's, which needs
// saying when the service declares another.
func mtpdWords(declared Objectives, in *Intolerance) string {
	if declared.MTPD != nil && *declared.MTPD != in.After {
		return "the BIA's MTPD"
	}
	return "the MTPD"
}

// allowanceWords: "the MTPD of 8h less the work recovery time of 1h".
func allowanceWords(mtpd Duration, wrt *Duration) string {
	if wrt == nil {
		return fmt.Sprintf("the MTPD of %s (without a work recovery time)", mtpd)
	}
	return fmt.Sprintf("the MTPD of %s less the work recovery time of %s", mtpd, wrt)
}

func deriveRPO(declared *Duration, b *BIA) DerivedDuration {
	var fromBIA *Duration
	if b != nil {
		fromBIA = b.RPO
	}
	switch {
	case declared != nil && fromBIA != nil && *fromBIA != *declared:
		return DerivedDuration{declared, SourceDeclared, fmt.Sprintf("RPO is %s as declared in the service's objectives, although its BIA asks for %s", declared, fromBIA)}
	case declared != nil:
		return DerivedDuration{declared, SourceDeclared, fmt.Sprintf("RPO is %s as declared", declared)}
	case fromBIA != nil:
		return DerivedDuration{fromBIA, SourceBIA, fmt.Sprintf("RPO is %s, from the BIA: the most data, counted in time, the business can afford to lose", fromBIA)}
	case b == nil:
		return DerivedDuration{nil, SourceNone, "No RPO: none is declared and the service has no BIA"}
	}
	return DerivedDuration{nil, SourceNone, "No RPO: none is declared and the BIA gives none"}
}

// deriveTier: declared wins; otherwise the slowest tier whose max_rto is
// within the RTO, or the fastest tier when even that is too slow.
func deriveTier(scale *ImpactScale, declared *int, rto DerivedDuration) DerivedTier {
	fit, fitOK := tierFor(scale, rto.Value)
	if declared != nil {
		t := DerivedTier{Tier: declared, Name: tierName(scale, *declared), Source: SourceDeclared}
		t.Reason = upperFirst(tierWords(scale, *declared)) + " as declared"
		if fitOK && fit.ID != *declared {
			t.Reason += fmt.Sprintf("; the RTO of %s alone would make it %s, but a declared tier wins", rto.Value, tierWords(scale, fit.ID))
		}
		return t
	}
	switch {
	case rto.Value == nil:
		return DerivedTier{Source: SourceNone, Reason: "No tier: none is declared and there is no RTO to derive one from"}
	case !fitOK:
		return DerivedTier{Source: SourceNone, Reason: "No tier: the impact scale has no tiers"}
	}
	id := fit.ID
	t := DerivedTier{Tier: &id, Name: fit.Name, Source: SourceDerived}
	if fit.MaxRTO > *rto.Value {
		t.Reason = fmt.Sprintf("%s: the RTO of %s is faster than even the fastest tier promises (%s), so the fastest tier; plan its recovery with care", upperFirst(tierWords(scale, id)), rto.Value, fit.MaxRTO)
	} else {
		t.Reason = fmt.Sprintf("%s: the slowest tier whose maximum RTO (%s) is within the RTO of %s", upperFirst(tierWords(scale, id)), fit.MaxRTO, rto.Value)
	}
	return t
}

// tierFor is the slowest tier whose max_rto is within rto, or the fastest
// tier when none is; false without an RTO or tiers.
func tierFor(scale *ImpactScale, rto *Duration) (Tier, bool) {
	if rto == nil || len(scale.Tiers) == 0 {
		return Tier{}, false
	}
	best := scale.Tiers[0]
	for _, t := range scale.Tiers {
		if t.MaxRTO <= *rto {
			best = t
		}
	}
	return best, true
}

func tierName(scale *ImpactScale, id int) string {
	if i := slices.IndexFunc(scale.Tiers, func(t Tier) bool { return t.ID == id }); i >= 0 {
		return scale.Tiers[i].Name
	}
	return ""
}

// tierWords: "tier 1 (critical)", and a word on a tier the scale lacks.
func tierWords(scale *ImpactScale, id int) string {
	if name := tierName(scale, id); name != "" {
		return fmt.Sprintf("tier %d (%s)", id, name)
	}
	return fmt.Sprintf("tier %d (which the impact scale does not have)", id)
}

// upperFirst starts a sentence with a capital.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func intolerableNames(scale *ImpactScale) []string {
	var names []string
	for _, r := range scale.Ratings {
		if r.Intolerable {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		return []string{"the scale marks none intolerable"}
	}
	return names
}
