package model

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// Encode writes a whole model as one YAML document of format v1, every
// list sorted by id.
func Encode(w io.Writer, m *lifeboat.Model) error {
	s := sorted(m)
	doc := newDocument()
	add := func(key string, v any, present bool) {
		if present {
			doc.add(key, v)
		}
	}
	add("impact_scale", s.ImpactScale, s.ImpactScale != nil)
	add("people", s.People, len(s.People) > 0)
	add("teams", s.Teams, len(s.Teams) > 0)
	add("services", s.Services, len(s.Services) > 0)
	add("bia", s.BIAs, len(s.BIAs) > 0)
	add("risks", s.Risks, len(s.Risks) > 0)
	return doc.write(w)
}

// Write writes a model into dir in the layout of `lifeboat export`: one
// file per kind of object and services split by kind, every list sorted
// by id, so that the files diff well. Files of the layout that would be
// empty are removed. It returns the files written.
func Write(dir string, m *lifeboat.Model) ([]string, error) {
	s := sorted(m)
	files := map[string]*document{}
	put := func(name, key string, v any, present bool) {
		files[name] = nil
		if present {
			files[name] = newDocument()
			files[name].add(key, v)
		}
	}
	put("impact-scale.yaml", "impact_scale", s.ImpactScale, s.ImpactScale != nil)
	put("people.yaml", "people", s.People, len(s.People) > 0)
	put("teams.yaml", "teams", s.Teams, len(s.Teams) > 0)
	put("bia.yaml", "bia", s.BIAs, len(s.BIAs) > 0)
	put("risks.yaml", "risks", s.Risks, len(s.Risks) > 0)
	for _, k := range lifeboat.Kinds {
		var of []*lifeboat.Service
		for _, svc := range s.Services {
			if svc.Kind == k {
				of = append(of, svc)
			}
		}
		put(filepath.Join("services", string(k)+".yaml"), "services", of, len(of) > 0)
	}
	var written []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, name)
		if files[name] == nil {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				return written, err
			}
			continue
		}
		if err := writeFile(path, files[name]); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// writeFile replaces a file atomically: a reader never sees half of it.
func writeFile(path string, doc *document) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lifeboat-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := doc.write(w); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// document is one YAML file: version 1 first, then the keys in order.
type document struct {
	keys   []string
	values []any
}

func newDocument() *document { return &document{} }

func (d *document) add(key string, v any) {
	d.keys = append(d.keys, key)
	d.values = append(d.values, v)
}

func (d *document) write(w io.Writer) error {
	e := newEmitter(w)
	e.str("version: 1\n")
	for i, k := range d.keys {
		e.top(k, d.values[i])
	}
	return e.flush()
}

// sorted returns a copy of the model with every list sorted by id and the
// defaults that would only add noise left out: the active lifecycle.
func sorted(m *lifeboat.Model) *lifeboat.Model {
	s := &lifeboat.Model{ImpactScale: m.ImpactScale}
	for _, svc := range m.Services {
		c := *svc
		if c.Lifecycle == lifeboat.LifecycleActive {
			c.Lifecycle = ""
		}
		s.Services = append(s.Services, &c)
	}
	s.Teams = slices.Clone(m.Teams)
	s.People = slices.Clone(m.People)
	s.BIAs = slices.Clone(m.BIAs)
	s.Risks = slices.Clone(m.Risks)
	slices.SortFunc(s.Services, func(a, b *lifeboat.Service) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Teams, func(a, b *lifeboat.Team) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.People, func(a, b *lifeboat.Person) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.BIAs, func(a, b *lifeboat.BIA) int { return strings.Compare(a.Service, b.Service) })
	slices.SortFunc(s.Risks, func(a, b *lifeboat.Risk) int { return cmp.Compare(a.ID, b.ID) })
	return s
}
