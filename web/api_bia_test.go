package web

import (
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// biaTestModel has two teams' services and the people who sign off.
const biaTestModel = `
people: [{id: ann, name: Ann Archer}, {id: omar}]
teams: [{id: shop-team, members: [omar]}, {id: ops}]
services:
  - {id: db, owner: ops, kind: data-store, recovery: {time: 30m}}
  - {id: shop, name: Shop, owner: shop-team, kind: business-service, recovery: {time: 1h}, depends_on: [db]}
  - {id: ledger, owner: ops, kind: business-service}
`

// shopBIA is a BIA of the shop: customer impact is intolerable at 8h.
const shopBIA = `{"service":"shop","impacts":[{"after":"1h","ratings":{"customer":2},"loss":1000},
	{"after":"8h","ratings":{"customer":4,"financial":3},"loss":90000}],"work_recovery_time":"1h","rpo":"15m",
	"mbco":"Phone orders","review":{"interval_months":6}}`

// seedModel imports a model written in the file format.
func seedModel(t testing.TB, db *sqldb.DB, doc string) {
	t.Helper()
	m, _, err := model.Parse("seed.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportModel(context.Background(), m, lifeboat.ImportSource{}); err != nil {
		t.Fatal(err)
	}
}

func TestBIAAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		seedModel(t, db, biaTestModel)
		bad := func(old, new string) string { return strings.Replace(shopBIA, old, new, 1) }
		runSteps(t, s, []step{
			{name: "none yet", method: "GET", path: "/api/v1/services/shop/bia", status: 404, contains: []string{`service \"shop\" has no BIA`}},
			{name: "no such service", method: "GET", path: "/api/v1/services/ghost/bia", status: 404},
			{name: "create", method: "PUT", path: "/api/v1/services/shop/bia", body: shopBIA, status: 200, header: []string{"ETag", `"1"`},
				contains: []string{`"mbco":"Phone orders"`, `"after":"8h"`, `"status":"draft"`, `"interval_months":6`,
					`MTPD is 8h because customer impact becomes major, which is intolerable, at 8h`,
					`"rto":{"value_seconds":25200,"source":"bia"`, `"tier":{"tier":1,"name":"critical","source":"derived"`}},
			{name: "stale", method: "PUT", path: "/api/v1/services/shop/bia", body: shopBIA, headers: []string{"If-Match", `"7"`}, status: 412},
			{name: "other service", method: "PUT", path: "/api/v1/services/ledger/bia", body: shopBIA, status: 422, contains: []string{"body.id"}},
			{name: "unknown category", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"customer":2`, `"colour":2`), status: 422,
				contains: []string{"body.impacts[0].ratings.colour", `no category \"colour\"`}},
			{name: "unknown level", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"customer":2`, `"customer":9`), status: 422,
				contains: []string{"body.impacts[0].ratings.customer", "no level 9"}},
			{name: "backwards in time", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"8h"`, `"30m"`), status: 422,
				contains: []string{"body.impacts[1].after"}},
			{name: "bad duration", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"15m"`, `"soon"`), status: 422, contains: []string{"body.rpo"}},
			{name: "unknown system", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"mbco"`, `"resources":{"systems":["ghost"]},"mbco"`), status: 422,
				contains: []string{`body.resources.systems[0]`, `there is no service \"ghost\"`}},
			{name: "approving by a change", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`"interval_months":6`, `"status":"approved"`), status: 422,
				contains: []string{"body.review.status"}},
			{name: "submit", method: "POST", path: "/api/v1/services/shop/bia/submit", headers: []string{"If-Match", `"1"`}, status: 200,
				header: []string{"ETag", `"2"`}, contains: []string{`"status":"in-review"`}},
			{name: "submit twice", method: "POST", path: "/api/v1/services/shop/bia/submit", status: 409, contains: []string{"only a draft"}},
			{name: "approve as nobody", method: "POST", path: "/api/v1/services/shop/bia/approve", status: 422, contains: []string{"body.approved_by"}},
			{name: "approve by a stranger", method: "POST", path: "/api/v1/services/shop/bia/approve", body: `{"approved_by":"zed"}`, status: 422,
				contains: []string{`no person \"zed\"`}},
			{name: "approve", method: "POST", path: "/api/v1/services/shop/bia/approve", body: `{"approved_by":"ann"}`, headers: []string{"If-Match", `"2"`},
				status: 200, contains: []string{`"status":"approved"`, `"approved_by":"ann"`, `"due_at":`, `"overdue":false`, `"needs_review":false`}},
			{name: "a review block that repeats the sign-off", method: "PUT", path: "/api/v1/services/shop/bia",
				body: bad(`"interval_months":6`, `"status":"approved","approved_by":"ann","interval_months":6`), status: 200, contains: []string{`"status":"approved"`}},
			{name: "another approver by a change", method: "PUT", path: "/api/v1/services/shop/bia",
				body: bad(`"interval_months":6`, `"status":"approved","approved_by":"omar"`), status: 422, contains: []string{"body.review.approved_by"}},
			{name: "list approved", method: "GET", path: "/api/v1/bias?status=approved", status: 200,
				contains: []string{`"service":"shop"`, `"name":"Shop"`, `"version":4`, `"status":"approved"`}},
			{name: "list drafts", method: "GET", path: "/api/v1/bias?status=draft", status: 200, contains: []string{`"items":[]`}},
			{name: "list bad status", method: "GET", path: "/api/v1/bias?status=lost", status: 422},
			{name: "a save keeps the approval and needs review", method: "PUT", path: "/api/v1/services/shop/bia", body: bad(`Phone orders`, `Nothing`),
				status: 200, contains: []string{`"status":"approved"`, `"needs_review":true`, `"changes":["the MBCO changed"]`, `"reason":"since its approval on`}},
			{name: "list due", method: "GET", path: "/api/v1/bias?status=due", status: 200, contains: []string{`"service":"shop"`}},
			{name: "return", method: "POST", path: "/api/v1/services/shop/bia/return", status: 200, contains: []string{`"status":"draft"`}},
			{name: "return a draft", method: "POST", path: "/api/v1/services/shop/bia/return", status: 409},
			{name: "delete stale", method: "DELETE", path: "/api/v1/services/shop/bia", headers: []string{"If-Match", `"1"`}, status: 412},
			{name: "delete", method: "DELETE", path: "/api/v1/services/shop/bia", status: 204},
			{name: "gone", method: "GET", path: "/api/v1/services/shop/bia", status: 404},
			{name: "delete again", method: "DELETE", path: "/api/v1/services/shop/bia", status: 404},
		})
	})
}

// TestBIAAPIPermissions: readers read, service owners write and submit
// the BIAs of their own services, and only continuity managers and admins
// approve or return them.
func TestBIAAPIPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newTestServer(t, db)
		seedModel(t, db, biaTestModel)
		ctx := context.Background()
		viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)
		owner := "Bearer " + makeUser(t, db, "omar", lifeboat.RoleServiceOwner, "omar")
		manager := "Bearer " + makeUser(t, db, "mia", lifeboat.RoleContinuityManager, "ann")
		ledger := strings.ReplaceAll(shopBIA, `"shop"`, `"ledger"`)
		for _, c := range []struct {
			who, method, path, body string
			want                    int
		}{
			{owner, "PUT", "/api/v1/services/shop/bia", shopBIA, 200},
			{viewer, "GET", "/api/v1/services/shop/bia", "", 200},
			{viewer, "GET", "/api/v1/bias", "", 200},
			{viewer, "PUT", "/api/v1/services/shop/bia", shopBIA, 403},
			{owner, "PUT", "/api/v1/services/ledger/bia", ledger, 403}, // another team's service
			{manager, "PUT", "/api/v1/services/ledger/bia", ledger, 200},
			{owner, "DELETE", "/api/v1/services/ledger/bia", "", 403},
			{owner, "POST", "/api/v1/services/ledger/bia/submit", "", 403},
			{viewer, "POST", "/api/v1/services/shop/bia/submit", "", 403},
			{owner, "POST", "/api/v1/services/shop/bia/submit", "", 200},
			{owner, "POST", "/api/v1/services/shop/bia/approve", `{"approved_by":"omar"}`, 403},
			{owner, "POST", "/api/v1/services/shop/bia/return", "", 403},
			{manager, "POST", "/api/v1/services/shop/bia/approve", "", 200}, // by the manager's person
			{"", "GET", "/api/v1/bias", "", 401},
		} {
			headers := []string{"Authorization", c.who}
			if c.who == "" {
				headers = []string{"X-Anonymous", "1"}
			}
			if r := do(s, c.method, c.path, c.body, headers...); r.status != c.want {
				t.Errorf("%s %s as %s = %d, want %d: %s", c.method, c.path, c.who, r.status, c.want, r.body)
			}
		}
		b, _, err := db.FindBIA(ctx, "shop", s.Auth.Now())
		if err != nil || b.Status() != lifeboat.ReviewApproved || b.Review.ApprovedBy != "ann" {
			t.Errorf("after the manager approved: %+v %v", b, err)
		}
	})
}
