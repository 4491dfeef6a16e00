package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// writeModel writes model files into a new folder and returns it.
func writeModel(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const sampleModel = `teams: [{id: ops, members: [ann]}]
people: [{id: ann, name: Ann}]
services:
  - {id: site, kind: site, owner: ops}
  - {id: db, kind: data-store, owner: ops, tier: 1, objectives: {rto: 1h}, depends_on: [site]}
  - {id: app, depends_on: [db]}
`

func TestCheck(t *testing.T) {
	dir := writeModel(t, map[string]string{"model.yaml": sampleModel})
	r := runLifeboat(t, nil, "check", dir)
	if exitCode(r.err) != 0 {
		t.Fatalf("warnings only exit 0: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	place := filepath.Join(dir, "model.yaml") + ":6:5: warning: service \"app\" has no owner"
	if !strings.Contains(r.stdout, place) || !strings.Contains(r.stdout, "[missing-objectives]") ||
		!strings.Contains(r.stdout, `warning: if "site" fails on its own, 1 tier 0 or 1 service goes down with it: "db"`) || !strings.Contains(r.stdout, "0 errors, 3 warnings") {
		t.Errorf("text output:\n%s", r.stdout)
	}

	r = runLifeboat(t, nil, "check", "--format", "json", dir)
	var report struct {
		Findings []lifeboat.Finding     `json:"findings"`
		Counts   lifeboat.FindingCounts `json:"counts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if report.Counts.Warning != 3 || len(report.Findings) != 3 || report.Findings[0].Related == nil {
		t.Errorf("json: %+v", report)
	}

	broken := writeModel(t, map[string]string{"a.yaml": "services: [{id: a, depends_on: [ghost]}]\n"})
	if r := runLifeboat(t, nil, "check", broken); exitCode(r.err) != 1 || !strings.Contains(r.stdout, "[unknown-reference]") {
		t.Errorf("an error finding exits 1: %v\n%s", r.err, r.stdout)
	}

	bad := writeModel(t, map[string]string{"a.yaml": "services:\n  - id: a\n    tier: high\n  - id: b\n    colour: red\n"})
	r = runLifeboat(t, nil, "check", bad)
	file := filepath.Join(bad, "a.yaml")
	if exitCode(r.err) != 2 || !strings.Contains(r.stderr, file+":3:11: tier: want a whole number") ||
		!strings.Contains(r.stderr, file+":5:5: service: unknown key \"colour\"") || r.stdout != "" {
		t.Errorf("load errors exit 2 with FILE:LINE:COL on stderr: %v\nstdout %q\nstderr %s", r.err, r.stdout, r.stderr)
	}
	if r := runLifeboat(t, nil, "check"); exitCode(r.err) != 2 {
		t.Errorf("no paths: %v", r.err)
	}
}

func TestImportExportApply(t *testing.T) {
	dir := writeModel(t, map[string]string{"model.yaml": sampleModel})
	data := t.TempDir()
	db := "sqlite://" + filepath.Join(data, "a.db")
	r := runLifeboat(t, nil, "import", dir, "--database", db)
	if r.err != nil || !strings.Contains(r.stdout, "Imported 3 services with 2 dependencies, 1 team, 1 person") {
		t.Fatalf("import: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	if r := runLifeboat(t, nil, "import", dir, "--database", db); exitCode(r.err) != 1 || !strings.Contains(r.stderr, `the database has a service "app" already`) {
		t.Errorf("a second import is refused: %v\n%s", r.err, r.stderr)
	}
	out := t.TempDir()
	if r := runLifeboat(t, nil, "export", "--database", db, "--out", out); r.err != nil {
		t.Fatalf("export: %v\n%s", r.err, r.stderr)
	}
	exported, err := os.ReadFile(filepath.Join(out, "services", "data-store.yaml"))
	if err != nil || !strings.Contains(string(exported), "    objectives:\n      rto: 1h\n") {
		t.Errorf("export: %v\n%s", err, exported)
	}
	if r := runLifeboat(t, nil, "check", "--database", db); r.err != nil || !strings.Contains(r.stdout, "3 warnings") {
		t.Errorf("check --database: %v\n%s%s", r.err, r.stdout, r.stderr)
	}

	changed := writeModel(t, map[string]string{"model.yaml": strings.Replace(sampleModel, "{id: app, depends_on: [db]}", "{id: app, owner: ops, depends_on: [db]}", 1)})
	r = runLifeboat(t, nil, "apply", changed, "--database", db, "--dry-run")
	if r.err != nil || !strings.Contains(r.stdout, "  ~ service app\n      owner: (none) -> \"ops\"\n") || !strings.Contains(r.stdout, "Nothing was changed") {
		t.Errorf("apply --dry-run: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	digest := r.stdout[strings.LastIndex(r.stdout, "--expect ")+len("--expect ") : len(r.stdout)-1]
	if r := runLifeboat(t, nil, "apply", changed, "--database", db, "--expect", "0123"); exitCode(r.err) != 1 || !strings.Contains(r.stderr, "the database changed since the plan was made") {
		t.Errorf("apply --expect with another plan's digest: %v\n%s", r.err, r.stderr)
	}
	r = runLifeboat(t, nil, "apply", changed, "--database", db, "--format", "json", "--expect", digest)
	var plan lifeboat.Plan
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil || !plan.Applied || plan.Update != 1 {
		t.Errorf("apply: %v %+v\n%s%s", err, plan, r.stdout, r.stderr)
	}
	pruned := writeModel(t, map[string]string{"model.yaml": "services: [{id: app, owner: ops}]\n"})
	r = runLifeboat(t, nil, "apply", pruned, "--database", db, "--prune")
	if exitCode(r.err) != 1 || !strings.Contains(r.stderr, `pruning would delete team "ops", but service "app" is owned by team "ops"`) {
		t.Errorf("a refused prune: %v\n%s", r.err, r.stderr)
	}
	if r := runLifeboat(t, nil, "export", "--database", db); exitCode(r.err) != 2 {
		t.Errorf("export without --out: %v", r.err)
	}
}

// TestRoundTripExamples is the round trip of format.md on the demo
// organisation, through the commands: import, export, import the export
// into a new database, export again; the two exports are identical.
func TestRoundTripExamples(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			first, second := dbtest.URL(t, name), dbtest.URL(t, name)
			out1, out2 := t.TempDir(), t.TempDir()
			steps := [][]string{
				{"import", "../../examples", "--database", first},
				{"export", "--database", first, "--out", out1},
				{"import", out1, "--database", second},
				{"export", "--database", second, "--out", out2},
			}
			for _, args := range steps {
				if r := runLifeboat(t, nil, args...); r.err != nil {
					t.Fatalf("%v: %v\n%s", args, r.err, r.stderr)
				}
			}
			files, err := model.Files(out1)
			if err != nil || len(files) < 6 {
				t.Fatalf("export wrote %v, %v", files, err)
			}
			for _, f := range files {
				rel, _ := filepath.Rel(out1, f)
				a, _ := os.ReadFile(f)
				b, err := os.ReadFile(filepath.Join(out2, rel))
				if err != nil || string(a) != string(b) {
					t.Errorf("%s differs between the exports (%v)", rel, err)
				}
			}
			summary := func(out string) string { return out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:] }
			examples, exported := runLifeboat(t, nil, "check", "../../examples"), runLifeboat(t, nil, "check", out1)
			if summary(examples.stdout) != summary(exported.stdout) || !strings.Contains(exported.stdout, "[rto-gap]") {
				t.Errorf("the export checks like the examples:\n%s\n%s", summary(examples.stdout), summary(exported.stdout))
			}
		})
	}
}
