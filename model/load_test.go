package model_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// formatExample is every example of format.md in one file.
const formatExample = `version: 1
services:
  - id: checkout                 # required
    name: Checkout
    kind: application
    owner: payments-team
    tier: 1
    tags: [pci, customer-facing]
    description: Takes orders and payments.
    objectives: {rto: 4h, rpo: 15m, mtpd: 24h}
    recovery: {time: 2h, data_loss: 5m}
    depends_on:
      - payments-api
      - on: recommendations
        impact: degraded
      - on: primary-dc
        type: hosted-in
        workaround: 8h
      - any_of: [db-east, db-west]
        min_up: 1
  - {id: payments-api}
  - {id: recommendations}
  - {id: primary-dc, kind: site}
  - {id: db-east, kind: data-store}
  - {id: db-west, kind: data-store}
  - id: payment-provider
    kind: vendor
    contract: {rto: 8h, rpo: 1h, reference: MSA-2024-17}
teams:
  - id: payments-team
    name: Payments
    members: [alice, bob]
people:
  - {id: alice, name: Alice Martin, email: alice@example.com, phone: "+1 555 0100"}
  - {id: bob}
impact_scale:
  categories: [financial, operational, customer, reputational, legal, safety]
  ratings:
    - {level: 1, name: minimal}
    - {level: 2, name: minor}
    - {level: 3, name: moderate}
    - {level: 4, name: major, intolerable: true}
    - {level: 5, name: severe, intolerable: true}
  tiers:
    - {id: 0, name: mission-critical, max_rto: 1h}
    - {id: 1, name: critical, max_rto: 4h}
    - {id: 2, name: important, max_rto: 24h}
    - {id: 3, name: standard, max_rto: 72h}
    - {id: 4, name: deferrable, max_rto: 1w}
bia:
  - service: checkout
    impacts:
      - {after: 1h, ratings: {financial: 2, customer: 3}, loss: 20000}
      - {after: 4h, ratings: {financial: 3, customer: 4}, loss: 150000}
      - {after: 1d, ratings: {financial: 5, customer: 5, reputational: 4}, loss: 2000000}
    work_recovery_time: 1h
    rpo: 15m
    mbco: Orders accepted by phone at 20% of normal volume
risks:
  - id: dc-fire
    title: Fire in the primary data center
    threat: fire
    affects: [primary-dc]
    owner: alice
    likelihood: 2
    impact: 5
    treatment: mitigate
    quant:
      frequency: 0.05
      loss: {low: 1000000, high: 20000000}
`

func TestParseFormatExample(t *testing.T) {
	m, src, err := model.Parse("example.yaml", []byte(formatExample))
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Counts(); c != (lifeboat.ModelCounts{Services: 7, Dependencies: 4, Teams: 1, People: 2, BIAs: 1, Risks: 1}) {
		t.Errorf("counts %+v", c)
	}
	s := m.Services[0]
	if s.Objectives.RTO.String() != "4h" || s.Objectives.MTPD.String() != "1d" || *s.Tier != 1 || s.Recovery.DataLoss.Seconds() != 300 {
		t.Errorf("objectives and recovery: %+v %+v", s.Objectives, s.Recovery)
	}
	deps := s.DependsOn
	if deps[0].On != "payments-api" || deps[0].Impact != lifeboat.ImpactDown || !deps[1].Soft() ||
		deps[2].Type != "hosted-in" || deps[2].Workaround.String() != "8h" || deps[3].MinUp != 1 || len(deps[3].AnyOf) != 2 {
		t.Errorf("dependencies: %+v", deps)
	}
	if m.Services[6].Contract.Reference != "MSA-2024-17" || m.Services[6].Contract.RPO.String() != "1h" {
		t.Errorf("contract: %+v", m.Services[6].Contract)
	}
	if b := m.BIAs[0]; len(b.Impacts) != 3 || *b.Impacts[2].Loss != 2000000 || b.Impacts[2].Ratings["reputational"] != 4 || b.WorkRecoveryTime.String() != "1h" {
		t.Errorf("bia: %+v", b)
	}
	if r := m.Risks[0]; r.Quant.Frequency != 0.05 || r.Quant.Loss.High != 20000000 || r.Treatment != lifeboat.TreatMitigate {
		t.Errorf("risk: %+v", r)
	}
	if m.ImpactScale.Tiers[4].MaxRTO.String() != "1w" || !m.ImpactScale.Ratings[3].Intolerable || m.ImpactScale.Currency != "USD" {
		t.Errorf("scale: %+v", m.ImpactScale)
	}
	if p, ok := src.Pos(lifeboat.ObjService, "checkout"); !ok || p.String() != "example.yaml:3:5" {
		t.Errorf("position of checkout: %v %v", p, ok)
	}
	if len(lifeboat.ModelFindings(m, time.Now())) == 0 {
		t.Error("the example has services without owners; the rules should say so")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string // "LINE:COL: text" each
	}{
		{"unknown key", "services:\n  - id: a\n    tire: 2\n", []string{`3:5: service: unknown key "tire"; did you mean "tier"?`}},
		{"unknown top key", "service:\n  - id: a\n", []string{`1:1: model: unknown key "service"; did you mean "services"?`}},
		{"wrong type", "services:\n  - id: a\n    tier: high\n", []string{`3:11: tier: want a whole number, got "high"`}},
		{"number for text", "people:\n  - id: a\n    phone: 5550100\n", []string{`3:12: phone: want text, got the number 5550100 (quote it to make it text)`}},
		{"duration", "services:\n  - id: a\n    objectives: {rto: 4x}\n", []string{`3:23: rto: invalid duration "4x": unknown unit 'x'`}},
		{"duration type", "services:\n  - id: a\n    recovery: {time: [1h]}\n", []string{`3:22: time: want a duration such as`}},
		{"duplicate id", "services:\n  - id: a\n  - id: b\n  - id: a\n", []string{`4:5: services: service "a" is defined twice (first at x.yaml:2:5)`}},
		{"duplicate key", "services:\n  - id: a\n    id: b\n", []string{`3:5: service: key "id" is given twice (first on line 2)`}},
		{"version", "version: 2\n", []string{`1:10: version: this is format version 1`}},
		{"missing id", "teams:\n  - name: Ops\n", []string{`2:5: team: id is required`}},
		{"bad id", "services:\n  - id: Bad_ID\n", []string{`2:9: id: "Bad_ID" is not a valid id`}},
		{"bad dependency", "services:\n  - id: a\n    depends_on: [b, {on: B!}]\n", []string{`3:26: depends_on[1].on: "B!" is not a valid service id`}},
		{"self dependency", "services:\n  - id: a\n    depends_on:\n      - a\n", []string{`4:9: depends_on[0].on: a service cannot depend on itself`}},
		{"not a list", "services: {id: a}\n", []string{`1:11: services: want a list, got a mapping`}},
		{"not a mapping", "- a\n- b\n", []string{`1:1: a model file is a mapping`}},
		{"syntax", "services:\n  - id: a\n   name: x\n", []string{`3:4: YAML syntax: value is not allowed in this context`}},
		{"bia order", "bia:\n  - service: a\n    impacts: [{after: 4h}, {after: 1h}]\n", []string{`3:36: impacts[1].after: impacts go forward in time`}},
		{"risk range", "risks:\n  - id: r\n    likelihood: 7\n", []string{`3:17: likelihood: likelihood is rated from 1 to 5`}},
		{"all at once", "services:\n  - id: a\n    tier: x\n  - id: b\n    kind: robot\n  - id: c\n    colour: red\n",
			[]string{`3:11: tier:`, `5:11: kind: "robot" is not a kind`, `7:5: service: unknown key "colour"`}},
		{"unclosed", "services: [{id: a}\n", []string{`1:11: YAML syntax: sequence end token ']' not found`}},
		{"review key", "bia:\n  - service: a\n    review:\n      stauts: approved\n", []string{`4:7: review: unknown key "stauts"; did you mean "status"?`}},
		{"review status", "bia:\n  - service: a\n    review: {status: signed}\n", []string{`3:22: review.status: "signed" is not a review status`}},
		{"approval incomplete", "bia:\n  - service: a\n    review:\n      status: approved\n      approved_by: p\n",
			[]string{`4:7: review.approved_at: an approved BIA says when it was approved`}},
		{"approval time", "bia:\n  - service: a\n    review: {status: approved, approved_by: p, approved_at: 1 May 2026}\n",
			[]string{`3:61: approved_at: want a time such as 2026-05-01T09:00:00Z`}},
		{"peak month", "bia:\n  - service: a\n    peak_periods:\n      - {name: Xmas, when: December, months: [12, 13]}\n",
			[]string{`4:51: peak_periods[0].months[1]: a month is a number from 1 (January) to 12 (December), got 13`}},
		{"staff count", "bia:\n  - service: a\n    resources:\n      people: [{role: Agent, count: 0}]\n",
			[]string{`4:37: resources.people[0].count: the count of people must be between 1 and 1000000`}},
		{"resource key", "bia:\n  - service: a\n    resources: {vital_record: [x]}\n", []string{`3:17: resources: unknown key "vital_record"; did you mean "vital_records"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := model.Parse("x.yaml", []byte(tc.doc))
			var errs model.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want load errors, got %v", err)
			}
			if len(errs) < len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(tc.want), err)
			}
			for i, w := range tc.want {
				if got := strings.TrimPrefix(errs[i].Error(), "x.yaml:"); !strings.HasPrefix(got, w) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, got, w)
				}
			}
		})
	}
}

func TestParseAliasesMergesAndDocuments(t *testing.T) {
	doc := `defaults: &svc {kind: data-store, owner: data}
`
	if _, _, err := model.Parse("x.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), `unknown key "defaults"`) {
		t.Fatalf("an unknown top-level key, even for anchors: %v", err)
	}
	doc = `services:
  - &db {id: db-east, kind: data-store, tags: [sql]}
  - <<: *db
    id: db-west
  - id: app
    depends_on: [{any_of: [db-east, db-west]}]
---
teams:
  - id: data
`
	m, _, err := model.Parse("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Services) != 3 || m.Services[1].ID != "db-west" || m.Services[1].Kind != lifeboat.KindDataStore || m.Services[1].Tags[0] != "sql" {
		t.Errorf("merge key: %+v", m.Services[1])
	}
	if len(m.Teams) != 1 || m.Services[2].DependsOn[0].MinUp != 1 {
		t.Errorf("second document or min_up default: %+v %+v", m.Teams, m.Services[2].DependsOn)
	}
}

func TestParseAliasBomb(t *testing.T) {
	// Each mapping merges the one before it twice: 2^40 walks unless the
	// alias budget stops them.
	var b strings.Builder
	b.WriteString("services:\n  - &m0 {id: a, name: x}\n")
	for i := 1; i <= 40; i++ {
		b.WriteString("  - &m" + strconv.Itoa(i) + " {<<: [*m" + strconv.Itoa(i-1) + ", *m" + strconv.Itoa(i-1) + "], id: a" + strconv.Itoa(i) + "}\n")
	}
	start := time.Now()
	_, _, err := model.Parse("bomb.yaml", []byte(b.String()))
	var errs model.Errors
	if !errors.As(err, &errs) || !strings.Contains(err.Error(), "aliases expand to too many nodes") {
		t.Fatalf("want the alias budget to stop it, got %v", err)
	}
	if len(errs) > 5 {
		t.Errorf("the budget is reported once, not %d times", len(errs))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.yaml", "services: [{id: b}]\n")
	write("a/z.yml", "services: [{id: a-z}]\n")
	write("a/a.yaml", "services: [{id: a-a}]\n# only a comment\n")
	write("notes.txt", "not: [yaml")
	write("empty.yaml", "# nothing yet\n")
	m, src, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range m.Services {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, " ") != "a-a a-z b" {
		t.Errorf("lexical order over the tree: %v", ids)
	}
	if len(src.Files) != 4 || len(src.Files[0].SHA256) != 64 {
		t.Errorf("source files: %+v", src.Files)
	}
	write("c.yaml", "services: [{id: b}]\n")
	_, _, err = model.Load(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "c.yaml")+`:1:12: services: service "b" is defined twice (first at `+filepath.Join(dir, "b.yaml")+":1:12)") {
		t.Errorf("duplicate across files: %v", err)
	}
	if _, _, err := model.Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing path is an error")
	}
}

// TestWriteLoadRoundTrip writes a generated model with every field in use
// in the export layout and loads it back unchanged.
func TestWriteLoadRoundTrip(t *testing.T) {
	m := gen.Model(3, 3000)
	m.Normalize()
	dir := t.TempDir()
	files, err := model.Write(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Errorf("files %v", files)
	}
	back, _, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := encode(t, m), encode(t, back); !bytes.Equal(a, b) {
		t.Errorf("the model changed on the way through the files:\n%s", firstDiff(a, b))
	}
	again, err := model.Write(dir, back)
	if err != nil || len(again) != len(files) {
		t.Fatal(again, err)
	}
	// A kind that disappears takes its file with it.
	back.Risks = nil
	if _, err := model.Write(dir, back); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "risks.yaml")); !os.IsNotExist(err) {
		t.Errorf("risks.yaml should be gone: %v", err)
	}
}

func encode(t *testing.T, m *lifeboat.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// firstDiff shows the first line where two texts differ.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}
