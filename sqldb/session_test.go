package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

const idle = 30 * time.Minute

func mustCreateSession(t *testing.T, db *sqldb.DB, id, user string, created time.Time, lifetime time.Duration) {
	t.Helper()
	s := &lifeboat.Session{ID: id, UserID: user, Created: created, ExpiresAt: created.Add(lifetime)}
	if err := db.CreateSession(context.Background(), s); err != nil {
		t.Fatalf("create session %s: %v", id, err)
	}
}

func findSession(t *testing.T, db *sqldb.DB, id string, at time.Time) *lifeboat.Session {
	t.Helper()
	s, err := db.FindSession(context.Background(), id, idle, at)
	if err != nil {
		t.Fatalf("FindSession(%s) at %v: %v", id, at, err)
	}
	return s
}

func TestSessionRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		t0 := time.Now().UTC().Truncate(time.Millisecond)
		in := &lifeboat.Session{ID: "s1", UserID: "alice", Created: t0, ExpiresAt: t0.Add(12 * time.Hour),
			Address: "192.0.2.1", UserAgent: "Mozilla/5.0 \x00\xff" + strings.Repeat("é", 300)}
		if err := db.CreateSession(ctx, in); err != nil {
			t.Fatal(err)
		}
		if !in.LastSeen.Equal(t0) || len(in.UserAgent) > 512 || strings.ContainsAny(in.UserAgent, "\x00\xff") {
			t.Errorf("after create: last seen %v, user agent %q", in.LastSeen, in.UserAgent)
		}
		got := findSession(t, db, "s1", t0.Add(10*time.Second))
		if got.UserID != "alice" || !got.Created.Equal(t0) || !got.ExpiresAt.Equal(in.ExpiresAt) ||
			got.Address != "192.0.2.1" || got.UserAgent != in.UserAgent {
			t.Errorf("FindSession = %+v, want %+v", got, in)
		}
		if !got.LastSeen.Equal(t0) {
			t.Errorf("last seen %v moved within the first minute", got.LastSeen)
		}
		if got := findSession(t, db, "s1", t0.Add(5*time.Minute)); !got.LastSeen.Equal(t0.Add(5 * time.Minute)) {
			t.Errorf("last seen %v, want it recorded after a minute", got.LastSeen)
		}
		all, err := db.FindSessions(ctx, "alice")
		if err != nil || len(all) != 1 || !all[0].LastSeen.Equal(t0.Add(5*time.Minute)) {
			t.Errorf("FindSessions = %v, %v; want the stored last seen time", all, err)
		}
		_, err = db.FindSession(ctx, "nope", idle, t0)
		wantCode(t, err, lifeboat.ENOTFOUND)
	})
}

func TestSessionRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Now()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		wantCode(t, db.CreateSession(ctx, &lifeboat.Session{ID: "s", UserID: "ghost", ExpiresAt: now.Add(time.Hour)}), lifeboat.ENOTFOUND)
		wantField(t, db.CreateSession(ctx, &lifeboat.Session{UserID: "alice", ExpiresAt: now.Add(time.Hour)}), lifeboat.EINVALID, "id")
		wantField(t, db.CreateSession(ctx, &lifeboat.Session{ID: "s", UserID: "alice"}), lifeboat.EINVALID, "expires_at")
		mustCreateSession(t, db, "s", "alice", now, time.Hour)
		wantCode(t, db.CreateSession(ctx, &lifeboat.Session{ID: "s", UserID: "alice", ExpiresAt: now.Add(time.Hour)}), lifeboat.ECONFLICT)
		bob := mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		bob.Disabled = true
		if err := db.UpdateUser(ctx, bob, 0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreateSession(ctx, &lifeboat.Session{ID: "b", UserID: "bob", ExpiresAt: now.Add(time.Hour)}), lifeboat.EFORBID)
	})
}

// TestSessionTimeouts checks the idle timeout, which activity pushes back,
// and the absolute timeout, which it does not.
func TestSessionTimeouts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		t0 := time.Now().UTC()
		mustCreateSession(t, db, "idle", "alice", t0, 12*time.Hour)
		mustCreateSession(t, db, "busy", "alice", t0, time.Hour)
		mustCreateSession(t, db, "forever-idle", "alice", t0, 12*time.Hour)

		_, err := db.FindSession(ctx, "idle", idle, t0.Add(idle+time.Millisecond))
		wantCode(t, err, lifeboat.ENOTFOUND)
		mustCreateSession(t, db, "active", "alice", t0, 12*time.Hour)
		findSession(t, db, "active", t0.Add(20*time.Minute))
		findSession(t, db, "active", t0.Add(20*time.Minute+idle))
		_, err = db.FindSession(ctx, "active", idle, t0.Add(20*time.Minute+2*idle+time.Millisecond))
		wantCode(t, err, lifeboat.ENOTFOUND)

		for at := t0; at.Before(t0.Add(time.Hour)); at = at.Add(20 * time.Minute) {
			findSession(t, db, "busy", at)
		}
		_, err = db.FindSession(ctx, "busy", idle, t0.Add(time.Hour))
		wantCode(t, err, lifeboat.ENOTFOUND)

		// Without an idle timeout only the absolute one applies.
		if _, err := db.FindSession(ctx, "forever-idle", 0, t0.Add(11*time.Hour)); err != nil {
			t.Errorf("idle 0: %v", err)
		}
		n, err := db.DeleteExpiredSessions(ctx, idle, t0.Add(11*time.Hour+10*time.Minute))
		if err != nil || n != 3 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 3", n, err)
		}
		if all, _ := db.FindSessions(ctx, ""); len(all) != 1 || all[0].ID != "forever-idle" {
			t.Errorf("left after clean-up: %v", all)
		}
	})
}

func TestSessionDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Now()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		bob := mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		for _, id := range []string{"a1", "a2", "a3"} {
			mustCreateSession(t, db, id, "alice", now, time.Hour)
		}
		for _, id := range []string{"b1", "b2"} {
			mustCreateSession(t, db, id, "bob", now, time.Hour)
		}
		if err := db.DeleteSession(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindSession(ctx, "a1", idle, now)
		wantCode(t, err, lifeboat.ENOTFOUND)
		wantCode(t, db.DeleteSession(ctx, "a1"), lifeboat.ENOTFOUND)
		if err := db.DeleteUserSessions(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.FindSessions(ctx, ""); len(all) != 2 {
			t.Errorf("%d sessions left, want bob's 2", len(all))
		}

		// Disabling a user ends their sessions at once.
		bob.Disabled = true
		if err := db.UpdateUser(ctx, bob, 0); err != nil {
			t.Fatal(err)
		}
		if all, _ := db.FindSessions(ctx, "bob"); len(all) != 0 {
			t.Errorf("a disabled user keeps %d sessions", len(all))
		}
		_, err = db.FindSession(ctx, "b1", idle, now)
		wantCode(t, err, lifeboat.ENOTFOUND)
	})
}
