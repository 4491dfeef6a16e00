package lifeboat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Dependency is one entry of a service's depends_on list: either a single
// service (On) or a redundancy group of alternatives (AnyOf) that is down
// only when fewer than MinUp of its members are up.
type Dependency struct {
	On    string   `json:"on,omitempty" yaml:"on,omitempty" doc:"The service depended on."`
	AnyOf []string `json:"any_of,omitempty" yaml:"any_of,omitempty,flow" maxItems:"64" doc:"A redundancy group: alternatives of which min_up must be up."`
	MinUp int      `json:"min_up,omitempty" yaml:"min_up,omitempty" minimum:"0" doc:"How many members of any_of must be up; defaults to 1."`
	// Impact is down (a hard dependency, the default) or degraded (soft).
	Impact Impact `json:"impact,omitempty" yaml:"impact,omitempty" enum:"down,degraded" doc:"What losing the dependency does: down (hard, the default) or degraded (soft)."`
	// Type names the relationship: uses, runs-on, hosted-in, provided-by...
	Type string `json:"type,omitempty" yaml:"type,omitempty" maxLength:"64" doc:"The relationship: uses, runs-on, hosted-in, provided-by..."`
	// Workaround is how long a manual workaround can cover the dependency.
	Workaround *Duration `json:"workaround,omitempty" yaml:"workaround,omitempty" doc:"How long a manual workaround can cover the dependency."`
}

// MaxGroupSize bounds the members of one redundancy group.
const MaxGroupSize = 64

// MaxDependencies bounds the dependencies of one service.
const MaxDependencies = 1000

// UnmarshalJSON accepts the short form of format v1, a bare service id, as
// well as the full object.
func (d *Dependency) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*d = Dependency{}
		return json.Unmarshal(b, &d.On)
	}
	type dependency Dependency // the fields without this method
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p dependency
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*d = Dependency(p)
	return nil
}

// MarshalYAML writes a plain hard dependency in the short form of format
// v1, a bare service id, and leaves the default impact out of the long form.
func (d Dependency) MarshalYAML() (any, error) {
	if !d.IsGroup() && (d.Impact == ImpactDown || d.Impact == "") && d.Type == "" && d.Workaround == nil {
		return d.On, nil
	}
	type dependency Dependency // the fields without this method
	p := dependency(d)
	if p.Impact == ImpactDown {
		p.Impact = ""
	}
	return p, nil
}

// IsGroup reports whether the dependency is a redundancy group.
func (d Dependency) IsGroup() bool { return len(d.AnyOf) > 0 }

// Targets returns the services the dependency points at.
func (d Dependency) Targets() []string {
	if d.IsGroup() {
		return d.AnyOf
	}
	return []string{d.On}
}

// Label describes the dependency's target in words: "db" or
// "any 1 of db-east, db-west".
func (d Dependency) Label() string {
	if !d.IsGroup() {
		return d.On
	}
	return fmt.Sprintf("any %d of %s", d.MinUp, strings.Join(d.AnyOf, ", "))
}

// Soft reports whether losing the dependency only degrades the service.
func (d Dependency) Soft() bool { return d.Impact == ImpactDegraded }

func (d *Dependency) normalize() {
	if d.Impact == "" {
		d.Impact = ImpactDown
	}
	if d.IsGroup() && d.MinUp == 0 {
		d.MinUp = 1
	}
}

func (s *Service) validateDependencies(p *Problems) {
	if len(s.DependsOn) > MaxDependencies {
		p.Add("depends_on", "a service may have at most %d dependencies", MaxDependencies)
		return
	}
	seen := map[string]string{}
	for i, d := range s.DependsOn {
		field := "depends_on[" + strconv.Itoa(i) + "]"
		d.validate(p, field)
		for j, t := range d.Targets() {
			where := field + ".on"
			if d.IsGroup() {
				where = field + ".any_of[" + strconv.Itoa(j) + "]"
			}
			if t == s.ID && t != "" {
				p.Add(where, "a service cannot depend on itself")
			} else if prev, dup := seen[t]; dup && t != "" {
				p.Add(where, "%q is already a dependency at %s", t, prev)
			} else {
				seen[t] = where
			}
		}
	}
}

func (d Dependency) validate(p *Problems, field string) {
	switch {
	case d.On != "" && d.IsGroup():
		p.Add(field, "use either on or any_of, not both")
	case d.On == "" && !d.IsGroup():
		p.Add(field+".on", "name the service depended on")
	case d.IsGroup():
		if len(d.AnyOf) > MaxGroupSize {
			p.Add(field+".any_of", "a redundancy group may have at most %d members", MaxGroupSize)
		}
		if d.MinUp < 1 || d.MinUp > len(d.AnyOf) {
			p.Add(field+".min_up", "min_up must be between 1 and the number of members (%d)", len(d.AnyOf))
		}
		for j, m := range d.AnyOf {
			if !ValidID(m) {
				p.Add(field+".any_of["+strconv.Itoa(j)+"]", "%q is not a valid service id", m)
			}
		}
	default:
		if !ValidID(d.On) {
			p.Add(field+".on", "%q is not a valid service id", d.On)
		}
		if d.MinUp != 0 {
			p.Add(field+".min_up", "min_up belongs to a redundancy group (any_of)")
		}
	}
	if d.Impact != ImpactDown && d.Impact != ImpactDegraded {
		p.Add(field+".impact", "%q is not an impact; use \"down\" (hard dependency) or \"degraded\" (soft)", d.Impact)
	}
	checkLen(p, field+".type", d.Type, 64)
	if strings.ContainsFunc(d.Type, unicode.IsControl) {
		p.Add(field+".type", "must not contain tabs, line breaks or other control characters")
	}
}

func joinQuoted[T ~string](vs []T) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(string(v))
	}
	return strings.Join(q, ", ")
}
