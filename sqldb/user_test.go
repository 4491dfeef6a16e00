package sqldb_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func mustCreateUser(t *testing.T, db *sqldb.DB, id string, role lifeboat.Role) *lifeboat.User {
	t.Helper()
	u := &lifeboat.User{ID: id, Role: role, PasswordHash: "$argon2id$test$" + id}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", id, err)
	}
	return u
}

func wantField(t *testing.T, err error, code, field string) {
	t.Helper()
	wantCode(t, err, code)
	for _, f := range lifeboat.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names no field %q", err, field)
}

func TestUserRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if n, err := db.CountUsers(ctx); n != 0 || err != nil {
			t.Fatalf("CountUsers of a new database = %d, %v; want 0: no default account", n, err)
		}
		if err := db.CreatePerson(ctx, &lifeboat.Person{ID: "alice-adams"}); err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Second)
		in := &lifeboat.User{ID: "alice", Name: "Alice Adams", Email: " alice@example.com", Role: lifeboat.RoleAdmin,
			PersonID: "alice-adams", PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5"}
		if err := db.CreateUser(ctx, in); err != nil {
			t.Fatal(err)
		}
		if in.Version != 1 || in.Created.Before(before) || in.Email != "alice@example.com" {
			t.Errorf("after create: version %d, created %v, email %q", in.Version, in.Created, in.Email)
		}
		got, err := db.FindUserByID(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Errorf("FindUserByID =\n%+v\nwant\n%+v", got, in)
		}
		mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		mustCreateUser(t, db, "aaron", lifeboat.RoleAuditor)
		users, err := db.FindUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		if !reflect.DeepEqual(ids, []string{"aaron", "alice", "bob"}) {
			t.Errorf("FindUsers = %v", ids)
		}
		if n, err := db.CountUsers(ctx); n != 3 || err != nil {
			t.Errorf("CountUsers = %d, %v", n, err)
		}
		_, err = db.FindUserByID(ctx, "carol")
		wantCode(t, err, lifeboat.ENOTFOUND)
	})
}

func TestUserCreateRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "alice", Role: lifeboat.RoleViewer}), lifeboat.ECONFLICT, "id")
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "bob", Role: "root"}), lifeboat.EINVALID, "role")
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "bob"}), lifeboat.EINVALID, "role")
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "Bob", Role: lifeboat.RoleViewer}), lifeboat.EINVALID, "id")
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "bob", Role: lifeboat.RoleViewer, PersonID: "ghost"}), lifeboat.EINVALID, "person")
		wantField(t, db.CreateUser(ctx, &lifeboat.User{ID: "bob", Role: lifeboat.RoleViewer, Email: "bob@"}), lifeboat.EINVALID, "email")
		if n, _ := db.CountUsers(ctx); n != 1 {
			t.Errorf("%d users after refused creations, want 1", n)
		}
	})
}

func TestUserUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		bob := mustCreateUser(t, db, "bob", lifeboat.RoleViewer)
		if err := db.CreatePerson(ctx, &lifeboat.Person{ID: "bob-brown"}); err != nil {
			t.Fatal(err)
		}
		up := *bob
		up.Name, up.Role, up.PersonID, up.Email = "Bob Brown", lifeboat.RoleServiceOwner, "bob-brown", "bob@example.com"
		if err := db.UpdateUser(ctx, &up, 1); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindUserByID(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Bob Brown" || got.Role != lifeboat.RoleServiceOwner || got.PersonID != "bob-brown" || got.Version != 2 ||
			!got.Created.Equal(bob.Created) || got.PasswordHash != bob.PasswordHash || got.Email != "bob@example.com" {
			t.Errorf("after update: %+v", got)
		}
		wantCode(t, db.UpdateUser(ctx, &up, 1), lifeboat.ESTALE)
		wantCode(t, db.UpdateUser(ctx, &lifeboat.User{ID: "carol", Role: lifeboat.RoleViewer}, 0), lifeboat.ENOTFOUND)
		up.PersonID = "ghost"
		wantField(t, db.UpdateUser(ctx, &up, 0), lifeboat.EINVALID, "person")

		// Deleting the person unlinks the user.
		if err := db.DeletePerson(ctx, "bob-brown", 0); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindUserByID(ctx, "bob"); got == nil || got.PersonID != "" {
			t.Errorf("after deleting the person: %+v", got)
		}
	})
}

func TestSetPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		if err := db.SetPassword(ctx, "alice", "$argon2id$new"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindUserByID(ctx, "alice")
		if got.PasswordHash != "$argon2id$new" || got.Version != 1 {
			t.Errorf("after SetPassword: hash %q, version %d", got.PasswordHash, got.Version)
		}
		wantCode(t, db.SetPassword(ctx, "carol", "x"), lifeboat.ENOTFOUND)
	})
}

// TestLastAdmin checks that the last enabled admin can be neither demoted
// nor disabled, so that somebody can always administer Lifeboat.
func TestLastAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		alice := mustCreateUser(t, db, "alice", lifeboat.RoleAdmin)
		demoted := *alice
		demoted.Role = lifeboat.RoleContinuityManager
		wantCode(t, db.UpdateUser(ctx, &demoted, 0), lifeboat.ECONFLICT)
		disabled := *alice
		disabled.Disabled = true
		wantCode(t, db.UpdateUser(ctx, &disabled, 0), lifeboat.ECONFLICT)
		renamed := *alice
		renamed.Name = "Alice"
		if err := db.UpdateUser(ctx, &renamed, 0); err != nil {
			t.Fatalf("an admin who stays admin: %v", err)
		}
		mustCreateUser(t, db, "bob", lifeboat.RoleAdmin)
		if err := db.UpdateUser(ctx, &disabled, 0); err != nil {
			t.Fatalf("disabling one of two admins: %v", err)
		}
		bob, _ := db.FindUserByID(ctx, "bob")
		bob.Role = lifeboat.RoleViewer
		wantCode(t, db.UpdateUser(ctx, bob, 0), lifeboat.ECONFLICT)
	})
}

// TestLastAdminConcurrently demotes two admins at once: one of them must
// stay admin.
func TestLastAdminConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for range 5 {
			a := mustCreateUser(t, db, "a", lifeboat.RoleAdmin)
			b := mustCreateUser(t, db, "b", lifeboat.RoleAdmin)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, u := range []*lifeboat.User{a, b} {
				wg.Go(func() {
					v := *u
					v.Role = lifeboat.RoleViewer
					errs[i] = db.UpdateUser(ctx, &v, 0)
				})
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("want exactly one demotion to succeed, got %v and %v", errs[0], errs[1])
			}
			for _, err := range errs {
				if err != nil {
					wantCode(t, err, lifeboat.ECONFLICT)
				}
			}
			resetUsers(t, db)
		}
	})
}

// resetUsers deletes every user through the raw database, which the stores
// offer no way to do.
func resetUsers(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if err := sqldb.ExecForTest(context.Background(), db, `DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
}
