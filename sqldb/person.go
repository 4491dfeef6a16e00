package sqldb

import (
	"context"
	"database/sql"
	"slices"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.PersonStore = (*DB)(nil)

const personColumns = `id, name, email, phone, version`

func scanPerson(row scanner) (*lifeboat.Person, error) {
	var x lifeboat.Person
	err := row.Scan(&x.ID, &x.Name, &x.Email, &x.Phone, &x.Version)
	return &x, err
}

// FindPersonByID returns one person.
func (db *DB) FindPersonByID(ctx context.Context, id string) (*lifeboat.Person, error) {
	var x *lifeboat.Person
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		x, err = scanPerson(tx.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1`, id))
		if err == sql.ErrNoRows {
			return lifeboat.Errorf(lifeboat.ENOTFOUND, "person %q not found", id)
		}
		return err
	})
	return x, err
}

// FindPeople returns everyone, sorted by name.
func (db *DB) FindPeople(ctx context.Context) ([]*lifeboat.Person, error) {
	var out []*lifeboat.Person
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+personColumns+` FROM people ORDER BY lower(name), id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scanPerson(rows)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// CreatePerson stores a new person.
func (db *DB) CreatePerson(ctx context.Context, x *lifeboat.Person) error {
	x.Normalize()
	if err := x.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.checkUnique(ctx, tx, "people", "person", x.ID); err != nil {
			return err
		}
		x.Version = 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO people (id, name, email, phone, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 1, $5, $5)`, x.ID, x.Name, x.Email, x.Phone, millis(db.now())); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditCreate, "person", x.ID, nil, x)
	})
}

// UpdatePerson replaces a person's fields.
func (db *DB) UpdatePerson(ctx context.Context, x *lifeboat.Person, ifVersion int64) error {
	x.Normalize()
	if err := x.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockPerson(ctx, tx, x.ID, ifVersion)
		if err != nil {
			return err
		}
		x.Version = before.Version + 1
		if err := updatePersonRow(ctx, tx, x, millis(db.now())); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditUpdate, "person", x.ID, before, x)
	})
}

// updatePersonRow writes a person's new fields over the stored ones.
func updatePersonRow(ctx context.Context, tx *sql.Tx, x *lifeboat.Person, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE people SET name = $2, email = $3, phone = $4, version = $5, updated_at = $6 WHERE id = $1`,
		x.ID, x.Name, x.Email, x.Phone, x.Version, now)
	return err
}

// DeletePerson removes a person and their team memberships. The audit trail
// records the person's removal and, for each team they belonged to, the
// change of its members.
func (db *DB) DeletePerson(ctx context.Context, id string, ifVersion int64) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockPerson(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		risks, err := queryStrings(ctx, tx, `SELECT id FROM risks WHERE owner = $1 ORDER BY id LIMIT 11`, id)
		if err != nil {
			return err
		}
		if len(risks) > 0 {
			return lifeboat.Errorf(lifeboat.ECONFLICT, "person %q cannot be deleted: they own risk %s; give %s another owner first",
				id, listNames(risks, 10), plural(len(risks), "those risks", "that risk"))
		}
		bias, err := queryStrings(ctx, tx, `SELECT service_id FROM bias WHERE approved_by = $1 ORDER BY service_id LIMIT 11`, id)
		if err != nil {
			return err
		}
		if len(bias) > 0 {
			return lifeboat.Errorf(lifeboat.ECONFLICT, "person %q cannot be deleted: they approved the BIA of %s, which the approval must keep naming; approve %s again by someone else first",
				id, listNames(bias, 10), plural(len(bias), "them", "it"))
		}
		teamIDs, err := queryStrings(ctx, tx, `SELECT team_id FROM team_members WHERE person_id = $1 ORDER BY team_id`, id)
		if err != nil {
			return err
		}
		changes := []auditChange{{action: lifeboat.AuditDelete, kind: "person", subject: id, before: before}}
		for _, teamID := range teamIDs {
			team, err := db.lockTeam(ctx, tx, teamID, 0)
			if err != nil {
				return err
			}
			after := *team
			after.Members = slices.DeleteFunc(slices.Clone(team.Members), func(m string) bool { return m == id })
			changes = append(changes, auditChange{action: lifeboat.AuditUpdate, kind: "team", subject: teamID, before: team, after: &after})
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = db.appendAudits(ctx, tx, changes)
		return err
	})
}

// lockPerson reads a person for a change, failing with ENOTFOUND when they
// are gone and ESTALE when ifVersion is set and differs. On PostgreSQL the
// row stays locked until the transaction ends.
func (db *DB) lockPerson(ctx context.Context, tx *sql.Tx, id string, ifVersion int64) (*lifeboat.Person, error) {
	x, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1`+db.dialect.forUpdate, id))
	if err == sql.ErrNoRows {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "person %q not found", id)
	} else if err != nil {
		return nil, err
	}
	return x, checkVersion("person", id, ifVersion, x.Version)
}
