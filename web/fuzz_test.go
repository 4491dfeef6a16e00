package web

import (
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// FuzzServiceAPI sends arbitrary bodies and query strings to the service
// API: whatever comes in, the answer is never a server error.
func FuzzServiceAPI(f *testing.F) {
	s := newTestServer(f, dbtest.Open(f, "sqlite"))
	if r := do(s, "POST", "/api/v1/services", `{"id":"db"}`); r.status != 201 {
		f.Fatalf("seed: %d %s", r.status, r.body)
	}
	for _, seed := range []string{
		`{"id":"a","depends_on":["db",{"any_of":["db","x"],"min_up":3}]}`,
		`{"id":"b","objectives":{"rto":"1d12h","rpo":0},"tier":1,"tags":["x"]}`,
		`{"id":"c","kind":"vendor","contract":{"rto":"4h"}}`,
		`[]`, `{"id":"d","depends_on":[{"on":"db","workaround":"99999999999w"}]}`,
	} {
		f.Add(seed, "kind=application&sort=tier&limit=3")
	}
	f.Fuzz(func(t *testing.T, body, query string) {
		if r := do(s, "POST", "/api/v1/services", body); r.status >= 500 {
			t.Fatalf("POST %q = %d %s", body, r.status, r.body)
		}
		if r := do(s, "PUT", "/api/v1/services/db", body); r.status >= 500 {
			t.Fatalf("PUT %q = %d %s", body, r.status, r.body)
		}
		if strings.ContainsFunc(query, func(r rune) bool { return r <= ' ' || r == '#' || r >= 0x7f }) {
			return // not a query string a client could send
		}
		if r := do(s, "GET", "/api/v1/services?"+query, ""); r.status >= 500 {
			t.Fatalf("GET ?%s = %d %s", query, r.status, r.body)
		}
	})
}
