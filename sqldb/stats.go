package sqldb

import (
	"context"
	"database/sql"

	"github.com/lifeboat-itscm/lifeboat"
)

// ServiceStats counts services by kind and tier, and dependencies.
func (db *DB) ServiceStats(ctx context.Context) (*lifeboat.ServiceStats, error) {
	st := &lifeboat.ServiceStats{ByKind: map[lifeboat.Kind]int{}, ByTier: map[int]int{}}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT kind, tier, count(*) FROM services GROUP BY kind, tier`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind lifeboat.Kind
			var tier sql.NullInt64
			var n int
			if err := rows.Scan(&kind, &tier, &n); err != nil {
				return err
			}
			st.Total += n
			st.ByKind[kind] += n
			if tier.Valid {
				st.ByTier[int(tier.Int64)] += n
			} else {
				st.Untiered += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM dependencies WHERE target_id IS NOT NULL)
			+ (SELECT count(*) FROM dependency_members)`).Scan(&st.Dependencies)
	})
	return st, err
}

// FindTags lists the tags in use, most used first.
func (db *DB) FindTags(ctx context.Context) ([]lifeboat.TagCount, error) {
	var out []lifeboat.TagCount
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT tag, count(*) FROM service_tags GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 500`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t lifeboat.TagCount
			if err := rows.Scan(&t.Tag, &t.Count); err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}
