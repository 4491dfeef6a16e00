package gen

import (
	"reflect"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

func TestCatalogIsValidAndRepeatable(t *testing.T) {
	for _, shape := range []Shape{Layered, Uniform} {
		a := Catalog(42, 5000, 10, shape)
		b := Catalog(42, 5000, 10, shape)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("shape %d: the same seed must give the same catalog", shape)
		}
		if len(a) != 5000 {
			t.Fatalf("shape %d: %d services, want 5000", shape, len(a))
		}
		ids := map[string]bool{}
		deps, groups := 0, 0
		for i, s := range a {
			s.Normalize()
			if err := s.Validate(); err != nil {
				t.Fatalf("shape %d: service %d: %v", shape, i, err)
			}
			if ids[s.ID] {
				t.Fatalf("duplicate id %s", s.ID)
			}
			ids[s.ID] = true
			for _, d := range s.DependsOn {
				deps += len(d.Targets())
				if d.IsGroup() {
					groups++
				}
				for _, target := range d.Targets() {
					if shape == Layered && !ids[target] {
						t.Fatalf("layered: %s depends on %s, which does not come before it", s.ID, target)
					}
				}
			}
		}
		if perService := float64(deps) / 5000; perService < 4 || perService > 6 {
			t.Errorf("shape %d: %.1f dependencies per service, want about 5", shape, perService)
		}
		if shape == Layered && groups == 0 {
			t.Error("layered catalogs have redundancy groups")
		}
	}
	if Catalog(1, 1000, 0, Layered)[999].Kind != lifeboat.KindBusinessService {
		t.Error("the top layer is business services")
	}
}
