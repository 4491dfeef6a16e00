package main

import (
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestMigrate(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := dbtest.URL(t, name)
			first := runLifeboat(t, nil, "migrate", "--database", dsn)
			if first.err != nil {
				t.Fatalf("first migrate: %v\n%s", first.err, first.stderr)
			}
			if !strings.Contains(first.stderr, "msg=migrated") || !strings.Contains(first.stdout, "is up to date") {
				t.Errorf("first migrate should apply and report migrations:\nstdout: %s\nstderr: %s", first.stdout, first.stderr)
			}
			second := runLifeboat(t, nil, "migrate", "--database", dsn)
			if second.err != nil {
				t.Fatalf("second migrate: %v\n%s", second.err, second.stderr)
			}
			if strings.Contains(second.stderr, "msg=migrated") {
				t.Errorf("second migrate applied migrations again:\n%s", second.stderr)
			}
			checkSchema(t, dsn)
		})
	}
}

// TestMigrateConcurrently starts several migrations of one new PostgreSQL
// database at once, as several instances starting together would.
func TestMigrateConcurrently(t *testing.T) {
	dsn := dbtest.URL(t, "postgres") // skips without PostgreSQL
	var wg sync.WaitGroup
	results := make([]result, 4)
	for i := range results {
		wg.Go(func() { results[i] = runLifeboat(t, nil, "migrate", "--database", dsn) })
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			t.Errorf("migrate %d: %v\n%s", i, r.err, r.stderr)
		}
	}
	checkSchema(t, dsn)
}

// checkSchema makes sure the migrated database has the catalog tables.
func checkSchema(t *testing.T, dsn string) {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindServices(t.Context(), lifeboat.ServiceFilter{Limit: 1}); err != nil {
		t.Errorf("query after migrate: %v", err)
	}
}
