// Package model reads and writes continuity models as code: the YAML files
// of format v1 (docs/format.md), their JSON Schema, and the layout that
// `lifeboat export` writes.
package model

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/lifeboat-itscm/lifeboat"
)

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
