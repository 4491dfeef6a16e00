package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestDeleteBIA: a delete guards the version, frees the service for
// deletion, moves the model version and leaves the BIA in the audit trail.
func TestDeleteBIA(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.ImportModel(ctx, parse(t, biaModel), lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteBIA(ctx, "app", 5); lifeboat.ErrorCode(err) != lifeboat.ESTALE {
			t.Errorf("deleting an old version: %v", err)
		}
		before, err := db.ModelVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteBIA(ctx, "app", 1); err != nil {
			t.Fatal(err)
		}
		if after, err := db.ModelVersion(ctx); err != nil || after <= before {
			t.Errorf("model version %d, then %d (%v)", before, after, err)
		}
		if _, _, err := db.FindBIA(ctx, "app", time.Now()); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("found after the delete: %v", err)
		}
		if err := db.DeleteBIA(ctx, "app", 0); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("deleting it again: %v", err)
		}
		entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Kind: lifeboat.ObjBIA, Subject: "app", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].Action != lifeboat.AuditDelete || len(entries[0].Before) == 0 {
			t.Errorf("audit: %+v %v", entries, err)
		}
		if err := db.DeleteService(ctx, "app", 0); err != nil {
			t.Errorf("deleting the service without its BIA: %v", err)
		}
	})
}
