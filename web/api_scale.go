package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

type scaleInput struct {
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the change is refused with 412 if the scale changed since."`
	Body    *lifeboat.ImpactScale
}

// scaleOutput carries no ETag while the default scale applies: there is
// no stored version to match.
func scaleOutput(s *lifeboat.ImpactScale, version int64) *objectOutput[*lifeboat.ImpactScale] {
	out := &objectOutput[*lifeboat.ImpactScale]{Body: s}
	if version > 0 {
		out.ETag = etag(version)
	}
	return out
}

func (s *Server) apiGetScale(ctx context.Context, _ *struct{}) (*objectOutput[*lifeboat.ImpactScale], error) {
	scale, version, err := s.Models.FindImpactScale(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	return scaleOutput(scale, version), nil
}

func (s *Server) apiReplaceScale(ctx context.Context, in *scaleInput) (*objectOutput[*lifeboat.ImpactScale], error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.Models.UpdateImpactScale(ctx, in.Body, version); err != nil {
		return nil, s.apiError(err)
	}
	return s.apiGetScale(ctx, nil)
}

func (s *Server) scaleOperations() {
	tags := []string{"Impact scale"}
	path := APIPrefix + "/impact-scale"
	register(s, read, huma.Operation{OperationID: "get-impact-scale", Method: http.MethodGet, Path: path, Tags: tags,
		Summary: "Get the impact scale: categories, ratings and recovery tiers (the default until one is saved)"}, s.apiGetScale)
	register(s, admin, huma.Operation{OperationID: "replace-impact-scale", Method: http.MethodPut, Path: path, Tags: tags,
		MaxBodyBytes: maxBodyBytes, Summary: "Replace the impact scale (refused with 409 while a BIA uses a category or level it drops)"}, s.apiReplaceScale)
}
