package lifeboat

import (
	"slices"
	"strconv"
	"strings"
)

// The details a BIA records beside its impacts, extensions of format v1:
// when an outage hurts most, what the business needs to keep going and to
// recover (ISO/TS 22317 calls these the resources of an activity), and
// notes.

// PeakPeriod is a time when an outage hurts more than the impacts say,
// such as the month-end close or the weeks before Christmas.
type PeakPeriod struct {
	Name string `json:"name" yaml:"name"`
	// When says when the period is, in words: "last 3 business days of
	// each month".
	When string `json:"when" yaml:"when"`
	// Months are the months (1 to 12) the period falls in; none means
	// every month, or that the words say it better.
	Months []int `json:"months,omitempty" yaml:"months,omitempty,flow"`
	// Factor multiplies the losses during the period; unset means 1.
	Factor *float64 `json:"factor,omitempty" yaml:"factor,omitempty"`
}

// Multiplier is the period's loss multiplier: its factor, or 1.
func (p PeakPeriod) Multiplier() float64 {
	if p.Factor == nil {
		return 1
	}
	return *p.Factor
}

// BIAResources are what the business needs to keep going at its MBCO and
// to recover: people, systems, places, suppliers and records.
type BIAResources struct {
	People []StaffNeed `json:"people,omitempty" yaml:"people,omitempty"`
	// Systems are the services the business needs: service ids.
	Systems []string `json:"systems,omitempty" yaml:"systems,omitempty,flow"`
	// Facilities are the places it needs, in words.
	Facilities []string `json:"facilities,omitempty" yaml:"facilities,omitempty"`
	// Suppliers are the outside parties it needs: service ids, normally
	// of vendors.
	Suppliers []string `json:"suppliers,omitempty" yaml:"suppliers,omitempty,flow"`
	// VitalRecords are the records it cannot work without, in words.
	VitalRecords []string `json:"vital_records,omitempty" yaml:"vital_records,omitempty"`
}

// StaffNeed is how many people of a role the business needs.
type StaffNeed struct {
	Role  string `json:"role" yaml:"role"`
	Count int    `json:"count" yaml:"count"`
}

// Bounds of the details, generous for a real BIA and small enough that
// one BIA stays one readable page.
const (
	MaxPeakPeriods = 50
	MaxPeakFactor  = 100
	MaxResources   = 200 // entries of each list of resources
	MaxStaffCount  = 1_000_000
	MaxNotesLength = 10000
)

// normalizeDetails sorts the months of each period and drops repeats, keeps
// the order of the resource lists without repeats, and drops empty
// resources.
func (b *BIA) normalizeDetails() {
	for i := range b.PeakPeriods {
		p := &b.PeakPeriods[i]
		slices.Sort(p.Months)
		p.Months = slices.Compact(p.Months)
	}
	r := b.Resources
	if r == nil {
		return
	}
	r.Systems, r.Suppliers = unique(r.Systems), unique(r.Suppliers)
	r.Facilities, r.VitalRecords = unique(r.Facilities), unique(r.VitalRecords)
	if len(r.People) == 0 && len(r.Systems) == 0 && len(r.Facilities) == 0 && len(r.Suppliers) == 0 && len(r.VitalRecords) == 0 {
		b.Resources = nil
	}
}

// unique keeps the first of each value, in order.
func unique(vs []string) []string {
	seen := make(map[string]bool, len(vs))
	out := vs[:0:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// validateDetails checks the peak periods, resources and notes.
func (b *BIA) validateDetails(p *Problems) {
	if len(b.PeakPeriods) > MaxPeakPeriods {
		p.Add("peak_periods", "a BIA may have at most %d peak periods", MaxPeakPeriods)
	}
	for i, pp := range b.PeakPeriods {
		f := "peak_periods[" + strconv.Itoa(i) + "]"
		requireText(p, f+".name", pp.Name, 200)
		requireText(p, f+".when", pp.When, 500)
		for j, m := range pp.Months {
			if m < 1 || m > 12 {
				p.Add(f+".months["+strconv.Itoa(j)+"]", "a month is a number from 1 (January) to 12 (December), got %d", m)
			}
		}
		if pp.Factor != nil && (*pp.Factor < 1 || *pp.Factor > MaxPeakFactor) {
			p.Add(f+".factor", "the factor multiplies the losses during the peak: from 1 to %d, got %v", MaxPeakFactor, *pp.Factor)
		}
	}
	if r := b.Resources; r != nil {
		r.validate(p)
	}
	checkLen(p, "notes", b.Notes, MaxNotesLength)
}

func (r *BIAResources) validate(p *Problems) {
	for _, l := range []struct {
		field string
		n     int
	}{{"people", len(r.People)}, {"systems", len(r.Systems)}, {"facilities", len(r.Facilities)},
		{"suppliers", len(r.Suppliers)}, {"vital_records", len(r.VitalRecords)}} {
		if l.n > MaxResources {
			p.Add("resources."+l.field, "at most %d entries", MaxResources)
		}
	}
	roles := map[string]bool{}
	for i, s := range r.People {
		f := "resources.people[" + strconv.Itoa(i) + "]"
		requireText(p, f+".role", s.Role, 200)
		if key := strings.ToLower(strings.TrimSpace(s.Role)); roles[key] && key != "" {
			p.Add(f+".role", "role %q is listed twice", s.Role)
		} else {
			roles[key] = true
		}
		if s.Count < 1 || s.Count > MaxStaffCount {
			p.Add(f+".count", "the count of people must be between 1 and %d", MaxStaffCount)
		}
	}
	for _, l := range []struct {
		field string
		ids   []string
	}{{"systems", r.Systems}, {"suppliers", r.Suppliers}} {
		for i, id := range l.ids {
			if !ValidID(id) {
				p.Add("resources."+l.field+"["+strconv.Itoa(i)+"]", "%q is not a valid service id", id)
			}
		}
	}
	for _, l := range []struct {
		field string
		texts []string
	}{{"facilities", r.Facilities}, {"vital_records", r.VitalRecords}} {
		for i, t := range l.texts {
			requireText(p, "resources."+l.field+"["+strconv.Itoa(i)+"]", t, 500)
		}
	}
}

// requireText checks free text that must say something.
func requireText(p *Problems, field, v string, limit int) {
	if strings.TrimSpace(v) == "" {
		p.Add(field, "must not be empty")
		return
	}
	checkLen(p, field, v, limit)
}
