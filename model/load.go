// Package model reads and writes continuity models as code: the YAML files
// of format v1 (docs/format.md), their JSON Schema, and the layout that
// `lifeboat export` writes.
package model

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// Pos is a place in a model file; lines and columns count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one problem at one place of a model file.
type Error struct {
	Pos     Pos
	Message string
}

func (e Error) Error() string { return e.Pos.String() + ": " + e.Message }

// Errors is every problem found while loading a model, in file order.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Source tells where each object of a loaded model was defined.
type Source struct {
	Files []lifeboat.SourceFile
	pos   map[string]Pos
}

// Pos returns where the object of a kind and id was defined.
func (s *Source) Pos(kind, id string) (Pos, bool) {
	if s == nil {
		return Pos{}, false
	}
	p, ok := s.pos[kind+"\x00"+id]
	return p, ok
}

// Files lists the model files a path names: the file itself, or every
// *.yaml and *.yml file under a directory, in lexical order.
func Files(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isModelFile(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Load reads a model from files and directories. Files are parsed in
// parallel and their lists concatenated in the order given. A model that
// cannot be loaded returns Errors listing every problem.
func Load(paths ...string) (*lifeboat.Model, *Source, error) {
	files, err := Files(paths...)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no model files (*.yaml, *.yml) in %s", strings.Join(paths, ", "))
	}
	return loadFiles(files, os.ReadFile)
}

// LoadFS reads a model from the files and directories of fsys that paths
// name, as Load does; "." is all of it. Embedded models load this way.
func LoadFS(fsys fs.FS, paths ...string) (*lifeboat.Model, *Source, error) {
	var files []string
	for _, p := range paths {
		err := fs.WalkDir(fsys, p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (path == p || isModelFile(path)) {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return loadFiles(files, func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) })
}

func isModelFile(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".yaml" || ext == ".yml"
}

// loadFiles parses files in parallel, at most one per core at a time.
func loadFiles(files []string, read func(string) ([]byte, error)) (*lifeboat.Model, *Source, error) {
	parts := make([]*part, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := read(f)
			if err != nil {
				errs[i] = err
				return
			}
			parts[i] = parse(f, data)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return merge(parts)
}

// Parse reads a model from the content of one file; name is the file name
// errors show.
func Parse(name string, data []byte) (*lifeboat.Model, *Source, error) {
	return ParseFiles(File{Name: name, Data: data})
}

// File is the name and content of a model file, such as an upload.
type File struct {
	Name string
	Data []byte
}

// ParseFiles reads a model from the content of several files, as Load
// reads them from disk.
func ParseFiles(files ...File) (*lifeboat.Model, *Source, error) {
	parts := make([]*part, len(files))
	for i, f := range files {
		parts[i] = parse(f.Name, f.Data)
	}
	return merge(parts)
}

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

// yamlLine finds the line number in yaml.v3's error messages.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

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

// syntaxError places a YAML syntax error. yaml.v3 names only the line where
// the enclosing block began, or none, so goccy/go-yaml's parser is asked
// where the error is; it runs only on this path, when the file is broken.
func syntaxError(name string, data []byte, err error) Error {
	if pos, msg, ok := locateSyntaxError(data); ok {
		return Error{Pos: Pos{File: name, Line: pos.Line, Col: pos.Col}, Message: "YAML syntax: " + msg}
	}
	msg := err.Error()
	pos := Pos{File: name, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if m[1] != "" {
			pos.Line, _ = strconv.Atoi(m[1])
		}
	}
	return Error{Pos: pos, Message: "YAML syntax: " + msg}
}

// maxLocate bounds the files whose syntax errors are placed precisely.
const maxLocate = 16 << 20

// locateSyntaxError asks goccy/go-yaml where a syntax error is.
func locateSyntaxError(data []byte) (pos Pos, msg string, ok bool) {
	if len(data) > maxLocate {
		return pos, "", false
	}
	defer func() {
		if recover() != nil {
			ok = false // a parser bug must not take the loader down
		}
	}()
	_, err := goccyparser.ParseBytes(data, 0)
	var se *goccy.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return pos, "", false
	}
	return Pos{Line: se.Token.Position.Line, Col: se.Token.Position.Column}, se.Message, true
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

// merge joins the parts of a model in file order and reports ids defined
// twice and an impact scale given in more than one file.
func merge(parts []*part) (*lifeboat.Model, *Source, error) {
	m := &lifeboat.Model{}
	src := &Source{pos: map[string]Pos{}}
	var errs Errors
	var scaleAt Pos
	for _, p := range parts {
		perrs := slices.Clone(p.errors)
		src.Files = append(src.Files, p.file)
		for _, o := range p.pos {
			key := o.kind + "\x00" + o.id
			if first, dup := src.pos[key]; dup {
				perrs = append(perrs, Error{Pos: o.pos, Message: fmt.Sprintf("%s: %s %q is defined twice (first at %s)", topKey(o.kind), describeKind(o.kind), o.id, first)})
				continue
			}
			src.pos[key] = o.pos
		}
		if p.model.ImpactScale != nil {
			if m.ImpactScale != nil {
				perrs = append(perrs, Error{Pos: p.scale, Message: fmt.Sprintf("impact_scale: given twice (first at %s)", scaleAt)})
			}
			m.ImpactScale, scaleAt = p.model.ImpactScale, p.scale
		}
		slices.SortStableFunc(perrs, func(a, b Error) int { return cmp.Or(a.Pos.Line-b.Pos.Line, a.Pos.Col-b.Pos.Col) })
		errs = append(errs, perrs...)
		m.Services = append(m.Services, p.model.Services...)
		m.Teams = append(m.Teams, p.model.Teams...)
		m.People = append(m.People, p.model.People...)
		m.BIAs = append(m.BIAs, p.model.BIAs...)
		m.Risks = append(m.Risks, p.model.Risks...)
	}
	if scaleAt.File != "" {
		src.pos[lifeboat.ObjImpactScale+"\x00"+lifeboat.ObjImpactScale] = scaleAt
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return m, src, nil
}

func describeKind(kind string) string {
	switch kind {
	case lifeboat.ObjBIA:
		return "a BIA for service"
	case lifeboat.ObjPerson:
		return "person"
	}
	return kind
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
