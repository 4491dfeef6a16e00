package lifeboat

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Severity says how much a finding matters: an error fails `lifeboat check`.
type Severity string

// The severities, from worst to least.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Severities lists the severities from worst to least.
var Severities = []Severity{SeverityError, SeverityWarning, SeverityInfo}

// The rules of the analysis that need no dependency graph.
const (
	RuleUnknownReference  = "unknown-reference"
	RuleMissingObjectives = "missing-objectives"
	RuleNoOwner           = "no-owner"
)

// Finding is one thing the analysis found wrong or worth knowing about a
// model, in words a service owner understands.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Kind is what Subject is: service, team, person, bia or risk.
	Kind    string   `json:"kind"`
	Subject string   `json:"subject"`
	Related []string `json:"related"`
	Message string   `json:"message"`
	// Rank orders findings of a rule that are ranked, such as spof (1 is
	// the worst); 0 for the others.
	Rank int `json:"rank,omitempty"`
}

// FindingCounts counts findings by severity.
type FindingCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// CheckReport is the JSON of `lifeboat check` (format.md) and of its API
// equivalents: the findings, never null, and their counts.
type CheckReport struct {
	Findings []Finding     `json:"findings" nullable:"false"`
	Counts   FindingCounts `json:"counts"`
}

// NewCheckReport reports findings.
func NewCheckReport(fs []Finding) CheckReport {
	if fs == nil {
		fs = []Finding{}
	}
	return CheckReport{Findings: fs, Counts: CountFindings(fs)}
}

// CountFindings counts findings by severity.
func CountFindings(fs []Finding) FindingCounts {
	var c FindingCounts
	for _, f := range fs {
		switch f.Severity {
		case SeverityError:
			c.Error++
		case SeverityWarning:
			c.Warning++
		default:
			c.Info++
		}
	}
	return c
}

// SortFindings orders findings worst first, then by rule, rank, kind and
// subject.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(slices.Index(Severities, a.Severity), slices.Index(Severities, b.Severity)),
			cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Message, b.Message))
	})
}

// ModelFindings runs the rules that need no dependency graph over a whole
// model: references to objects it does not have, tier 0 and 1 services
// without recovery objectives, services without an owner, and the rules of
// the BIAs (bia_finding.go), some of which depend on the date: now is the
// moment the model is checked at.
func ModelFindings(m *Model, now time.Time) []Finding {
	var out []Finding
	for _, r := range DanglingReferences(m) {
		out = append(out, r.Finding())
	}
	bias := make(map[string]*BIA, len(m.BIAs))
	for _, b := range m.BIAs {
		bias[b.Service] = b
	}
	for _, s := range m.Services {
		out = append(out, serviceFindings(s, bias[s.ID])...)
	}
	scale := m.Scale()
	for _, b := range m.BIAs {
		out = append(out, scaleFindings(b, scale)...)
	}
	out = append(out, biaFindings(m, bias, now)...)
	SortFindings(out)
	return out
}

// Reference is a link by id from one object of a model to a service, team
// or person.
type Reference struct {
	Kind, ID string // the object that refers
	// Verb says how the link reads: service "a" depends on "b".
	Verb               string
	TargetKind, Target string
}

// String says what the reference is: service "a" depends on "b".
func (r Reference) String() string {
	if r.Kind == ObjBIA && r.Verb == biaOfService {
		return fmt.Sprintf("there is a BIA for service %q", r.Target)
	}
	if r.Kind == ObjBIA {
		return fmt.Sprintf("the BIA of %q %s %q", r.ID, r.Verb, r.Target)
	}
	return fmt.Sprintf("%s %q %s %q", r.Kind, r.ID, r.Verb, r.Target)
}

// Finding words a reference that resolves nowhere as an unknown-reference.
func (r Reference) Finding() Finding {
	return Finding{Rule: RuleUnknownReference, Severity: SeverityError, Kind: r.Kind, Subject: r.ID, Related: []string{r.Target},
		Message: fmt.Sprintf("%s, but the model has no %s %q", r, r.TargetKind, r.Target)}
}

// biaOfService is the verb of the reference from a BIA to its service.
const biaOfService = "service"

// DanglingReferences lists the references of a model to services, teams
// and people that it does not hold.
func DanglingReferences(m *Model) []Reference {
	services := idSet(m.Services, func(s *Service) string { return s.ID })
	teams := idSet(m.Teams, func(t *Team) string { return t.ID })
	people := idSet(m.People, func(x *Person) string { return x.ID })
	var out []Reference
	ref := func(have map[string]bool, kind, id, verb, targetKind, target string) {
		if !have[target] {
			out = append(out, Reference{Kind: kind, ID: id, Verb: verb, TargetKind: targetKind, Target: target})
		}
	}
	for _, s := range m.Services {
		if s.Owner != "" {
			ref(teams, ObjService, s.ID, "is owned by team", ObjTeam, s.Owner)
		}
		for _, t := range s.DependencyIDs() {
			ref(services, ObjService, s.ID, "depends on", ObjService, t)
		}
	}
	for _, t := range m.Teams {
		for _, x := range t.Members {
			ref(people, ObjTeam, t.ID, "has member", ObjPerson, x)
		}
	}
	for _, b := range m.BIAs {
		ref(services, ObjBIA, b.Service, biaOfService, ObjService, b.Service)
		if r := b.Resources; r != nil {
			for _, id := range r.Systems {
				ref(services, ObjBIA, b.Service, "needs system", ObjService, id)
			}
			for _, id := range r.Suppliers {
				ref(services, ObjBIA, b.Service, "needs supplier", ObjService, id)
			}
		}
		if b.Review != nil && b.Review.ApprovedBy != "" {
			ref(people, ObjBIA, b.Service, "was approved by", ObjPerson, b.Review.ApprovedBy)
		}
	}
	for _, r := range m.Risks {
		for _, a := range r.Affects {
			ref(services, ObjRisk, r.ID, "affects", ObjService, a)
		}
		if r.Owner != "" {
			ref(people, ObjRisk, r.ID, "is owned by", ObjPerson, r.Owner)
		}
	}
	return out
}

// serviceFindings checks one service's owner and objectives.
func serviceFindings(s *Service, b *BIA) []Finding {
	var out []Finding
	if s.Owner == "" {
		out = append(out, Finding{Rule: RuleNoOwner, Severity: SeverityWarning, Kind: ObjService, Subject: s.ID, Related: []string{},
			Message: fmt.Sprintf("service %q has no owner: nobody is accountable for keeping it recoverable; set owner to a team", s.ID)})
	}
	if s.Tier == nil || *s.Tier > 1 {
		return out
	}
	var what string
	switch rto, rpo := hasRTO(s, b), hasRPO(s, b); {
	case !rto && !rpo:
		what = "neither an RTO nor an RPO, so nothing says how fast it must be back or how much data it may lose"
	case !rto:
		what = "no RTO, so nothing says how fast it must be back"
	case !rpo:
		what = "no RPO, so nothing says how much data it may lose"
	default:
		return out
	}
	out = append(out, Finding{Rule: RuleMissingObjectives, Severity: SeverityWarning, Kind: ObjService, Subject: s.ID, Related: []string{},
		Message: fmt.Sprintf("tier %d service %q has %s; set its objectives or give it a BIA", *s.Tier, s.ID, what)})
	return out
}

// hasRTO reports whether the service has an RTO, declared or from a BIA
// that reaches an intolerable impact (which gives an MTPD).
func hasRTO(s *Service, b *BIA) bool {
	if s.Objectives != nil && (s.Objectives.RTO != nil || s.Objectives.MTPD != nil) {
		return true
	}
	return b != nil && len(b.Impacts) > 0
}

func hasRPO(s *Service, b *BIA) bool {
	if s.Objectives != nil && s.Objectives.RPO != nil {
		return true
	}
	return b != nil && b.RPO != nil
}

// scaleFindings checks that a BIA rates only categories and levels the
// impact scale has.
func scaleFindings(b *BIA, scale *ImpactScale) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, pt := range b.Impacts {
		for _, c := range sortedKeys(pt.Ratings) {
			level := pt.Ratings[c]
			key := fmt.Sprint(c, level)
			if seen[key] {
				continue
			}
			seen[key] = true
			if !slices.Contains(scale.Categories, c) {
				out = append(out, Finding{Rule: RuleUnknownReference, Severity: SeverityError, Kind: ObjBIA, Subject: b.Service, Related: []string{c},
					Message: fmt.Sprintf("the BIA of %q rates category %q, which the impact scale does not have (it has %s)", b.Service, c, QuoteList(scale.Categories, 10))})
			} else if _, ok := scale.Rating(level); !ok {
				out = append(out, Finding{Rule: RuleUnknownReference, Severity: SeverityError, Kind: ObjBIA, Subject: b.Service, Related: []string{c},
					Message: fmt.Sprintf("the BIA of %q rates %s at level %d, which the impact scale does not have", b.Service, c, level)})
			}
		}
	}
	return out
}

func idSet[T any](items []T, id func(T) string) map[string]bool {
	set := make(map[string]bool, len(items))
	for _, it := range items {
		set[id(it)] = true
	}
	return set
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
