package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

// patchInput is a JSON merge patch (RFC 7386) of one object.
type patchInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The id."`
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the change is refused with 412 if the object changed since."`
	RawBody []byte `contentType:"application/merge-patch+json" maxLength:"1048576"`
}

// applyPatch merges a JSON merge patch into an object: members set to null
// are removed, objects are merged member by member, anything else replaces.
func applyPatch[T any](current T, patch []byte) (T, error) {
	var zero T
	var p any
	if err := json.Unmarshal(patch, &p); err != nil {
		return zero, huma.Error400BadRequest("the body is not JSON: " + err.Error())
	}
	if _, ok := p.(map[string]any); !ok {
		return zero, huma.Error422UnprocessableEntity("a merge patch of an object must be a JSON object")
	}
	b, err := json.Marshal(current)
	if err != nil {
		return zero, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return zero, err
	}
	merged, err := json.Marshal(mergePatch(doc, p))
	if err != nil {
		return zero, err
	}
	dec := json.NewDecoder(bytes.NewReader(merged))
	dec.DisallowUnknownFields()
	var out T
	if err := dec.Decode(&out); err != nil {
		return zero, huma.Error422UnprocessableEntity("the patched object is not valid: " + err.Error())
	}
	return out, nil
}

func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// patchVersion is the version a patch must still find: the one the client
// names in If-Match, or else the one the patch was applied to.
func patchVersion(ifMatch string, current int64) (int64, error) {
	v, err := ifMatchVersion(ifMatch)
	if err != nil {
		return 0, err
	}
	if v != 0 && v != current {
		return 0, huma.Error412PreconditionFailed("the object changed since you loaded it (version " + etag(v) + ", now " + etag(current) + "); reload and try again")
	}
	return current, nil
}

// patchStore is what patching needs of a store for one kind of object.
type patchStore[T any] struct {
	find    func(context.Context, string) (T, error)
	update  func(context.Context, T, int64) error
	version func(T) int64
	id      func(T) string
}

// patch loads an object, applies a merge patch to it and stores the
// result, refusing if the object changed since the version the client saw
// or since it was loaded.
func patch[T any](s *Server, ctx context.Context, in *patchInput, st patchStore[T]) (T, error) {
	var zero T
	cur, err := st.find(ctx, in.ID)
	if err != nil {
		return zero, s.apiError(err)
	}
	version, err := patchVersion(in.IfMatch, st.version(cur))
	if err != nil {
		return zero, err
	}
	next, err := applyPatch(cur, in.RawBody)
	if err != nil {
		return zero, err
	}
	if err := checkPathID(in.ID, st.id(next)); err != nil {
		return zero, err
	}
	if err := st.update(ctx, next, version); err != nil {
		return zero, s.apiError(err)
	}
	return next, nil
}

func (s *Server) apiPatchService(ctx context.Context, in *patchInput) (*serviceOutput, error) {
	next, err := patch(s, ctx, in, patchStore[*lifeboat.Service]{s.Services.FindServiceByID, s.Services.UpdateService,
		func(x *lifeboat.Service) int64 { return x.Version }, func(x *lifeboat.Service) string { return x.ID }})
	if err != nil {
		return nil, err
	}
	return newServiceOutput(next), nil
}

func (s *Server) apiPatchTeam(ctx context.Context, in *patchInput) (*objectOutput[*lifeboat.Team], error) {
	next, err := patch(s, ctx, in, patchStore[*lifeboat.Team]{s.Teams.FindTeamByID, s.Teams.UpdateTeam,
		func(x *lifeboat.Team) int64 { return x.Version }, func(x *lifeboat.Team) string { return x.ID }})
	if err != nil {
		return nil, err
	}
	return teamOutput(next), nil
}

func (s *Server) apiPatchPerson(ctx context.Context, in *patchInput) (*objectOutput[*lifeboat.Person], error) {
	next, err := patch(s, ctx, in, patchStore[*lifeboat.Person]{s.People.FindPersonByID, s.People.UpdatePerson,
		func(x *lifeboat.Person) int64 { return x.Version }, func(x *lifeboat.Person) string { return x.ID }})
	if err != nil {
		return nil, err
	}
	return personOutput(next), nil
}

// patchOperation describes the PATCH of one kind of object.
func patchOperation(id, path, noun string, tags []string) huma.Operation {
	return huma.Operation{OperationID: id, Method: http.MethodPatch, Path: path, Tags: tags, MaxBodyBytes: maxBodyBytes,
		Summary:     "Change some fields of a " + noun,
		Description: "A JSON merge patch (RFC 7386): members set to null are removed, objects merge, anything else replaces. Send If-Match to refuse overwriting a newer version."}
}
