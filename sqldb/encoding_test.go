package sqldb

import (
	"reflect"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
)

func TestDependencyEncodingRoundTrip(t *testing.T) {
	w := lifeboat.Duration(8 * 3600)
	zero := lifeboat.Duration(0)
	cases := [][]lifeboat.Dependency{
		nil,
		{{On: "db", Impact: lifeboat.ImpactDown}},
		{{On: "dc", Impact: lifeboat.ImpactDegraded, Type: "hosted in", Workaround: &w},
			{AnyOf: []string{"a", "b.c", "d_e"}, MinUp: 2, Impact: lifeboat.ImpactDown, Workaround: &zero}},
	}
	for _, s := range gen.Catalog(3, 300, 0, gen.Layered) {
		s.Normalize()
		cases = append(cases, s.DependsOn)
	}
	for _, deps := range cases {
		got, err := decodeDependencies(encodeDependencies(deps))
		if err != nil || !reflect.DeepEqual(got, deps) {
			t.Fatalf("round trip of %+v gave %+v, %v", deps, got, err)
		}
	}
	for _, tags := range [][]string{nil, {"pci"}, {"a", "b-c", "d.e"}} {
		if got := decodeTags(encodeTags(tags)); !reflect.DeepEqual(got, tags) {
			t.Errorf("tags %v gave %v", tags, got)
		}
	}
	for _, bad := range []string{"down\tx", "down\t\tnope\t0\tdb", "down\t\t\tx\tdb"} {
		if _, err := decodeDependencies(bad); err == nil {
			t.Errorf("decodeDependencies(%q) must fail", bad)
		}
	}
}

func FuzzDependencyEncoding(f *testing.F) {
	f.Add("db", "hosted-in", int64(3600), "a,b", 1)
	f.Fuzz(func(t *testing.T, on, typ string, workaround int64, members string, minUp int) {
		w := lifeboat.Duration(workaround)
		s := lifeboat.Service{ID: "svc", DependsOn: []lifeboat.Dependency{{On: on, Type: typ, Workaround: &w}}}
		if members != "" {
			s.DependsOn = append(s.DependsOn, lifeboat.Dependency{AnyOf: splitMembers(members), MinUp: minUp})
		}
		s.Normalize()
		if s.Validate() != nil {
			return // only valid services are stored
		}
		got, err := decodeDependencies(encodeDependencies(s.DependsOn))
		if err != nil || !reflect.DeepEqual(got, s.DependsOn) {
			t.Fatalf("round trip of %+v gave %+v, %v", s.DependsOn, got, err)
		}
	})
}

func splitMembers(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
