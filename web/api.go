package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/lifeboat-itscm/lifeboat"
)

// APIPrefix is where the REST API lives.
const APIPrefix = "/api/v1"

// maxBodyBytes bounds request bodies: a service with a thousand dependencies
// fits with room to spare.
const maxBodyBytes = 1 << 20

func newAPI(mux *http.ServeMux, version string) huma.API {
	cfg := huma.DefaultConfig("Lifeboat API", version)
	cfg.Info.Description = "The REST API of Lifeboat, the IT service continuity platform. " +
		"Objects use the field names of the continuity-as-code file format; durations are strings such as \"4h\" or \"1d12h\". " +
		"Errors are application/problem+json (RFC 9457). Lists are paged by cursor. " +
		"Every object carries an ETag; send it back in If-Match to refuse overwriting someone else's change."
	// Operations are registered with their full paths rather than under a
	// router prefix, so that derived operations (PATCH) find their GET and PUT.
	// The OpenAPI document is served by a route of ours, behind the same
	// authorization as every other; huma's own routes are switched off.
	cfg.OpenAPIPath = ""
	cfg.SchemasPath = ""
	cfg.DocsPath = "" // the readable docs are our own page at /api/docs
	// No "$schema" member in response bodies: objects must convert one to one
	// to the model files.
	cfg.CreateHooks = nil
	reg := cfg.Components.Schemas
	reg.RegisterTypeAlias(reflect.TypeFor[lifeboat.Duration](), reflect.TypeFor[durationSchema]())
	reg.RegisterTypeAlias(reflect.TypeFor[lifeboat.Dependency](), reflect.TypeFor[dependencySchema]())
	reg.RegisterTypeAlias(reflect.TypeFor[lifeboat.DerivedDuration](), reflect.TypeFor[derivedDuration]())
	return humago.New(mux, cfg)
}

// durationSchema describes lifeboat.Duration in the OpenAPI document.
type durationSchema struct{}

func (durationSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Description: "A duration: one or more <integer><unit> parts with units s, m, h, d, w (\"90m\", \"4h\", \"1d12h\"), or a whole number of seconds. Written back in the canonical form, such as \"1d12h\".",
		OneOf: []*huma.Schema{
			{Type: "string", Pattern: lifeboat.DurationPattern, Examples: []any{"4h"}},
			{Type: "integer", Minimum: ptr(0.0), Examples: []any{14400}},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// derivedDuration describes lifeboat.DerivedDuration as it marshals.
type derivedDuration struct {
	ValueSeconds *int64                   `json:"value_seconds" doc:"The objective in seconds; null when there is none."`
	Source       lifeboat.ObjectiveSource `json:"source" enum:"declared,bia,derived,none" doc:"Where the value comes from."`
	Reason       string                   `json:"reason" doc:"Why it is what it is, in a sentence."`
}

// dependency has the fields of lifeboat.Dependency without its methods, so
// the registry describes it as a plain object named "Dependency".
type dependency lifeboat.Dependency

// dependencySchema describes lifeboat.Dependency: a service id or an object.
type dependencySchema struct{}

func (dependencySchema) Schema(r huma.Registry) *huma.Schema {
	obj := r.Schema(reflect.TypeFor[dependency](), true, "Dependency")
	return &huma.Schema{
		Description: "A dependency: the id of a service (a hard dependency), or an object with `on` or, for a redundancy group, `any_of` and `min_up`.",
		OneOf: []*huma.Schema{
			{Type: "string", Pattern: `^[a-z0-9][a-z0-9._-]{0,127}$`, Description: "The id of a service depended on (hard dependency)."},
			obj,
		},
	}
}

// apiError turns an application error into an RFC 9457 problem with one
// entry per field at fault. Unknown errors are logged and hidden.
func (s *Server) apiError(err error) error {
	code := lifeboat.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.Logger.Error("internal error", "err", err)
	}
	var details []error
	for _, f := range lifeboat.ErrorFields(err) {
		details = append(details, &huma.ErrorDetail{Location: "body." + f.Field, Message: f.Message})
	}
	return huma.NewError(status, lifeboat.ErrorMessage(err), details...)
}

// statusOf maps error codes to HTTP statuses, for the API and the pages.
func statusOf(code string) int {
	switch code {
	case lifeboat.EINVALID:
		return http.StatusUnprocessableEntity
	case lifeboat.ENOTFOUND:
		return http.StatusNotFound
	case lifeboat.ECONFLICT:
		return http.StatusConflict
	case lifeboat.ESTALE:
		return http.StatusPreconditionFailed
	case lifeboat.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case lifeboat.EFORBID:
		return http.StatusForbidden
	case lifeboat.EUNAVAIL:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// etag is the entity tag of a stored object's version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatchVersion reads an If-Match header: no header or "*" means any
// version (0); otherwise the one entity tag must be one of ours.
func ifMatchVersion(h string) (int64, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.TrimPrefix(h, "W/")
	if v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64); err == nil && v > 0 && strings.HasPrefix(h, `"`) {
		return v, nil
	}
	return 0, huma.Error412PreconditionFailed("If-Match must be the ETag of the object, as returned by GET")
}

// lastModified formats a time for the Last-Modified header.
func lastModified(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(http.TimeFormat)
}

var errIDMismatch = errors.New("the id in the body must match the id in the path")

// checkPathID makes sure a replaced object keeps the id in its path.
func checkPathID(path, body string) error {
	if path != body {
		return huma.Error422UnprocessableEntity("the id cannot be changed", &huma.ErrorDetail{
			Location: "body.id", Message: errIDMismatch.Error(), Value: body})
	}
	return nil
}

type idInput struct {
	ID string `path:"id" maxLength:"128" doc:"The id."`
}

type bodyInput[T any] struct {
	Body T
}

type replaceInput[T any] struct {
	ID      string `path:"id" maxLength:"128" doc:"The id."`
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the change is refused with 412 if the object changed since."`
	Body    T
}

type deleteInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The id."`
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the delete is refused with 412 if the object changed since."`
}

// objectOutput is one stored object with the headers that guard changes.
type objectOutput[T any] struct {
	ETag         string `header:"ETag"`
	LastModified string `header:"Last-Modified"`
	Location     string `header:"Location"`
	Body         T
}

type listOutput[T any] struct {
	Body struct {
		Items []T `json:"items" nullable:"false"`
	}
}

// openAPIDocument serves the OpenAPI 3.1 description of the API.
func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) {
	b, err := json.Marshal(s.api.OpenAPI())
	if err != nil {
		s.Logger.Error("openapi", "err", err)
		writeProblem(w, http.StatusInternalServerError, "An internal error occurred.")
		return
	}
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json")
	w.Write(b)
}

// writeProblem answers with an RFC 9457 problem document.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"title": http.StatusText(status), "status": status, "detail": detail})
}
