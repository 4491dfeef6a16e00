package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// part is what one file holds.
type part struct {
	file   lifeboat.SourceFile
	model  lifeboat.Model
	pos    []objectPos // in the order the objects were decoded
	scale  Pos
	errors []Error
}

type objectPos struct {
	kind, id string
	pos      Pos
}

func parse(name string, data []byte) *part {
	sum := sha256.Sum256(data)
	p := &part{file: lifeboat.SourceFile{Path: name, SHA256: hex.EncodeToString(sum[:])}}
	d := &decoder{file: name, aliases: aliasBudget}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			p.errors = append(d.errs, syntaxError(name, data, err))
			return p
		}
		p.document(d, &doc)
	}
	p.errors = d.errs
	return p
}

// topKeys are the top-level keys of a model file.
var topKeys = []string{"version", "services", "teams", "people", "impact_scale", "bia", "risks"}

func (p *part) document(d *decoder, doc *yaml.Node) {
	if len(doc.Content) == 0 {
		return // an empty document, such as a file of comments
	}
	root := d.resolve(doc.Content[0])
	if root == nil {
		d.spent(doc.Content[0], "model")
		return
	}
	if isNull(root) {
		return
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "a model file is a mapping with keys such as services, teams and people, got %s", describe(root))
		return
	}
	d.pairs(root, "model", 0, func(k, v *yaml.Node) {
		switch k.Value {
		case "version":
			if v.Kind != yaml.ScalarNode || v.Value != "1" {
				d.errorf(v, "version: this is format version 1; got %s", describe(v))
			}
		case "services":
			objects(d, p, v, lifeboat.ObjService, func(s *lifeboat.Service) string { return s.ID }, &p.model.Services)
		case "teams":
			objects(d, p, v, lifeboat.ObjTeam, func(t *lifeboat.Team) string { return t.ID }, &p.model.Teams)
		case "people":
			objects(d, p, v, lifeboat.ObjPerson, func(x *lifeboat.Person) string { return x.ID }, &p.model.People)
		case "bia":
			objects(d, p, v, lifeboat.ObjBIA, func(b *lifeboat.BIA) string { return b.Service }, &p.model.BIAs)
		case "risks":
			objects(d, p, v, lifeboat.ObjRisk, func(r *lifeboat.Risk) string { return r.ID }, &p.model.Risks)
		case "impact_scale":
			p.impactScale(d, v)
		default:
			d.errorf(k, "%s", unknownKey("model", k.Value, topKeys))
		}
	})
}

func (p *part) impactScale(d *decoder, v *yaml.Node) {
	if p.model.ImpactScale != nil {
		d.errorf(v, "impact_scale: given twice in this file (first at line %d)", p.scale.Line)
		return
	}
	s := new(lifeboat.ImpactScale)
	before := len(d.errs)
	d.value(v, reflect.ValueOf(s).Elem(), "impact_scale", 1)
	if len(d.errs) > before {
		return
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		d.problems(v, err)
		return
	}
	p.model.ImpactScale, p.scale = s, Pos{File: d.file, Line: v.Line, Col: v.Column}
}

// validatable is an object of the model: it fills in its defaults and
// checks itself.
type validatable interface{ Validate() error }

type normalizer interface{ Normalize() }

// objects decodes a list of objects of one kind, checks each one on its
// own and records where it was defined. Objects with problems are left out.
func objects[T validatable](d *decoder, p *part, list *yaml.Node, kind string, id func(T) string, out *[]T) {
	orig := list
	if list = d.resolve(list); list == nil {
		d.spent(orig, topKey(kind))
		return
	}
	if isNull(list) {
		return
	}
	if list.Kind != yaml.SequenceNode {
		d.errorf(list, "%s: want a list, got %s", topKey(kind), describe(list))
		return
	}
	elem := reflect.TypeFor[T]().Elem()
	for _, item := range list.Content {
		v := reflect.New(elem)
		before := len(d.errs)
		d.value(item, v.Elem(), kind, 1)
		if len(d.errs) > before {
			continue
		}
		obj := v.Interface().(T)
		if n, ok := any(obj).(normalizer); ok {
			n.Normalize()
		}
		if err := obj.Validate(); err != nil {
			d.problems(d.resolve(item), err)
			continue
		}
		*out = append(*out, obj)
		p.pos = append(p.pos, objectPos{kind: kind, id: id(obj), pos: Pos{File: d.file, Line: item.Line, Col: item.Column}})
	}
}

func topKey(kind string) string {
	if kind == lifeboat.ObjPerson {
		return "people"
	}
	if kind == lifeboat.ObjBIA {
		return kind
	}
	return kind + "s"
}

// problems reports a domain validation error at the nodes its field paths
// name, such as depends_on[1].on.
func (d *decoder) problems(obj *yaml.Node, err error) {
	fields := lifeboat.ErrorFields(err)
	if len(fields) == 0 {
		d.errorf(obj, "%s", lifeboat.ErrorMessage(err))
		return
	}
	for _, f := range fields {
		d.errorf(locate(obj, f.Field), "%s: %s", f.Field, f.Message)
	}
}

// locate walks a field path such as depends_on[1].any_of[0] down from an
// object's node, as far as the nodes go.
func locate(n *yaml.Node, path string) *yaml.Node {
	for _, seg := range strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					next = n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return n
		}
		n = next
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
	}
	return n
}
