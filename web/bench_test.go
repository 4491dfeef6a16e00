package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// benchAPI returns a server over a SQLite catalog of 100,000 services and a
// typical service id.
func benchAPI(b *testing.B) (*Server, string) {
	ctx := context.Background()
	db := dbtest.Open(b, "sqlite")
	for _, team := range gen.Teams(200) {
		if err := db.CreateTeam(ctx, team); err != nil {
			b.Fatal(err)
		}
	}
	services := gen.Catalog(1, 100_000, 200, gen.Layered)
	if err := db.CreateServices(ctx, services); err != nil {
		b.Fatal(err)
	}
	typical := ""
	for _, s := range services {
		if s.Kind == lifeboat.KindApplication && len(s.DependsOn) >= 5 {
			typical = s.ID
			break
		}
	}
	return newTestServer(b, db), typical
}

// BenchmarkAPI measures requests through the whole router, middleware and
// JSON encoding, without a network.
func BenchmarkAPI(b *testing.B) {
	s, typical := benchAPI(b)
	for _, c := range []struct{ name, path string }{
		{"service", "/api/v1/services/" + typical},
		{"catalog-page", "/api/v1/services?kind=application&limit=50"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				r := httptest.NewRequest("GET", c.path, nil)
				asAdmin(s, r) // an API token, as automation sends
				s.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
