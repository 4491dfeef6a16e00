package convert

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/internal/fixtures"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// readFixture reads files and folders of the shared fixtures; a fixture
// that is missing from the folder fails the test.
func readFixture(t testing.TB, paths ...string) []Input {
	t.Helper()
	dir := fixtures.Dir(t)
	for i, p := range paths {
		paths[i] = filepath.Join(dir, p)
	}
	in, err := ReadFiles(paths...)
	if err != nil {
		t.Fatalf("a shared fixture is missing: %v", err)
	}
	return in
}

// mustLoad checks the promise of every converter: the output, written as
// YAML, loads again and refers only to what it holds. It returns the model
// as loaded.
func mustLoad(t testing.TB, r *Result) *lifeboat.Model {
	t.Helper()
	var out bytes.Buffer
	if err := model.Encode(&out, r.Model); err != nil {
		t.Fatalf("encode: %v", err)
	}
	m, _, err := model.Parse("converted.yaml", out.Bytes())
	if err != nil {
		t.Fatalf("the output does not load: %v\n%s", err, out.String())
	}
	for _, f := range lifeboat.ModelFindings(m, time.Now()) {
		if f.Rule == lifeboat.RuleUnknownReference {
			t.Fatalf("the output has an unknown reference: %s\n%s", f.Message, out.String())
		}
	}
	return m
}

// edges lists a model's dependencies as "from -> to", sorted.
func edges(m *lifeboat.Model) []string {
	var out []string
	for _, s := range m.Services {
		for _, id := range s.DependencyIDs() {
			out = append(out, s.ID+" -> "+id)
		}
	}
	slices.Sort(out)
	return out
}

// service finds a service of a model by id.
func service(t *testing.T, m *lifeboat.Model, id string) *lifeboat.Service {
	t.Helper()
	for _, s := range m.Services {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no service %q; the services are %v", id, ids(m))
	return nil
}

func ids(m *lifeboat.Model) []string {
	var out []string
	for _, s := range m.Services {
		out = append(out, s.ID)
	}
	return out
}

// wantWarnings checks that each fragment is in some warning, and that there
// are exactly n warnings when n >= 0.
func wantWarnings(t *testing.T, r *Result, n int, fragments ...string) {
	t.Helper()
	var all []string
	for _, w := range r.Warnings {
		all = append(all, w.String())
	}
	text := strings.Join(all, "\n")
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("no warning says %q; the warnings are:\n%s", f, text)
		}
	}
	if n >= 0 && len(all) != n {
		t.Errorf("%d warnings, want %d:\n%s", len(all), n, text)
	}
}

// equal compares two lists and shows both when they differ.
func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

// inputs makes one-file inputs from name/content pairs.
func inputs(pairs ...string) []Input {
	var in []Input
	for i := 0; i+1 < len(pairs); i += 2 {
		in = append(in, Input{Name: pairs[i], Data: []byte(pairs[i+1])})
	}
	return in
}
