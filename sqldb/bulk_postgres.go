package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyConnKey marks a context whose PostgreSQL transaction runs on a
// connection of its own, which COPY can use (see bulkTx).
type copyConnKey struct{}

// copyInsert streams rows into a table with COPY, the fastest way into
// PostgreSQL: binary rows, no statement per batch. The transaction is the
// connection's, so the rows commit or roll back with the rest of it.
func copyInsert(ctx context.Context, conn *sql.Conn, table, columns string, rows iter.Seq[[]any]) error {
	names := strings.Split(columns, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	next, stop := iter.Pull(rows)
	defer stop()
	src := pgx.CopyFromFunc(func() ([]any, error) {
		row, ok := next()
		if !ok {
			return nil, nil
		}
		return row, nil
	})
	return conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, names, src)
		return err
	})
}

// unnestChunk is how many rows one unnest INSERT carries.
const unnestChunk = 50_000

// unnestInsert inserts many rows on PostgreSQL with one statement per
// chunk: INSERT ... SELECT FROM unnest($1::text[], $2::bigint[], ...), one
// array parameter per column. The server parses one statement and reads
// each column as one value, which is three to four times faster than
// multi-row VALUES lists with a parameter per value.
func (db *DB) unnestInsert(ctx context.Context, tx *sql.Tx, table, columns string, rows iter.Seq[[]any]) error {
	types, err := db.columnTypes(ctx, tx, table, columns)
	if err != nil {
		return err
	}
	width := len(types)
	casts := make([]string, width)
	for c, t := range types {
		casts[c] = fmt.Sprintf("$%d::%s[]", c+1, t)
	}
	q := "INSERT INTO " + table + " (" + columns + ") SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")"
	chunk := make([][]any, 0, unnestChunk)
	flush := func() error {
		args := make([]any, width)
		for c := range width {
			args[c] = columnArray(chunk, c, types[c])
		}
		chunk = chunk[:0]
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	for row := range rows {
		chunk = append(chunk, slices.Clone(row))
		if len(chunk) == unnestChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(chunk) > 0 {
		return flush()
	}
	return nil
}

// columnTypes returns the array element type of each of the columns:
// text, bigint or float8.
func (db *DB) columnTypes(ctx context.Context, tx *sql.Tx, table, columns string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = $1 AND table_schema = current_schema()`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byName := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		switch typ {
		case "bigint", "integer":
			byName[name] = "bigint"
		case "double precision":
			byName[name] = "float8"
		default:
			byName[name] = "text"
		}
	}
	var out []string
	for _, c := range strings.Split(columns, ",") {
		t, ok := byName[strings.TrimSpace(c)]
		if !ok {
			return nil, fmt.Errorf("%s has no column %q", table, strings.TrimSpace(c))
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// columnArray gathers column c of rows into an array of the element type,
// nil for NULL.
func columnArray(rows [][]any, c int, typ string) any {
	switch typ {
	case "bigint":
		return gather(rows, c, func(v any) (int64, bool) {
			switch n := v.(type) {
			case int:
				return int64(n), true
			case int64:
				return n, true
			}
			return 0, false
		})
	case "float8":
		return gather(rows, c, func(v any) (float64, bool) { f, ok := v.(float64); return f, ok })
	}
	return gather(rows, c, func(v any) (string, bool) { s, ok := v.(string); return s, ok })
}

// gather makes the array of one column; a value conv does not take is NULL.
func gather[T any](rows [][]any, c int, conv func(any) (T, bool)) []*T {
	out := make([]*T, len(rows))
	vals := make([]T, len(rows))
	for i, r := range rows {
		if v, ok := conv(r[c]); ok {
			vals[i] = v
			out[i] = &vals[i]
		}
	}
	return out
}
