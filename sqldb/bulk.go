package sqldb

import (
	"context"
	"database/sql"
)

// Loading a large model into empty tables is fastest the way database
// manuals advise: without the secondary indexes and (on PostgreSQL) the
// foreign keys, which are built again in one pass each at the end, inside
// the same transaction. The stores check every reference themselves before
// they write, and re-adding a foreign key checks the whole table again.

// bulkThreshold is the number of services from which an import into empty
// tables drops and rebuilds indexes; below it, keeping them is cheaper.
const bulkThreshold = 20_000

// bulkTables are the tables a large import fills.
var bulkTables = []string{"services", "service_tags", "dependencies", "dependency_members"}

// ddl is a statement that removes a schema object and the one that makes
// it again.
type ddl struct{ drop, create string }

// withoutIndexes drops the secondary indexes (and on PostgreSQL the
// foreign keys) of the bulk tables when they are empty and the batch is
// large, runs fn, and builds them again.
func (db *DB) withoutIndexes(ctx context.Context, tx *sql.Tx, services int, fn func() error) error {
	if services < bulkThreshold {
		return fn()
	}
	var one int
	switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM services LIMIT 1`).Scan(&one); err {
	case nil:
		return fn() // not empty: the indexes must stay consistent row by row
	case sql.ErrNoRows:
	default:
		return err
	}
	objects, err := db.dialect.secondary(ctx, tx, bulkTables)
	if err != nil {
		return err
	}
	if db.dialect.bulkSettings != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.bulkSettings); err != nil {
			return err
		}
	}
	for _, o := range objects {
		if _, err := tx.ExecContext(ctx, o.drop); err != nil {
			return err
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, o := range objects {
		if _, err := tx.ExecContext(ctx, o.create); err != nil {
			return err
		}
	}
	return nil
}

// sqliteSecondary lists the indexes SQLite can drop and make again: those
// created by CREATE INDEX, not the ones behind primary keys.
func sqliteSecondary(ctx context.Context, tx *sql.Tx, tables []string) ([]ddl, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each($1)) ORDER BY name`, mustJSON(tables))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ddl
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			return nil, err
		}
		out = append(out, ddl{drop: `DROP INDEX "` + name + `"`, create: create})
	}
	return out, rows.Err()
}

// postgresSecondary lists the foreign keys of the tables and the indexes
// that back no constraint.
func postgresSecondary(ctx context.Context, tx *sql.Tx, tables []string) ([]ddl, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT 'ALTER TABLE ' || quote_ident(c.relname) || ' DROP CONSTRAINT ' || quote_ident(k.conname),
		       'ALTER TABLE ' || quote_ident(c.relname) || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.contype = 'f' AND c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 'DROP INDEX ' || quote_ident(i.relname), pg_get_indexdef(i.oid)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
		WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)`, tables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ddl
	for rows.Next() {
		var d ddl
		if err := rows.Scan(&d.drop, &d.create); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
