package lifeboat

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// BIASnapshot is what an approval of a BIA covered: the BIA's content and
// what its service declared and relied on at the time. The BIA needs
// review when a snapshot taken now differs. Notes are left out: they are
// remarks about the analysis, not part of what the business signs off.
type BIASnapshot struct {
	Impacts          []ImpactPoint `json:"impacts,omitempty"`
	WorkRecoveryTime *Duration     `json:"work_recovery_time,omitempty"`
	RPO              *Duration     `json:"rpo,omitempty"`
	MBCO             string        `json:"mbco,omitempty"`
	PeakPeriods      []PeakPeriod  `json:"peak_periods,omitempty"`
	Resources        *BIAResources `json:"resources,omitempty"`
	// Service is false when the model had no service for the BIA.
	Service    bool         `json:"service"`
	Tier       *int         `json:"tier,omitempty"`
	Objectives *Objectives  `json:"objectives,omitempty"`
	Recovery   *Recovery    `json:"recovery,omitempty"`
	DependsOn  []Dependency `json:"depends_on,omitempty"`
}

// TakeSnapshot records what an approval of b covers now; s is b's service,
// nil when the model lacks it. The snapshot shares nothing with b or s.
func TakeSnapshot(b *BIA, s *Service) *BIASnapshot {
	snap := &BIASnapshot{Impacts: b.Impacts, WorkRecoveryTime: b.WorkRecoveryTime, RPO: b.RPO, MBCO: b.MBCO,
		PeakPeriods: b.PeakPeriods, Resources: b.Resources}
	if s != nil {
		snap.Service, snap.Tier, snap.Objectives, snap.Recovery, snap.DependsOn = true, s.Tier, s.Objectives, s.Recovery, s.DependsOn
	}
	return snap.clone()
}

// clone copies a snapshot deeply through its JSON, which is also how the
// stores keep it.
func (s *BIASnapshot) clone() *BIASnapshot {
	raw, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("lifeboat: a snapshot always marshals: %v", err))
	}
	var c BIASnapshot
	if err := json.Unmarshal(raw, &c); err != nil {
		panic(fmt.Sprintf("lifeboat: a snapshot always unmarshals: %v", err))
	}
	return &c
}

// Changes says in words what differs between the snapshot an approval took
// and one taken now, in a fixed order: the BIA first, then its service.
func (s *BIASnapshot) Changes(now *BIASnapshot) []string {
	var out []string
	out = append(out, impactChanges(s.Impacts, now.Impacts)...)
	out = appendChange(out, durationChange("the work recovery time", s.WorkRecoveryTime, now.WorkRecoveryTime))
	out = appendChange(out, durationChange("the BIA's RPO", s.RPO, now.RPO))
	if s.MBCO != now.MBCO {
		out = append(out, "the MBCO changed")
	}
	out = append(out, peakChanges(s.PeakPeriods, now.PeakPeriods)...)
	out = appendChange(out, resourceChanges(s.Resources, now.Resources))
	if s.Service && !now.Service {
		return append(out, "the service is gone from the model")
	}
	out = appendChange(out, tierChange(s.Tier, now.Tier))
	out = appendChange(out, objectiveChanges(s.Objectives, now.Objectives))
	var was, is Recovery
	if s.Recovery != nil {
		was = *s.Recovery
	}
	if now.Recovery != nil {
		is = *now.Recovery
	}
	out = appendChange(out, durationChange("recovery time", was.Time, is.Time))
	out = appendChange(out, durationChange("the worst-case data loss", was.DataLoss, is.DataLoss))
	return append(out, dependencyChanges(s.DependsOn, now.DependsOn)...)
}

func appendChange(out []string, change string) []string {
	if change == "" {
		return out
	}
	return append(out, change)
}

// durationWords writes an optional duration: "4h" or "none".
func durationWords(d *Duration) string {
	if d == nil {
		return "none"
	}
	return d.String()
}

func sameDuration(a, b *Duration) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// durationChange words the change of an optional duration, or "".
func durationChange(what string, was, is *Duration) string {
	switch {
	case sameDuration(was, is):
		return ""
	case was == nil:
		return fmt.Sprintf("%s was set to %s", what, is)
	case is == nil:
		return fmt.Sprintf("%s was removed (it was %s)", what, was)
	}
	return fmt.Sprintf("%s changed from %s to %s", what, was, is)
}

func tierChange(was, is *int) string {
	switch {
	case (was == nil) == (is == nil) && (was == nil || *was == *is):
		return ""
	case was == nil:
		return fmt.Sprintf("the tier was set to %d", *is)
	case is == nil:
		return fmt.Sprintf("the tier was removed (it was %d)", *was)
	}
	return fmt.Sprintf("the tier changed from %d to %d", *was, *is)
}

// objectiveChanges words the declared objectives that changed:
// "objectives changed: RTO 4h → 2h, RPO none → 15m".
func objectiveChanges(was, is *Objectives) string {
	var a, b Objectives
	if was != nil {
		a = *was
	}
	if is != nil {
		b = *is
	}
	var parts []string
	for _, o := range []struct {
		name     string
		was, now *Duration
	}{{"RTO", a.RTO, b.RTO}, {"RPO", a.RPO, b.RPO}, {"MTPD", a.MTPD, b.MTPD}} {
		if !sameDuration(o.was, o.now) {
			parts = append(parts, fmt.Sprintf("%s %s → %s", o.name, durationWords(o.was), durationWords(o.now)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "objectives changed: " + strings.Join(parts, ", ")
}

// impactChanges words the impact points added, removed or changed, by
// their time.
func impactChanges(was, is []ImpactPoint) []string {
	old := map[Duration]ImpactPoint{}
	for _, p := range was {
		old[p.After] = p
	}
	var out []string
	seen := map[Duration]bool{}
	for _, p := range is {
		seen[p.After] = true
		o, ok := old[p.After]
		if !ok {
			out = append(out, fmt.Sprintf("an impact point at %s was added", p.After))
		} else if d := pointChange(o, p); d != "" {
			out = append(out, fmt.Sprintf("the impact at %s changed: %s", p.After, d))
		}
	}
	for _, p := range was {
		if !seen[p.After] {
			out = append(out, fmt.Sprintf("the impact point at %s was removed", p.After))
		}
	}
	return out
}

// pointChange words what differs between two points of the same time:
// "customer 3 → 4, loss 420000 → 500000".
func pointChange(was, is ImpactPoint) string {
	var parts []string
	cats := sortedKeys(was.Ratings)
	for _, c := range sortedKeys(is.Ratings) {
		if _, ok := was.Ratings[c]; !ok {
			cats = append(cats, c)
		}
	}
	slices.Sort(cats)
	for _, c := range cats {
		a, hadA := was.Ratings[c]
		b, hasB := is.Ratings[c]
		if a != b || hadA != hasB {
			parts = append(parts, fmt.Sprintf("%s %s → %s", c, levelWords(a, hadA), levelWords(b, hasB)))
		}
	}
	if (was.Loss == nil) != (is.Loss == nil) || was.Loss != nil && *was.Loss != *is.Loss {
		parts = append(parts, fmt.Sprintf("loss %s → %s", amountWords(was.Loss), amountWords(is.Loss)))
	}
	return strings.Join(parts, ", ")
}

func levelWords(level int, ok bool) string {
	if !ok {
		return "unrated"
	}
	return fmt.Sprint(level)
}

func amountWords(a *Amount) string {
	if a == nil {
		return "none"
	}
	return a.String()
}

// peakChanges words the peak periods added, removed or changed, by name.
func peakChanges(was, is []PeakPeriod) []string {
	var out []string
	for _, p := range is {
		i := slices.IndexFunc(was, func(o PeakPeriod) bool { return o.Name == p.Name })
		if i < 0 {
			out = append(out, fmt.Sprintf("the peak period %q was added", p.Name))
		} else if !reflect.DeepEqual(was[i], p) {
			out = append(out, fmt.Sprintf("the peak period %q changed", p.Name))
		}
	}
	for _, p := range was {
		if !slices.ContainsFunc(is, func(n PeakPeriod) bool { return n.Name == p.Name }) {
			out = append(out, fmt.Sprintf("the peak period %q was removed", p.Name))
		}
	}
	return out
}

// resourceChanges names the lists of resources that changed.
func resourceChanges(was, is *BIAResources) string {
	var a, b BIAResources
	if was != nil {
		a = *was
	}
	if is != nil {
		b = *is
	}
	var parts []string
	if !slices.Equal(a.People, b.People) {
		parts = append(parts, "people")
	}
	for _, l := range []struct {
		name     string
		was, now []string
	}{{"systems", a.Systems, b.Systems}, {"facilities", a.Facilities, b.Facilities},
		{"suppliers", a.Suppliers, b.Suppliers}, {"vital records", a.VitalRecords, b.VitalRecords}} {
		if !slices.Equal(l.was, l.now) {
			parts = append(parts, l.name)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "the resources needed changed: " + joinWords(parts)
}

// dependencyKey identifies a dependency across changes: its service, or
// the members of its redundancy group.
func dependencyKey(d Dependency) string {
	if !d.IsGroup() {
		return d.On
	}
	m := slices.Clone(d.AnyOf)
	slices.Sort(m)
	return "any of " + strings.Join(m, ",")
}

// dependencyChanges words the dependencies added, removed or changed:
// "the dependency on payments-api was added".
func dependencyChanges(was, is []Dependency) []string {
	old := map[string]Dependency{}
	for _, d := range was {
		old[dependencyKey(d)] = d
	}
	var out []string
	seen := map[string]bool{}
	for _, d := range is {
		k := dependencyKey(d)
		seen[k] = true
		o, ok := old[k]
		if !ok {
			out = append(out, fmt.Sprintf("the dependency on %s was added", d.Label()))
		} else if c := dependencyChange(o, d); c != "" {
			out = append(out, fmt.Sprintf("the dependency on %s changed: %s", d.Label(), c))
		}
	}
	for _, d := range was {
		if !seen[dependencyKey(d)] {
			out = append(out, fmt.Sprintf("the dependency on %s was removed", d.Label()))
		}
	}
	return out
}

// dependencyChange words how one dependency changed.
func dependencyChange(was, is Dependency) string {
	var parts []string
	if was.Soft() != is.Soft() {
		parts = append(parts, map[bool]string{true: "now soft (degraded)", false: "now hard (down)"}[is.Soft()])
	}
	if was.Type != is.Type {
		parts = append(parts, fmt.Sprintf("type %s → %s", textWords(was.Type), textWords(is.Type)))
	}
	if !sameDuration(was.Workaround, is.Workaround) {
		parts = append(parts, fmt.Sprintf("workaround %s → %s", durationWords(was.Workaround), durationWords(is.Workaround)))
	}
	if was.MinUp != is.MinUp {
		parts = append(parts, fmt.Sprintf("min_up %d → %d", was.MinUp, is.MinUp))
	}
	return strings.Join(parts, ", ")
}

func textWords(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
