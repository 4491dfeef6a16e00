package web

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// A server following the model rebuilds its index when another writer
// changes the model, before anyone asks this server anything.
func TestFollowGraph(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "api"}); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, db)
	done := make(chan struct{})
	go func() { s.FollowGraph(ctx, 10*time.Millisecond); close(done) }()

	built := func(n int) bool {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if x := s.graph.Built(); x != nil && x.Len() == n {
				return true
			}
			time.Sleep(5 * time.Millisecond)
		}
		return false
	}
	if !built(1) {
		t.Fatal("the index was not built at start")
	}
	// Another writer: the store directly, not this server.
	if err := db.CreateService(ctx, &lifeboat.Service{ID: "db"}); err != nil {
		t.Fatal(err)
	}
	if !built(2) {
		t.Fatal("the index did not follow the change")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("FollowGraph did not stop with its context")
	}
}
