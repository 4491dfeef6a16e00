package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

var alice = lifeboat.Actor{UserID: "alice", Role: lifeboat.RoleAdmin, Address: "10.0.0.1"}

// auditLog returns the whole trail, oldest first.
func auditLog(t *testing.T, db *sqldb.DB) []*lifeboat.AuditEntry {
	t.Helper()
	var out []*lifeboat.AuditEntry
	err := db.WalkAudit(context.Background(), time.Time{}, func(e *lifeboat.AuditEntry) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustVerify fails unless the chain is intact with n entries.
func mustVerify(t *testing.T, db *sqldb.DB, n int64) *lifeboat.AuditCheck {
	t.Helper()
	c, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !c.Intact() || c.Entries != n || c.LastSeq != n {
		t.Fatalf("verify: %+v, want an intact chain of %d entries", c, n)
	}
	return c
}

// stored returns the JSON of a stored object, or "" when there is none:
// what an audit entry's before or after should hold.
func stored(t *testing.T, db *sqldb.DB, kind, id string) string {
	t.Helper()
	ctx := context.Background()
	var v any
	var err error
	switch kind {
	case "service":
		v, err = db.FindServiceByID(ctx, id)
	case "team":
		v, err = db.FindTeamByID(ctx, id)
	case "person":
		v, err = db.FindPersonByID(ctx, id)
	}
	if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
		return ""
	} else if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type wantEntry struct{ action, kind, subject, before, after string }

// TestAuditCatalogWrites makes every kind of catalog change and checks that
// each leaves one entry with who, what, and the stored object before and
// after.
func TestAuditCatalogWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := lifeboat.WithActor(context.Background(), alice)
		var want []wantEntry
		// step makes a change and expects one entry per subject, with the
		// subject as stored before and after the change.
		step := func(change func() error, subjects ...wantEntry) {
			t.Helper()
			for i, s := range subjects {
				subjects[i].before = stored(t, db, s.kind, s.subject)
			}
			if err := change(); err != nil {
				t.Fatal(err)
			}
			for i, s := range subjects {
				subjects[i].after = stored(t, db, s.kind, s.subject)
			}
			want = append(want, subjects...)
		}
		ann := &lifeboat.Person{ID: "ann", Email: "ann@example.com"}
		bob := &lifeboat.Person{ID: "bob"}
		ops := &lifeboat.Team{ID: "ops", Members: []string{"ann", "bob"}}
		store := &lifeboat.Service{ID: "store", Kind: lifeboat.KindDataStore, Owner: "ops", Tags: []string{"pci"}}
		shop := &lifeboat.Service{ID: "shop", DependsOn: []lifeboat.Dependency{{On: "store"}}}
		step(func() error { return db.CreatePerson(ctx, ann) }, wantEntry{action: "create", kind: "person", subject: "ann"})
		step(func() error { return db.CreatePerson(ctx, bob) }, wantEntry{action: "create", kind: "person", subject: "bob"})
		step(func() error { return db.CreateTeam(ctx, ops) }, wantEntry{action: "create", kind: "team", subject: "ops"})
		step(func() error { return db.CreateService(ctx, store) }, wantEntry{action: "create", kind: "service", subject: "store"})
		step(func() error { return db.CreateService(ctx, shop) }, wantEntry{action: "create", kind: "service", subject: "shop"})
		step(func() error {
			return db.UpdateService(ctx, &lifeboat.Service{ID: "shop", Name: "Shop", Tier: tier(1),
				Objectives: &lifeboat.Objectives{RTO: dur("4h")}, DependsOn: shop.DependsOn}, 1)
		}, wantEntry{action: "update", kind: "service", subject: "shop"})
		step(func() error { return db.UpdatePerson(ctx, &lifeboat.Person{ID: "ann", Phone: "+1 555 0100"}, 1) },
			wantEntry{action: "update", kind: "person", subject: "ann"})
		step(func() error {
			return db.UpdateTeam(ctx, &lifeboat.Team{ID: "ops", Description: "On call", Members: []string{"bob", "ann"}}, 1)
		}, wantEntry{action: "update", kind: "team", subject: "ops"})
		step(func() error { return db.DeleteService(ctx, "shop", 2) }, wantEntry{action: "delete", kind: "service", subject: "shop"})
		// Deleting a person takes them out of their teams: that changes the
		// team too, and the trail says so.
		step(func() error { return db.DeletePerson(ctx, "bob", 0) },
			wantEntry{action: "delete", kind: "person", subject: "bob"}, wantEntry{action: "update", kind: "team", subject: "ops"})
		step(func() error { return db.DeleteService(ctx, "store", 0) }, wantEntry{action: "delete", kind: "service", subject: "store"})
		step(func() error { return db.DeleteTeam(ctx, "ops", 0) }, wantEntry{action: "delete", kind: "team", subject: "ops"})

		got := auditLog(t, db)
		if len(got) != len(want) {
			t.Fatalf("%d entries, want %d", len(got), len(want))
		}
		for i, w := range want {
			checkEntry(t, got[i], int64(i+1), w)
		}
		if got[0].Prev != strings.Repeat("0", 64) {
			t.Errorf("the first entry links to %q, want 64 zeros", got[0].Prev)
		}
		mustVerify(t, db, int64(len(want)))
	})
}

func checkEntry(t *testing.T, e *lifeboat.AuditEntry, seq int64, w wantEntry) {
	t.Helper()
	if e.Seq != seq || e.Action != w.action || e.Kind != w.kind || e.Subject != w.subject {
		t.Errorf("entry %d: %d %s %s %s, want %d %s %s %s", seq, e.Seq, e.Action, e.Kind, e.Subject, seq, w.action, w.kind, w.subject)
	}
	if e.Actor != "alice" || e.Address != "10.0.0.1" || e.Token != "" {
		t.Errorf("entry %d: actor %q address %q token %q, want alice from 10.0.0.1", seq, e.Actor, e.Address, e.Token)
	}
	if string(e.Before) != w.before || string(e.After) != w.after {
		t.Errorf("entry %d (%s %s %s):\nbefore %s\n  want %s\nafter  %s\n  want %s", seq, w.action, w.kind, w.subject,
			e.Before, w.before, e.After, w.after)
	}
	if time.Since(e.Time) > time.Minute || len(e.Hash) != 64 {
		t.Errorf("entry %d: time %v, hash %q", seq, e.Time, e.Hash)
	}
}

// TestAuditBulkCreate checks that a bulk load leaves one entry per service,
// in the order given, each with the service as stored.
func TestAuditBulkCreate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := lifeboat.WithActor(context.Background(), alice)
		for _, team := range gen.Teams(3) {
			if err := db.CreateTeam(ctx, team); err != nil {
				t.Fatal(err)
			}
		}
		// Big enough to take the parallel marshalling path.
		services := gen.Catalog(3, 5000, 3, gen.Layered)
		if err := db.CreateServices(ctx, services); err != nil {
			t.Fatal(err)
		}
		got := auditLog(t, db)
		if len(got) != 3+len(services) {
			t.Fatalf("%d entries, want %d", len(got), 3+len(services))
		}
		for i, s := range services {
			if i%500 != 0 && i != len(services)-1 {
				continue
			}
			w := wantEntry{action: "create", kind: "service", subject: s.ID, after: stored(t, db, "service", s.ID)}
			checkEntry(t, got[3+i], int64(4+i), w)
		}
		mustVerify(t, db, int64(len(got)))
	})
}

// TestAuditRefusedWrites checks that changes that are refused leave no
// entry: the entry is written in the change's transaction or not at all.
func TestAuditRefusedWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := lifeboat.WithActor(context.Background(), alice)
		if err := db.CreatePerson(ctx, &lifeboat.Person{ID: "ann"}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateTeam(ctx, &lifeboat.Team{ID: "ops"}); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, &lifeboat.Service{ID: "store", Owner: "ops"}, &lifeboat.Service{ID: "shop", DependsOn: []lifeboat.Dependency{{On: "store"}}})
		const n = 4
		refused := []struct {
			name string
			code string
			do   func() error
		}{
			{"invalid service", lifeboat.EINVALID, func() error { return db.CreateService(ctx, &lifeboat.Service{ID: "Bad Id"}) }},
			{"unknown owner", lifeboat.EINVALID, func() error { return db.CreateService(ctx, &lifeboat.Service{ID: "x", Owner: "ghosts"}) }},
			{"taken id", lifeboat.ECONFLICT, func() error { return db.CreateService(ctx, &lifeboat.Service{ID: "shop"}) }},
			{"stale update", lifeboat.ESTALE, func() error { return db.UpdateService(ctx, &lifeboat.Service{ID: "shop"}, 7) }},
			{"missing service", lifeboat.ENOTFOUND, func() error { return db.UpdateService(ctx, &lifeboat.Service{ID: "nope"}, 0) }},
			{"delete depended on", lifeboat.ECONFLICT, func() error { return db.DeleteService(ctx, "store", 0) }},
			{"bad batch", lifeboat.EINVALID, func() error {
				return db.CreateServices(ctx, []*lifeboat.Service{{ID: "fine"}, {ID: "broken", DependsOn: []lifeboat.Dependency{{On: "ghost"}}}})
			}},
			{"unknown member", lifeboat.EINVALID, func() error { return db.CreateTeam(ctx, &lifeboat.Team{ID: "t", Members: []string{"zed"}}) }},
			{"stale team", lifeboat.ESTALE, func() error { return db.UpdateTeam(ctx, &lifeboat.Team{ID: "ops"}, 9) }},
			{"delete owner", lifeboat.ECONFLICT, func() error { return db.DeleteTeam(ctx, "ops", 0) }},
			{"taken person", lifeboat.ECONFLICT, func() error { return db.CreatePerson(ctx, &lifeboat.Person{ID: "ann"}) }},
			{"stale person", lifeboat.ESTALE, func() error { return db.DeletePerson(ctx, "ann", 3) }},
			{"missing person", lifeboat.ENOTFOUND, func() error { return db.UpdatePerson(ctx, &lifeboat.Person{ID: "zed"}, 0) }},
		}
		for _, r := range refused {
			if err := r.do(); lifeboat.ErrorCode(err) != r.code {
				t.Errorf("%s: %v, want %s", r.name, err, r.code)
			}
		}
		if got := auditLog(t, db); len(got) != n {
			for _, e := range got[n:] {
				t.Errorf("refused change left entry %d: %s %s %s", e.Seq, e.Action, e.Kind, e.Subject)
			}
		}
		mustVerify(t, db, n)
	})
}

// TestAuditConcurrentWriters has several writers change the catalog at
// once and checks that the chain stays one line: no sequence number twice,
// none skipped, every link intact.
func TestAuditConcurrentWriters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const writers, each = 8, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers*each*2)
		for w := range writers {
			wg.Go(func() {
				ctx := lifeboat.WithActor(context.Background(), lifeboat.Actor{UserID: fmt.Sprintf("writer-%d", w)})
				for i := range each {
					id := fmt.Sprintf("svc-%d-%d", w, i)
					errs <- db.CreateService(ctx, &lifeboat.Service{ID: id})
					errs <- db.UpdateService(ctx, &lifeboat.Service{ID: id, Name: "Renamed"}, 1)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got := auditLog(t, db)
		for i, e := range got {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has sequence number %d", i+1, e.Seq)
			}
		}
		mustVerify(t, db, writers*each*2)
	})
}
