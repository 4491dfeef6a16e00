package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// CreateServices stores many new services in one transaction: all of them or
// none. Dependencies may point at services in the same batch, in any order.
// Each service gets its own audit entry, in the order given.
func (db *DB) CreateServices(ctx context.Context, services []*lifeboat.Service) error {
	var problems []error
	batch := make(map[string]bool, len(services))
	for _, s := range services {
		s.Normalize()
		if err := s.Validate(); err != nil {
			problems = append(problems, err)
		}
		if batch[s.ID] {
			problems = append(problems, lifeboat.Errorf(lifeboat.EINVALID, "service %q appears twice", s.ID))
		}
		batch[s.ID] = true
	}
	if len(problems) > 0 {
		return batchError(problems)
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.checkBatchReferences(ctx, tx, services, batch); err != nil {
			return err
		}
		now := db.now()
		changes := make([]auditChange, len(services))
		for i, s := range services {
			s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
			changes[i] = auditChange{action: lifeboat.AuditCreate, kind: "service", subject: s.ID, after: s}
		}
		if err := db.insertServices(ctx, tx, services); err != nil {
			return err
		}
		_, err := db.appendAudits(ctx, tx, changes)
		return err
	})
	if err != nil || len(services) < analyzeThreshold || !db.dialect.analyze {
		return err
	}
	return db.analyze(ctx)
}

// analyzeThreshold is the batch size from which PostgreSQL's planner
// statistics are refreshed: before that, fresh tables look empty to it and
// it scans where it should use an index.
const analyzeThreshold = 1000

// analyze refreshes the planner's statistics of the catalog tables.
func (db *DB) analyze(ctx context.Context) error {
	for _, table := range []string{"services", "service_tags", "dependencies", "dependency_members"} {
		if _, err := db.write.ExecContext(ctx, "ANALYZE "+table); err != nil {
			return db.mapError(err)
		}
	}
	return nil
}

// insertServices inserts services with their tags and dependencies.
func (db *DB) insertServices(ctx context.Context, tx *sql.Tx, services []*lifeboat.Service) error {
	rows := func(yield func([]any) bool) {
		row := make([]any, 0, 20)
		for _, s := range services {
			if !yield(appendServiceValues(row[:0], s)) {
				return
			}
		}
	}
	if err := db.insertSeq(ctx, tx, "services", serviceColumns, len(services), rows); err != nil {
		return err
	}
	return db.insertDetails(ctx, tx, services)
}

// insertDetails inserts the tags and dependencies of stored services.
// Dependencies go in once every service they point at exists. Rows are
// made as they are inserted, so that a million services never hold five
// million rows in memory at once.
func (db *DB) insertDetails(ctx context.Context, tx *sql.Tx, services []*lifeboat.Service) error {
	var tags, deps, members int
	for _, s := range services {
		tags += len(s.Tags)
		deps += len(s.DependsOn)
		for _, d := range s.DependsOn {
			members += len(d.AnyOf)
		}
	}
	tagRows := func(yield func([]any) bool) {
		for _, s := range services {
			for _, tag := range s.Tags {
				if !yield([]any{s.ID, tag}) {
					return
				}
			}
		}
	}
	depRows := func(yield func([]any) bool) {
		row := make([]any, 7)
		for _, s := range services {
			for i, d := range s.DependsOn {
				row[0], row[1], row[2], row[3], row[4], row[5], row[6] = s.ID, i, nil, nil, string(d.Impact), d.Type, durationValue(d.Workaround)
				if d.IsGroup() {
					row[3] = d.MinUp
				} else {
					row[2] = d.On
				}
				if !yield(row) {
					return
				}
			}
		}
	}
	memberRows := func(yield func([]any) bool) {
		for _, s := range services {
			for i, d := range s.DependsOn {
				for j, m := range d.AnyOf {
					if !yield([]any{s.ID, i, m, j}) {
						return
					}
				}
			}
		}
	}
	if err := db.insertSeq(ctx, tx, "service_tags", "service_id, tag", tags, tagRows); err != nil {
		return err
	}
	if err := db.insertSeq(ctx, tx, "dependencies", "service_id, position, target_id, min_up, impact, type, workaround", deps, depRows); err != nil {
		return err
	}
	return db.insertSeq(ctx, tx, "dependency_members", "service_id, position, member_id, member_pos", members, memberRows)
}

// checkBatchReferences makes sure every owner and dependency of a batch
// exists, in the batch or in the database, and none of the batch exists yet.
func (db *DB) checkBatchReferences(ctx context.Context, tx *sql.Tx, services []*lifeboat.Service, batch map[string]bool) error {
	ids := make([]string, 0, len(batch))
	for id := range batch {
		ids = append(ids, id)
	}
	taken, err := db.existingIDs(ctx, tx, "services", ids)
	if err != nil {
		return err
	}
	var outside, owners []string
	for _, s := range services {
		for _, t := range s.DependencyIDs() {
			if !batch[t] {
				outside = append(outside, t)
			}
		}
		if s.Owner != "" {
			owners = append(owners, s.Owner)
		}
	}
	found, err := db.existingIDs(ctx, tx, "services", outside)
	if err != nil {
		return err
	}
	teams, err := db.existingIDs(ctx, tx, "teams", owners)
	if err != nil {
		return err
	}
	var problems []error
	for _, s := range services {
		var p lifeboat.Problems
		if taken[s.ID] {
			p.Add("id", "a service with id %q already exists", s.ID)
		}
		if s.Owner != "" && !teams[s.Owner] {
			p.Add("owner", "no team %q", s.Owner)
		}
		for i, d := range s.DependsOn {
			for j, t := range d.Targets() {
				if batch[t] || found[t] {
					continue
				}
				if d.IsGroup() {
					p.Add(fmt.Sprintf("depends_on[%d].any_of[%d]", i, j), "no service %q", t)
				} else {
					p.Add(fmt.Sprintf("depends_on[%d].on", i), "no service %q", t)
				}
			}
		}
		if err := p.Err(fmt.Sprintf("service %q", s.ID)); err != nil {
			problems = append(problems, err)
		}
	}
	return batchError(problems)
}

// batchError joins the problems of several services into one error.
func batchError(problems []error) error {
	return joinProblems(problems, fmt.Sprintf("%d services are not valid", len(problems)))
}

// joinProblems joins the problems of several objects into one error with
// the code of the first, at most a hundred of them spelled out, each field
// prefixed with the object it belongs to.
func joinProblems(problems []error, message string) error {
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return problems[0]
	}
	out := &lifeboat.Error{Code: lifeboat.ErrorCode(problems[0]), Message: message}
	for i, e := range problems {
		if i == 100 {
			out.Fields = append(out.Fields, lifeboat.FieldError{Message: fmt.Sprintf("and %d more", len(problems)-i)})
			break
		}
		fields := lifeboat.ErrorFields(e)
		if len(fields) == 0 {
			out.Fields = append(out.Fields, lifeboat.FieldError{Message: lifeboat.ErrorMessage(e)})
		}
		for _, f := range fields {
			out.Fields = append(out.Fields, lifeboat.FieldError{Field: f.Field, Message: lifeboat.ErrorMessage(e) + ": " + f.Message})
		}
	}
	return out
}

// insertRows inserts rows with multi-row INSERT statements.
func (db *DB) insertRows(ctx context.Context, tx *sql.Tx, table, columns string, rows [][]any) error {
	return db.insertSeq(ctx, tx, table, columns, len(rows), slices.Values(rows))
}

// insertSeq inserts n rows of the columns, each yielded in a slice that
// the sequence may reuse, with multi-row INSERT statements: each statement
// is prepared once and reused for every full chunk, far fewer round trips
// and parses than one statement per row. PostgreSQL takes large batches
// as column arrays (see unnestInsert).
func (db *DB) insertSeq(ctx context.Context, tx *sql.Tx, table, columns string, n int, rows iter.Seq[[]any]) error {
	if n == 0 {
		return nil
	}
	if db.dialect.name == "postgres" && n >= 1000 {
		if conn, ok := ctx.Value(copyConnKey{}).(*sql.Conn); ok {
			return copyInsert(ctx, conn, table, columns, rows)
		}
		return db.unnestInsert(ctx, tx, table, columns, rows)
	}
	width := strings.Count(columns, ",") + 1
	per := max(1, db.dialect.maxParams/width)
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	args := make([]any, 0, min(n, per)*width)
	flush := func() error {
		count := len(args) / width
		defer func() { args = args[:0] }()
		if count < per {
			_, err := tx.ExecContext(ctx, db.multiInsert(table, columns, width, count), args...)
			return err
		}
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, db.multiInsert(table, columns, width, count)); err != nil {
				return err
			}
		}
		_, err := stmt.ExecContext(ctx, args...)
		return err
	}
	for row := range rows {
		args = append(args, row...)
		if len(args) == per*width {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(args) > 0 {
		return flush()
	}
	return nil
}

// multiInsert writes an INSERT of count rows of width values each.
func (db *DB) multiInsert(table, columns string, width, count int) string {
	var b strings.Builder
	b.WriteString(db.dialect.insertRows + " " + table + " (" + columns + ") VALUES ")
	for i := range count {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + db.dialect.bulkParams(i*width+1, width) + ")")
	}
	return b.String()
}
