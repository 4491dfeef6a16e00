package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.UserStore = (*DB)(nil)

const userColumns = `id, name, email, role, person_id, disabled, password_hash, version, created_at`

func scanUser(row scanner) (*lifeboat.User, error) {
	var u lifeboat.User
	var person sql.NullString
	var created int64
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &person, &u.Disabled, &u.PasswordHash, &u.Version, &created); err != nil {
		return nil, err
	}
	u.PersonID, u.Created = person.String, fromMillis(created)
	return &u, nil
}

// FindUserByID returns one user.
// It runs on every authenticated request, so it is one cached statement
// outside a transaction.
func (db *DB) FindUserByID(ctx context.Context, id string) (*lifeboat.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	if err != nil {
		return nil, db.mapError(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, db.mapError(err)
		}
		return nil, userNotFound(id)
	}
	u, err := scanUser(rows)
	return u, db.mapError(err)
}

// FindUsers returns every user, sorted by id.
func (db *DB) FindUsers(ctx context.Context) ([]*lifeboat.User, error) {
	var out []*lifeboat.User
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// CountUsers returns how many users exist, disabled ones included.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	})
	return n, err
}

// CreateUser stores a new user after checking its person exists.
func (db *DB) CreateUser(ctx context.Context, u *lifeboat.User) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.checkUnique(ctx, tx, "users", "user", u.ID); err != nil {
			return err
		}
		if err := db.checkPerson(ctx, tx, u); err != nil {
			return err
		}
		now := db.now()
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, name, email, role, person_id, disabled, password_hash, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`,
			u.ID, u.Name, u.Email, string(u.Role), nullString(u.PersonID), u.Disabled, u.PasswordHash, millis(now))
		if err != nil {
			return err
		}
		u.Version, u.Created = 1, now.Truncate(time.Millisecond)
		return db.appendAudit(ctx, tx, lifeboat.AuditCreate, "user", u.ID, nil, u)
	})
}

// UpdateUser replaces a user's name, email, role, person and disabled flag.
// Disabling ends the user's sessions in the same transaction.
func (db *DB) UpdateUser(ctx context.Context, u *lifeboat.User, ifVersion int64) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if u.Role != lifeboat.RoleAdmin || u.Disabled {
			if err := db.keepAnAdmin(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		cur, err := db.lockVersion(ctx, tx, "users", "user", u.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := db.checkPerson(ctx, tx, u); err != nil {
			return err
		}
		before, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, u.ID))
		if err != nil {
			return err
		}
		u.Version, u.Created = cur.version+1, cur.createdAt
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $2, email = $3, role = $4, person_id = $5, disabled = $6, version = $7, updated_at = $8
			WHERE id = $1`, u.ID, u.Name, u.Email, string(u.Role), nullString(u.PersonID), u.Disabled, u.Version, millis(db.now())); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, lifeboat.AuditUpdate, "user", u.ID, before, u); err != nil {
			return err
		}
		if !u.Disabled {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		return err
	})
}

// keepAnAdmin refuses a change that would leave no enabled admin, when the
// user who loses admin rights is the last one. On PostgreSQL it locks the
// enabled admins in id order first, so that two transactions demoting two
// different admins take turns instead of each counting on the other.
func (db *DB) keepAnAdmin(ctx context.Context, tx *sql.Tx, id string) error {
	admins, err := queryStrings(ctx, tx, `SELECT id FROM users WHERE role = $1 AND disabled = FALSE ORDER BY id`+db.dialect.forUpdate,
		string(lifeboat.RoleAdmin))
	if err != nil {
		return err
	}
	if len(admins) == 1 && admins[0] == id {
		return lifeboat.Errorf(lifeboat.ECONFLICT, "user %q is the last enabled admin: make another user admin first", id)
	}
	return nil
}

// SetPassword replaces a user's password hash. It keeps the version: a
// new password does not clash with an edit of the user's other fields.
func (db *DB) SetPassword(ctx context.Context, id, hash string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := execOne(ctx, tx, userNotFound(id), `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`,
			id, hash, millis(db.now())); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, "set-password", "user", id, nil, nil)
	})
}

func (db *DB) checkPerson(ctx context.Context, tx *sql.Tx, u *lifeboat.User) error {
	if u.PersonID == "" {
		return nil
	}
	found, err := db.existingIDs(ctx, tx, "people", []string{u.PersonID})
	if err != nil {
		return err
	}
	if !found[u.PersonID] {
		return &lifeboat.Error{Code: lifeboat.EINVALID, Message: fmt.Sprintf("user %q is not valid", u.ID),
			Fields: []lifeboat.FieldError{{Field: "person", Message: fmt.Sprintf("no person %q", u.PersonID)}}}
	}
	return nil
}

func userNotFound(id string) error {
	return lifeboat.Errorf(lifeboat.ENOTFOUND, "user %q not found", id)
}

// execOne runs a statement that must change one row, and returns notFound
// when it changes none.
func execOne(ctx context.Context, tx *sql.Tx, notFound error, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound
	}
	return nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullMillis stores a zero time as NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: millis(t), Valid: !t.IsZero()}
}

func fromNullMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMillis(n.Int64)
}
