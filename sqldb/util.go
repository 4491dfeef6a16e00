package sqldb

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

func itoa(n int) string { return strconv.Itoa(n) }

func durationValue(d *lifeboat.Duration) any {
	if d == nil {
		return nil
	}
	return int64(*d)
}

func durationPtr(n sql.NullInt64) *lifeboat.Duration {
	if !n.Valid {
		return nil
	}
	d := lifeboat.Duration(n.Int64)
	return &d
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

type versionRow struct {
	version   int64
	createdAt time.Time
}

// lockVersion reads a row's version for a change, failing with ENOTFOUND
// when it is gone and ESTALE when ifVersion is set and differs. In a write
// transaction on PostgreSQL the row stays locked until commit.
func (db *DB) lockVersion(ctx context.Context, tx *sql.Tx, table, noun, id string, ifVersion int64) (versionRow, error) {
	var v versionRow
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT version, created_at FROM `+table+` WHERE id = $1`+db.dialect.forUpdate, id).Scan(&v.version, &created)
	if err == sql.ErrNoRows {
		return v, lifeboat.Errorf(lifeboat.ENOTFOUND, "%s %q not found", noun, id)
	} else if err != nil {
		return v, err
	}
	if err := checkVersion(noun, id, ifVersion, v.version); err != nil {
		return v, err
	}
	v.createdAt = fromMillis(created)
	return v, nil
}

// checkVersion fails with ESTALE when ifVersion is set and is not the stored
// version.
func checkVersion(noun, id string, ifVersion, stored int64) error {
	if ifVersion != 0 && ifVersion != stored {
		return lifeboat.Errorf(lifeboat.ESTALE, "%s %q was changed by someone else since you loaded it (version %d, now %d); reload and try again", noun, id, ifVersion, stored)
	}
	return nil
}

// existingIDs returns which of ids exist in table.
func (db *DB) existingIDs(ctx context.Context, tx *sql.Tx, table string, ids []string) (map[string]bool, error) {
	found := make(map[string]bool, len(ids))
	for start := 0; start < len(ids); start += 10000 {
		chunk := ids[start:min(start+10000, len(ids))]
		rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` WHERE `+db.dialect.inIDs("id", "$1"), db.dialect.idsArg(chunk))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}
