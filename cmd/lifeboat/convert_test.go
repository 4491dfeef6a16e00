package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/internal/fixtures"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// mustFixture returns the path of a shared fixture, failing the test when
// it is missing from the fixtures and skipping it without fixtures.
func mustFixture(t *testing.T, path string) string {
	t.Helper()
	p := filepath.Join(fixtures.Dir(t), path)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("a shared fixture is missing: %v", err)
	}
	return p
}

// loadsCleanly checks that the converted model on stdout loads and has no
// reference to something it does not hold.
func loadsCleanly(t *testing.T, stdout string) *lifeboat.Model {
	t.Helper()
	m, _, err := model.Parse("stdout", []byte(stdout))
	if err != nil {
		t.Fatalf("the output does not load: %v\n%s", err, stdout)
	}
	for _, f := range lifeboat.ModelFindings(m, time.Now()) {
		if f.Rule == lifeboat.RuleUnknownReference {
			t.Errorf("unknown reference in the output: %s", f.Message)
		}
	}
	return m
}

func TestConvert(t *testing.T) {
	csvFile := filepath.Join(t.TempDir(), "cmdb.csv")
	if err := os.WriteFile(csvFile, []byte("CI;Class;Uses\nShop;Business Service;Web|Ghost\nWeb;Server;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		services int
		stderr   []string
	}{
		{"backstage", []string{"convert", "backstage", mustFixture(t, "backstage-examples")}, 8, []string{
			"warning: " + filepath.Join(fixtures.Dir(t), "backstage-examples/components/artist-lookup-component.yaml") + ":37: ",
			`group:default/team-a is not in the input; made team "team-a" for it`,
			"api:default/wayback-search is not in the input",
			"lifeboat: converted 8 services with 8 dependencies, 2 teams and 0 people; 4 warnings",
		}},
		{"kubernetes", []string{"convert", "kubernetes", mustFixture(t, "online-boutique/kubernetes-manifests.yaml"),
			mustFixture(t, "online-boutique/network-policies")}, 12, []string{
			"warning: " + filepath.Join(fixtures.Dir(t), "online-boutique/kubernetes-manifests.yaml") + ":89: ",
			"names Service default/shoppingassistantservice, which is not in the input; no dependency",
			"lifeboat: converted 12 services with 16 dependencies, 0 teams and 0 people; 1 warning",
		}},
		{"csv", []string{"convert", "csv", "--name", "ci", "--kind", "CLASS", "--depends-on", "uses", "--delimiter", ";", "--separator", "|", csvFile}, 2, []string{
			"warning: " + csvFile + `:2: row 2: depends on "Ghost", which no row has as id or name`,
			"lifeboat: converted 2 services with 1 dependency, 0 teams and 0 people; 1 warning",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboat(t, nil, tt.args...)
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			if m := loadsCleanly(t, r.stdout); len(m.Services) != tt.services {
				t.Errorf("%d services, want %d", len(m.Services), tt.services)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}

// TestConvertInputErrors checks that inputs that cannot be converted exit
// with 2 and name the file, and the line where there is one.
func TestConvertInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("kind: Deployment\nmetadata:\n  name: web\n{{- include \"labels\" . }}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badCSV := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badCSV, []byte("id,name\na,\"b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	goodCSV := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(goodCSV, []byte("id,name\na,b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"not YAML", []string{"convert", "kubernetes", bad}, bad + ":4: not valid YAML"},
		{"not YAML either", []string{"convert", "backstage", dir}, bad + ":4: not valid YAML"},
		{"missing file", []string{"convert", "backstage", filepath.Join(dir, "nope.yaml")}, "nope.yaml: no such file"},
		{"no YAML files", []string{"convert", "kubernetes", t.TempDir()}, "no Kubernetes manifest files (*.yaml, *.yml) in"},
		{"not CSV", []string{"convert", "csv", badCSV}, badCSV + `:2: not valid CSV: extraneous or missing "`},
		{"missing column", []string{"convert", "csv", "--owner", "Support Group", goodCSV}, goodCSV + `:1: --owner: no column "Support Group"; the columns are "id", "name"`},
		{"no paths", []string{"convert", "kubernetes"}, "name the Kubernetes manifest files or directories to convert"},
		{"two CSV files", []string{"convert", "csv", badCSV, badCSV}, "name one CSV file to convert, got 2 arguments"},
		{"bad delimiter", []string{"convert", "csv", "--delimiter", `"`, badCSV}, `--delimiter: "\"" is not one character`},
		{"empty column", []string{"convert", "csv", "--id", " ", badCSV}, "--id: name a column"},
		{"no converter", []string{"convert"}, "convert needs a command: backstage, kubernetes or csv"},
		{"unknown converter", []string{"convert", "jira"}, `unknown command "jira"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboat(t, nil, tt.args...)
			if code := exitCode(r.err); code != exitUsage {
				t.Errorf("exit code %d, want %d (err %v)", code, exitUsage, r.err)
			}
			if !strings.Contains(r.stderr, tt.msg) || r.stdout != "" && !strings.HasPrefix(r.stdout, "Usage") {
				t.Errorf("stderr does not say %q, or stdout is not empty:\nstderr: %s\nstdout: %s", tt.msg, r.stderr, r.stdout)
			}
		})
	}
}

// TestConvertHelp checks that each converter has examples, and that the
// column flags of csv take no environment variable.
func TestConvertHelp(t *testing.T) {
	for _, c := range []string{"backstage", "kubernetes", "csv"} {
		r := runLifeboat(t, nil, "convert", c, "--help")
		if r.err != nil || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "lifeboat convert "+c) {
			t.Errorf("convert %s --help: err %v\n%s", c, r.err, r.stdout)
		}
		if strings.Contains(r.stdout, "$LIFEBOAT_NAME") || strings.Contains(r.stdout, "$LIFEBOAT_ID") {
			t.Errorf("convert %s --help offers an environment variable for a column:\n%s", c, r.stdout)
		}
	}
}
