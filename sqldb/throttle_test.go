package sqldb_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestLoginThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		alice, bob, addr := lifeboat.ThrottleUser("alice"), lifeboat.ThrottleUser("bob"), lifeboat.ThrottleAddress("192.0.2.1")
		t0 := time.Now().UTC().Truncate(time.Millisecond)
		for i := range 3 {
			if err := db.RecordFailedLogin(ctx, []string{alice, addr}, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		// A key named twice in one call counts once.
		if err := db.RecordFailedLogin(ctx, []string{bob, bob}, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		count := func(key string, since time.Time, want int) {
			t.Helper()
			if n, err := db.CountFailedLogins(ctx, key, since); n != want || err != nil {
				t.Errorf("CountFailedLogins(%s, t0%+v) = %d, %v; want %d", key, since.Sub(t0), n, err, want)
			}
		}
		count(alice, t0, 3)
		count(alice, t0.Add(time.Minute), 2)
		count(alice, t0.Add(3*time.Minute), 0)
		count(addr, t0.Add(-time.Hour), 3)
		count(bob, t0, 1)
		count(lifeboat.ThrottleUser("carol"), t0, 0)

		if err := db.ClearFailedLogins(ctx, alice); err != nil {
			t.Fatal(err)
		}
		count(alice, t0, 0)
		count(addr, t0, 3)

		n, err := db.PruneFailedLogins(ctx, t0.Add(2*time.Minute))
		if n != 3 || err != nil {
			t.Errorf("PruneFailedLogins = %d, %v; want 3 (two of the address, one of bob)", n, err)
		}
		count(addr, t0, 1)
		count(bob, t0, 0)

		for _, bad := range [][]string{{""}, {alice, strings.Repeat("k", 301)}, {"user:\x00"}} {
			wantField(t, db.RecordFailedLogin(ctx, bad, t0), lifeboat.EINVALID, "key")
		}
		count(alice, t0, 0)
	})
}

func TestSetupToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Now()
		_, hash := secret.NewToken(secret.SetupPrefix)
		if err := db.CreateSetupToken(ctx, hash, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreateSetupToken(ctx, hash, now.Add(time.Hour)), lifeboat.ECONFLICT)
		wantField(t, db.CreateSetupToken(ctx, "other", now.Add(-time.Second)), lifeboat.EINVALID, "expires_at")
		wantField(t, db.CreateSetupToken(ctx, "", now.Add(time.Hour)), lifeboat.EINVALID, "hash")

		wantCode(t, db.UseSetupToken(ctx, "unknown", now), lifeboat.ENOTFOUND)
		if err := db.UseSetupToken(ctx, hash, now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.UseSetupToken(ctx, hash, now), lifeboat.ENOTFOUND)

		_, expiring := secret.NewToken(secret.SetupPrefix)
		if err := db.CreateSetupToken(ctx, expiring, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.UseSetupToken(ctx, expiring, now.Add(time.Hour)), lifeboat.ENOTFOUND)
	})
}

// TestSetupTokenConcurrently uses one setup link from several goroutines at
// once, as two browsers racing for the first admin would: exactly one wins.
func TestSetupTokenConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for range 10 {
			_, hash := secret.NewToken(secret.SetupPrefix)
			if err := db.CreateSetupToken(ctx, hash, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			errs := make([]error, 4)
			var start, wg sync.WaitGroup
			start.Add(1)
			for i := range errs {
				wg.Go(func() {
					start.Wait()
					errs[i] = db.UseSetupToken(ctx, hash, time.Now())
				})
			}
			start.Done()
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
				} else if lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
					t.Fatalf("concurrent use: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("%d of %d concurrent uses succeeded, want 1", won, len(errs))
			}
		}
	})
}
