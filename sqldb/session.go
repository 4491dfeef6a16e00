package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.SessionStore = (*DB)(nil)

// seenEvery is how stale last_seen_at may get before a request updates it:
// one write a minute per active session instead of one per request.
const seenEvery = time.Minute

// Limits for what the client sends about itself.
const (
	maxAddress   = 64
	maxUserAgent = 512
)

const sessionColumns = `s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.address, s.user_agent`

func scanSession(row scanner) (*lifeboat.Session, error) {
	var s lifeboat.Session
	var created, seen, expires int64
	if err := row.Scan(&s.ID, &s.UserID, &created, &seen, &expires, &s.Address, &s.UserAgent); err != nil {
		return nil, err
	}
	s.Created, s.LastSeen, s.ExpiresAt = fromMillis(created), fromMillis(seen), fromMillis(expires)
	return &s, nil
}

// CreateSession stores a new session of an enabled user.
func (db *DB) CreateSession(ctx context.Context, s *lifeboat.Session) error {
	var p lifeboat.Problems
	if s.ID == "" {
		p.Add("id", "missing")
	}
	if s.ExpiresAt.IsZero() {
		p.Add("expires_at", "missing")
	}
	if err := p.Err("session"); err != nil {
		return err
	}
	if s.Created.IsZero() {
		s.Created = db.now()
	}
	if s.LastSeen.IsZero() {
		s.LastSeen = s.Created
	}
	s.Address, s.UserAgent = cleanText(s.Address, maxAddress), cleanText(s.UserAgent, maxUserAgent)
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = $1`, s.UserID).Scan(&disabled)
		if err == sql.ErrNoRows {
			return userNotFound(s.UserID)
		} else if err != nil {
			return err
		}
		if disabled {
			return lifeboat.Errorf(lifeboat.EFORBID, "user %q is disabled", s.UserID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, address, user_agent)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			s.ID, s.UserID, millis(s.Created), millis(s.LastSeen), millis(s.ExpiresAt), s.Address, s.UserAgent)
		return err
	})
}

// FindSession returns a live session of an enabled user and records that it
// was seen. Every request of a signed-in browser comes here, so the common
// case is one read on the read pool; the write to last_seen_at follows, at
// most once a minute, as a statement of its own that never moves it back.
func (db *DB) FindSession(ctx context.Context, id string, idle time.Duration, now time.Time) (*lifeboat.Session, error) {
	st, err := db.readStmt(ctx, `SELECT `+sessionColumns+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = $1 AND u.disabled = FALSE`)
	if err != nil {
		return nil, db.mapError(err)
	}
	s, err := scanSession(st.QueryRowContext(ctx, id))
	if err == sql.ErrNoRows || (err == nil && !sessionLive(s, idle, now)) {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "session not found or expired")
	} else if err != nil {
		return nil, db.mapError(err)
	}
	if now.Sub(s.LastSeen) >= seenEvery {
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`,
			id, millis(now)); err != nil {
			return nil, db.mapError(err)
		}
		s.LastSeen = fromMillis(millis(now))
	}
	return s, nil
}

// sessionLive applies the absolute and the idle timeout; an idle of zero
// means none. DeleteExpiredSessions applies the same rules in SQL.
// Times compare in milliseconds, as they are stored.
func sessionLive(s *lifeboat.Session, idle time.Duration, now time.Time) bool {
	ms := millis(now)
	return ms < millis(s.ExpiresAt) && (idle <= 0 || ms-millis(s.LastSeen) <= idle.Milliseconds())
}

// FindSessions returns a user's sessions, or everybody's when userID is
// empty, most recently seen first.
func (db *DB) FindSessions(ctx context.Context, userID string) ([]*lifeboat.Session, error) {
	var out []*lifeboat.Session
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions s
			WHERE $1 = '' OR s.user_id = $1 ORDER BY s.last_seen_at DESC, s.id`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSession(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteSession ends one session, as signing out does.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		return execOne(ctx, tx, lifeboat.Errorf(lifeboat.ENOTFOUND, "session not found"), `DELETE FROM sessions WHERE id = $1`, id)
	})
}

// DeleteUserSessions ends all sessions of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
}

// DeleteExpiredSessions removes the sessions past their absolute timeout or
// idle for longer than idle (when idle is not zero).
func (db *DB) DeleteExpiredSessions(ctx context.Context, idle time.Duration, now time.Time) (int64, error) {
	var n int64
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		q, args := `DELETE FROM sessions WHERE expires_at <= $1`, []any{millis(now)}
		if idle > 0 {
			q, args = q+` OR last_seen_at < $2`, append(args, millis(now)-idle.Milliseconds())
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// cleanText makes text a client sends about itself, such as its user
// agent, storable: valid UTF-8 without NUL, cut to at most limit bytes.
func cleanText(s string, limit int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
