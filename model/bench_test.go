package model_test

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	goccyparser "github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// The load target: 100,000 services with about 500,000 dependencies, read
// and validated in at most 5 s (docs/benchmarks.md).
const benchServices = 100_000

var (
	benchOnce sync.Once
	benchFile string // the whole model in one file
	benchDir  string // the export layout
)

func benchModel(b *testing.B) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lifeboat-bench-")
		if err != nil {
			b.Fatal(err)
		}
		m := gen.Model(1, benchServices)
		m.Normalize()
		benchFile = filepath.Join(dir, "model.yaml")
		f, err := os.Create(benchFile)
		if err != nil {
			b.Fatal(err)
		}
		if err := model.Encode(f, m); err != nil {
			b.Fatal(err)
		}
		f.Close()
		benchDir = filepath.Join(dir, "layout")
		if _, err := model.Write(benchDir, m); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkLoad reads and validates the model from one file.
func BenchmarkLoad(b *testing.B) {
	benchModel(b)
	info, _ := os.Stat(benchFile)
	b.SetBytes(info.Size())
	for b.Loop() {
		m, _, err := model.Load(benchFile)
		if err != nil || len(m.Services) != benchServices {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadLayout reads the export layout: several files, parsed in
// parallel.
func BenchmarkLoadLayout(b *testing.B) {
	benchModel(b)
	for b.Loop() {
		m, _, err := model.Load(benchDir)
		if err != nil || len(m.Services) != benchServices {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGoccy is the alternative: goccy/go-yaml's parser alone,
// without decoding or validating, on the same file.
func BenchmarkParseGoccy(b *testing.B) {
	benchModel(b)
	data, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := goccyparser.ParseBytes(data, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite writes the export layout.
func BenchmarkWrite(b *testing.B) {
	benchModel(b)
	m, _, err := model.Load(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		if _, err := model.Write(dir, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteYAMLv3 is the alternative to our emitter: yaml.v3's
// encoder on the same model, as one document.
func BenchmarkWriteYAMLv3(b *testing.B) {
	benchModel(b)
	m, _, err := model.Load(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		enc := yaml.NewEncoder(io.Discard)
		if err := enc.Encode(m); err != nil {
			b.Fatal(err)
		}
		enc.Close()
	}
}
