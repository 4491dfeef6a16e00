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

func (s *Server) apiPatchService(ctx context.Context, in *patchInput) (*serviceOutput, error) {
	cur, err := s.Services.FindServiceByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	version, err := patchVersion(in.IfMatch, cur.Version)
	if err != nil {
		return nil, err
	}
	next, err := applyPatch(cur, in.RawBody)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, next.ID); err != nil {
		return nil, err
	}
	if err := s.Services.UpdateService(ctx, next, version); err != nil {
		return nil, s.apiError(err)
	}
	return newServiceOutput(next), nil
}

func (s *Server) apiPatchTeam(ctx context.Context, in *patchInput) (*objectOutput[*lifeboat.Team], error) {
	cur, err := s.Teams.FindTeamByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	version, err := patchVersion(in.IfMatch, cur.Version)
	if err != nil {
		return nil, err
	}
	next, err := applyPatch(cur, in.RawBody)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, next.ID); err != nil {
		return nil, err
	}
	if err := s.Teams.UpdateTeam(ctx, next, version); err != nil {
		return nil, s.apiError(err)
	}
	return teamOutput(next), nil
}

func (s *Server) apiPatchPerson(ctx context.Context, in *patchInput) (*objectOutput[*lifeboat.Person], error) {
	cur, err := s.People.FindPersonByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	version, err := patchVersion(in.IfMatch, cur.Version)
	if err != nil {
		return nil, err
	}
	next, err := applyPatch(cur, in.RawBody)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, next.ID); err != nil {
		return nil, err
	}
	if err := s.People.UpdatePerson(ctx, next, version); err != nil {
		return nil, s.apiError(err)
	}
	return personOutput(next), nil
}

// patchOperation describes the PATCH of one kind of object.
func patchOperation(id, path, noun string, tags []string) huma.Operation {
	return huma.Operation{OperationID: id, Method: http.MethodPatch, Path: path, Tags: tags, MaxBodyBytes: maxBodyBytes,
		Summary:     "Change some fields of a " + noun,
		Description: "A JSON merge patch (RFC 7386): members set to null are removed, objects merge, anything else replaces. Send If-Match to refuse overwriting a newer version."}
}
