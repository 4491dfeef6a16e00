package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// importRecord is what the audit trail keeps of an import: what it added
// and the files it came from, with their SHA-256, so that the import can be
// traced to a commit of the model's repository.
type importRecord struct {
	Counts lifeboat.ModelCounts  `json:"counts"`
	Files  []lifeboat.SourceFile `json:"files,omitempty"`
}

// ImportModel adds a whole model in one transaction: all of it or nothing.
// Every object must be new and every reference must resolve in the model
// or the database. An import is one entry in the audit trail, with counts
// and the source files' digests rather than a million object copies.
func (db *DB) ImportModel(ctx context.Context, m *lifeboat.Model, src lifeboat.ImportSource) (lifeboat.ModelCounts, error) {
	if err := prepareModel(m); err != nil {
		return lifeboat.ModelCounts{}, err
	}
	counts := m.Counts()
	err := db.bulkTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.checkImport(ctx, tx, m); err != nil {
			return err
		}
		if err := snapshotImport(ctx, tx, m); err != nil {
			return err
		}
		err := db.withoutIndexes(ctx, tx, len(m.Services), func() error { return db.insertModel(ctx, tx, m, db.now()) })
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditImport, "model", "", nil, importRecord{Counts: counts, Files: src.Files})
	})
	if err != nil {
		return lifeboat.ModelCounts{}, err
	}
	if db.dialect.analyze && counts.Services >= analyzeThreshold {
		return counts, db.analyze(ctx)
	}
	return counts, nil
}

// prepareModel fills in defaults and checks every object on its own, and
// that no id is given twice.
func prepareModel(m *lifeboat.Model) error {
	m.Normalize()
	problems := validateServices(m.Services)
	problems = append(problems, twice(lifeboat.ObjService, serviceIDs(m.Services))...)
	problems = append(problems, twice(lifeboat.ObjTeam, teamIDs(m.Teams))...)
	problems = append(problems, twice(lifeboat.ObjPerson, personIDs(m.People))...)
	problems = append(problems, twice("BIA of service", mapIDs(m.BIAs, func(b *lifeboat.BIA) string { return b.Service }))...)
	problems = append(problems, twice(lifeboat.ObjRisk, riskIDs(m.Risks))...)
	for _, t := range m.Teams {
		problems = appendErr(problems, t.Validate())
	}
	for _, x := range m.People {
		problems = appendErr(problems, x.Validate())
	}
	for _, b := range m.BIAs {
		problems = appendErr(problems, b.Validate())
	}
	for _, r := range m.Risks {
		problems = appendErr(problems, r.Validate())
	}
	if m.ImpactScale != nil {
		problems = appendErr(problems, m.ImpactScale.Validate())
	}
	return modelError(problems)
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		return append(errs, err)
	}
	return errs
}

// twice reports the ids given more than once.
func twice(kind string, ids []string) []error {
	seen := make(map[string]bool, len(ids))
	var out []error
	for _, id := range ids {
		if seen[id] {
			out = append(out, lifeboat.Errorf(lifeboat.EINVALID, "%s %q appears twice", kind, id))
		}
		seen[id] = true
	}
	return out
}

// validateServices checks services on every core: a million of them take
// seconds on one.
func validateServices(services []*lifeboat.Service) []error {
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(services); i += workers {
				errs[i] = services[i].Validate()
			}
		})
	}
	wg.Wait()
	var problems []error
	for _, err := range errs {
		if err != nil {
			problems = append(problems, err)
		}
	}
	return problems
}

// modelError joins the problems of a model into one error.
func modelError(problems []error) error {
	return joinProblems(problems, fmt.Sprintf("the model has %d problems", len(problems)))
}

// checkImport refuses ids the database has already and references that
// resolve neither in the model nor in the database.
func (db *DB) checkImport(ctx context.Context, tx *sql.Tx, m *lifeboat.Model) error {
	var problems []error
	for _, c := range []struct {
		table, noun string
		ids         []string
	}{
		{"people", "person", personIDs(m.People)},
		{"teams", "team", teamIDs(m.Teams)},
		{"services", "service", serviceIDs(m.Services)},
		{"risks", "risk", riskIDs(m.Risks)},
	} {
		if len(c.ids) == 0 {
			continue
		}
		var one int
		switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+c.table+` LIMIT 1`).Scan(&one); err {
		case sql.ErrNoRows:
			continue // nothing can clash with an empty table
		case nil:
		default:
			return err
		}
		taken, err := db.existingIDs(ctx, tx, c.table, c.ids)
		if err != nil {
			return err
		}
		for _, id := range c.ids {
			if taken[id] {
				problems = append(problems, lifeboat.Errorf(lifeboat.ECONFLICT, "the database has a %s %q already: import only adds; use apply to change what exists", c.noun, id))
			}
		}
	}
	if err := db.checkImportSingletons(ctx, tx, m, &problems); err != nil {
		return err
	}
	if len(problems) > 0 {
		return modelError(problems) // conflicts: the first problem's code
	}
	return db.checkDangling(ctx, tx, lifeboat.DanglingReferences(m))
}

// checkDangling refuses the references of a model that the database does
// not resolve either.
func (db *DB) checkDangling(ctx context.Context, tx *sql.Tx, refs []lifeboat.Reference) error {
	tables := map[string]string{lifeboat.ObjService: "services", lifeboat.ObjTeam: "teams", lifeboat.ObjPerson: "people"}
	byKind := map[string][]string{}
	for _, r := range refs {
		byKind[r.TargetKind] = append(byKind[r.TargetKind], r.Target)
	}
	found := map[string]map[string]bool{}
	for kind, ids := range byKind {
		var err error
		if found[kind], err = db.existingIDs(ctx, tx, tables[kind], ids); err != nil {
			return err
		}
	}
	var problems []error
	for _, r := range refs {
		if !found[r.TargetKind][r.Target] {
			problems = append(problems, lifeboat.Errorf(lifeboat.EINVALID, "%s, which is neither in the model nor in the database", r))
		}
	}
	return modelError(problems)
}

// checkImportSingletons refuses a second impact scale and a second BIA
// for a service.
func (db *DB) checkImportSingletons(ctx context.Context, tx *sql.Tx, m *lifeboat.Model, problems *[]error) error {
	if m.ImpactScale != nil {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM impact_scale WHERE id = 1`).Scan(&one)
		if err == nil {
			*problems = append(*problems, lifeboat.Errorf(lifeboat.ECONFLICT, "the database has an impact scale already: import only adds; use apply to change it"))
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	ids := make([]string, len(m.BIAs))
	for i, b := range m.BIAs {
		ids[i] = b.Service
	}
	taken, err := queryIDs(ctx, tx, db, `SELECT service_id FROM bias WHERE `+db.dialect.inIDs("service_id", "$1"), ids)
	for _, id := range ids {
		if taken[id] {
			*problems = append(*problems, lifeboat.Errorf(lifeboat.ECONFLICT, "the database has a BIA for service %q already: import only adds; use apply to change it", id))
		}
	}
	return err
}

// bulkTx runs fn in one write transaction tuned for large batches. On
// SQLite foreign keys are not checked row by row: the stores check every
// reference themselves in the same transaction, and SQLite's one writer
// means nothing changes in between.
func (db *DB) bulkTx(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return db.mapError(err)
	}
	defer conn.Close()
	if db.dialect.name == "postgres" {
		return db.postgresBulkTx(ctx, conn, fn)
	}
	// A page cache large enough for the whole batch (4 GiB at most, taken
	// only as pages are used) keeps the B-trees in memory until the commit
	// writes them once; a smaller one spills pages into the WAL and reads
	// them back from there while building indexes.
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF; PRAGMA cache_size = -4194304; PRAGMA threads = 4`); err != nil {
		return db.mapError(err)
	}
	// Restore both even if ctx is done: the connection goes back to the
	// pool for every other writer.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON; PRAGMA cache_size = -32000`)
	return db.connTx(ctx, conn, fn)
}

// postgresBulkTx runs fn in a transaction on a connection of its own, so
// that large batches can go in with COPY on that same connection.
func (db *DB) postgresBulkTx(ctx context.Context, conn *sql.Conn, fn func(context.Context, *sql.Tx) error) error {
	return db.connTx(context.WithValue(ctx, copyConnKey{}, conn), conn, fn)
}

// connTx runs fn in a transaction on conn and commits when it returns nil.
func (db *DB) connTx(ctx context.Context, conn *sql.Conn, fn func(context.Context, *sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.mapError(err)
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return db.mapError(err)
	}
	return db.mapError(tx.Commit())
}

// insertModel inserts every object of a checked model: people, teams,
// services, then what refers to services.
func (db *DB) insertModel(ctx context.Context, tx *sql.Tx, m *lifeboat.Model, now time.Time) error {
	ms := millis(now)
	if err := db.insertPeople(ctx, tx, m.People, ms); err != nil {
		return err
	}
	if err := db.insertTeams(ctx, tx, m.Teams, ms); err != nil {
		return err
	}
	// In id order every B-tree keyed by service grows at its end.
	services := slices.Clone(m.Services)
	slices.SortFunc(services, func(a, b *lifeboat.Service) int { return strings.Compare(a.ID, b.ID) })
	for _, s := range services {
		s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
	}
	if err := db.insertServices(ctx, tx, services); err != nil {
		return err
	}
	if m.ImpactScale != nil {
		if err := db.insertScale(ctx, tx, m.ImpactScale, ms); err != nil {
			return err
		}
	}
	if err := db.insertBIAs(ctx, tx, m.BIAs, ms); err != nil {
		return err
	}
	return db.insertRisks(ctx, tx, m.Risks, ms)
}

func (db *DB) insertPeople(ctx context.Context, tx *sql.Tx, people []*lifeboat.Person, now int64) error {
	rows := make([][]any, len(people))
	for i, x := range people {
		x.Version = 1
		rows[i] = []any{x.ID, x.Name, x.Email, x.Phone, 1, now, now}
	}
	return db.insertRows(ctx, tx, "people", "id, name, email, phone, version, created_at, updated_at", rows)
}

func (db *DB) insertTeams(ctx context.Context, tx *sql.Tx, teams []*lifeboat.Team, now int64) error {
	rows := make([][]any, len(teams))
	var members [][]any
	for i, t := range teams {
		t.Version = 1
		rows[i] = []any{t.ID, t.Name, t.Description, 1, now, now}
		for j, x := range t.Members {
			members = append(members, []any{t.ID, x, j})
		}
	}
	if err := db.insertRows(ctx, tx, "teams", "id, name, description, version, created_at, updated_at", rows); err != nil {
		return err
	}
	return db.insertRows(ctx, tx, "team_members", "team_id, person_id, position", members)
}

func (db *DB) insertScale(ctx context.Context, tx *sql.Tx, s *lifeboat.ImpactScale, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO impact_scale (id, `+scaleColumns+`, created_at, updated_at) VALUES (1, $1, $2, $3, $4, 1, $5, $5)`,
		append(scaleValues(s), now)...)
	return err
}

func (db *DB) insertRisks(ctx context.Context, tx *sql.Tx, risks []*lifeboat.Risk, now int64) error {
	rows := make([][]any, len(risks))
	var affects [][]any
	for i, r := range risks {
		rows[i] = append(riskValues(r), 1, now, now)
		for _, s := range r.Affects {
			affects = append(affects, []any{r.ID, s})
		}
	}
	if err := db.insertRows(ctx, tx, "risks", riskColumns+", version, created_at, updated_at", rows); err != nil {
		return err
	}
	return db.insertRows(ctx, tx, "risk_services", "risk_id, service_id", affects)
}

// queryIDs returns which of ids a query over a list parameter finds.
func queryIDs(ctx context.Context, tx *sql.Tx, db *DB, q string, ids []string) (map[string]bool, error) {
	found := map[string]bool{}
	if len(ids) == 0 {
		return found, nil
	}
	got, err := queryStrings(ctx, tx, q, db.dialect.idsArg(ids))
	for _, id := range got {
		found[id] = true
	}
	return found, err
}

func personIDs(xs []*lifeboat.Person) []string {
	return mapIDs(xs, func(x *lifeboat.Person) string { return x.ID })
}
func teamIDs(ts []*lifeboat.Team) []string {
	return mapIDs(ts, func(t *lifeboat.Team) string { return t.ID })
}
func serviceIDs(ss []*lifeboat.Service) []string {
	return mapIDs(ss, func(s *lifeboat.Service) string { return s.ID })
}
func riskIDs(rs []*lifeboat.Risk) []string {
	return mapIDs(rs, func(r *lifeboat.Risk) string { return r.ID })
}

func mapIDs[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}
