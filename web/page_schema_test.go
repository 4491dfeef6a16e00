package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

func TestSchemaDocument(t *testing.T) {
	s := newTestServer(t, dbtest.Open(t, "sqlite"))
	r := do(s, "GET", "/schema/v1.json", "", "X-Anonymous", "1")
	if r.status != http.StatusOK {
		t.Fatalf("GET /schema/v1.json without signing in = %d, want 200\n%s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/schema+json" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "public, max-age=3600" {
		t.Errorf("Cache-Control %q", cc)
	}
	if !bytes.Equal([]byte(r.body), model.Schema()) {
		t.Error("the served schema is not the model package's")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil || doc["$id"] != model.SchemaID {
		t.Errorf("the served schema does not parse or has another $id: %v, %v", err, doc["$id"])
	}
	etag := r.header.Get("ETag")
	if len(etag) < 3 || etag[0] != '"' {
		t.Fatalf("ETag %q, want a strong entity tag", etag)
	}
	if again := do(s, "GET", "/schema/v1.json", "", "X-Anonymous", "1"); again.header.Get("ETag") != etag {
		t.Errorf("the ETag changed between requests: %q, %q", etag, again.header.Get("ETag"))
	}
	if c := do(s, "GET", "/schema/v1.json", "", "X-Anonymous", "1", "If-None-Match", etag); c.status != http.StatusNotModified || c.body != "" {
		t.Errorf("revalidating with the ETag = %d with %d bytes, want 304 without a body", c.status, len(c.body))
	}
	if c := do(s, "GET", "/schema/v1.json", "", "X-Anonymous", "1", "If-None-Match", `"other"`); c.status != http.StatusOK {
		t.Errorf("another ETag = %d, want 200", c.status)
	}
	req := httptest.NewRequest(http.MethodHead, "/schema/v1.json", nil)
	req.Header.Set("X-Anonymous", "1")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Type") != "application/schema+json" {
		t.Errorf("HEAD = %d with %d bytes, %q", w.Code, w.Body.Len(), w.Header().Get("Content-Type"))
	}
}
