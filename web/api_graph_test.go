package web

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestGraphAPI asks the engine through the API on the demo organisation and
// gets what the engine gives on the demo's files, then changes the model
// and sees the next answer follow.
func TestGraphAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db, db); err != nil {
			t.Fatal(err)
		}
		m, _, err := demo.Model()
		if err != nil {
			t.Fatal(err)
		}
		x, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		s := newTestServer(t, db)

		sim := graph.NewSimulator(x, m)
		r := do(s, http.MethodPost, APIPrefix+"/impact", `{"fail": ["dc-east"]}`)
		wantAPI(t, r, http.StatusOK)
		nodes, _ := x.LookupAll([]string{"dc-east"})
		sameJSON(t, r.body, sim.Scenario(nodes).Report())

		r = do(s, http.MethodPost, APIPrefix+"/impact?limit=3", `{"fail": ["dc-east"]}`)
		wantAPI(t, r, http.StatusOK)
		var capped graph.ImpactReport
		json.Unmarshal([]byte(r.body), &capped)
		full := sim.Scenario(nodes).Report()
		if len(capped.Impacted) != 3 || !capped.Truncated || capped.Down != full.Down || capped.Degraded != full.Degraded || capped.Impacted[2].ID != full.Impacted[2].ID {
			t.Errorf("a capped impact lists the first 3 and counts all: %+v", capped)
		}
		if capped.ScenarioReport == nil || capped.Loss != full.Loss || capped.Recovery.Unknown != full.Recovery.Unknown || len(capped.Recovery.WithoutRestoreTime) != 3 {
			t.Errorf("a capped impact tells the loss and recovery of the whole scenario: %+v", capped.ScenarioReport)
		}

		// The production cluster: two services miss their RTO; a list
		// capped at one names the first and counts both.
		r = do(s, http.MethodPost, APIPrefix+"/impact?limit=1", `{"fail": ["k8s-prod"]}`)
		wantAPI(t, r, http.StatusOK)
		var misses struct {
			Truncated bool
			Loss      struct{ At map[string]float64 }
			Recovery  struct {
				MissRTO int `json:"miss_rto"`
			}
			RTOMisses []struct {
				ID              string
				EstimateSeconds int `json:"estimate_seconds"`
				RTOSeconds      int `json:"rto_seconds"`
				Chain           []string
			} `json:"rto_misses"`
		}
		json.Unmarshal([]byte(r.body), &misses)
		if !misses.Truncated || misses.Recovery.MissRTO != 3 || len(misses.RTOMisses) != 1 || misses.Loss.At["1d"] != 950000 ||
			misses.RTOMisses[0].ID != "catalog-api" || misses.RTOMisses[0].EstimateSeconds != 15000 || misses.RTOMisses[0].RTOSeconds != 14400 ||
			!reflect.DeepEqual(misses.RTOMisses[0].Chain, []string{"k8s-prod", "catalog-db", "catalog-api"}) {
			t.Errorf("k8s-prod capped at 1: %s", r.body)
		}

		r = do(s, http.MethodGet, APIPrefix+"/order", "")
		wantAPI(t, r, http.StatusOK)
		sameJSON(t, r.body, x.Order().Report(x))

		r = do(s, http.MethodGet, APIPrefix+"/objectives?limit=10", "")
		wantAPI(t, r, http.StatusOK)
		var page struct {
			Services []graph.ServiceObjectives
			Next     string
		}
		json.Unmarshal([]byte(r.body), &page)
		all := x.Objectives().Report().Services
		if !reflect.DeepEqual(page.Services, all[:10]) || page.Next != all[9].ID {
			t.Errorf("the first page of objectives: %+v", page)
		}
		r = do(s, http.MethodGet, APIPrefix+"/objectives?limit=5000&after="+page.Next, "")
		page.Services, page.Next = nil, ""
		json.Unmarshal([]byte(r.body), &page)
		if len(page.Services) != len(all)-10 || page.Next != "" {
			t.Errorf("the second page has %d services, next %q", len(page.Services), page.Next)
		}

		r = do(s, http.MethodGet, APIPrefix+"/services/checkout-api/graph?up=1&down=1", "")
		wantAPI(t, r, http.StatusOK)
		var view graph.Neighbourhood
		json.Unmarshal([]byte(r.body), &view)
		if view.Center != "checkout-api" || len(view.Groups) == 0 || len(view.Nodes) < 3 {
			t.Errorf("neighbourhood: %+v", view)
		}

		// A change made through the store shows in the next answer.
		if err := db.CreateService(ctx, &lifeboat.Service{ID: "new-app", DependsOn: []lifeboat.Dependency{{On: "dc-east"}}}); err != nil {
			t.Fatal(err)
		}
		r = do(s, http.MethodPost, APIPrefix+"/impact", `{"fail": ["dc-east"]}`)
		if !contains(r.body, `"id": "new-app"`) && !contains(r.body, `"id":"new-app"`) {
			t.Errorf("the impact misses the new service:\n%s", r.body)
		}
		r = do(s, http.MethodPost, APIPrefix+"/impact", `{"fail": ["nowhere"]}`)
		wantAPI(t, r, http.StatusUnprocessableEntity)
		r = do(s, http.MethodGet, APIPrefix+"/services/nowhere/graph", "")
		wantAPI(t, r, http.StatusNotFound)
	})
}

func wantAPI(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d:\n%s", r.status, status, r.body)
	}
}

// sameJSON compares a response body with what v marshals to.
func sameJSON(t *testing.T, body string, v any) {
	t.Helper()
	var got, want any
	b, _ := json.Marshal(v)
	json.Unmarshal(b, &want)
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the API answers differently from the engine:\n%s\nwant\n%s", body, b)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestImpactOpenAPI finds the scenario's keys in the API's description.
func TestImpactOpenAPI(t *testing.T) {
	s := newTestServer(t, dbtest.Open(t, "sqlite"))
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any
				Required   []string
			}
		}
	}
	if err := json.Unmarshal([]byte(do(s, http.MethodGet, APIPrefix+"/openapi.json", "").body), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc.Components.Schemas
	for schema, keys := range map[string][]string{
		"ImpactReport": {"failed", "impacted", "recovery_waves", "loss", "recovery", "rto_misses", "failed_services"},
		"ImpactedAs":   {"id", "state", "via", "mtpd_seconds", "loss_at", "recovery_seconds", "rto_seconds", "misses_rto"},
		"ScenarioLoss": {"currency", "at"},
		"LossAt":       {"1h", "4h", "1d", "3d", "1w"},
		"RTOMiss":      {"id", "estimate_seconds", "rto_seconds", "chain"},
	} {
		for _, k := range keys {
			if schemas[schema].Properties[k] == nil {
				t.Errorf("the schema %s lacks %s", schema, k)
			}
		}
	}
	if !slices.Contains(schemas["ImpactReport"].Required, "rto_misses") || slices.Contains(schemas["ImpactedAs"].Required, "misses_rto") {
		t.Errorf("rto_misses is always there, misses_rto not: %v, %v", schemas["ImpactReport"].Required, schemas["ImpactedAs"].Required)
	}
}
