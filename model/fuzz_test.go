package model_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// FuzzParse feeds the loader anything: it must not panic or hang, it must
// answer with load errors that each have a place, or with a model that
// writes out and loads back to the same files.
func FuzzParse(f *testing.F) {
	f.Add([]byte(formatExample))
	f.Add([]byte("services: [{id: a, depends_on: [b, {any_of: [c, d], min_up: 2}]}]\n"))
	f.Add([]byte("services:\n  - &a {id: x}\n  - <<: *a\n    id: y\n"))
	f.Add([]byte("bia: [{service: a, impacts: [{after: 1h, ratings: {financial: 2}, loss: 1.5}]}]\n"))
	f.Add([]byte("version: 1\n---\nteams: [{id: t, members: [p]}]\n"))
	f.Add([]byte("bia: [{service: a, review: {status: approved, approved_by: p, approved_at: 2026-05-01T09:00:00+02:00}, " +
		"peak_periods: [{name: x, when: y, months: [12, 1], factor: 1.5}], resources: {people: [{role: r, count: 2}], systems: [b, b]}}]\n"))
	f.Add([]byte("services: [{id: a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		m, _, err := model.Parse("f.yaml", data)
		var errs model.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Message == "" {
					t.Fatalf("a load error without a place or message: %#v", e)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("not a load error: %v", err)
		}
		first := encode(t, m)
		back, _, err := model.Parse("again.yaml", first)
		if err != nil {
			t.Fatalf("what the writer wrote does not load: %v\n%s", err, first)
		}
		if second := encode(t, back); !bytes.Equal(first, second) {
			t.Fatalf("written twice, differently:\n%s\n---\n%s", first, second)
		}
	})
}

// FuzzText writes any text into every kind of text field and reads it back.
func FuzzText(f *testing.F) {
	for _, s := range []string{"plain", "yes", "on", "1e5", "0x1F", "2024-01-01", "- item", "a: b", "a #b", " lead", "trail ",
		"two\nlines", "ends\n", "ends\n\n", "\nstarts", "tab\there", "quote\"", "back\\slash", "ünïcödé", "[a, b]", "{x}", "*alias", "&anchor",
		"!tag", "%dir", "@at", "`tick`", "|", ">", "~", "null", "", "a\r\nb", "line\u2028sep", "   \n  x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || bytes.IndexByte([]byte(s), 0) >= 0 || len(s) > 2000 {
			return // the domain refuses these
		}
		m := &lifeboat.Model{
			Services: []*lifeboat.Service{{ID: "svc", Name: s, Description: s, Kind: lifeboat.KindVendor, Contract: &lifeboat.Contract{Reference: s}}},
			Teams:    []*lifeboat.Team{{ID: "team", Name: s, Description: s}},
			People:   []*lifeboat.Person{{ID: "person", Name: s}},
			BIAs:     []*lifeboat.BIA{{Service: "svc", MBCO: s}},
			Risks:    []*lifeboat.Risk{{ID: "risk", Title: s, Threat: s, Description: s}},
		}
		if len([]rune(s)) > 200 || s == "" {
			return
		}
		m.Normalize()
		out := encode(t, m)
		back, _, err := model.Parse("t.yaml", out)
		if err != nil {
			t.Fatalf("%q does not load back: %v\n%s", s, err, out)
		}
		got := []string{back.Services[0].Name, back.Services[0].Description, back.Services[0].Contract.Reference,
			back.Teams[0].Name, back.Teams[0].Description, back.People[0].Name, back.BIAs[0].MBCO,
			back.Risks[0].Title, back.Risks[0].Threat, back.Risks[0].Description}
		for i, g := range got {
			if g != s {
				t.Fatalf("field %d: wrote %q, read %q\n%s", i, s, g, out)
			}
		}
	})
}
