package sqldb_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// biaModel is a small model with a BIA that uses every key.
const biaModel = `
people: [{id: ann}, {id: bob}]
teams: [{id: ops, members: [ann]}]
services:
  - {id: db, owner: ops, kind: data-store}
  - {id: bank, owner: ops, kind: vendor}
  - {id: x, owner: ops}
  - id: app
    owner: ops
    kind: business-service
    tier: 1
    objectives: {rto: 4h}
    recovery: {time: 2h}
    depends_on: [db]
bia:
  - service: app
    impacts:
      - {after: 1h, ratings: {customer: 2}, loss: 1000}
      - {after: 8h, ratings: {customer: 4}, loss: 90000.5}
    work_recovery_time: 1h
    rpo: 15m
    mbco: Phone orders
    peak_periods:
      - {name: Month-end, when: the last 3 business days, factor: 2.5}
      - {name: Christmas, when: December, months: [11, 12]}
    resources:
      people: [{role: Agent, count: 12}]
      systems: [db, app]
      facilities: [Head office]
      suppliers: [bank]
      vital_records: [Open orders]
    notes: |
      Workshop **notes**.
    review: {status: approved, approved_by: ann, approved_at: 2026-05-01T09:00:00Z, interval_months: 6}
`

func parse(t *testing.T, doc string) *lifeboat.Model {
	t.Helper()
	m, _, err := model.Parse("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBIARoundTrip: every key of a BIA comes back from the database as it
// went in, and the import takes the snapshot of the approval.
func TestBIARoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := parse(t, biaModel)
		want := encodeModel(t, normalized(parse(t, biaModel)))
		if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindModel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g := encodeModel(t, got); !bytes.Equal(g, want) {
			t.Fatalf("the database changed the BIA:\n%s\n---\n%s", firstDiff(want, g), g)
		}
		b, st, err := db.FindBIA(ctx, "app", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 1 || b.Review.Snapshot == nil || b.Review.Snapshot.Recovery == nil || len(b.Review.Snapshot.DependsOn) != 1 {
			t.Errorf("the import took no snapshot of the approval: %+v", b.Review)
		}
		if st.Status != lifeboat.ReviewApproved || st.Due() || !st.DueAt.Equal(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("state %+v", st)
		}
		graphModel, err := db.FindGraphModel(ctx)
		if err != nil || len(graphModel.BIAs) != 1 {
			t.Fatalf("the graph's model lacks the BIA: %+v, %v", graphModel, err)
		}
		if g := graphModel.BIAs[0]; len(g.Impacts) != 2 || *g.WorkRecoveryTime != 3600 || *g.RPO != 900 || len(g.PeakPeriods) != 2 ||
			g.Resources != nil || g.Review != nil || g.Notes != "" {
			t.Errorf("the graph's BIA: %+v", g)
		}
		if _, _, err := db.FindBIA(ctx, "db", time.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("a service without a BIA: %v", err)
		}
	})
}

// TestApplyKeepsTheApproval: an apply that leaves the review block alone
// keeps the snapshot, so what changed around the BIA shows as needing
// review; a newer approval takes a new snapshot.
func TestApplyKeepsTheApproval(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		if _, err := db.ImportModel(ctx, parse(t, biaModel), lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		apply := func(doc string) *lifeboat.Plan {
			t.Helper()
			plan, err := db.ApplyModel(ctx, parse(t, doc), lifeboat.ApplyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return plan
		}
		state := func() lifeboat.ReviewState {
			t.Helper()
			_, st, err := db.FindBIA(ctx, "app", now)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}

		changed := strings.NewReplacer("depends_on: [db]", "depends_on: [db, x]", "recovery: {time: 2h}", "recovery: {time: 4h}",
			"Workshop **notes**.", "Other notes.").Replace(biaModel)
		if got := planLines(apply(changed)); got != "update service app [depends_on recovery]; update bia app [notes]" {
			t.Errorf("plan %s", got)
		}
		if st := state(); !st.NeedsReview || !slices.Equal(st.Changes, []string{"recovery time changed from 2h to 4h", "the dependency on x was added"}) {
			t.Errorf("after the service changed: %+v", st)
		}

		reapproved := strings.Replace(changed, "approved_at: 2026-05-01T09:00:00Z", "approved_at: 2026-05-20T09:00:00Z", 1)
		plan := apply(reapproved)
		if got := planLines(plan); got != "update bia app [review]" || !strings.Contains(string(plan.Changes[0].Fields[0].After), "2026-05-20T09:00:00Z") {
			t.Errorf("plan %s %+v", got, plan.Changes)
		}
		if st := state(); st.Due() || !st.ApprovedAt.Equal(time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("after a new approval: %+v", st)
		}

		inReview := strings.Replace(reapproved, "review: {status: approved, approved_by: ann, approved_at: 2026-05-20T09:00:00Z, interval_months: 6}",
			"review: {status: in-review}", 1)
		apply(inReview)
		b, st, err := db.FindBIA(ctx, "app", now)
		if err != nil || st.Status != lifeboat.ReviewInReview || b.Review.Snapshot != nil || b.Review.ApprovedBy != "" {
			t.Errorf("in review: %+v %+v %v", b.Review, st, err)
		}
		apply(reapproved) // approved again: a snapshot of the model as it is
		if st := state(); st.Due() {
			t.Errorf("approved again: %+v", st)
		}
	})
}

func TestBIAStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m := parse(t, biaModel)
		m.BIAs = nil
		if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		b := parse(t, biaModel).BIAs[0]
		// A save creates a draft: the review block it is given counts only
		// for its interval.
		if err := db.SaveBIA(ctx, b, 0); err != nil {
			t.Fatal(err)
		}
		got, st, err := db.FindBIA(ctx, "app", time.Now())
		if err != nil || got.Version != 1 || st.Status != lifeboat.ReviewDraft || got.Review.IntervalMonths != 6 || got.Review.ApprovedBy != "" || got.MBCO != "Phone orders" {
			t.Fatalf("saved: %+v %+v %v", got.Review, st, err)
		}

		// The steps of the sign-off, each a version.
		if _, err := db.ApproveBIA(ctx, "app", "ann", time.Now(), 0); lifeboat.ErrorCode(err) != lifeboat.ECONFLICT {
			t.Errorf("approving a draft: %v", err)
		}
		if _, err := db.SubmitBIA(ctx, "app", 7); lifeboat.ErrorCode(err) != lifeboat.ESTALE {
			t.Errorf("submitting an old version: %v", err)
		}
		if b, err := db.SubmitBIA(ctx, "app", 1); err != nil || b.Status() != lifeboat.ReviewInReview || b.Version != 2 {
			t.Fatalf("submit: %+v %v", b, err)
		}
		if _, err := db.ApproveBIA(ctx, "app", "zed", time.Now(), 0); lifeboat.ErrorCode(err) != lifeboat.EINVALID || !strings.Contains(err.Error(), `no person "zed"`) {
			t.Errorf("approved by a stranger: %v", err)
		}
		at := time.Date(2026, 5, 1, 9, 0, 0, 500_000_000, time.UTC)
		approved, err := db.ApproveBIA(ctx, "app", "bob", at, 2)
		if err != nil || approved.Version != 3 || approved.Review.ApprovedBy != "bob" || !approved.Review.ApprovedAt.Equal(at.Truncate(time.Second)) {
			t.Fatalf("approve: %+v %v", approved, err)
		}

		// A change to the service after the approval shows.
		s, err := db.FindServiceByID(ctx, "app")
		if err != nil {
			t.Fatal(err)
		}
		s.Objectives.RTO = dur("2h")
		if err := db.UpdateService(ctx, s, 0); err != nil {
			t.Fatal(err)
		}
		_, st, err = db.FindBIA(ctx, "app", at.AddDate(0, 1, 0))
		if err != nil || !st.NeedsReview || !slices.Equal(st.Changes, []string{"objectives changed: RTO 4h → 2h"}) {
			t.Errorf("after the RTO changed: %+v %v", st, err)
		}

		// A save keeps the approval; the changed content shows too.
		edit := parse(t, biaModel).BIAs[0]
		edit.MBCO = "Nothing"
		edit.Review = nil
		if err := db.SaveBIA(ctx, edit, 2); lifeboat.ErrorCode(err) != lifeboat.ESTALE {
			t.Errorf("saving over a newer version: %v", err)
		}
		if err := db.SaveBIA(ctx, edit, 3); err != nil {
			t.Fatal(err)
		}
		got, st, err = db.FindBIA(ctx, "app", at.AddDate(0, 1, 0))
		if err != nil || got.Version != 4 || st.Status != lifeboat.ReviewApproved || got.Review.IntervalMonths != 0 ||
			!slices.Equal(st.Changes, []string{"the MBCO changed", "objectives changed: RTO 4h → 2h"}) {
			t.Errorf("after a save: %+v %+v %v", got.Review, st, err)
		}
		if st.DueAt.Equal(at.Truncate(time.Second).AddDate(0, 6, 0)) {
			t.Errorf("the interval was not taken from the save: due %s", st.DueAt)
		}

		// Back to draft: the approval is gone.
		if b, err := db.ReturnBIAToDraft(ctx, "app", 4); err != nil || b.Status() != lifeboat.ReviewDraft || b.Review.Snapshot != nil || b.Review.ApprovedAt != nil {
			t.Errorf("return: %+v %v", b, err)
		}
		if _, err := db.ReturnBIAToDraft(ctx, "app", 0); lifeboat.ErrorCode(err) != lifeboat.ECONFLICT {
			t.Errorf("returning a draft: %v", err)
		}

		// Every step is in the audit trail, newest first, with the BIA before it.
		entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Kind: lifeboat.ObjBIA, Subject: "app", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{"update", "update", "update", "update", "create"}) ||
			!strings.Contains(string(entries[2].After), `"approved_by":"bob"`) || !strings.Contains(string(entries[2].Before), `"status":"in-review"`) ||
			strings.Contains(string(entries[2].After), "snapshot") {
			t.Errorf("audit: %q\n%s", actions, entries[2].After)
		}
	})
}

func TestSaveBIARefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.ImportModel(ctx, parse(t, "services: [{id: app}]\n"), lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			bia  *lifeboat.BIA
			code string
			want string
		}{
			{&lifeboat.BIA{Service: "ghost"}, lifeboat.EINVALID, `there is a BIA for service "ghost", which is neither in the model nor in the database`},
			{&lifeboat.BIA{Service: "app", Resources: &lifeboat.BIAResources{Suppliers: []string{"bank"}}}, lifeboat.EINVALID, `needs supplier "bank"`},
			{&lifeboat.BIA{Service: "app", PeakPeriods: []lifeboat.PeakPeriod{{Name: "x"}}}, lifeboat.EINVALID, "peak_periods[0].when"},
			{&lifeboat.BIA{Service: "app"}, lifeboat.ENOTFOUND, `service "app" has no BIA`}, // with a version to match
		} {
			ifVersion := int64(0)
			if tc.code == lifeboat.ENOTFOUND {
				ifVersion = 1
			}
			err := db.SaveBIA(ctx, tc.bia, ifVersion)
			if lifeboat.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %s with %q", err, tc.code, tc.want)
			}
		}
		if _, _, err := db.FindBIA(ctx, "app", time.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("a refused save stored a BIA: %v", err)
		}
	})
}

func TestDeletePersonWhoApproved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.ImportModel(ctx, parse(t, biaModel), lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		err := db.DeletePerson(ctx, "ann", 0)
		if lifeboat.ErrorCode(err) != lifeboat.ECONFLICT || !strings.Contains(err.Error(), `they approved the BIA of app`) {
			t.Errorf("deleting the approver: %v", err)
		}
		_, err = db.ApplyModel(ctx, parse(t, strings.Replace(biaModel, "{id: ann}, ", "", 1)), lifeboat.ApplyOptions{Prune: true})
		if lifeboat.ErrorCode(err) == "" || !strings.Contains(err.Error(), `the BIA of "app" was approved by "ann"`) {
			t.Errorf("pruning the approver: %v", err)
		}
	})
}

// TestMigrateBIAs: migration 7 keeps the BIAs stored before it, and going
// back keeps them too.
func TestMigrateBIAs(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqldb.Open(ctx, dbtest.URL(t, name))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := sqldb.MigrateToForTest(ctx, db, 6); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ImportModel(ctx, parse(t, "services: [{id: app}]\n"), lifeboat.ImportSource{}); err != nil {
				t.Fatal(err)
			}
			if err := sqldb.ExecForTest(ctx, db, `INSERT INTO bias (service_id, impacts, work_recovery_time, rpo, mbco, version, created_at, updated_at)
				VALUES ('app', '[{"after":"4h","ratings":{"customer":4}}]', 3600, 900, 'Phone', 1, 0, 0)`); err != nil {
				t.Fatal(err)
			}
			if err := sqldb.MigrateToForTest(ctx, db, 0); err != nil {
				t.Fatal(err)
			}
			m, err := db.FindModel(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if b := m.BIAs[0]; b.MBCO != "Phone" || *b.RPO != 900 || b.Review != nil || b.Resources != nil || len(b.PeakPeriods) != 0 || b.Notes != "" {
				t.Errorf("after the migration: %+v", b)
			}
			if err := sqldb.MigrateDownToForTest(ctx, db, 6); err != nil {
				t.Fatal(err)
			}
			if err := sqldb.ExecForTest(ctx, db, `UPDATE bias SET mbco = 'Still here' WHERE service_id = 'app'`); err != nil {
				t.Errorf("the BIA is gone after going back: %v", err)
			}
			if err := sqldb.MigrateToForTest(ctx, db, 0); err != nil {
				t.Fatal(err)
			}
			if m, err := db.FindModel(ctx); err != nil || m.BIAs[0].MBCO != "Still here" {
				t.Errorf("after going back and forth: %+v %v", m, err)
			}
		})
	}
}
