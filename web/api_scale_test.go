package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// scaleBIA stores a service whose BIA rates customer impact at level 4, so
// that a scale dropping either is refused.
func scaleBIA(t *testing.T, db *sqldb.DB) {
	t.Helper()
	m := &lifeboat.Model{Services: []*lifeboat.Service{{ID: "checkout", Kind: lifeboat.KindBusinessService}},
		BIAs: []*lifeboat.BIA{{Service: "checkout", Impacts: []lifeboat.ImpactPoint{{After: 3600, Ratings: map[string]int{"customer": 4}}}}}}
	if _, err := db.ImportModel(context.Background(), m, lifeboat.ImportSource{}); err != nil {
		t.Fatal(err)
	}
}

const scaleBody = `{"categories":["financial","customer"],"currency":"EUR",
	"ratings":[{"level":1,"name":"low"},{"level":4,"name":"high","intolerable":true}],
	"tiers":[{"id":0,"name":"now","max_rto":"1h"},{"id":1,"name":"soon","max_rto":"1d"}]}`

func TestImpactScaleAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		scaleBIA(t, db)
		runSteps(t, s, []step{
			{name: "the default", method: "GET", path: "/api/v1/impact-scale", status: 200,
				contains: []string{`"safety"`, `"name":"major","intolerable":true`, `"max_rto":"1w"`, `"currency":"USD"`}, header: []string{"ETag", ""}},
			{name: "save", method: "PUT", path: "/api/v1/impact-scale", body: scaleBody, status: 200,
				header: []string{"ETag", `"1"`}, contains: []string{`"currency":"EUR"`, `"name":"soon"`}},
			{name: "read back", method: "GET", path: "/api/v1/impact-scale", status: 200, header: []string{"ETag", `"1"`}, contains: []string{`"categories":["financial","customer"]`}},
			{name: "stale", method: "PUT", path: "/api/v1/impact-scale", body: scaleBody, headers: []string{"If-Match", `"7"`}, status: 412},
			{name: "drops a category a BIA rates", method: "PUT", path: "/api/v1/impact-scale", status: 409,
				body:     strings.Replace(scaleBody, `"financial","customer"`, `"financial"`, 1),
				contains: []string{`rates \"customer\" after 1h, a category the scale no longer has`}},
			{name: "drops a level a BIA uses", method: "PUT", path: "/api/v1/impact-scale", status: 409,
				body:     strings.Replace(scaleBody, `"level":4`, `"level":5`, 1),
				contains: []string{`rates \"customer\" 4 after 1h, a level the scale no longer has`}},
			{name: "ratings out of order", method: "PUT", path: "/api/v1/impact-scale", status: 422,
				body:     strings.Replace(scaleBody, `"level":1`, `"level":9`, 1),
				contains: []string{"ratings[1].level", "level 4 must be above 9"}},
			{name: "bad currency", method: "PUT", path: "/api/v1/impact-scale", status: 422,
				body: strings.Replace(scaleBody, `"EUR"`, `"euro"`, 1), contains: []string{"ISO 4217"}},
			{name: "unchanged after refusals", method: "GET", path: "/api/v1/impact-scale", status: 200, header: []string{"ETag", `"1"`}},
		})
	})
}

func TestImpactScalePage(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := newTestServer(t, db)
	scaleBIA(t, db)
	r := get(t, s, "/impact-scale")
	if r.Status != 200 || !strings.Contains(r.Body, "the defaults apply") || !strings.Contains(r.Body, `value="reputational"`) {
		t.Fatalf("scale page = %d:\n%s", r.Status, r.Body)
	}
	form := url.Values{"version": {"0"}, "currency": {"eur"}, "category": {"customer", "", "legal"},
		"rating_level": {"1", "4", ""}, "rating_name": {"low", "high", ""}, "rating_intolerable": {"1"},
		"tier_id": {"0", "1", ""}, "tier_name": {"now", "later", ""}, "tier_max_rto": {"1h", "soon", ""}}
	r = post(t, s, "/impact-scale", form)
	if r.Status != 422 || !strings.Contains(r.Body, "give the maximum RTO as a duration") || !strings.Contains(r.Body, `value="later"`) {
		t.Fatalf("bad duration = %d, want 422 with the input kept:\n%s", r.Status, r.Body)
	}
	form.Set("tier_max_rto", "1h")
	form["tier_max_rto"] = []string{"1h", "1d", ""}
	r = post(t, s, "/impact-scale", form)
	if r.Status != 303 {
		t.Fatalf("save = %d:\n%s", r.Status, r.Body)
	}
	scale, version, err := db.FindImpactScale(context.Background())
	if err != nil || version != 1 || scale.Currency != "EUR" || len(scale.Categories) != 2 || !scale.Ratings[1].Intolerable || scale.Ratings[0].Intolerable {
		t.Fatalf("saved %+v at version %d (%v)", scale, version, err)
	}
	form["category"] = []string{"legal"}
	form.Set("version", "1")
	r = post(t, s, "/impact-scale", form)
	if r.Status != 409 || !strings.Contains(r.Body, "a category the scale no longer has") {
		t.Fatalf("dropping a rated category = %d:\n%s", r.Status, r.Body)
	}
}
