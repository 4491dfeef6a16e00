package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// The rules of the analysis that need the dependency graph.
const (
	RuleCycle     = "cycle"
	RuleRTOGap    = "rto-gap"
	RuleRPOGap    = "rpo-gap"
	RuleVendorGap = "vendor-gap"
	RuleSPOF      = "spof"
)

// Analyse runs every rule of lifeboat check on a model at the moment now:
// those on the model as written and, when its services refer only to
// services it has, those on its dependency graph.
func Analyse(m *lifeboat.Model, now time.Time) []lifeboat.Finding {
	findings := lifeboat.ModelFindings(m, now)
	if x, err := Build(m); err == nil {
		findings = append(findings, x.Findings()...)
		lifeboat.SortFindings(findings)
	}
	return findings
}

// Findings runs the graph rules: dependency cycles, recovery objectives
// the chains of dependencies cannot meet, vendor contracts weaker than what
// depends on them, and single points of failure of tier 0 and 1 services.
func (x *Index) Findings() []lifeboat.Finding {
	o := x.Objectives()
	var out []lifeboat.Finding
	for _, c := range x.Order().Cycles {
		out = append(out, x.cycleFinding(c))
	}
	for n := range uint32(x.Len()) {
		out = append(out, o.gapFindings(n)...)
	}
	out = append(out, x.SPOFFindings()...)
	lifeboat.SortFindings(out)
	return out
}

func (x *Index) finding(rule string, sev lifeboat.Severity, n uint32, related []uint32, format string, args ...any) lifeboat.Finding {
	return lifeboat.Finding{Rule: rule, Severity: sev, Kind: lifeboat.ObjService, Subject: x.ID(n),
		Related: append([]string{}, x.ids(related)...), Message: fmt.Sprintf(format, args...)}
}

func (x *Index) cycleFinding(c []uint32) lifeboat.Finding {
	names := x.ids(c)
	return x.finding(RuleCycle, lifeboat.SeverityWarning, c[0], c[1:],
		"%s depend on each other in a cycle, so none of them can be recovered first: they must be brought back together; break the cycle, or write down how it is started",
		lifeboat.QuoteList(names, 10))
}

// Gap kinds a service can have, as bits.
const (
	gapRTO = 1 << iota
	gapRPO
	gapVendorRTO
	gapVendorRPO
)

// gaps checks one service's objectives against what its chain can deliver.
func (o *Objectives) gaps(n uint32) int {
	x := o.x
	a := x.attr(n)
	g := 0
	vendor := x.kind[n] == kindVendor
	if r := o.RTO(n); r.Source != SourceInherited && r.Source != SourceNone && o.Achievable[n] > r.Seconds && !vendor {
		g |= gapRTO
	}
	if r := o.RPO(n); r.Seconds != None && a.dataLoss != None && a.dataLoss > r.Seconds {
		g |= gapRPO
	}
	if vendor && a.contractRTO != None && o.RTO(n).Seconds != None && a.contractRTO > o.RTO(n).Seconds {
		g |= gapVendorRTO
	}
	if vendor && a.contractRPO != None && o.RPO(n).Seconds != None && a.contractRPO > o.RPO(n).Seconds {
		g |= gapVendorRPO
	}
	return g
}

// gapFindings words the gaps of one service.
func (o *Objectives) gapFindings(n uint32) []lifeboat.Finding {
	g := o.gaps(n)
	if g == 0 {
		return nil
	}
	x := o.x
	a := x.attr(n)
	var out []lifeboat.Finding
	if g&gapRTO != 0 {
		r := o.RTO(n)
		chain := o.Chain(n)
		out = append(out, x.finding(RuleRTOGap, lifeboat.SeverityError, n, chain[:len(chain)-1],
			"%q must be back within %s (%s RTO), but can be back only after %s: %s",
			x.ID(n), dur(r.Seconds), sourceWords(r.Source), dur(o.Achievable[n]), o.chainWords(chain)))
	}
	if g&gapRPO != 0 {
		r := o.RPO(n)
		out = append(out, x.finding(RuleRPOGap, lifeboat.SeverityError, n, others(r.From, n),
			"%q can lose up to %s of data (its recovery.data_loss, such as the backup interval), more than the %s it may lose (%s)",
			x.ID(n), dur(a.dataLoss), dur(r.Seconds), o.requirementWords(r, n, "RPO")))
	}
	vendorGap := func(what string, contract uint32, r Requirement) lifeboat.Finding {
		return x.finding(RuleVendorGap, lifeboat.SeverityError, n, others(r.From, n),
			"the contract with %q allows %s %s, but %s: renegotiate it, or plan for the vendor being out for that long",
			x.ID(n), dur(contract), what, o.requirementWords(r, n, strings.ToUpper(what[:3])))
	}
	if g&gapVendorRTO != 0 {
		out = append(out, vendorGap("rto (recovery time)", a.contractRTO, o.RTO(n)))
	}
	if g&gapVendorRPO != 0 {
		out = append(out, vendorGap("rpo (data loss)", a.contractRPO, o.RPO(n)))
	}
	return out
}

// chainWords tells the slowest chain from the bottom up: "catalog-db
// restores in 4h, then catalog-api in 40m".
func (o *Objectives) chainWords(chain []uint32) string {
	x := o.x
	var parts []string
	for i, n := range chain {
		a := x.attr(n)
		var s string
		switch {
		case x.kind[n] == kindVendor && a.contractRTO != None:
			s = fmt.Sprintf("%s is back after %s by contract", x.ID(n), dur(a.contractRTO))
		case x.restore[n] == None:
			s = fmt.Sprintf("%s (restore time unknown, counted as 0)", x.ID(n))
		default:
			s = fmt.Sprintf("%s restores in %s", x.ID(n), dur(x.restore[n]))
		}
		if i > 0 {
			s = "then " + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func (o *Objectives) requirementWords(r Requirement, n uint32, what string) string {
	if r.Source == SourceInherited {
		return fmt.Sprintf("%q needs it, which has an %s of %s", o.x.ID(r.From), what, dur(r.Seconds))
	}
	return fmt.Sprintf("its %s %s is %s", sourceWords(r.Source), what, dur(r.Seconds))
}

func sourceWords(source Source) string {
	if source == SourceBIA {
		return "BIA's"
	}
	return "declared"
}

func others(from, n uint32) []uint32 {
	if from == n {
		return nil
	}
	return []uint32{from}
}

// SPOFFindings finds the services whose failure alone takes down a tier 0
// or 1 service other than themselves, ranked by how many they take down.
func (x *Index) SPOFFindings() []lifeboat.Finding {
	type spof struct {
		node  uint32
		taken []uint32
	}
	var found []spof
	for n := range uint32(x.Len()) {
		if x.userAt[n] == x.userAt[n+1] {
			continue // nothing depends on it
		}
		var taken []uint32
		for _, h := range x.Impact([]uint32{n}).Impacted {
			if t := x.tier[h.Node]; h.State == Down && t >= 0 && t <= 1 {
				taken = append(taken, h.Node)
			}
		}
		if len(taken) > 0 {
			found = append(found, spof{n, taken})
		}
	}
	slices.SortStableFunc(found, func(a, b spof) int { return cmp.Compare(len(b.taken), len(a.taken)) })
	shown := found[:min(len(found), MaxSPOFs)]
	out := make([]lifeboat.Finding, len(shown), len(shown)+1)
	for i, f := range shown {
		out[i] = x.finding(RuleSPOF, lifeboat.SeverityWarning, f.node, f.taken,
			"if %q fails on its own, %d tier 0 or 1 %s down with it: %s; add redundancy, or plan its recovery first",
			x.ID(f.node), len(f.taken), pluralWords(len(f.taken), "service goes", "services go"), lifeboat.QuoteList(x.ids(f.taken), 5))
		out[i].Rank = i + 1
	}
	if rest := found[len(shown):]; len(rest) > 0 {
		out = append(out, lifeboat.Finding{Rule: RuleSPOF, Severity: lifeboat.SeverityInfo, Kind: lifeboat.ObjService,
			Subject: x.ID(rest[0].node), Related: []string{}, Rank: len(shown) + 1,
			Message: fmt.Sprintf("%d more services each take down between %d and %d tier 0 or 1 services when they fail on their own; the %d worst are listed as warnings",
				len(rest), len(rest[len(rest)-1].taken), len(rest[0].taken), len(shown))})
	}
	return out
}

// MaxSPOFs is how many single points of failure are listed one by one, the
// worst first; the rest are counted in one finding.
const MaxSPOFs = 100

func pluralWords(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func dur(s uint32) string { return lifeboat.Duration(s).String() }
