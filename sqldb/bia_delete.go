package sqldb

import (
	"context"
	"database/sql"

	"github.com/lifeboat-itscm/lifeboat"
)

// DeleteBIA deletes the BIA of a service, sign-off and all, with an audit
// entry that keeps what it held.
func (db *DB) DeleteBIA(ctx context.Context, serviceID string, ifVersion int64) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockBIA(ctx, tx, serviceID, ifVersion, db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM bias WHERE service_id = $1`, serviceID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditDelete, lifeboat.ObjBIA, serviceID, before, nil)
	})
}
