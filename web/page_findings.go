package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// The findings page: every finding of the stored model, grouped by rule,
// with filters by rule and severity.

// How many findings a rule lists: a few each when every rule is shown, many
// more when the filter picks one rule. The API lists them all.
const (
	findingsPerRule         = 20
	findingsPerRuleFiltered = 500
	relatedShown            = 8
)

// ruleDescriptions say in one line what each rule looks for.
var ruleDescriptions = map[string]string{
	lifeboat.RuleUnknownReference:  "References to services, teams or people that the model does not have.",
	lifeboat.RuleMissingObjectives: "Tier 0 and 1 services without an RTO or an RPO.",
	lifeboat.RuleNoOwner:           "Services that no team is accountable for.",
	graph.RuleCycle:                "Services that depend on each other in a cycle, so that none can be recovered first.",
	graph.RuleRTOGap:               "Services whose chain of dependencies cannot be back within their RTO.",
	graph.RuleRPOGap:               "Services that can lose more data than their RPO allows.",
	graph.RuleVendorGap:            "Vendor contracts weaker than what the services that need them require.",
	graph.RuleSPOF:                 "Single points of failure: services whose failure alone takes tier 0 or 1 services down, worst first.",
	lifeboat.RuleRTOExceedsMTPD:    "Declared RTOs longer than the BIA allows: recovery would end after the outage became intolerable.",
	lifeboat.RuleBIANotApproved:    "Tier 0 and 1 business services without an approved BIA.",
	lifeboat.RuleBIAReviewDue:      "Approved BIAs past their review date, or whose service has changed since approval.",
}

// findingsQuery is the page's filter as given in the URL.
type findingsQuery struct{ Rule, Severity string }

func readFindingsQuery(r *http.Request) findingsQuery {
	v := r.URL.Query()
	q := findingsQuery{Rule: textValue(v.Get("rule"), 64), Severity: v.Get("severity")}
	if !slices.Contains(lifeboat.Severities, lifeboat.Severity(q.Severity)) {
		q.Severity = ""
	}
	return q
}

// url links to the page with this filter.
func (q findingsQuery) url() string {
	v := url.Values{}
	if q.Rule != "" {
		v.Set("rule", q.Rule)
	}
	if q.Severity != "" {
		v.Set("severity", q.Severity)
	}
	if len(v) == 0 {
		return "/findings"
	}
	return "/findings?" + v.Encode()
}

func (q findingsQuery) matches(f lifeboat.Finding) bool {
	return (q.Rule == "" || f.Rule == q.Rule) && (q.Severity == "" || string(f.Severity) == q.Severity)
}

type findingsPageData struct {
	Query    findingsQuery
	Summary  findingsView // badges and bar of the whole model
	Rules    []ruleRow    // every rule with findings: the chart and the rule filter
	AllRules string       // the filter without a rule
	Levels   []levelFilter
	Groups   []ruleGroup // the rules shown
	Matching int         // findings the filter lets through
}

// ruleRow is one rule in the chart: its findings by severity.
type ruleRow struct {
	Rule, Description string
	Count             int
	Segments          []barSegment
	URL               string
	Active            bool
}

// levelFilter is one choice of the severity filter: all, or one severity.
type levelFilter struct {
	Label  string
	Class  string
	Count  int
	URL    string
	Active bool
}

// ruleGroup is the findings of one rule that the filter lets through.
type ruleGroup struct {
	Rule, Description string
	Badges            []findingBadge
	Count             int
	Findings          []findingRow
	More              int
	MoreURL           string // the rule alone, which lists more of it
}

// findingRow is a finding with its subject and related services linked.
type findingRow struct {
	lifeboat.Finding
	URL         string
	Links       []relatedLink
	MoreRelated int
}

type relatedLink struct{ ID, URL string }

// findingsPage lists the findings of the stored model.
func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.analyse(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := readFindingsQuery(r)
	d := findingsPageData{Query: q, Summary: newFindingsView(a.findings, true), AllRules: findingsQuery{Severity: q.Severity}.url()}
	d.Rules = ruleRows(a.findings, q)
	d.Levels = levelFilters(a.findings, q)
	perRule := findingsPerRule
	if q.Rule != "" {
		perRule = findingsPerRuleFiltered
	}
	byRule := map[string]int{} // index into d.Groups
	for _, f := range a.findings {
		if !q.matches(f) {
			continue
		}
		d.Matching++
		i, ok := byRule[f.Rule]
		if !ok {
			i = len(d.Groups)
			byRule[f.Rule] = i
			d.Groups = append(d.Groups, ruleGroup{Rule: f.Rule, Description: ruleDescriptions[f.Rule],
				MoreURL: findingsQuery{Rule: f.Rule, Severity: q.Severity}.url()})
		}
		g := &d.Groups[i]
		g.Count++
		if len(g.Findings) == perRule {
			g.More++
			continue
		}
		g.Findings = append(g.Findings, newFindingRow(f))
	}
	for i := range d.Groups {
		d.Groups[i].Badges = severityBadges(a.findings, findingsQuery{Rule: d.Groups[i].Rule, Severity: q.Severity})
	}
	s.render(w, r, http.StatusOK, "findings", page{Title: "Findings", Nav: "findings", Data: d})
}

func newFindingRow(f lifeboat.Finding) findingRow {
	row := findingRow{Finding: f, URL: subjectURL(f.Kind, f.Subject)}
	if relatedAreServices(f.Rule) {
		for i, id := range f.Related {
			if i == relatedShown {
				row.MoreRelated = len(f.Related) - relatedShown
				break
			}
			row.Links = append(row.Links, relatedLink{ID: id, URL: "/services/" + id})
		}
	}
	return row
}

// ruleRows counts the findings of each rule by severity, rules in the
// order of their worst findings, bars scaled to the largest rule.
func ruleRows(fs []lifeboat.Finding, q findingsQuery) []ruleRow {
	var rules []string
	counts := map[string]map[lifeboat.Severity]int{}
	for _, f := range fs {
		if counts[f.Rule] == nil {
			rules = append(rules, f.Rule)
			counts[f.Rule] = map[lifeboat.Severity]int{}
		}
		counts[f.Rule][f.Severity]++
	}
	most := 0
	for _, c := range counts {
		most = max(most, c[lifeboat.SeverityError]+c[lifeboat.SeverityWarning]+c[lifeboat.SeverityInfo])
	}
	out := make([]ruleRow, 0, len(rules))
	for _, rule := range rules {
		row := ruleRow{Rule: rule, Description: ruleDescriptions[rule], Active: q.Rule == rule,
			URL: findingsQuery{Rule: rule, Severity: q.Severity}.url()}
		x := 0.0
		for _, sev := range lifeboat.Severities {
			n := counts[rule][sev]
			if n == 0 {
				continue
			}
			w := float64(n) * 100 / float64(most)
			row.Segments = append(row.Segments, barSegment{Severity: sev, X: strconv.FormatFloat(x, 'f', 2, 64),
				Width: strconv.FormatFloat(w, 'f', 2, 64), Count: n, Label: countLabel(n, sev)})
			row.Count += n
			x += w
		}
		out = append(out, row)
	}
	return out
}

// levelFilters are the severity filter's choices, counted within the
// rule filter.
func levelFilters(fs []lifeboat.Finding, q findingsQuery) []levelFilter {
	in := findingsQuery{Rule: q.Rule}
	all := levelFilter{Label: "All severities", Class: "sev-all", URL: in.url(), Active: q.Severity == ""}
	out := []levelFilter{}
	for _, b := range severityBadges(fs, in) {
		all.Count += b.Count
		out = append(out, levelFilter{Label: severityLabels[b.Severity][2], Class: "sev-" + string(b.Severity), Count: b.Count,
			URL: findingsQuery{Rule: q.Rule, Severity: string(b.Severity)}.url(), Active: q.Severity == string(b.Severity)})
	}
	return append([]levelFilter{all}, out...)
}

// severityBadges counts the findings a filter lets through by severity.
func severityBadges(fs []lifeboat.Finding, q findingsQuery) []findingBadge {
	var out []findingBadge
	for _, sev := range lifeboat.Severities {
		n := 0
		for _, f := range fs {
			if f.Severity == sev && q.matches(f) {
				n++
			}
		}
		out = append(out, findingBadge{Severity: sev, Label: countLabel(n, sev), Count: n})
	}
	return out
}

// countLabel says "2 warnings".
func countLabel(n int, sev lifeboat.Severity) string {
	return strconv.Itoa(n) + " " + plural(n, severityLabels[sev][0], severityLabels[sev][1])
}
