package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.TokenStore = (*DB)(nil)

const tokenColumns = `t.user_id, t.id, t.role, t.created_at, t.expires_at, t.last_used_at, t.revoked`

func scanToken(row scanner, extra ...any) (*lifeboat.Token, error) {
	var t lifeboat.Token
	var created int64
	var expires, used sql.NullInt64
	dest := append([]any{&t.UserID, &t.ID, &t.Role, &created, &expires, &used, &t.Revoked}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	t.Created, t.ExpiresAt, t.LastUsed = fromMillis(created), fromNullMillis(expires), fromNullMillis(used)
	return &t, nil
}

// CreateToken stores a new token of an enabled user, with the user's role
// unless it names a lower one. A revoked or expired token of the same name
// makes way for it.
func (db *DB) CreateToken(ctx context.Context, t *lifeboat.Token) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if err := db.checkTokenOwner(ctx, tx, t, now); err != nil {
			return err
		}
		if err := db.freeTokenName(ctx, tx, t, now); err != nil {
			return err
		}
		t.Created, t.LastUsed, t.Revoked = fromMillis(millis(now)), time.Time{}, false
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, id, role, hash, created_at, expires_at, revoked)
			VALUES ($1, $2, $3, $4, $5, $6, FALSE)`,
			t.UserID, t.ID, string(t.Role), t.Hash, millis(t.Created), nullMillis(t.ExpiresAt)); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditCreate, "token", t.UserID+"/"+t.ID, nil, t)
	})
}

// checkTokenOwner checks the owner and fills in the token's default role.
func (db *DB) checkTokenOwner(ctx context.Context, tx *sql.Tx, t *lifeboat.Token, now time.Time) error {
	var role lifeboat.Role
	var disabled bool
	err := tx.QueryRowContext(ctx, `SELECT role, disabled FROM users WHERE id = $1`, t.UserID).Scan(&role, &disabled)
	if err == sql.ErrNoRows {
		return userNotFound(t.UserID)
	} else if err != nil {
		return err
	}
	if disabled {
		return lifeboat.Errorf(lifeboat.ECONFLICT, "user %q is disabled: enable the user before giving them a token", t.UserID)
	}
	if t.Role == "" {
		t.Role = role
	}
	var p lifeboat.Problems
	if !t.Role.AtMost(role) {
		p.Add("role", "%q is above the role of user %q (%q): a token may do no more than its owner", t.Role, t.UserID, role)
	}
	if !t.ExpiresAt.IsZero() && !t.ExpiresAt.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	return p.Err(fmt.Sprintf("token %q", t.ID))
}

// freeTokenName makes way for a new token: the name may be reused once the
// token that holds it can no longer be used.
func (db *DB) freeTokenName(ctx context.Context, tx *sql.Tx, t *lifeboat.Token, now time.Time) error {
	var revoked bool
	var expires sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT revoked, expires_at FROM api_tokens WHERE user_id = $1 AND id = $2`+db.dialect.forUpdate,
		t.UserID, t.ID).Scan(&revoked, &expires)
	if err == sql.ErrNoRows {
		return nil
	} else if err != nil {
		return err
	}
	if !revoked && (!expires.Valid || expires.Int64 > millis(now)) {
		return &lifeboat.Error{Code: lifeboat.ECONFLICT,
			Message: fmt.Sprintf("user %q already has a token %q: revoke it first or choose another name", t.UserID, t.ID),
			Fields:  []lifeboat.FieldError{{Field: "id", Message: "already taken"}}}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1 AND id = $2`, t.UserID, t.ID)
	return err
}

// FindTokenByHash returns the usable token with the hash, its role capped at
// its owner's. As with sessions, the lookup is one read and the use is
// recorded at most once a minute by a statement of its own.
func (db *DB) FindTokenByHash(ctx context.Context, hash string, now time.Time) (*lifeboat.Token, error) {
	st, err := db.readStmt(ctx, `SELECT `+tokenColumns+`, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.revoked = FALSE AND u.disabled = FALSE`)
	if err != nil {
		return nil, db.mapError(err)
	}
	var owner lifeboat.Role
	t, err := scanToken(st.QueryRowContext(ctx, hash), &owner)
	if err == sql.ErrNoRows || (err == nil && !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)) {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "token not found, revoked or expired")
	} else if err != nil {
		return nil, db.mapError(err)
	}
	t.Role = t.Role.CappedAt(owner)
	if t.LastUsed.IsZero() || now.Sub(t.LastUsed) >= seenEvery {
		if _, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $3
			WHERE user_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`, t.UserID, t.ID, millis(now)); err != nil {
			return nil, db.mapError(err)
		}
		t.LastUsed = fromMillis(millis(now))
	}
	t.Hash = hash
	return t, nil
}

// FindTokens returns a user's tokens, or everybody's when userID is empty,
// revoked and expired ones included, sorted by user and name.
func (db *DB) FindTokens(ctx context.Context, userID string) ([]*lifeboat.Token, error) {
	var out []*lifeboat.Token
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t
			WHERE $1 = '' OR t.user_id = $1 ORDER BY t.user_id, t.id`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken makes a token unusable for good. Revoking it again is not an
// error.
func (db *DB) RevokeToken(ctx context.Context, userID, id string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := execOne(ctx, tx, lifeboat.Errorf(lifeboat.ENOTFOUND, "user %q has no token %q", userID, id),
			`UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1 AND id = $2`, userID, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, "revoke", "token", userID+"/"+id, nil, nil)
	})
}
