package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/lifeboat-itscm/lifeboat"
)

// dialect holds what differs between SQLite and PostgreSQL. The queries are
// shared: both accept $1 placeholders, row values and expression indexes.
type dialect struct {
	name string
	// forUpdate locks the rows a write transaction reads. SQLite needs none:
	// its write transactions already hold the database lock.
	forUpdate string
	// maxParams is how many parameters a multi-row INSERT binds: PostgreSQL
	// takes up to 65,535, SQLite 32,766.
	maxParams int
	// bulkParams writes count placeholders starting at number n for bulk
	// inserts. SQLite gets anonymous "?": it looks numbered ones up by name,
	// in time that grows with their count.
	bulkParams func(n, count int) string
	// inIDs tests column against a list of ids passed as the one parameter
	// made by idsArg. One parameter instead of one per id keeps statements
	// short to parse and the same text for any number of ids.
	// analyze says whether to refresh planner statistics after bulk loads.
	// SQLite plans our queries well without them, and with them it prepares
	// range queries again on every run to look at the bound values.
	analyze bool
	inIDs   func(column, param string) string
	idsArg  func(ids []string) any
	// violation classifies a driver error as a unique or foreign key violation.
	violation func(error) string
	// lockAudit makes writers take turns at the end of the audit chain until
	// they commit; it takes the lock's id. SQLite needs none: its write
	// transactions are serial already.
	lockAudit string
	// lockModel keeps other writers out of the model's tables while an
	// apply reads them and writes its plan; readers go on. SQLite needs
	// none: a write transaction holds the one write lock from its start.
	lockModel string
	// bulkSettings tune the transaction of a bulk load before it builds
	// indexes and checks foreign keys in one pass each.
	bulkSettings string
	// insertRows starts a multi-row INSERT. On SQLite, OR ROLLBACK ends the
	// whole transaction on a constraint error, as the stores would anyway,
	// so SQLite need not journal each statement to undo it alone.
	insertRows string
	// secondary lists the indexes and constraints a bulk load into empty
	// tables may drop and build again at the end (see bulk.go).
	secondary func(ctx context.Context, tx *sql.Tx, tables []string) ([]ddl, error)
}

const (
	uniqueViolation     = "unique"
	foreignKeyViolation = "foreign_key"
)

var sqliteDialect = dialect{
	name:       "sqlite",
	secondary:  sqliteSecondary,
	insertRows: "INSERT OR ROLLBACK INTO",
	maxParams:  30000,
	inIDs:      func(c, p string) string { return c + " IN (SELECT value FROM json_each(" + p + "))" },
	idsArg: func(ids []string) any {
		b, _ := json.Marshal(ids)
		return string(b)
	},
	bulkParams: func(_, count int) string {
		return strings.TrimSuffix(strings.Repeat("?, ", count), ", ")
	},
	violation: func(err error) string {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return ""
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		}
		return ""
	},
}

var postgresDialect = dialect{
	name:       "postgres",
	forUpdate:  " FOR UPDATE",
	maxParams:  30000,
	bulkParams: placeholders,
	lockAudit:  `SELECT pg_advisory_xact_lock($1)`,
	analyze:    true,
	secondary:  postgresSecondary,
	insertRows: "INSERT INTO",
	// Sorting for an index in memory instead of in temporary files, and
	// hashing a whole table when a foreign key is checked.
	bulkSettings: `SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'`,
	lockModel: `LOCK TABLE people, teams, team_members, services, service_tags, dependencies, dependency_members,
		impact_scale, bias, risks, risk_services IN SHARE ROW EXCLUSIVE MODE`,
	inIDs:  func(c, p string) string { return c + " = ANY(" + p + ")" },
	idsArg: func(ids []string) any { return ids },
	violation: func(err error) string {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return ""
		}
		switch e.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		}
		return ""
	},
}

// mapError turns driver errors into application errors. Stores check
// references themselves to give precise messages; these are the backstop
// for races between concurrent writers.
func (db *DB) mapError(err error) error {
	if err == nil || lifeboat.ErrorCode(err) != lifeboat.EINTERNAL {
		return err
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return lifeboat.Errorf(lifeboat.ENOTFOUND, "not found")
	}
	switch db.dialect.violation(err) {
	case uniqueViolation:
		return lifeboat.Errorf(lifeboat.ECONFLICT, "it already exists")
	case foreignKeyViolation:
		return lifeboat.Errorf(lifeboat.ECONFLICT, "it refers to something that does not exist, or something else still refers to it")
	}
	if strings.Contains(err.Error(), "connection refused") {
		return &lifeboat.Error{Code: lifeboat.EUNAVAIL, Message: "database unavailable"}
	}
	return err
}

// placeholders returns "$n, $n+1, ..." for count values starting at n.
func placeholders(n, count int) string {
	var b strings.Builder
	for i := range count {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(itoa(n + i))
	}
	return b.String()
}
