package model

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// decoder turns YAML nodes into the domain's types by their yaml tags,
// strictly: an unknown key, a wrong type or a malformed duration is an
// error at the node's line and column, and decoding goes on so that one
// pass reports every problem.
type decoder struct {
	file string
	errs []Error
	// aliases bounds how many nodes aliases may expand to, so that a
	// "billion laughs" document fails instead of eating the machine.
	aliases int
	// exhausted is set once the budget is spent and reported.
	exhausted bool
}

// maxDepth bounds nesting; the format never needs more than a few levels.
const maxDepth = 32

// aliasBudget is how many nodes all aliases of one file may expand to.
const aliasBudget = 1_000_000

var (
	durationType   = reflect.TypeFor[lifeboat.Duration]()
	dependencyType = reflect.TypeFor[lifeboat.Dependency]()
	timeType       = reflect.TypeFor[time.Time]()
)

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	if d.exhausted {
		return // one message is enough; the rest would repeat it
	}
	d.errs = append(d.errs, Error{Pos: Pos{File: d.file, Line: n.Line, Col: n.Column}, Message: fmt.Sprintf(format, args...)})
}

// resolve follows an alias to the node it names, within the budget; nil
// means the budget is spent, and the caller reports it.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		if d.aliases -= countNodes(n.Alias, d.aliases+1); d.aliases < 0 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// spent reports the spent alias budget once, at n.
func (d *decoder) spent(n *yaml.Node, key string) {
	d.errorf(n, "%s: aliases expand to too many nodes (more than %d)", key, aliasBudget)
	d.exhausted = true
}

// countNodes counts the nodes under n, stopping once past limit.
func countNodes(n *yaml.Node, limit int) int {
	count := 1
	for _, c := range n.Content {
		if count > limit {
			break
		}
		count += countNodes(c, limit-count)
	}
	return count
}

// value decodes n into v; key names the field for messages.
func (d *decoder) value(n *yaml.Node, v reflect.Value, key string, depth int) {
	orig := n
	if n = d.resolve(n); n == nil {
		d.spent(orig, key)
		return
	}
	if depth > maxDepth {
		d.errorf(n, "%s: nested too deeply", key)
		return
	}
	if isNull(n) && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) {
		return // an empty value leaves the field unset
	}
	switch t := v.Type(); {
	case t == durationType:
		d.duration(n, v, key)
	case t == timeType:
		d.timestamp(n, v, key)
	case t == dependencyType && n.Kind == yaml.ScalarNode:
		if d.scalar(n, "!!str", key, "a service id or a mapping with on or any_of") {
			v.FieldByName("On").SetString(n.Value)
		}
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		d.value(n, p.Elem(), key, depth)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.structure(n, v, key, depth)
	case t.Kind() == reflect.Slice:
		d.list(n, v, key, depth)
	case t.Kind() == reflect.Map:
		d.mapping(n, v, key, depth)
	default:
		d.basic(n, v, key)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// scalar checks that n is a scalar with the given tag.
func (d *decoder) scalar(n *yaml.Node, tag, key, want string) bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag {
		d.errorf(n, "%s: want %s, got %s", key, want, describe(n))
		return false
	}
	return true
}

func (d *decoder) basic(n *yaml.Node, v reflect.Value, key string) {
	switch v.Kind() {
	case reflect.String:
		if d.scalar(n, "!!str", key, "text") {
			v.SetString(n.Value)
		}
	case reflect.Int, reflect.Int64:
		if !d.scalar(n, "!!int", key, "a whole number") {
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil || i < -1<<31 || i > 1<<31-1 {
			d.errorf(n, "%s: %s is out of range", key, n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			d.errorf(n, "%s: want a number, got %s", key, describe(n))
			return
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			d.errorf(n, "%s: want a finite number, got %s", key, n.Value)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		if !d.scalar(n, "!!bool", key, "true or false") {
			return
		}
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			d.errorf(n, "%s: want true or false, got %s", key, n.Value)
			return
		}
		v.SetBool(b)
	default:
		panic("model: no decoding for " + v.Type().String())
	}
}

func (d *decoder) list(n *yaml.Node, v reflect.Value, key string, depth int) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: want a list, got %s", key, describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.value(item, s.Index(i), key+"["+strconv.Itoa(i)+"]", depth+1)
	}
	v.Set(s)
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, key string, depth int) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping, got %s", key, describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	d.pairs(n, key, depth, func(k, val *yaml.Node) {
		e := reflect.New(v.Type().Elem()).Elem()
		d.value(val, e, key+"."+k.Value, depth+1)
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
	})
	v.Set(m)
}

// pairs calls fn for each key and value of a mapping and reports keys that
// are not text or are given twice. Merge keys (<<) fill in the keys the
// mapping does not set itself.
func (d *decoder) pairs(n *yaml.Node, key string, depth int, fn func(k, v *yaml.Node)) {
	seen := map[string]int{} // key -> line it was first given on
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merges = append(merges, val)
		case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
			d.errorf(k, "%s: keys must be text, got %s", key, describe(k))
		case seen[k.Value] > 0:
			d.errorf(k, "%s: key %q is given twice (first on line %d)", key, k.Value, seen[k.Value])
		default:
			seen[k.Value] = max(k.Line, 1)
			fn(k, val)
		}
	}
	if depth > maxDepth && len(merges) > 0 {
		d.errorf(n, "%s: merge keys nested too deeply", key)
		return
	}
	for _, m := range merges {
		d.merge(m, key, func(src *yaml.Node) {
			d.pairs(src, key, depth+1, func(k, v *yaml.Node) {
				if seen[k.Value] == 0 {
					seen[k.Value] = max(k.Line, 1)
					fn(k, v)
				}
			})
		})
	}
}

// merge calls fn with each mapping a merge key names.
func (d *decoder) merge(v *yaml.Node, key string, fn func(*yaml.Node)) {
	orig := v
	if v = d.resolve(v); v == nil {
		d.spent(orig, key)
		return
	}
	switch v.Kind {
	case yaml.MappingNode:
		fn(v)
	case yaml.SequenceNode:
		for _, m := range v.Content {
			switch r := d.resolve(m); {
			case r == nil:
				d.spent(m, key)
				return
			case r.Kind == yaml.MappingNode:
				fn(r)
			default:
				d.errorf(m, "%s: a merge key (<<) takes mappings, got %s", key, describe(r))
			}
		}
	default:
		d.errorf(v, "%s: a merge key (<<) takes a mapping or a list of mappings, got %s", key, describe(v))
	}
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, key string, depth int) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping with %s, got %s", key, fieldsOf(v.Type()).list(), describe(n))
		return
	}
	fs := fieldsOf(v.Type())
	given := map[string]bool{}
	d.pairs(n, key, depth, func(k, val *yaml.Node) {
		f, ok := fs.byName[k.Value]
		if !ok {
			d.errorf(k, "%s", unknownKey(key, k.Value, fs.names))
			return
		}
		given[k.Value] = true
		d.value(val, v.Field(f.index), k.Value, depth+1)
	})
	for _, name := range fs.names {
		if fs.byName[name].required && !given[name] {
			d.errorf(n, "%s: %s is required", key, name)
		}
	}
}

// unknownKey words an unknown key, suggesting the nearest known one.
func unknownKey(where, got string, known []string) string {
	msg := fmt.Sprintf("%s: unknown key %q", where, got)
	if best := nearest(got, known); best != "" {
		return msg + fmt.Sprintf("; did you mean %q?", best)
	}
	return msg + "; known keys are " + strings.Join(known, ", ")
}

// nearest returns the known word closest to got when it is close enough
// to be a typo.
func nearest(got string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(got, k); dist < bestDist || (dist == bestDist && best == "" && dist <= len(k)/3) {
			best, bestDist = k, dist
		}
	}
	if bestDist > 2 || bestDist > len(best)/2 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe names what a node holds, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!int", "!!float":
		return "the number " + n.Value + " (quote it to make it text)"
	case "!!bool":
		return n.Value + " (quote it to make it text)"
	case "!!str":
		return strconv.Quote(truncate(n.Value, 60))
	}
	return n.ShortTag() + " " + strconv.Quote(truncate(n.Value, 60))
}

func truncate(s string, limit int) string {
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// field is one key of a struct in the format.
type field struct {
	index    int
	required bool
	flow     bool // written on one line: [a, b]
}

// structFields are a struct's keys in declaration order.
type structFields struct {
	names  []string
	byName map[string]field
}

func (fs structFields) list() string { return strings.Join(fs.names, ", ") }

var fieldCache sync.Map // reflect.Type -> structFields

// fieldsOf lists the keys of a struct from its yaml tags. A key without
// omitempty is required: that is the rule the JSON Schema follows too.
func fieldsOf(t reflect.Type) structFields {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(structFields)
	}
	fs := structFields{byName: map[string]field{}}
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !t.Field(i).IsExported() {
			continue
		}
		fs.names = append(fs.names, name)
		o := strings.Split(opts, ",")
		fs.byName[name] = field{index: i, required: !slices.Contains(o, "omitempty"), flow: slices.Contains(o, "flow")}
	}
	fieldCache.Store(t, fs)
	return fs
}
