package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/lifeboat-itscm/lifeboat/model"
)

// schemaFile is the JSON Schema of model files with its entity tag. The
// schema is built into the binary, so both are computed once and never
// change while the server runs.
var schemaFile = sync.OnceValues(func() ([]byte, string) {
	b := model.Schema()
	sum := sha256.Sum256(b)
	return b, `"` + hex.EncodeToString(sum[:16]) + `"`
})

// schemaDocument serves the JSON Schema of model files, format v1, for
// editors and CI jobs that check files against it. It is public: those
// tools fetch it without signing in, and it holds no data, only the shape
// of a file, the same in every installation of a version. The ETag lets
// them revalidate with a 304 instead of fetching it again.
func (s *Server) schemaDocument(w http.ResponseWriter, r *http.Request) {
	b, tag := schemaFile()
	h := w.Header()
	h.Set("Content-Type", "application/schema+json")
	h.Set("ETag", tag)
	h.Set("Cache-Control", "public, max-age=3600")
	// Editors that run in a browser fetch it from their own origin; no
	// credentials go with it, so any origin may read it.
	h.Set("Access-Control-Allow-Origin", "*")
	http.ServeContent(w, r, "v1.json", time.Time{}, bytes.NewReader(b))
}
