package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/lifeboat-itscm/lifeboat"
)

// errDryRun rolls back a planned apply.
var errDryRun = errors.New("dry run")

// ApplyModel makes the database match a model in one transaction, like
// `terraform apply`: it reads what the database holds, plans the creates,
// updates and (with Prune) deletes, refuses a plan that would leave a
// reference dangling, and makes the changes with an audit entry for each.
// With DryRun it plans, checks and changes nothing. With Expect it refuses
// with ESTALE, returning the new plan, when the plan is not the one the
// caller reviewed.
func (db *DB) ApplyModel(ctx context.Context, want *lifeboat.Model, opts lifeboat.ApplyOptions) (*lifeboat.Plan, error) {
	if err := prepareModel(want); err != nil {
		return nil, err
	}
	var plan *lifeboat.Plan
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if db.dialect.lockModel != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.lockModel); err != nil {
				return err
			}
		}
		have, err := findModel(ctx, tx)
		if err != nil {
			return err
		}
		plan = lifeboat.Diff(have, want, opts.Prune)
		if err := checkOutcome(have, lifeboat.Overlay(have, want, opts.Prune)); err != nil {
			return err
		}
		if opts.Expect != "" && opts.Expect != plan.Digest {
			return lifeboat.Errorf(lifeboat.ESTALE, "the database changed since the plan was made, so the plan changed too: review the new plan and apply it")
		}
		if opts.DryRun || plan.Empty() {
			return errDryRun
		}
		return db.applyPlan(ctx, tx, plan, have, want)
	})
	switch {
	case errors.Is(err, errDryRun):
		return plan, nil
	case lifeboat.ErrorCode(err) == lifeboat.ESTALE:
		return plan, err // the new plan, for the caller to show
	case err != nil:
		return nil, err
	}
	plan.Applied = true
	return plan, nil
}

// checkOutcome refuses a plan whose result has references that resolve
// nowhere: to objects the model does not have, or that pruning would
// delete while others still need them.
func checkOutcome(have, result *lifeboat.Model) error {
	had := map[string]bool{}
	for _, s := range have.Services {
		had[lifeboat.ObjService+":"+s.ID] = true
	}
	for _, t := range have.Teams {
		had[lifeboat.ObjTeam+":"+t.ID] = true
	}
	for _, x := range have.People {
		had[lifeboat.ObjPerson+":"+x.ID] = true
	}
	var problems []error
	for _, r := range lifeboat.DanglingReferences(result) {
		if had[r.TargetKind+":"+r.Target] {
			problems = append(problems, lifeboat.Errorf(lifeboat.ECONFLICT,
				"pruning would delete %s %q, but %s; keep %q in the model or remove the reference", r.TargetKind, r.Target, r, r.Target))
		} else {
			problems = append(problems, lifeboat.Errorf(lifeboat.EINVALID, "%s, which is neither in the model nor in the database", r))
		}
	}
	return modelError(problems)
}

// applyPlan makes the changes of a plan in an order that keeps every
// reference intact: what others refer to is created and updated first and
// deleted last.
func (db *DB) applyPlan(ctx context.Context, tx *sql.Tx, plan *lifeboat.Plan, have, want *lifeboat.Model) error {
	c := newChangeSet(plan, have, want)
	now := db.now()
	ms := millis(now)
	steps := []func() error{
		func() error { return db.upsertPeople(ctx, tx, c, ms) },
		func() error { return db.upsertTeams(ctx, tx, c, ms) },
		func() error { return db.upsertServices(ctx, tx, c) },
		func() error { return db.upsertScale(ctx, tx, c, want.ImpactScale, ms) },
		func() error { return db.upsertBIAs(ctx, tx, c, ms) },
		func() error { return db.upsertRisks(ctx, tx, c, ms) },
		func() error {
			return deleteByID(ctx, tx, db, `DELETE FROM risks WHERE `, "id", c.deletes[lifeboat.ObjRisk])
		},
		func() error {
			return deleteByID(ctx, tx, db, `DELETE FROM bias WHERE `, "service_id", c.deletes[lifeboat.ObjBIA])
		},
		func() error { return db.deleteServices(ctx, tx, c.deletes[lifeboat.ObjService]) },
		func() error {
			return deleteByID(ctx, tx, db, `DELETE FROM teams WHERE `, "id", c.deletes[lifeboat.ObjTeam])
		},
		func() error {
			return deleteByID(ctx, tx, db, `DELETE FROM people WHERE `, "id", c.deletes[lifeboat.ObjPerson])
		},
		func() error { return deleteScale(ctx, tx, c) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	_, err := db.appendAudits(ctx, tx, c.audit)
	return err
}

// changeSet sorts a plan's changes by kind and action and keeps the audit
// entries they make, in the plan's order.
type changeSet struct {
	creates, updates, deletes map[string][]string
	have, want                map[string]any // kind:id -> object
	audit                     []auditChange
}

func newChangeSet(plan *lifeboat.Plan, have, want *lifeboat.Model) *changeSet {
	c := &changeSet{creates: map[string][]string{}, updates: map[string][]string{}, deletes: map[string][]string{},
		have: objects(have), want: objects(want)}
	for _, ch := range plan.Changes {
		key := ch.Kind + ":" + ch.ID
		switch ch.Action {
		case lifeboat.ActionCreate:
			c.creates[ch.Kind] = append(c.creates[ch.Kind], ch.ID)
			c.audit = append(c.audit, auditChange{action: lifeboat.AuditCreate, kind: ch.Kind, subject: ch.ID, after: c.want[key]})
		case lifeboat.ActionUpdate:
			c.updates[ch.Kind] = append(c.updates[ch.Kind], ch.ID)
			c.audit = append(c.audit, auditChange{action: lifeboat.AuditUpdate, kind: ch.Kind, subject: ch.ID, before: c.have[key], after: c.want[key]})
		case lifeboat.ActionDelete:
			c.deletes[ch.Kind] = append(c.deletes[ch.Kind], ch.ID)
			c.audit = append(c.audit, auditChange{action: lifeboat.AuditDelete, kind: ch.Kind, subject: ch.ID, before: c.have[key]})
		}
	}
	return c
}

// objects indexes a model's objects by kind and id.
func objects(m *lifeboat.Model) map[string]any {
	out := map[string]any{}
	for _, s := range m.Services {
		out[lifeboat.ObjService+":"+s.ID] = s
	}
	for _, t := range m.Teams {
		out[lifeboat.ObjTeam+":"+t.ID] = t
	}
	for _, x := range m.People {
		out[lifeboat.ObjPerson+":"+x.ID] = x
	}
	if m.ImpactScale != nil {
		out[lifeboat.ObjImpactScale+":"+lifeboat.ObjImpactScale] = m.ImpactScale
	}
	for _, b := range m.BIAs {
		out[lifeboat.ObjBIA+":"+b.Service] = b
	}
	for _, r := range m.Risks {
		out[lifeboat.ObjRisk+":"+r.ID] = r
	}
	return out
}

// pick returns the objects of a kind with the given ids from an index.
func pick[T any](index map[string]any, kind string, ids []string) []T {
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = index[kind+":"+id].(T)
	}
	return out
}

func (db *DB) upsertPeople(ctx context.Context, tx *sql.Tx, c *changeSet, now int64) error {
	if err := db.insertPeople(ctx, tx, pick[*lifeboat.Person](c.want, lifeboat.ObjPerson, c.creates[lifeboat.ObjPerson]), now); err != nil {
		return err
	}
	for _, x := range pick[*lifeboat.Person](c.want, lifeboat.ObjPerson, c.updates[lifeboat.ObjPerson]) {
		x.Version = c.have[lifeboat.ObjPerson+":"+x.ID].(*lifeboat.Person).Version + 1
		if err := updatePersonRow(ctx, tx, x, now); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) upsertTeams(ctx context.Context, tx *sql.Tx, c *changeSet, now int64) error {
	if err := db.insertTeams(ctx, tx, pick[*lifeboat.Team](c.want, lifeboat.ObjTeam, c.creates[lifeboat.ObjTeam]), now); err != nil {
		return err
	}
	for _, t := range pick[*lifeboat.Team](c.want, lifeboat.ObjTeam, c.updates[lifeboat.ObjTeam]) {
		t.Version = c.have[lifeboat.ObjTeam+":"+t.ID].(*lifeboat.Team).Version + 1
		if err := updateTeamRow(ctx, tx, t, now); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) upsertServices(ctx context.Context, tx *sql.Tx, c *changeSet) error {
	now := db.now()
	created := pick[*lifeboat.Service](c.want, lifeboat.ObjService, c.creates[lifeboat.ObjService])
	for _, s := range created {
		s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
	}
	if err := db.insertServices(ctx, tx, created); err != nil {
		return err
	}
	for _, s := range pick[*lifeboat.Service](c.want, lifeboat.ObjService, c.updates[lifeboat.ObjService]) {
		before := c.have[lifeboat.ObjService+":"+s.ID].(*lifeboat.Service)
		s.Version, s.CreatedAt, s.UpdatedAt = before.Version+1, before.CreatedAt, now
		if err := db.updateServiceRow(ctx, tx, s); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) upsertScale(ctx context.Context, tx *sql.Tx, c *changeSet, s *lifeboat.ImpactScale, now int64) error {
	switch {
	case len(c.creates[lifeboat.ObjImpactScale]) > 0:
		return db.insertScale(ctx, tx, s, now)
	case len(c.updates[lifeboat.ObjImpactScale]) > 0:
		return updateScaleRow(ctx, tx, s, now)
	}
	return nil
}

func (db *DB) upsertBIAs(ctx context.Context, tx *sql.Tx, c *changeSet, now int64) error {
	created := pick[*lifeboat.BIA](c.want, lifeboat.ObjBIA, c.creates[lifeboat.ObjBIA])
	updated := pick[*lifeboat.BIA](c.want, lifeboat.ObjBIA, c.updates[lifeboat.ObjBIA])
	for _, b := range append(slices.Clone(created), updated...) {
		c.snapshot(b)
	}
	if err := db.insertBIAs(ctx, tx, created, now); err != nil {
		return err
	}
	for _, b := range updated {
		b.Version = c.have[lifeboat.ObjBIA+":"+b.Service].(*lifeboat.BIA).Version + 1
		if err := updateBIARow(ctx, tx, b, now); err != nil {
			return err
		}
	}
	return nil
}

// snapshot gives a BIA the apply writes the snapshot of its approval: the
// stored one while the approval is unchanged, else one of the BIA and its
// service as the apply leaves them (see approvalSnapshot).
func (c *changeSet) snapshot(b *lifeboat.BIA) {
	if b.Review == nil {
		return
	}
	stored, _ := c.have[lifeboat.ObjBIA+":"+b.Service].(*lifeboat.BIA)
	s, ok := c.want[lifeboat.ObjService+":"+b.Service].(*lifeboat.Service)
	if !ok {
		s, _ = c.have[lifeboat.ObjService+":"+b.Service].(*lifeboat.Service)
	}
	b.Review.Snapshot = approvalSnapshot(b, stored, s)
}

func (db *DB) upsertRisks(ctx context.Context, tx *sql.Tx, c *changeSet, now int64) error {
	if err := db.insertRisks(ctx, tx, pick[*lifeboat.Risk](c.want, lifeboat.ObjRisk, c.creates[lifeboat.ObjRisk]), now); err != nil {
		return err
	}
	for _, r := range pick[*lifeboat.Risk](c.want, lifeboat.ObjRisk, c.updates[lifeboat.ObjRisk]) {
		if _, err := tx.ExecContext(ctx, `UPDATE risks SET title = $2, threat = $3, description = $4, owner = $5, likelihood = $6,
			impact = $7, treatment = $8, quant_frequency = $9, quant_loss_low = $10, quant_loss_high = $11,
			version = version + 1, updated_at = $12 WHERE id = $1`, append(riskValues(r), now)...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM risk_services WHERE risk_id = $1`, r.ID); err != nil {
			return err
		}
		rows := make([][]any, len(r.Affects))
		for i, s := range r.Affects {
			rows[i] = []any{r.ID, s}
		}
		if err := db.insertRows(ctx, tx, "risk_services", "risk_id, service_id", rows); err != nil {
			return err
		}
	}
	return nil
}

func deleteScale(ctx context.Context, tx *sql.Tx, c *changeSet) error {
	if len(c.deletes[lifeboat.ObjImpactScale]) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM impact_scale WHERE id = 1`)
	return err
}

// deleteServices deletes services that may depend on each other: their
// dependencies go first, so that no row points at a deleted service.
func (db *DB) deleteServices(ctx context.Context, tx *sql.Tx, ids []string) error {
	for _, q := range []struct{ prefix, column string }{
		{`DELETE FROM dependency_members WHERE `, "service_id"},
		{`DELETE FROM dependencies WHERE `, "service_id"},
		{`DELETE FROM services WHERE `, "id"},
	} {
		if err := deleteByID(ctx, tx, db, q.prefix, q.column, ids); err != nil {
			return err
		}
	}
	return nil
}

// deleteByID runs a DELETE whose WHERE clause starts with prefix and ends
// with column in ids, in chunks.
func deleteByID(ctx context.Context, tx *sql.Tx, db *DB, prefix, column string, ids []string) error {
	for start := 0; start < len(ids); start += 10000 {
		chunk := ids[start:min(start+10000, len(ids))]
		if _, err := tx.ExecContext(ctx, prefix+db.dialect.inIDs(column, "$1"), db.dialect.idsArg(chunk)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
	}
	return nil
}
