package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestImpactScenario runs lifeboat impact on the demo: the keys of
// format.md come first and unchanged, the scenario's after them, and the
// text ends with the loss and the RTO misses.
func TestImpactScenario(t *testing.T) {
	r := runLifeboat(t, nil, "impact", "../../examples", "--fail", "k8s-prod", "--format", "json")
	if r.err != nil {
		t.Fatalf("impact: %v\n%s", r.err, r.stderr)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var keys []string
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"failed", "impacted", "recovery_waves", "down", "degraded", "failed_services", "loss", "recovery", "rto_misses"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("top-level keys %v, want %v", keys, want)
	}
	var out struct {
		Impacted []map[string]any
		Loss     struct {
			Currency string
			At       map[string]float64
		}
		RTOMisses []struct{ ID string } `json:"rto_misses"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Loss.Currency != "USD" || out.Loss.At["1d"] != 950000 || len(out.RTOMisses) != 3 || out.RTOMisses[0].ID != "catalog-api" {
		t.Errorf("loss %+v, misses %+v", out.Loss, out.RTOMisses)
	}
	for _, h := range out.Impacted {
		if h["state"] == "degraded" && len(h) != 3 {
			t.Errorf("a degraded service has more than id, state and via: %v", h)
		}
	}

	r = runLifeboat(t, nil, "impact", "../../examples", "--fail", "k8s-prod")
	for _, s := range []string{"Loss while down, in USD", "storefront", "950,000", "intolerable after 1d",
		"Miss their RTO (3):", "storefront  back after 4h10m at the earliest and later by restore times the model lacks, RTO 4h", "catalog-api  back after 4h10m at the earliest, RTO 4h  (k8s-prod → catalog-db → catalog-api)",
		"the model has no restore time for \"storefront\""} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("the text lacks %q:\n%s", s, r.stdout)
		}
	}
}
