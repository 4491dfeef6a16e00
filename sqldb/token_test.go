package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// mustCreateToken creates a token and returns its secret.
func mustCreateToken(t *testing.T, db *sqldb.DB, tok *lifeboat.Token) string {
	t.Helper()
	s, hash := secret.NewToken(secret.TokenPrefix)
	tok.Hash = hash
	if err := db.CreateToken(context.Background(), tok); err != nil {
		t.Fatalf("create token %s/%s: %v", tok.UserID, tok.ID, err)
	}
	return s
}

func findToken(t *testing.T, db *sqldb.DB, s string, at time.Time) *lifeboat.Token {
	t.Helper()
	tok, err := db.FindTokenByHash(context.Background(), secret.Hash(s), at)
	if err != nil {
		t.Fatalf("FindTokenByHash at %v: %v", at, err)
	}
	return tok
}

func wantNoToken(t *testing.T, db *sqldb.DB, s string, at time.Time) {
	t.Helper()
	_, err := db.FindTokenByHash(context.Background(), secret.Hash(s), at)
	wantCode(t, err, lifeboat.ENOTFOUND)
}

func TestTokenRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleContinuityManager)
		mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		now := time.Now().UTC()
		expires := now.Add(90 * 24 * time.Hour).Truncate(time.Millisecond)
		in := &lifeboat.Token{ID: "ci-deploy", UserID: "alice", Role: lifeboat.RoleResponder, ExpiresAt: expires}
		s := mustCreateToken(t, db, in)
		if in.Created.IsZero() || in.Role != lifeboat.RoleResponder {
			t.Errorf("after create: %+v", in)
		}
		got := findToken(t, db, s, now)
		if got.ID != "ci-deploy" || got.UserID != "alice" || got.Role != lifeboat.RoleResponder || got.Revoked ||
			!got.ExpiresAt.Equal(expires) || !got.Created.Equal(in.Created) || got.Hash != secret.Hash(s) {
			t.Errorf("FindTokenByHash = %+v, want %+v", got, in)
		}
		// The role defaults to the owner's; no expiry means none.
		bobs := &lifeboat.Token{ID: "report", UserID: "bob"}
		bs := mustCreateToken(t, db, bobs)
		if got := findToken(t, db, bs, now.Add(50*365*24*time.Hour)); got.Role != lifeboat.RoleViewer || !got.ExpiresAt.IsZero() {
			t.Errorf("token without role and expiry: %+v", got)
		}
		all, err := db.FindTokens(ctx, "")
		if err != nil || len(all) != 2 || all[0].ID != "ci-deploy" || all[1].ID != "report" {
			t.Errorf("FindTokens(all) = %v, %v", all, err)
		}
		if mine, _ := db.FindTokens(ctx, "bob"); len(mine) != 1 || mine[0].Hash != "" {
			t.Errorf("FindTokens(bob) = %v", mine)
		}
		wantNoToken(t, db, "lbt_unknown", now)
	})
}

func TestTokenLastUsed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		s := mustCreateToken(t, db, &lifeboat.Token{ID: "ci", UserID: "alice"})
		t0 := time.Now().UTC().Truncate(time.Millisecond)
		stored := func() time.Time {
			all, _ := db.FindTokens(ctx, "alice")
			return all[0].LastUsed
		}
		if !stored().IsZero() {
			t.Fatal("a new token has been used")
		}
		if got := findToken(t, db, s, t0); !got.LastUsed.Equal(t0) || !stored().Equal(t0) {
			t.Errorf("first use: last used %v, stored %v; want %v", got.LastUsed, stored(), t0)
		}
		findToken(t, db, s, t0.Add(30*time.Second))
		if !stored().Equal(t0) {
			t.Errorf("last used %v moved within a minute", stored())
		}
		findToken(t, db, s, t0.Add(2*time.Minute))
		if !stored().Equal(t0.Add(2 * time.Minute)) {
			t.Errorf("last used %v, want it recorded after a minute", stored())
		}
	})
}

// TestTokenRoleCeiling checks that a token may do no more than its owner,
// when it is created and after the owner is demoted.
func TestTokenRoleCeiling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "root", lifeboat.RoleAdmin)
		alice := mustCreateUser(t, db, "alice", lifeboat.RoleServiceOwner)
		err := db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "alice", Role: lifeboat.RoleAdmin, Hash: "h1"})
		wantField(t, err, lifeboat.EINVALID, "role")
		err = db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "alice", Role: "root", Hash: "h1"})
		wantField(t, err, lifeboat.EINVALID, "role")
		// Auditor is not below service owner: it reads the audit trail.
		err = db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "alice", Role: lifeboat.RoleAuditor, Hash: "h1"})
		wantField(t, err, lifeboat.EINVALID, "role")
		s := mustCreateToken(t, db, &lifeboat.Token{ID: "ci", UserID: "alice", Role: lifeboat.RoleServiceOwner})

		alice.Role = lifeboat.RoleViewer
		if err := db.UpdateUser(ctx, alice, 0); err != nil {
			t.Fatal(err)
		}
		if got := findToken(t, db, s, time.Now()); got.Role != lifeboat.RoleViewer {
			t.Errorf("token of a demoted owner has role %q, want viewer", got.Role)
		}
		alice.Role = lifeboat.RoleAuditor
		if err := db.UpdateUser(ctx, alice, 0); err != nil {
			t.Fatal(err)
		}
		if got := findToken(t, db, s, time.Now()); got.Role != lifeboat.RoleViewer {
			t.Errorf("service owner's token of an owner made auditor has role %q, want viewer", got.Role)
		}
		alice.Role = lifeboat.RoleAdmin
		if err := db.UpdateUser(ctx, alice, 0); err != nil {
			t.Fatal(err)
		}
		if got := findToken(t, db, s, time.Now()); got.Role != lifeboat.RoleServiceOwner {
			t.Errorf("token of a promoted owner has role %q, want its own service-owner", got.Role)
		}
	})
}

func TestTokenRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		bob := mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		now := time.Now()
		mustCreateToken(t, db, &lifeboat.Token{ID: "ci", UserID: "alice"})
		wantField(t, db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "alice", Hash: "other"}), lifeboat.ECONFLICT, "id")
		wantCode(t, db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "ghost", Hash: "h"}), lifeboat.ENOTFOUND)
		wantField(t, db.CreateToken(ctx, &lifeboat.Token{ID: "CI", UserID: "alice", Hash: "h"}), lifeboat.EINVALID, "id")
		wantField(t, db.CreateToken(ctx, &lifeboat.Token{ID: "old", UserID: "alice", Hash: "h", ExpiresAt: now.Add(-time.Second)}),
			lifeboat.EINVALID, "expires_at")
		if all, _ := db.FindTokens(ctx, "alice"); len(all) != 1 {
			t.Errorf("%d tokens after refused creations, want 1", len(all))
		}
		_, hash := secret.NewToken(secret.TokenPrefix)
		if err := db.CreateToken(ctx, &lifeboat.Token{ID: "one", UserID: "alice", Hash: hash}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreateToken(ctx, &lifeboat.Token{ID: "two", UserID: "alice", Hash: hash}), lifeboat.ECONFLICT)
		bob.Disabled = true
		if err := db.UpdateUser(ctx, bob, 0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreateToken(ctx, &lifeboat.Token{ID: "ci", UserID: "bob", Hash: "h"}), lifeboat.ECONFLICT)
	})
}

func TestTokenExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		now := time.Now().UTC()
		s := mustCreateToken(t, db, &lifeboat.Token{ID: "short", UserID: "alice", ExpiresAt: now.Add(time.Hour)})
		findToken(t, db, s, now.Add(59*time.Minute))
		wantNoToken(t, db, s, now.Add(time.Hour+time.Millisecond))
		wantNoToken(t, db, s, now.Add(24*time.Hour))
	})
}

func TestTokenRevoke(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		now := time.Now()
		old := mustCreateToken(t, db, &lifeboat.Token{ID: "ci", UserID: "alice"})
		other := mustCreateToken(t, db, &lifeboat.Token{ID: "backup", UserID: "alice"})
		if err := db.RevokeToken(ctx, "alice", "ci"); err != nil {
			t.Fatal(err)
		}
		wantNoToken(t, db, old, now)
		findToken(t, db, other, now)
		if err := db.RevokeToken(ctx, "alice", "ci"); err != nil {
			t.Errorf("revoking again: %v", err)
		}
		wantCode(t, db.RevokeToken(ctx, "alice", "nope"), lifeboat.ENOTFOUND)
		wantCode(t, db.RevokeToken(ctx, "bob", "ci"), lifeboat.ENOTFOUND)
		if all, _ := db.FindTokens(ctx, "alice"); len(all) != 2 || !all[1].Revoked {
			t.Errorf("FindTokens after revoking: %+v", all)
		}

		// The name of a revoked token can be used again.
		renewed := mustCreateToken(t, db, &lifeboat.Token{ID: "ci", UserID: "alice"})
		findToken(t, db, renewed, now)
		wantNoToken(t, db, old, now)
	})
}

// TestTokenDisabledOwner checks that a disabled user's tokens stop working
// and work again when the user is enabled.
func TestTokenDisabledOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		bob := mustCreateUser(t, db, "bob", lifeboat.RoleResponder)
		s := mustCreateToken(t, db, &lifeboat.Token{ID: "pager", UserID: "bob"})
		now := time.Now()
		bob.Disabled = true
		if err := db.UpdateUser(ctx, bob, 0); err != nil {
			t.Fatal(err)
		}
		wantNoToken(t, db, s, now)
		bob.Disabled = false
		if err := db.UpdateUser(ctx, bob, 0); err != nil {
			t.Fatal(err)
		}
		findToken(t, db, s, now)
	})
}
