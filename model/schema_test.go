package model

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// The tests in this file keep schema.json and the Go types from drifting
// apart. They walk the types by reflection, from lifeboat.Model's fields
// (the top-level keys) down, in step with the schema, and use fieldsOf, the
// very function the loader decodes with, to list each struct's keys and
// which of them are required. So a field added to a domain type with a yaml
// tag is a key the loader accepts; the walk then finds no property of that
// name in the schema and fails. A property left in the schema for a field
// that is gone fails the same way, and so does a required list, a scalar
// type or an enum that no longer matches. No field is named here: the
// tables below only tie named types and bounds to the Go values they come
// from.

// idPatternV1 is the id rule of the format contract.
const idPatternV1 = `^[a-z0-9][a-z0-9._-]{0,127}$`

// enums ties each named string type of the format to the values it takes.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[lifeboat.Kind]():         strs(lifeboat.Kinds),
	reflect.TypeFor[lifeboat.Lifecycle]():    strs(lifeboat.Lifecycles),
	reflect.TypeFor[lifeboat.Treatment]():    strs(lifeboat.Treatments),
	reflect.TypeFor[lifeboat.Impact]():       {string(lifeboat.ImpactDown), string(lifeboat.ImpactDegraded)},
	reflect.TypeFor[lifeboat.ReviewStatus](): strs(lifeboat.ReviewStatuses),
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// schemaDoc parses the embedded schema afresh, so that a test may change it.
func schemaDoc(t testing.TB) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	return doc
}

// drift walks Go types and schema nodes side by side and collects where
// they disagree.
type drift struct {
	root     map[string]any
	problems []string
}

func (d *drift) errorf(path, format string, args ...any) {
	d.problems = append(d.problems, path+": "+fmt.Sprintf(format, args...))
}

// resolve follows $ref chains, letting the keywords beside each $ref
// (descriptions, bounds) override those of the definition. It returns the
// merged node and the references it followed.
func (d *drift) resolve(path string, node any) (map[string]any, []string) {
	n, ok := node.(map[string]any)
	if !ok {
		d.errorf(path, "want a schema object, got %v", node)
		return map[string]any{}, nil
	}
	var refs []string
	for len(refs) < 10 {
		ref, ok := n["$ref"].(string)
		if !ok {
			return n, refs
		}
		refs = append(refs, ref)
		target, ok := d.lookup(ref)
		if !ok {
			d.errorf(path, "$ref %q names no definition", ref)
			return map[string]any{}, refs
		}
		merged := maps.Clone(target)
		for k, v := range n {
			if k != "$ref" {
				merged[k] = v
			}
		}
		n = merged
	}
	d.errorf(path, "$ref chain too long: %v", refs)
	return n, refs
}

func (d *drift) lookup(ref string) (map[string]any, bool) {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil, false
	}
	defs, _ := d.root["$defs"].(map[string]any)
	def, ok := defs[name].(map[string]any)
	return def, ok
}

// check compares the schema node of path with the Go type its value
// decodes into, in the way decoder.value dispatches on types.
func (d *drift) check(path string, t reflect.Type, node any) {
	n, refs := d.resolve(path, node)
	switch {
	case t == durationType:
		if !slices.Contains(refs, "#/$defs/duration") {
			d.errorf(path, "a duration must refer to #/$defs/duration")
		}
	case t == timeType:
		if !slices.Contains(refs, "#/$defs/time") {
			d.errorf(path, "a time must refer to #/$defs/time")
		}
	case t == dependencyType:
		d.union(path, t, n)
	case t.Kind() == reflect.Pointer:
		d.check(path, t.Elem(), node)
	case t.Kind() == reflect.Struct:
		d.object(path, t, n)
	case t.Kind() == reflect.Slice:
		if d.wantType(path, n, "array") {
			d.check(path+"[]", t.Elem(), n["items"])
		}
	case t.Kind() == reflect.Map:
		if t.Key().Kind() != reflect.String {
			d.errorf(path, "map keys of %s are not text, which YAML keys and JSON properties are", t)
		}
		if d.wantType(path, n, "object") {
			d.check(path+".*", t.Elem(), n["additionalProperties"])
			props, _ := n["properties"].(map[string]any)
			for _, name := range slices.Sorted(maps.Keys(props)) {
				d.check(path+"."+name, t.Elem(), props[name])
			}
		}
	default:
		d.scalar(path, t, n)
	}
}

// scalar checks the JSON type that decoder.basic accepts for a kind of Go
// value, and the enum of named string types.
func (d *drift) scalar(path string, t reflect.Type, n map[string]any) {
	want := map[reflect.Kind]string{reflect.String: "string", reflect.Int: "integer", reflect.Int64: "integer",
		reflect.Float64: "number", reflect.Bool: "boolean"}[t.Kind()]
	if want == "" {
		d.errorf(path, "the loader has no decoding for %s", t)
		return
	}
	d.wantType(path, n, want)
	values, isEnum := enums[t]
	switch {
	case isEnum:
		got, _ := n["enum"].([]any)
		var gotStrs []string
		for _, v := range got {
			s, _ := v.(string)
			gotStrs = append(gotStrs, s)
		}
		if !slices.Equal(gotStrs, values) {
			d.errorf(path, "enum is %q, want the values of %s: %q", gotStrs, t, values)
		}
	case t.Kind() == reflect.String && t.PkgPath() != "":
		d.errorf(path, "%s is a named string type without an entry in enums: list its values there", t)
	case n["enum"] != nil:
		d.errorf(path, "enum on %s, which is not a named type of enums", t)
	}
}

func (d *drift) wantType(path string, n map[string]any, want string) bool {
	if got := n["type"]; got != want {
		d.errorf(path, "type is %v, want %q", got, want)
		return false
	}
	return true
}

// object checks a struct: the same keys, the same required keys, no others
// allowed, and each key's value in turn.
func (d *drift) object(path string, t reflect.Type, n map[string]any) {
	if !d.wantType(path, n, "object") {
		return
	}
	if n["additionalProperties"] != false {
		d.errorf(path, "additionalProperties must be false: the loader refuses unknown keys")
	}
	fs := fieldsOf(t)
	props, _ := n["properties"].(map[string]any)
	d.sameKeys(path, t, fs.names, slices.Collect(maps.Keys(props)), "property")
	var required []string
	for _, name := range fs.names {
		if fs.byName[name].required {
			required = append(required, name)
		}
	}
	d.sameKeys(path, t, required, stringList(n["required"]), "required key")
	for _, name := range fs.names {
		if p, ok := props[name]; ok {
			d.check(path+"."+name, t.Field(fs.byName[name].index).Type, p)
		}
	}
}

// union checks a struct that the schema splits into alternatives (oneOf),
// such as a dependency on one service and a redundancy group: together the
// object alternatives have every key of the struct and no other, each
// requires the struct's required keys, and one string alternative stands
// for the short form the decoder accepts: a bare service id.
func (d *drift) union(path string, t reflect.Type, n map[string]any) {
	branches, _ := n["oneOf"].([]any)
	if len(branches) == 0 {
		d.errorf(path, "want oneOf alternatives for %s", t)
		return
	}
	fs := fieldsOf(t)
	seen := map[string]bool{}
	shorts := 0
	for i, b := range branches {
		bpath := fmt.Sprintf("%s(oneOf %d)", path, i)
		bn, refs := d.resolve(bpath, b)
		if bn["type"] == "string" {
			shorts++
			if !slices.Contains(refs, "#/$defs/id") {
				d.errorf(bpath, "the short form is a service id: refer to #/$defs/id")
			}
			continue
		}
		if !d.wantType(bpath, bn, "object") {
			continue
		}
		if bn["additionalProperties"] != false {
			d.errorf(bpath, "additionalProperties must be false: the loader refuses unknown keys")
		}
		props, _ := bn["properties"].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(props)) {
			f, ok := fs.byName[name]
			if !ok {
				d.errorf(bpath, "property %q is no key of %s", name, t)
				continue
			}
			seen[name] = true
			d.check(bpath+"."+name, t.Field(f.index).Type, props[name])
		}
		req := stringList(bn["required"])
		for _, name := range req {
			if _, ok := props[name]; !ok {
				d.errorf(bpath, "requires %q, which it does not allow", name)
			}
		}
		for _, name := range fs.names {
			if fs.byName[name].required && !slices.Contains(req, name) {
				d.errorf(bpath, "key %q of %s is required, but not by this alternative", name, t)
			}
		}
	}
	for _, name := range fs.names {
		if !seen[name] {
			d.errorf(path, "key %q of %s is in no alternative of the schema", name, t)
		}
	}
	if shorts != 1 {
		d.errorf(path, "%d string alternatives, want 1 for the short form", shorts)
	}
}

// sameKeys reports the names only one side has.
func (d *drift) sameKeys(path string, t reflect.Type, goNames, schemaNames []string, what string) {
	for _, name := range goNames {
		if !slices.Contains(schemaNames, name) {
			d.errorf(path, "key %q of %s is no %s of the schema", name, t, what)
		}
	}
	for _, name := range slices.Sorted(slices.Values(schemaNames)) {
		if !slices.Contains(goNames, name) {
			d.errorf(path, "the schema has %s %q, which %s does not", what, name, t)
		}
	}
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// checkRoot checks the top level: the keys of lifeboat.Model, which are the
// keys load.go decodes, plus version.
func (d *drift) checkRoot() {
	n := d.root
	if types := stringList(n["type"]); !slices.Equal(types, []string{"object", "null"}) {
		d.errorf("model", "type is %v, want [object null]: a file may be empty", n["type"])
	}
	if n["additionalProperties"] != false {
		d.errorf("model", "additionalProperties must be false: the loader refuses unknown keys")
	}
	if n["required"] != nil {
		d.errorf("model", "no top-level key is required")
	}
	t := reflect.TypeFor[lifeboat.Model]()
	keys := append([]string{"version"}, fieldsOf(t).names...)
	props, _ := n["properties"].(map[string]any)
	d.sameKeys("model", t, keys, slices.Collect(maps.Keys(props)), "property")
	if !slices.Equal(slices.Sorted(slices.Values(keys)), slices.Sorted(slices.Values(topKeys))) {
		d.errorf("model", "the keys of lifeboat.Model and version (%v) are not the keys the loader reads (%v)", keys, topKeys)
	}
	fs := fieldsOf(t)
	for _, name := range fs.names {
		if fs.byName[name].required {
			d.errorf("model", "top-level key %q has no omitempty, but no top-level key is required", name)
		}
		if p, ok := props[name]; ok {
			d.check(name, t.Field(fs.byName[name].index).Type, p)
		}
	}
}

func TestSchemaMatchesTheGoTypes(t *testing.T) {
	d := &drift{root: schemaDoc(t)}
	d.checkRoot()
	for _, p := range d.problems {
		t.Error(p)
	}
}

// TestDriftCheckFails changes the schema and the types the way a careless
// edit would, and expects the walk to notice each change.
func TestDriftCheckFails(t *testing.T) {
	// teamPlus is lifeboat.Team with one more key: the schema lacks it.
	type teamPlus struct {
		ID          string   `yaml:"id"`
		Name        string   `yaml:"name,omitempty"`
		Description string   `yaml:"description,omitempty"`
		Members     []string `yaml:"members,omitempty,flow"`
		OnCall      string   `yaml:"on_call,omitempty"`
	}
	teamType := reflect.TypeFor[lifeboat.Team]()
	teamDef := func(doc map[string]any) map[string]any { return doc["$defs"].(map[string]any)["team"].(map[string]any) }
	teamProps := func(doc map[string]any) map[string]any { return teamDef(doc)["properties"].(map[string]any) }
	cases := []struct {
		name string
		typ  reflect.Type
		edit func(doc map[string]any)
		want string
	}{
		{"a field the schema lacks", reflect.TypeFor[teamPlus](), func(map[string]any) {}, `key "on_call"`},
		{"a property the type lacks", teamType, func(doc map[string]any) {
			teamProps(doc)["email"] = map[string]any{"type": "string", "description": "x"}
		}, `property "email"`},
		{"a missing property", teamType, func(doc map[string]any) { delete(teamProps(doc), "members") }, `key "members"`},
		{"a required key dropped", teamType, func(doc map[string]any) { teamDef(doc)["required"] = []any{} }, `required key`},
		{"an optional key required", teamType, func(doc map[string]any) { teamDef(doc)["required"] = []any{"id", "name"} }, `required key "name"`},
		{"a wrong scalar type", teamType, func(doc map[string]any) { teamProps(doc)["name"].(map[string]any)["type"] = "integer" }, `want "string"`},
		{"unknown keys allowed", teamType, func(doc map[string]any) { teamDef(doc)["additionalProperties"] = true }, `additionalProperties`},
		{"a list that is not an array", teamType, func(doc map[string]any) { teamProps(doc)["members"] = map[string]any{"type": "string"} }, `want "array"`},
	}
	for _, c := range cases {
		doc := schemaDoc(t)
		c.edit(doc)
		d := &drift{root: doc}
		d.check("teams[]", c.typ, map[string]any{"$ref": "#/$defs/team"})
		if !strings.Contains(strings.Join(d.problems, "\n"), c.want) {
			t.Errorf("%s: want a problem with %q, got %q", c.name, c.want, d.problems)
		}
	}

	// A changed enum, a plain string where a duration belongs, and a
	// dependency alternative with a key the type lacks.
	for name, edit := range map[string]func(defs map[string]any){
		"enum": func(defs map[string]any) {
			kind := defs["service"].(map[string]any)["properties"].(map[string]any)["kind"].(map[string]any)
			kind["enum"] = []any{"application", "vendor"}
		},
		"duration": func(defs map[string]any) {
			defs["objectives"].(map[string]any)["properties"].(map[string]any)["rto"] = map[string]any{"type": "string", "description": "x"}
		},
		"dependency": func(defs map[string]any) {
			defs["dependencyOn"].(map[string]any)["properties"].(map[string]any)["via"] = map[string]any{"type": "string"}
		},
	} {
		doc := schemaDoc(t)
		edit(doc["$defs"].(map[string]any))
		d := &drift{root: doc}
		d.checkRoot()
		if len(d.problems) == 0 {
			t.Errorf("a changed %s went unnoticed", name)
		}
	}
}
