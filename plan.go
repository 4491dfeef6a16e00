package lifeboat

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// The actions of a plan.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Plan is what applying a model changes, object by object, like
// `terraform plan`: creates, updates with the fields they change, and
// deletes. Applied says whether the changes were made.
type Plan struct {
	Changes []Change `json:"changes"`
	// Digest identifies the changes: two plans with the same digest make
	// the same changes. A reviewed plan is applied with its digest as
	// ApplyOptions.Expect, so that what runs is what was reviewed.
	Digest    string `json:"digest"`
	Create    int    `json:"create"`
	Update    int    `json:"update"`
	Delete    int    `json:"delete"`
	Unchanged int    `json:"unchanged"`
	// Kept counts the objects the database has and the model does not,
	// which stay because the plan does not prune.
	Kept    int  `json:"kept"`
	Applied bool `json:"applied"`
}

// Change is one object created, updated or deleted.
type Change struct {
	Action string `json:"action"`
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	// Fields lists what an update changes, with the values before and after
	// as the API writes them.
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one field of an object that an update changes.
type FieldChange struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// digest hashes the plan's changes.
func (p *Plan) digest() string {
	b, err := json.Marshal(p.Changes)
	if err != nil {
		panic(fmt.Sprintf("plan: changes always marshal: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// kindOrder is the order kinds are listed and created in: what an object
// refers to comes before it.
var kindOrder = []string{ObjPerson, ObjTeam, ObjService, ObjImpactScale, ObjBIA, ObjRisk}

// Diff plans how to turn the model have into want. Objects are matched by
// kind and id; without prune, objects only have holds are kept.
func Diff(have, want *Model, prune bool) *Plan {
	p := &Plan{Changes: []Change{}}
	diffKind(p, ObjPerson, have.People, want.People, func(x *Person) string { return x.ID }, prune)
	diffKind(p, ObjTeam, have.Teams, want.Teams, func(t *Team) string { return t.ID }, prune)
	diffKind(p, ObjService, have.Services, want.Services, func(s *Service) string { return s.ID }, prune)
	diffKind(p, ObjImpactScale, scaleList(have), scaleList(want), func(*ImpactScale) string { return ObjImpactScale }, prune)
	diffKind(p, ObjBIA, have.BIAs, want.BIAs, func(b *BIA) string { return b.Service }, prune)
	diffKind(p, ObjRisk, have.Risks, want.Risks, func(r *Risk) string { return r.ID }, prune)
	slices.SortStableFunc(p.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(slices.Index(kindOrder, a.Kind), slices.Index(kindOrder, b.Kind)), cmp.Compare(a.ID, b.ID))
	})
	p.Digest = p.digest()
	for _, c := range p.Changes {
		switch c.Action {
		case ActionCreate:
			p.Create++
		case ActionUpdate:
			p.Update++
		case ActionDelete:
			p.Delete++
		}
	}
	return p
}

func scaleList(m *Model) []*ImpactScale {
	if m.ImpactScale == nil {
		return nil
	}
	return []*ImpactScale{m.ImpactScale}
}

func diffKind[T any](p *Plan, kind string, have, want []T, id func(T) string, prune bool) {
	old := make(map[string]T, len(have))
	for _, h := range have {
		old[id(h)] = h
	}
	seen := make(map[string]bool, len(want))
	for _, w := range want {
		k := id(w)
		seen[k] = true
		h, ok := old[k]
		if !ok {
			p.Changes = append(p.Changes, Change{Action: ActionCreate, Kind: kind, ID: k})
			continue
		}
		if fields := fieldChanges(h, w); len(fields) > 0 {
			p.Changes = append(p.Changes, Change{Action: ActionUpdate, Kind: kind, ID: k, Fields: fields})
		} else {
			p.Unchanged++
		}
	}
	for _, h := range have {
		if k := id(h); !seen[k] {
			if prune {
				p.Changes = append(p.Changes, Change{Action: ActionDelete, Kind: kind, ID: k})
			} else {
				p.Kept++
			}
		}
	}
}

// fieldChanges compares two objects field by field in their JSON form,
// which leaves out bookkeeping such as versions.
func fieldChanges(before, after any) []FieldChange {
	b, a := jsonFields(before), jsonFields(after)
	var out []FieldChange
	for _, k := range sortedKeys(mergeKeys(b, a)) {
		if !bytes.Equal(b[k], a[k]) {
			out = append(out, FieldChange{Field: k, Before: b[k], After: a[k]})
		}
	}
	return out
}

func jsonFields(v any) map[string]json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("plan: model objects always marshal: %v", err))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(fmt.Sprintf("plan: model objects are JSON objects: %v", err))
	}
	return m
}

func mergeKeys(a, b map[string]json.RawMessage) map[string]bool {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// WriteText writes the plan for people: one line per object with + for a
// create, ~ for an update (and its fields below it) and - for a delete,
// then a summary.
func (p *Plan) WriteText(w io.Writer) {
	signs := map[string]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}
	for _, c := range p.Changes {
		fmt.Fprintf(w, "  %s %s %s\n", signs[c.Action], c.Kind, c.ID)
		for _, f := range c.Fields {
			fmt.Fprintf(w, "      %s: %s -> %s\n", f.Field, shortJSON(f.Before), shortJSON(f.After))
		}
	}
	if p.Applied {
		fmt.Fprintf(w, "Applied: %d created, %d updated, %d deleted; %d unchanged", p.Create, p.Update, p.Delete, p.Unchanged)
	} else {
		fmt.Fprintf(w, "Plan: %d to create, %d to update, %d to delete; %d unchanged", p.Create, p.Update, p.Delete, p.Unchanged)
	}
	if p.Kept > 0 {
		fmt.Fprintf(w, ", %d only in the database kept (--prune deletes them)", p.Kept)
	}
	fmt.Fprintln(w, ".")
}

// shortJSON writes a value for a plan line, cut to a readable length.
func shortJSON(v json.RawMessage) string {
	if len(v) == 0 {
		return "(none)"
	}
	const limit = 120
	if r := []rune(string(v)); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return string(v)
}

// Overlay returns the model that applying want to have gives: want's
// objects, and with prune false also the objects only have holds.
func Overlay(have, want *Model, prune bool) *Model {
	if prune {
		return want
	}
	out := &Model{ImpactScale: want.ImpactScale}
	if out.ImpactScale == nil {
		out.ImpactScale = have.ImpactScale
	}
	out.Services = overlay(have.Services, want.Services, func(s *Service) string { return s.ID })
	out.Teams = overlay(have.Teams, want.Teams, func(t *Team) string { return t.ID })
	out.People = overlay(have.People, want.People, func(x *Person) string { return x.ID })
	out.BIAs = overlay(have.BIAs, want.BIAs, func(b *BIA) string { return b.Service })
	out.Risks = overlay(have.Risks, want.Risks, func(r *Risk) string { return r.ID })
	return out
}

func overlay[T any](have, want []T, id func(T) string) []T {
	given := idSet(want, id)
	out := slices.Clone(want)
	for _, h := range have {
		if !given[id(h)] {
			out = append(out, h)
		}
	}
	return out
}
