package lifeboat_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
)

var update = flag.Bool("update", false, "write the golden files in testdata anew")

// parseModel reads a model from YAML, failing the test on load errors.
func parseModel(t *testing.T, doc string) *lifeboat.Model {
	t.Helper()
	m, _, err := model.Parse("test.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	return m
}

// derivationCases are the edge cases of DeriveObjectives, each a service
// "s" with or without a BIA, on the default scale. Their reasons are in
// testdata/derive.golden, for people to read: they are what service
// owners are shown.
var derivationCases = []struct{ name, yaml string }{
	{"one category becomes intolerable", `
services: [{id: s}]
bia:
  - service: s
    impacts:
      - {after: 1h, ratings: {financial: 2, customer: 3}}
      - {after: 8h, ratings: {financial: 3, customer: 4}}
    work_recovery_time: 1h
    rpo: 15m
`},
	{"several categories at once", `
services: [{id: s}]
bia:
  - service: s
    impacts:
      - {after: 4h, ratings: {financial: 3, customer: 3}}
      - {after: 1d, ratings: {financial: 4, customer: 5, reputational: 4, legal: 2}}
    work_recovery_time: 4h
`},
	{"two categories at once", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 2h, ratings: {operational: 3}}, {after: 6h, ratings: {operational: 4, safety: 5}}]
`},
	{"no intolerable rating ever", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1d, ratings: {financial: 2}}, {after: 1w, ratings: {financial: 3}}]
    rpo: 1d
`},
	{"intolerable at the first point", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1h, ratings: {operational: 4}}, {after: 4h, ratings: {operational: 5}}]
    work_recovery_time: 15m
`},
	{"work recovery time equal to the MTPD", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1h, ratings: {customer: 2}}, {after: 4h, ratings: {customer: 4}}]
    work_recovery_time: 4h
`},
	{"work recovery time above the MTPD", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1h, ratings: {customer: 2}}, {after: 4h, ratings: {customer: 4}}]
    work_recovery_time: 1d
`},
	{"categories missing at some points", `
services: [{id: s}]
bia:
  - service: s
    impacts:
      - {after: 1h, ratings: {financial: 2, customer: 3}}
      - {after: 4h, ratings: {financial: 3}}
      - {after: 8h, ratings: {customer: 4}}
      - {after: 1d, ratings: {legal: 2}}
    work_recovery_time: 30m
`},
	{"no work recovery time", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1d, ratings: {financial: 3}}, {after: 3d, ratings: {financial: 4}}]
`},
	{"declared RTO above MTPD less WRT", `
services: [{id: s, objectives: {rto: 8h}}]
bia:
  - service: s
    impacts: [{after: 4h, ratings: {customer: 3}}, {after: 8h, ratings: {customer: 4}}]
    work_recovery_time: 1h
`},
	{"declared RTO within MTPD less WRT", `
services: [{id: s, objectives: {rto: 4h, rpo: 1h}}]
bia:
  - service: s
    impacts: [{after: 4h, ratings: {financial: 3}}, {after: 1d, ratings: {financial: 4}}]
    work_recovery_time: 2h
    rpo: 15m
`},
	{"declared MTPD other than the BIA's", `
services: [{id: s, objectives: {mtpd: 12h}}]
bia:
  - service: s
    impacts: [{after: 4h, ratings: {customer: 3}}, {after: 8h, ratings: {customer: 4}}]
    work_recovery_time: 1h
`},
	{"declared MTPD the BIA agrees with", `
services: [{id: s, objectives: {mtpd: 8h, rto: 4h}}]
bia:
  - service: s
    impacts: [{after: 4h, ratings: {customer: 3}}, {after: 8h, ratings: {customer: 4}}]
`},
	{"declared MTPD without an intolerable point", `
services: [{id: s, objectives: {mtpd: 2d}}]
bia:
  - service: s
    impacts: [{after: 1d, ratings: {customer: 3}}]
`},
	{"declared tier other than the RTO's", `
services: [{id: s, tier: 1}]
bia:
  - service: s
    impacts: [{after: 1d, ratings: {financial: 3}}, {after: 3d, ratings: {financial: 4}}]
    work_recovery_time: 1d
`},
	{"RTO faster than tier 0", `
services: [{id: s, objectives: {rto: 30m}}]
`},
	{"no BIA, nothing declared", `
services: [{id: s}]
`},
	{"no BIA, a declared RTO", `
services: [{id: s, objectives: {rto: 1d}}]
`},
	{"a BIA without impacts", `
services: [{id: s}]
bia: [{service: s, rpo: 5m}]
`},
	{"a level the scale does not have", `
services: [{id: s}]
bia:
  - service: s
    impacts: [{after: 1h, ratings: {customer: 9}}, {after: 2h, ratings: {customer: 5}}]
`},
	{"a declared tier the scale does not have", `
services: [{id: s, tier: 7, objectives: {rto: 4h}}]
`},
}

func TestDeriveObjectivesGolden(t *testing.T) {
	var out bytes.Buffer
	for _, c := range derivationCases {
		m := parseModel(t, c.yaml)
		var b *lifeboat.BIA
		if len(m.BIAs) > 0 {
			b = m.BIAs[0]
		}
		d := lifeboat.DeriveObjectives(m.Scale(), m.Services[0], b)
		fmt.Fprintf(&out, "== %s\n", c.name)
		for _, o := range []struct {
			name string
			v    lifeboat.DerivedDuration
		}{{"MTPD", d.MTPD}, {"RTO", d.RTO}, {"RPO", d.RPO}} {
			fmt.Fprintf(&out, "%-4s %-5s %-8s %s\n", o.name, valueWords(o.v.Value), o.v.Source, o.v.Reason)
			checkSentence(t, c.name, o.v.Reason)
		}
		tier := "-"
		if d.Tier.Tier != nil {
			tier = fmt.Sprint(*d.Tier.Tier)
		}
		fmt.Fprintf(&out, "Tier %-5s %-8s %s\n\n", tier, d.Tier.Source, d.Tier.Reason)
		checkSentence(t, c.name, d.Tier.Reason)
	}
	golden(t, "derive.golden", out.Bytes())
}

func valueWords(d *lifeboat.Duration) string {
	if d == nil {
		return "-"
	}
	return d.String()
}

// checkSentence: every reason says something, and never a Go zero value
// or a nil pointer in words.
func checkSentence(t *testing.T, name, s string) {
	t.Helper()
	if s == "" || strings.Contains(s, "%!") || strings.Contains(s, "<nil>") {
		t.Errorf("%s: reason %q", name, s)
	}
}

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; if the change is meant, run go test -update and review the diff:\n%s", path, got)
	}
}

// The numbers DeriveObjectives gives are the ones the BIA's own methods
// give, which the dependency engine uses.
func TestDeriveObjectivesAgreesWithBIA(t *testing.T) {
	for _, c := range derivationCases {
		m := parseModel(t, c.yaml)
		if len(m.BIAs) == 0 {
			continue
		}
		s, b := m.Services[0], m.BIAs[0]
		d := lifeboat.DeriveObjectives(m.Scale(), s, b)
		mtpd, hasMTPD := b.MTPD(m.Scale())
		rto, hasRTO := b.DerivedRTO(m.Scale())
		if s.Objectives == nil || s.Objectives.MTPD == nil {
			if got := d.MTPD.Value; (got != nil) != hasMTPD || hasMTPD && *got != mtpd {
				t.Errorf("%s: MTPD %v, BIA.MTPD %s %v", c.name, got, mtpd, hasMTPD)
			}
		}
		if s.Objectives == nil || s.Objectives.RTO == nil {
			if got := d.RTO.Value; (got != nil) != hasRTO || hasRTO && *got != rto {
				t.Errorf("%s: RTO %v, BIA.DerivedRTO %s %v", c.name, got, rto, hasRTO)
			}
		}
	}
}

func TestDerivationJSON(t *testing.T) {
	m := parseModel(t, derivationCases[0].yaml)
	d := lifeboat.DeriveObjectives(m.Scale(), m.Services[0], m.BIAs[0])
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mtpd":{"value_seconds":28800,"source":"bia","reason":"MTPD is 8h because`,
		`"tier":{"tier":1,"name":"critical","source":"derived"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	none := lifeboat.DeriveObjectives(m.Scale(), &lifeboat.Service{ID: "x"}, nil)
	if b, _ := json.Marshal(none.RTO); !strings.Contains(string(b), `"value_seconds":null`) {
		t.Errorf("no RTO: %s", b)
	}
}

func TestRatingsOverTime(t *testing.T) {
	m := parseModel(t, `
bia:
  - service: s
    impacts:
      - {after: 1h, ratings: {customer: 3, financial: 2, zeta: 1}}
      - {after: 4h, ratings: {financial: 2}}
      - {after: 8h, ratings: {customer: 4, financial: 3}}
      - {after: 1d, ratings: {legal: 9}}
`)
	got := m.BIAs[0].RatingsOverTime(m.Scale())
	var lines []string
	for _, c := range got {
		var steps []string
		for _, s := range c.Steps {
			steps = append(steps, fmt.Sprintf("%s=%d(%s,%v)", s.After, s.Level, s.Name, s.Intolerable))
		}
		lines = append(lines, c.Category+": "+strings.Join(steps, " "))
	}
	want := []string{
		"financial: 1h=2(minor,false) 8h=3(moderate,false)",
		"customer: 1h=3(moderate,false) 8h=4(major,true)",
		"legal: 1d=9(,false)",
		"zeta: 1h=1(minimal,false)", // categories the scale lacks come last
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if b, _ := json.Marshal(got[0].Steps[0]); string(b) != `{"after_seconds":3600,"level":2,"name":"minor","intolerable":false}` {
		t.Errorf("JSON %s", b)
	}
}
