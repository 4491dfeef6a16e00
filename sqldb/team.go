package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.TeamStore = (*DB)(nil)

// FindTeamByID returns a team with its members in order.
func (db *DB) FindTeamByID(ctx context.Context, id string) (*lifeboat.Team, error) {
	var t *lifeboat.Team
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		teams, err := queryTeams(ctx, tx, `WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if len(teams) == 0 {
			return lifeboat.Errorf(lifeboat.ENOTFOUND, "team %q not found", id)
		}
		t = teams[0]
		return nil
	})
	return t, err
}

// FindTeams returns every team, sorted by name.
func (db *DB) FindTeams(ctx context.Context) ([]*lifeboat.Team, error) {
	var out []*lifeboat.Team
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryTeams(ctx, tx, ``)
		return err
	})
	return out, err
}

// FindTeamsOfPerson lists the teams a person belongs to, sorted by name.
func (db *DB) FindTeamsOfPerson(ctx context.Context, personID string) ([]*lifeboat.Team, error) {
	var out []*lifeboat.Team
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryTeams(ctx, tx, `WHERE id IN (SELECT team_id FROM team_members WHERE person_id = $1)`, personID)
		return err
	})
	return out, err
}

func queryTeams(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]*lifeboat.Team, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, description, version FROM teams `+where+` ORDER BY lower(name), id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*lifeboat.Team
	byID := map[string]*lifeboat.Team{}
	for rows.Next() {
		var t lifeboat.Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &t.Version); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, &t)
		byID[t.ID] = &t
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT team_id, person_id FROM team_members ORDER BY team_id, position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var team, person string
		if err := rows.Scan(&team, &person); err != nil {
			return nil, err
		}
		if t := byID[team]; t != nil {
			t.Members = append(t.Members, person)
		}
	}
	return out, rows.Err()
}

// CreateTeam stores a new team after checking that its members exist.
func (db *DB) CreateTeam(ctx context.Context, t *lifeboat.Team) error {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.checkUnique(ctx, tx, "teams", "team", t.ID); err != nil {
			return err
		}
		if err := db.checkMembers(ctx, tx, t); err != nil {
			return err
		}
		now := millis(db.now())
		t.Version = 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO teams (id, name, description, version, created_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $4)`, t.ID, t.Name, t.Description, now); err != nil {
			return err
		}
		if err := insertMembers(ctx, tx, t); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditCreate, "team", t.ID, nil, t)
	})
}

// UpdateTeam replaces a team's fields and members.
func (db *DB) UpdateTeam(ctx context.Context, t *lifeboat.Team, ifVersion int64) error {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockTeam(ctx, tx, t.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := db.checkMembers(ctx, tx, t); err != nil {
			return err
		}
		t.Version = before.Version + 1
		if err := updateTeamRow(ctx, tx, t, millis(db.now())); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditUpdate, "team", t.ID, before, t)
	})
}

// updateTeamRow writes a team's new fields and members over the stored ones.
func updateTeamRow(ctx context.Context, tx *sql.Tx, t *lifeboat.Team, now int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE teams SET name = $2, description = $3, version = $4, updated_at = $5 WHERE id = $1`,
		t.ID, t.Name, t.Description, t.Version, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = $1`, t.ID); err != nil {
		return err
	}
	return insertMembers(ctx, tx, t)
}

// DeleteTeam removes a team unless it owns services.
func (db *DB) DeleteTeam(ctx context.Context, id string, ifVersion int64) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockTeam(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		owned, err := queryStrings(ctx, tx, `SELECT id FROM services WHERE owner = $1 ORDER BY id LIMIT 11`, id)
		if err != nil {
			return err
		}
		if len(owned) > 0 {
			return lifeboat.Errorf(lifeboat.ECONFLICT, "team %q cannot be deleted: it owns %s; give %s another owner first",
				id, listNames(owned, 10), plural(len(owned), "those services", "that service"))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM teams WHERE id = $1`, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditDelete, "team", id, before, nil)
	})
}

// lockTeam reads a team with its members for a change, failing with
// ENOTFOUND when it is gone and ESTALE when ifVersion is set and differs.
// On PostgreSQL the row stays locked until the transaction ends.
func (db *DB) lockTeam(ctx context.Context, tx *sql.Tx, id string, ifVersion int64) (*lifeboat.Team, error) {
	var t lifeboat.Team
	err := tx.QueryRowContext(ctx, `SELECT id, name, description, version FROM teams WHERE id = $1`+db.dialect.forUpdate, id).
		Scan(&t.ID, &t.Name, &t.Description, &t.Version)
	if err == sql.ErrNoRows {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "team %q not found", id)
	} else if err != nil {
		return nil, err
	}
	if err := checkVersion("team", id, ifVersion, t.Version); err != nil {
		return nil, err
	}
	t.Members, err = queryStrings(ctx, tx, `SELECT person_id FROM team_members WHERE team_id = $1 ORDER BY position`, id)
	return &t, err
}

func (db *DB) checkUnique(ctx context.Context, tx *sql.Tx, table, noun, id string) error {
	found, err := db.existingIDs(ctx, tx, table, []string{id})
	if err != nil {
		return err
	}
	if found[id] {
		return &lifeboat.Error{Code: lifeboat.ECONFLICT, Message: fmt.Sprintf("a %s with id %q already exists", noun, id),
			Fields: []lifeboat.FieldError{{Field: "id", Message: "already taken"}}}
	}
	return nil
}

func (db *DB) checkMembers(ctx context.Context, tx *sql.Tx, t *lifeboat.Team) error {
	found, err := db.existingIDs(ctx, tx, "people", t.Members)
	if err != nil {
		return err
	}
	var p lifeboat.Problems
	for i, m := range t.Members {
		if !found[m] {
			p.Add(fmt.Sprintf("members[%d]", i), "no person %q", m)
		}
	}
	return p.Err(fmt.Sprintf("team %q", t.ID))
}

func insertMembers(ctx context.Context, tx *sql.Tx, t *lifeboat.Team) error {
	for i, m := range t.Members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO team_members (team_id, person_id, position) VALUES ($1, $2, $3)`, t.ID, m, i); err != nil {
			return err
		}
	}
	return nil
}

func queryStrings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
