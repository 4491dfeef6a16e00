package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// The sign-off of a BIA, one step at a time: the rules of each step are
// the domain's (lifeboat.BIA.Submit and the others); the store reads the
// BIA, takes the step and writes it back with an audit entry, all in one
// transaction.

// SubmitBIA sends a draft BIA for review.
func (db *DB) SubmitBIA(ctx context.Context, serviceID string, ifVersion int64) (*lifeboat.BIA, error) {
	return db.reviewStep(ctx, serviceID, ifVersion, func(_ *sql.Tx, b *lifeboat.BIA) error { return b.Submit() })
}

// ApproveBIA signs off a BIA in review by a person at a time. The approval
// keeps a snapshot of the BIA and of its service as they are now, so that
// later changes show the BIA as needing review.
func (db *DB) ApproveBIA(ctx context.Context, serviceID, by string, at time.Time, ifVersion int64) (*lifeboat.BIA, error) {
	return db.reviewStep(ctx, serviceID, ifVersion, func(tx *sql.Tx, b *lifeboat.BIA) error {
		s, err := scanService(tx.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`, serviceID))
		if err != nil {
			return err
		}
		if err := b.Approve(by, at, lifeboat.TakeSnapshot(b, s)); err != nil {
			return err
		}
		found, err := db.existingIDs(ctx, tx, "people", []string{by})
		if err == nil && !found[by] {
			err = &lifeboat.Error{Code: lifeboat.EINVALID, Message: "the BIA cannot be approved by someone Lifeboat does not know",
				Fields: []lifeboat.FieldError{{Field: "approved_by", Message: "there is no person \"" + by + "\""}}}
		}
		return err
	})
}

// ReturnBIAToDraft sends a BIA in review back to its authors, or reopens
// an approved one.
func (db *DB) ReturnBIAToDraft(ctx context.Context, serviceID string, ifVersion int64) (*lifeboat.BIA, error) {
	return db.reviewStep(ctx, serviceID, ifVersion, func(_ *sql.Tx, b *lifeboat.BIA) error { return b.ReturnToDraft() })
}

// reviewStep reads a BIA for a change, takes one step of its sign-off and
// writes it with an audit entry of the change.
func (db *DB) reviewStep(ctx context.Context, serviceID string, ifVersion int64, step func(*sql.Tx, *lifeboat.BIA) error) (*lifeboat.BIA, error) {
	var after *lifeboat.BIA
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockBIA(ctx, tx, serviceID, ifVersion, db.dialect.forUpdate)
		if err != nil {
			return err
		}
		b := *before // the steps replace Review rather than change it
		if err := step(tx, &b); err != nil {
			return err
		}
		b.Version = before.Version + 1
		if err := updateBIARow(ctx, tx, &b, millis(db.now())); err != nil {
			return err
		}
		after = &b
		return db.appendAudit(ctx, tx, lifeboat.AuditUpdate, lifeboat.ObjBIA, serviceID, before, &b)
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}
