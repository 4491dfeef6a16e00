package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.ServiceStore = (*DB)(nil)

// serviceColumns are the columns of a service row. Tags and dependencies
// live in their own tables, which keep references intact and answer "what
// depends on this"; tags_text and depends_on_text hold the same lists as
// written (see encoding.go), so that reading services takes one row each.
const serviceColumns = `id, name, kind, owner, tier, lifecycle, description,
	rto, rpo, mtpd, recovery_time, recovery_data_loss,
	contract_rto, contract_rpo, contract_reference, tags_text, depends_on_text,
	version, created_at, updated_at`

// FindServiceByID returns one service with its tags and dependencies.
func (db *DB) FindServiceByID(ctx context.Context, id string) (*lifeboat.Service, error) {
	rows, err := db.query(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`, id)
	if err != nil {
		return nil, db.mapError(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, db.mapError(err)
		}
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q not found", id)
	}
	s, err := scanService(rows)
	return s, db.mapError(err)
}

// CreateService stores a new service after checking what it refers to.
func (db *DB) CreateService(ctx context.Context, s *lifeboat.Service) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var exists int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM services WHERE id = $1`, s.ID).Scan(&exists)
		if err == nil {
			return &lifeboat.Error{Code: lifeboat.ECONFLICT, Message: fmt.Sprintf("a service with id %q already exists", s.ID),
				Fields: []lifeboat.FieldError{{Field: "id", Message: "already taken"}}}
		} else if err != sql.ErrNoRows {
			return err
		}
		if err := db.checkServiceReferences(ctx, tx, s); err != nil {
			return err
		}
		now := db.now()
		s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
		if err := db.insertServices(ctx, tx, []*lifeboat.Service{s}); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditCreate, "service", s.ID, nil, s)
	})
}

// UpdateService replaces a service's fields, tags and dependencies.
func (db *DB) UpdateService(ctx context.Context, s *lifeboat.Service, ifVersion int64) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockService(ctx, tx, s.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := db.checkServiceReferences(ctx, tx, s); err != nil {
			return err
		}
		s.Version, s.UpdatedAt = before.Version+1, db.now()
		s.CreatedAt = before.CreatedAt
		if err := db.updateServiceRow(ctx, tx, s); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditUpdate, "service", s.ID, before, s)
	})
}

// updateServiceRow writes a service's new fields, tags and dependencies
// over the stored ones.
func (db *DB) updateServiceRow(ctx context.Context, tx *sql.Tx, s *lifeboat.Service) error {
	_, err := tx.ExecContext(ctx, `UPDATE services SET name = $2, kind = $3, owner = $4, tier = $5,
		lifecycle = $6, description = $7, rto = $8, rpo = $9, mtpd = $10, recovery_time = $11,
		recovery_data_loss = $12, contract_rto = $13, contract_rpo = $14, contract_reference = $15,
		tags_text = $16, depends_on_text = $17, version = $18, created_at = $19, updated_at = $20 WHERE id = $1`, serviceValues(s)...)
	if err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM dependency_members WHERE service_id = $1`,
		`DELETE FROM dependencies WHERE service_id = $1`, `DELETE FROM service_tags WHERE service_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, s.ID); err != nil {
			return err
		}
	}
	return db.insertDetails(ctx, tx, []*lifeboat.Service{s})
}

// DeleteService removes a service unless others depend on it.
func (db *DB) DeleteService(ctx context.Context, id string, ifVersion int64) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockService(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		deps, err := db.findDependents(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(deps) > 0 {
			ids := make([]string, len(deps))
			for i, d := range deps {
				ids[i] = d.ServiceID
			}
			return lifeboat.Errorf(lifeboat.ECONFLICT, "service %q cannot be deleted: %s depend%s on it; remove %s first",
				id, listNames(ids, 10), plural(len(ids), "", "s"), plural(len(ids), "that dependency", "those dependencies"))
		}
		if err := checkServiceUnused(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dependency_members WHERE service_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM services WHERE id = $1`, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditDelete, "service", id, before, nil)
	})
}

// checkServiceUnused refuses to delete a service that a BIA or a risk
// is about.
func checkServiceUnused(ctx context.Context, tx *sql.Tx, id string) error {
	bia, err := queryStrings(ctx, tx, `SELECT service_id FROM bias WHERE service_id = $1`, id)
	if err != nil {
		return err
	}
	if len(bia) > 0 {
		return lifeboat.Errorf(lifeboat.ECONFLICT, "service %q cannot be deleted: it has a BIA; delete the BIA first", id)
	}
	risks, err := queryStrings(ctx, tx, `SELECT risk_id FROM risk_services WHERE service_id = $1 ORDER BY risk_id LIMIT 11`, id)
	if err != nil {
		return err
	}
	if len(risks) > 0 {
		return lifeboat.Errorf(lifeboat.ECONFLICT, "service %q cannot be deleted: risk %s name%s it; take it out of %s first",
			id, listNames(risks, 10), plural(len(risks), "", "s"), plural(len(risks), "them", "it"))
	}
	return nil
}

// lockService reads a service for a change, failing with ENOTFOUND when it
// is gone and ESTALE when ifVersion is set and differs. On PostgreSQL the
// row stays locked until the transaction ends.
func (db *DB) lockService(ctx context.Context, tx *sql.Tx, id string, ifVersion int64) (*lifeboat.Service, error) {
	s, err := scanService(tx.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`+db.dialect.forUpdate, id))
	if err == sql.ErrNoRows {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q not found", id)
	} else if err != nil {
		return nil, err
	}
	return s, checkVersion("service", id, ifVersion, s.Version)
}

// FindDependents returns the services that depend on id directly.
func (db *DB) FindDependents(ctx context.Context, id string) ([]lifeboat.Dependent, error) {
	var out []lifeboat.Dependent
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM services WHERE id = $1`, id).Scan(&exists); err == sql.ErrNoRows {
			return lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q not found", id)
		} else if err != nil {
			return err
		}
		var err error
		out, err = db.findDependents(ctx, tx, id)
		return err
	})
	return out, err
}

// findDependents lists direct dependents of id, through a plain dependency
// or a redundancy group, with the dependency that links them.
func (db *DB) findDependents(ctx context.Context, tx *sql.Tx, id string) ([]lifeboat.Dependent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.kind, s.tier, s.depends_on_text
		FROM services s WHERE s.id IN (
			SELECT service_id FROM dependencies WHERE target_id = $1
			UNION SELECT service_id FROM dependency_members WHERE member_id = $1)
		ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lifeboat.Dependent
	for rows.Next() {
		var d lifeboat.Dependent
		var tier sql.NullInt64
		var deps string
		if err := rows.Scan(&d.ServiceID, &d.ServiceName, &d.Kind, &tier, &deps); err != nil {
			return nil, err
		}
		d.Tier = intPtr(tier)
		list, err := decodeDependencies(deps)
		if err != nil {
			return nil, fmt.Errorf("service %q: stored dependencies: %w", d.ServiceID, err)
		}
		for _, dep := range list {
			if slices.Contains(dep.Targets(), id) {
				d.Dependency = dep
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// checkServiceReferences makes sure the owner team and every dependency exist.
func (db *DB) checkServiceReferences(ctx context.Context, tx *sql.Tx, s *lifeboat.Service) error {
	var p lifeboat.Problems
	if s.Owner != "" {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM teams WHERE id = $1`, s.Owner).Scan(&one); err == sql.ErrNoRows {
			p.Add("owner", "no team %q", s.Owner)
		} else if err != nil {
			return err
		}
	}
	found, err := db.existingIDs(ctx, tx, "services", s.DependencyIDs())
	if err != nil {
		return err
	}
	for i, d := range s.DependsOn {
		for j, t := range d.Targets() {
			if found[t] {
				continue
			}
			if d.IsGroup() {
				p.Add(fmt.Sprintf("depends_on[%d].any_of[%d]", i, j), "no service %q", t)
			} else {
				p.Add(fmt.Sprintf("depends_on[%d].on", i), "no service %q", t)
			}
		}
	}
	return p.Err("service " + fmt.Sprintf("%q", s.ID))
}

func serviceValues(s *lifeboat.Service) []any { return appendServiceValues(nil, s) }

// appendServiceValues appends the values of a service row to dst.
func appendServiceValues(dst []any, s *lifeboat.Service) []any {
	var owner any
	if s.Owner != "" {
		owner = s.Owner
	}
	var tier any
	if s.Tier != nil {
		tier = *s.Tier
	}
	o, r, c := s.Objectives, s.Recovery, s.Contract
	if o == nil {
		o = &lifeboat.Objectives{}
	}
	if r == nil {
		r = &lifeboat.Recovery{}
	}
	if c == nil {
		c = &lifeboat.Contract{}
	}
	return append(dst, s.ID, s.Name, string(s.Kind), owner, tier, string(s.Lifecycle), s.Description,
		durationValue(o.RTO), durationValue(o.RPO), durationValue(o.MTPD),
		durationValue(r.Time), durationValue(r.DataLoss),
		durationValue(c.RTO), durationValue(c.RPO), c.Reference,
		encodeTags(s.Tags), encodeDependencies(s.DependsOn),
		s.Version, millis(s.CreatedAt), millis(s.UpdatedAt))
}

type scanner interface{ Scan(dest ...any) error }

func scanService(row scanner) (*lifeboat.Service, error) {
	var s lifeboat.Service
	var owner sql.NullString
	var tier, rto, rpo, mtpd, rtime, rloss, crto, crpo sql.NullInt64
	var ref string
	var tags, deps string
	var created, updated int64
	err := row.Scan(&s.ID, &s.Name, &s.Kind, &owner, &tier, &s.Lifecycle, &s.Description,
		&rto, &rpo, &mtpd, &rtime, &rloss, &crto, &crpo, &ref, &tags, &deps, &s.Version, &created, &updated)
	if err != nil {
		return nil, err
	}
	s.Tags = decodeTags(tags)
	if s.DependsOn, err = decodeDependencies(deps); err != nil {
		return nil, fmt.Errorf("service %q: stored dependencies: %w", s.ID, err)
	}
	s.Owner, s.Tier = owner.String, intPtr(tier)
	s.Objectives = &lifeboat.Objectives{RTO: durationPtr(rto), RPO: durationPtr(rpo), MTPD: durationPtr(mtpd)}
	s.Recovery = &lifeboat.Recovery{Time: durationPtr(rtime), DataLoss: durationPtr(rloss)}
	s.Contract = &lifeboat.Contract{RTO: durationPtr(crto), RPO: durationPtr(crpo), Reference: ref}
	s.CreatedAt, s.UpdatedAt = fromMillis(created), fromMillis(updated)
	s.Normalize()
	return &s, nil
}

func listNames(ids []string, limit int) string {
	if len(ids) <= limit {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:limit], ", "), len(ids)-limit)
}

func plural(n int, many, one string) string {
	if n == 1 {
		return one
	}
	return many
}
