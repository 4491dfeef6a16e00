package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// biaPageModel is biaTestModel with the shop's BIA: intolerable for
// customers at 8h, a peak period and notes that try to inject a script.
const biaPageModel = biaTestModel + `
bia:
  - service: shop
    impacts:
      - {after: 1h, ratings: {customer: 2}, loss: 1000}
      - {after: 8h, ratings: {customer: 4, financial: 3}, loss: 90000}
    work_recovery_time: 1h
    rpo: 15m
    mbco: Phone orders
    peak_periods: [{name: Christmas, when: December, months: [12], factor: 3}]
    resources: {people: [{role: Agent, count: 4}], systems: [db]}
    notes: "Workshop with <script>alert(1)</script> and\nfinance"
`

// postAs sends a form as a browser on the same site would, with extra
// headers as name, value pairs.
func postAs(s *Server, path string, form url.Values, headers ...string) pageResponse {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return serve(s, r)
}

func TestBIAPage(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	seedModel(t, db, biaPageModel)
	r := get(t, s, "/services/shop/bia")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "Business impact analysis of Shop", `class="badge review-draft">Draft`,
		"MTPD is 8h because customer impact becomes major, which is intolerable, at 8h",
		"RTO is 7h: the MTPD of 8h less the work recovery time of 1h",
		"Tier 1 (critical): the slowest tier whose maximum RTO (4h) is within the RTO of 7h",
		"not yet proven by an exercise", "1h30m", // committed: the shop's hour after the database's half hour
		`<span class="mtpd-tag">MTPD</span>`, "$90,000", "Christmas", "×3", "Phone orders",
		"Submit for review", `id="chart-shop"`)
	// Notes are text: escaped, with their line breaks kept by the style.
	wantContains(t, r, `<div class="notes markdown"><p>Workshop with alert(1) and`+"\nfinance</p>")
	wantLacks(t, r, "<script>alert(1)")
	// The chart data is JSON for bia.js, escaped for the page.
	if !strings.Contains(r.Body, `"mtpd":"8h"`) || !strings.Contains(r.Body, `"peak_factor":3`) {
		t.Errorf("chart data missing")
	}

	// The service page shows the BIA's gist; a service without one offers to start it.
	r = get(t, s, "/services/shop")
	wantContains(t, r, `id="service-bia"`, "MTPD is 8h because", `href="/services/shop/bia"`)
	r = get(t, s, "/services/ledger/bia")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, "ledger has no BIA yet", `href="/services/ledger/bia/edit">Start the BIA`)
	wantStatus(t, get(t, s, "/services/ghost/bia"), http.StatusNotFound)
	wantStatus(t, get(t, s, "/services/ledger/bia/report"), http.StatusNotFound)

	viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)
	r = get(t, s, "/services/ledger/bia", "Authorization", viewer)
	wantLacks(t, r, "Start the BIA")
	r = get(t, s, "/services/shop/bia", "Authorization", viewer)
	wantLacks(t, r, "Submit for review", "Answer the questions")
}

func TestBIASignOffPages(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	seedModel(t, db, biaPageModel)
	owner := "Bearer " + makeUser(t, db, "omar", lifeboat.RoleServiceOwner, "omar")
	v := func(version string, kv ...string) url.Values {
		f := url.Values{"version": {version}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	wantStatus(t, postAs(s, "/services/shop/bia/submit", v("7")), http.StatusConflict) // an old version
	r := postAs(s, "/services/shop/bia/submit", v("1"), "Authorization", owner)
	wantStatus(t, r, http.StatusSeeOther)
	r = get(t, s, "/services/shop/bia")
	wantContains(t, r, "In review", "waiting for sign-off", `<select id="approved-by" name="approved_by">`, "Choose the person who signs off", "Return to draft")
	wantStatus(t, postAs(s, "/services/shop/bia/approve", v("2", "approved_by", "ann"), "Authorization", owner), http.StatusForbidden)
	r = postAs(s, "/services/shop/bia/approve", v("2")) // the admin is no person
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "your user is not linked to a person")
	wantStatus(t, postAs(s, "/services/shop/bia/approve", v("2", "approved_by", "ann")), http.StatusSeeOther)
	r = get(t, s, "/services/shop/bia")
	wantContains(t, r, "approved by <strong>Ann Archer</strong>", "Next review", "Reopen as a draft")
	wantLacks(t, r, "Submit for review")
	wantStatus(t, postAs(s, "/services/shop/bia/submit", v("3")), http.StatusConflict)
	wantStatus(t, postAs(s, "/services/shop/bia/return", v("3")), http.StatusSeeOther)
	b, _, err := db.FindBIA(context.Background(), "shop", s.Auth.Now())
	if err != nil || b.Status() != lifeboat.ReviewDraft {
		t.Errorf("after return: %+v %v", b, err)
	}
}

// biaFormValues is the guided form for the shop as a browser sends it.
func biaFormValues(kv ...string) url.Values {
	f := url.Values{"version": {"0"},
		"impacts[0].after": {"1h"}, "impacts[0].ratings.customer": {"2"}, "impacts[0].loss": {"1,000"},
		"impacts[1].after": {"1d"}, "impacts[1].ratings.customer": {"5"}, "impacts[1].loss": {"250 000"},
		"impacts[2].after": {"4h"}, "impacts[2].ratings.financial": {"4"},
		"impacts[3].after": {""}, "impacts[3].loss": {""}, // an empty point, dropped
		"work_recovery_time": {"30m"}, "rpo": {"5m"}, "mbco": {"Phone orders"},
		"peak_periods[0].name": {"Christmas"}, "peak_periods[0].when": {"December"}, "peak_periods[0].months": {"Nov, 12"},
		"peak_periods[1].name": {""}, "resources.people[0].role": {"Agent"}, "resources.people[0].count": {"4"},
		"resources.systems": {"db"}, "resources.facilities": {"Head office\n\nWarehouse"}, "review.interval_months": {"6"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestBIAForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := pageServer(t, db)
		seedModel(t, db, biaTestModel)
		r := get(t, s, "/services/shop/bia/edit")
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "Start the BIA of Shop", "After 1 hour without Shop, how bad is it…", "After 1 week without Shop",
			"…for customers?", "…financially?", `<option value="4">major (intolerable)</option>`,
			"Once Shop is back, how long does it take to check the data and clear the backlog?", "How much recent data could you lose?",
			`A rating of “major” or “severe” is intolerable`)

		// Buttons that change the rows save nothing.
		r = postAs(s, "/services/shop/bia", biaFormValues("action", "add-point"))
		wantStatus(t, r, http.StatusOK)
		if n := strings.Count(r.Body, `class="point"`); n != 4 {
			t.Errorf("after adding a point: %d points, want 4", n)
		}
		wantContains(t, r, "After how long without Shop")
		r = postAs(s, "/services/shop/bia", biaFormValues("action", "remove-point-0"))
		if n := strings.Count(r.Body, `class="point"`); n != 2 || strings.Contains(r.Body, `value="1h"`) {
			t.Errorf("after removing the first point: %d points", n)
		}
		// The points come back in time order: 4h before 1d.
		if i, j := strings.Index(r.Body, `value="4h"`), strings.Index(r.Body, `value="1d"`); i < 0 || j < i {
			t.Errorf("points out of order: 4h at %d, 1d at %d", i, j)
		}
		if _, _, err := db.FindBIA(context.Background(), "shop", s.Auth.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Fatalf("a row button saved the BIA: %v", err)
		}

		// The preview derives from the answers as typed.
		r = postAs(s, "/services/shop/bia/preview", biaFormValues())
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "MTPD is 4h because financial impact becomes major, which is intolerable, at 4h", "RTO is 3h30m")
		wantLacks(t, r, "<html")

		// Saving stores the BIA through the store and shows it.
		r = postAs(s, "/services/shop/bia", biaFormValues("action", "save"))
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/services/shop/bia" {
			t.Errorf("redirect to %q", loc)
		}
		b, _, err := db.FindBIA(context.Background(), "shop", s.Auth.Now())
		if err != nil || len(b.Impacts) != 3 || b.Impacts[1].After.String() != "4h" || *b.Impacts[2].Loss != 250000 ||
			b.PeakPeriods[0].Months[0] != 11 || b.Resources.Facilities[1] != "Warehouse" || b.Review.IntervalMonths != 6 || b.Version != 1 {
			t.Fatalf("stored: %+v %v", b, err)
		}
		// Editing starts from what is stored, version and all.
		r = get(t, s, "/services/shop/bia/edit")
		wantContains(t, r, "The BIA of Shop", `name="version" value="1"`, `value="250000"`, "Head office\nWarehouse")
		// Saving over a newer version is refused, and the answers stay.
		r = postAs(s, "/services/shop/bia", biaFormValues("mbco", "Nothing"))
		wantStatus(t, r, http.StatusConflict)
		wantContains(t, r, "changed by someone else", `>Nothing</textarea>`)
	})
}

func TestBIAFormErrors(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	seedModel(t, db, biaTestModel)
	for _, c := range []struct {
		name   string
		form   url.Values
		status int
		field  string // the input the problem is shown at
		want   string
	}{
		{"bad duration", biaFormValues("rpo", "a while"), 422, "rpo", "is not a duration"},
		{"no time, put last", biaFormValues("impacts[0].after", ""), 422, "impacts[2].after", "say after how long"},
		{"bad amount", biaFormValues("impacts[0].loss", "lots"), 422, "impacts[0].loss", "is not an amount"},
		{"falling loss", biaFormValues("impacts[0].loss", "999999", "impacts[2].loss", "2000"), 422, "impacts[1].loss", "the loss is cumulative"},
		{"bad month", biaFormValues("peak_periods[0].months", "Smarch"), 422, "peak_periods[0].months", "is not a month"},
		{"month out of range", biaFormValues("peak_periods[0].months", "13"), 422, "peak_periods[0].months", "a month is a number from 1"},
		{"peak without when", biaFormValues("peak_periods[0].when", ""), 422, "peak_periods[0].when", "must not be empty"},
		{"no count", biaFormValues("resources.people[0].count", ""), 422, "resources.people[0].count", "between 1 and"},
		{"unknown system", biaFormValues("resources.systems", "db, ghost"), 422, "resources.systems", `there is no service &#34;ghost&#34;`},
		{"level off the scale", biaFormValues("impacts[0].ratings.customer", "9"), 422, "impacts[0].ratings.customer", "no level 9"},
		{"bad interval", biaFormValues("review.interval_months", "500"), 422, "review.interval_months", "between 1 and 120"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := postAs(s, "/services/shop/bia", c.form)
			wantStatus(t, r, c.status)
			id := `id="` + errorID(c.field) + `">`
			i := strings.Index(r.Body, id)
			if i < 0 {
				t.Fatalf("no problem shown at %s:\n%s", c.field, html.UnescapeString(alertOf(r.Body)))
			}
			if msg := r.Body[i : i+strings.Index(r.Body[i:], "</p>")]; !strings.Contains(msg, c.want) {
				t.Errorf("problem at %s is %q, want %q", c.field, msg, c.want)
			}
			wantContains(t, r, `value="Christmas"`, `>Phone orders</textarea>`) // nothing typed is lost
		})
	}
	if _, _, err := db.FindBIA(context.Background(), "shop", s.Auth.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		t.Errorf("a refused form stored a BIA: %v", err)
	}
	// A service owner of another team may open the form but not save it.
	owner := "Bearer " + makeUser(t, db, "omar", lifeboat.RoleServiceOwner, "omar")
	wantStatus(t, postAs(s, "/services/ledger/bia", biaFormValues(), "Authorization", owner), http.StatusForbidden)
	wantStatus(t, postAs(s, "/services/shop/bia", biaFormValues(), "Authorization", owner), http.StatusSeeOther)
}

// alertOf is the form's alert, for a failure message.
func alertOf(body string) string {
	if i := strings.Index(body, `class="alert alert-error"`); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	return "(no alert)"
}

func TestBIAListAndReports(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	seedModel(t, db, biaPageModel+`
  - service: ledger
    impacts: [{after: 1d, ratings: {legal: 5}}]
    review: {status: approved, approved_by: ann, approved_at: 2020-01-01T00:00:00Z}
`)
	r := get(t, s, "/bia")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `href="/services/shop/bia">Shop</a>`, `href="/services/ledger/bia">ledger</a>`, "overdue",
		`All <span class="chip-count">2</span>`, `Due for review <span class="chip-count">1</span>`, `aria-current="page">BIA</a>`)
	r = get(t, s, "/bia?status=draft")
	wantContains(t, r, "/services/shop/bia")
	wantLacks(t, r, "/services/ledger/bia")
	r = get(t, s, "/bia?status=due")
	wantContains(t, r, "/services/ledger/bia")
	wantLacks(t, r, `href="/services/shop/bia"`)

	r = get(t, s, "/services/shop/bia/report")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `class="report"`, "MTPD is 8h because", "data-print")
	r = get(t, s, "/bia/report")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r, `id="summary-table"`, `id="bia-shop"`, `id="bia-ledger"`)
	// Sorted by tier: the shop (tier 1, RTO 7h) before the ledger (tier 2, RTO 1d).
	if i, j := strings.Index(r.Body, `href="#bia-shop"`), strings.Index(r.Body, `href="#bia-ledger"`); i < 0 || j < i {
		t.Errorf("summary order: shop at %d, ledger at %d", i, j)
	}
}
