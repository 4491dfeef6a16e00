package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestAppendAudit records events that are not data changes, such as
// sign-ins, with who acted taken from the context.
func TestAppendAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := lifeboat.WithActor(context.Background(), lifeboat.Actor{UserID: "alice", TokenID: "ci-deploy", Address: "10.0.0.1"})
		in := &lifeboat.AuditEntry{Action: lifeboat.AuditSignIn, Kind: "session", Subject: "alice",
			After: json.RawMessage("{ \"method\" : \"password\",\n \"note\": \"<ok>\" }"), Actor: "ignored"}
		if err := db.AppendAudit(ctx, in); err != nil {
			t.Fatal(err)
		}
		if in.Seq != 1 || in.Actor != "alice" || in.Token != "ci-deploy" || string(in.After) != `{"method":"password","note":"<ok>"}` || len(in.Hash) != 64 {
			t.Errorf("appended %+v", in)
		}
		// A failed sign-in records the name that was typed, whatever it is.
		typed := "mallory\x00\xff" + strings.Repeat("x", 1000)
		failed := &lifeboat.AuditEntry{Action: lifeboat.AuditSignInFailed, Kind: "session", Subject: typed}
		if err := db.AppendAudit(lifeboat.WithActor(context.Background(), lifeboat.Actor{Address: "203.0.113.9"}), failed); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAuditEntries(context.Background(), lifeboat.AuditFilter{Action: lifeboat.AuditSignInFailed})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v %v", got, err)
		}
		if s := got[0].Subject; !strings.HasPrefix(s, "mallory\uFFFD\uFFFD") || len(s) > 256 || !utf8.ValidString(s) || got[0].Actor != "" || got[0].Address != "203.0.113.9" {
			t.Errorf("failed sign-in stored as %+v", got[0])
		}
		for _, bad := range []*lifeboat.AuditEntry{
			{Kind: "session"},
			{Action: "sign-in"},
			{Action: "sign-in", Kind: "session", Before: json.RawMessage(`{"a":`)},
		} {
			if err := db.AppendAudit(ctx, bad); lifeboat.ErrorCode(err) != lifeboat.EINVALID {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		mustVerify(t, db, 2)
	})
}

// TestFindAuditEntries filters and pages the trail, newest first.
func TestFindAuditEntries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		clock := start
		db.SetNow(func() time.Time { return clock })
		bob := lifeboat.Actor{UserID: "bob", Address: "10.0.0.2"}
		// Entry n is written at start + n-1 hours: 1-3 people by alice,
		// 4 a team by bob, 5-7 services by bob, 8 a service update by alice.
		steps := []struct {
			who lifeboat.Actor
			do  func(context.Context) error
		}{
			{alice, func(ctx context.Context) error { return db.CreatePerson(ctx, &lifeboat.Person{ID: "p1"}) }},
			{alice, func(ctx context.Context) error { return db.CreatePerson(ctx, &lifeboat.Person{ID: "p2"}) }},
			{alice, func(ctx context.Context) error { return db.CreatePerson(ctx, &lifeboat.Person{ID: "p3"}) }},
			{bob, func(ctx context.Context) error { return db.CreateTeam(ctx, &lifeboat.Team{ID: "ops"}) }},
			{bob, func(ctx context.Context) error { return db.CreateService(ctx, &lifeboat.Service{ID: "s1"}) }},
			{bob, func(ctx context.Context) error { return db.CreateService(ctx, &lifeboat.Service{ID: "s2"}) }},
			{bob, func(ctx context.Context) error { return db.CreateService(ctx, &lifeboat.Service{ID: "s3"}) }},
			{alice, func(ctx context.Context) error {
				return db.UpdateService(ctx, &lifeboat.Service{ID: "s2", Name: "Two"}, 1)
			}},
		}
		for i, s := range steps {
			clock = start.Add(time.Duration(i) * time.Hour)
			if err := s.do(lifeboat.WithActor(context.Background(), s.who)); err != nil {
				t.Fatal(err)
			}
		}
		hour := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }
		tests := []struct {
			f    lifeboat.AuditFilter
			want []int64
		}{
			{lifeboat.AuditFilter{}, []int64{8, 7, 6, 5, 4, 3, 2, 1}},
			{lifeboat.AuditFilter{Actor: "alice"}, []int64{8, 3, 2, 1}},
			{lifeboat.AuditFilter{Kind: "service"}, []int64{8, 7, 6, 5}},
			{lifeboat.AuditFilter{Kind: "service", Subject: "s2"}, []int64{8, 6}},
			{lifeboat.AuditFilter{Action: "update"}, []int64{8}},
			{lifeboat.AuditFilter{Actor: "bob", Kind: "service"}, []int64{7, 6, 5}},
			{lifeboat.AuditFilter{Since: hour(3)}, []int64{8, 7, 6, 5, 4}},
			{lifeboat.AuditFilter{Until: hour(3)}, []int64{3, 2, 1}},
			{lifeboat.AuditFilter{Since: hour(2), Until: hour(5)}, []int64{5, 4, 3}},
			{lifeboat.AuditFilter{Limit: 3}, []int64{8, 7, 6}},
			{lifeboat.AuditFilter{Before: 6, Limit: 3}, []int64{5, 4, 3}},
			{lifeboat.AuditFilter{Before: 6, Actor: "alice"}, []int64{3, 2, 1}},
			{lifeboat.AuditFilter{Actor: "carol"}, nil},
		}
		for _, tt := range tests {
			got, err := db.FindAuditEntries(context.Background(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if seqs := entrySeqs(got); fmt.Sprint(seqs) != fmt.Sprint(tt.want) {
				t.Errorf("%+v: %v, want %v", tt.f, seqs, tt.want)
			}
		}
		got, _ := db.FindAuditEntries(context.Background(), lifeboat.AuditFilter{Subject: "p2"})
		if len(got) != 1 || !got[0].Time.Equal(hour(1)) || got[0].Actor != "alice" || got[0].Address != "10.0.0.1" {
			t.Errorf("entry 2: %+v", got)
		}
	})
}

func entrySeqs(entries []*lifeboat.AuditEntry) []int64 {
	var out []int64
	for _, e := range entries {
		out = append(out, e.Seq)
	}
	return out
}

// TestFindAuditEntriesLimits checks the default and the largest page.
func TestFindAuditEntriesLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		services := make([]*lifeboat.Service, lifeboat.AuditMaxLimit+5)
		for i := range services {
			services[i] = &lifeboat.Service{ID: fmt.Sprintf("s%d", i)}
		}
		if err := db.CreateServices(context.Background(), services); err != nil {
			t.Fatal(err)
		}
		for limit, want := range map[int]int{0: lifeboat.AuditDefaultLimit, -1: lifeboat.AuditDefaultLimit, 5000: lifeboat.AuditMaxLimit, 7: 7} {
			got, err := db.FindAuditEntries(context.Background(), lifeboat.AuditFilter{Limit: limit})
			if err != nil || len(got) != want || got[0].Seq != int64(len(services)) {
				t.Errorf("limit %d: %d entries (%v), want %d from the newest", limit, len(got), err, want)
			}
		}
	})
}

// TestWalkAudit walks the trail in chain order, in chunks, from a time on.
func TestWalkAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		clock := start
		db.SetNow(func() time.Time { return clock })
		ctx := context.Background()
		// 2,500 entries at start, then one at start+1h: walks cross chunks.
		services := make([]*lifeboat.Service, 2500)
		for i := range services {
			services[i] = &lifeboat.Service{ID: fmt.Sprintf("s%04d", i)}
		}
		if err := db.CreateServices(ctx, services); err != nil {
			t.Fatal(err)
		}
		clock = start.Add(time.Hour)
		mustCreate(t, db, &lifeboat.Service{ID: "late"})
		walk := func(since time.Time) []int64 {
			var seqs []int64
			if err := db.WalkAudit(ctx, since, func(e *lifeboat.AuditEntry) error {
				seqs = append(seqs, e.Seq)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return seqs
		}
		all := walk(time.Time{})
		if len(all) != 2501 || all[0] != 1 || all[2500] != 2501 {
			t.Errorf("walk of all: %d entries, %v...%v", len(all), all[:1], all[len(all)-1:])
		}
		for i, seq := range all {
			if seq != int64(i+1) {
				t.Fatalf("walk out of order at %d: %d", i, seq)
			}
		}
		if got := walk(start.Add(time.Minute)); fmt.Sprint(got) != "[2501]" {
			t.Errorf("walk since a minute after the load: %v", got)
		}
		if got := walk(start.Add(2 * time.Hour)); got != nil {
			t.Errorf("walk since the future: %v", got)
		}
		stop := fmt.Errorf("enough")
		n := 0
		err := db.WalkAudit(ctx, time.Time{}, func(*lifeboat.AuditEntry) error {
			if n++; n == 10 {
				return stop
			}
			return nil
		})
		if err != stop || n != 10 {
			t.Errorf("a walk stops at fn's error: %v after %d", err, n)
		}
	})
}
