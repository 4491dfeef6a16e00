package graph

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/examples"
	"github.com/lifeboat-itscm/lifeboat/model"
)

var update = flag.Bool("update", false, "write the golden files of the demo anew")

// TestDemoGolden answers the engine's questions on the demo organisation
// (examples/) and compares the answers with the reviewed ones in
// testdata/. After a deliberate change, run go test -update and review the
// diff of testdata/.
func TestDemoGolden(t *testing.T) {
	m, x, sim := demoSimulator(t)
	impact := func(ids ...string) any {
		nodes, err := x.LookupAll(ids)
		if err != nil {
			t.Fatal(err)
		}
		return sim.Scenario(nodes).Report()
	}
	for name, answer := range map[string]any{
		"impact-dc-east":          impact("dc-east"),
		"impact-dc-west":          impact("dc-west"),
		"impact-cloud-eu-west":    impact("cloud-eu-west"),
		"impact-orders-dbs":       impact("orders-db-primary", "orders-db-replica"),
		"impact-payment-provider": impact("payment-provider"),
		"impact-k8s-prod":         impact("k8s-prod"),
		"order":                   x.Order().Report(x),
		"objectives":              x.Objectives().Report(),
		"findings":                Analyse(m, examples.AsOf()),
	} {
		got, err := json.MarshalIndent(answer, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", "demo-"+name+".json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; if the change is meant, run go test -update and review the diff", name, path)
		}
	}
}

// demoSimulator indexes the demo organisation of examples/.
func demoSimulator(t *testing.T) (*lifeboat.Model, *Index, *Simulator) {
	t.Helper()
	m, _, err := model.Load("../examples")
	if err != nil {
		t.Fatal(err)
	}
	x, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	return m, x, NewSimulator(x, m)
}
