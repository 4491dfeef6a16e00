package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

type serviceListInput struct {
	Query     string `query:"q" maxLength:"200" doc:"Case-insensitive text found in the id, name or description."`
	Kind      string `query:"kind" enum:"business-service,application,data-store,infrastructure,network,site,vendor,other" doc:"Only services of this kind."`
	Tier      string `query:"tier" pattern:"^[0-9]$" doc:"Only services of this recovery tier."`
	Owner     string `query:"owner" maxLength:"128" doc:"Only services owned by this team."`
	Tag       string `query:"tag" maxLength:"128" doc:"Only services with this tag."`
	Lifecycle string `query:"lifecycle" enum:"planned,active,deprecated,retired" doc:"Only services in this lifecycle stage."`
	Sort      string `query:"sort" enum:"name,id,tier,kind" default:"name" doc:"Sort order; ties are broken by id."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Page size."`
	Cursor    string `query:"cursor" maxLength:"1000" doc:"The next_cursor of the previous page."`
}

func (in *serviceListInput) filter() lifeboat.ServiceFilter {
	f := lifeboat.ServiceFilter{Query: in.Query, Kind: lifeboat.Kind(in.Kind), Owner: in.Owner, Tag: in.Tag,
		Lifecycle: lifeboat.Lifecycle(in.Lifecycle), Sort: lifeboat.ServiceSort(in.Sort), Limit: in.Limit, After: in.Cursor}
	if n, err := strconv.Atoi(in.Tier); err == nil {
		f.Tier = &n
	}
	return f
}

type serviceList struct {
	Link string `header:"Link" doc:"The next page, as rel=\"next\"."`
	Body struct {
		Items      []*lifeboat.Service `json:"items" nullable:"false"`
		NextCursor string              `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
	}
}

func (s *Server) apiListServices(ctx context.Context, in *serviceListInput) (*serviceList, error) {
	page, err := s.Services.FindServices(ctx, in.filter())
	if err != nil {
		return nil, s.apiError(err)
	}
	out := &serviceList{}
	out.Body.Items = page.Services
	if out.Body.Items == nil {
		out.Body.Items = []*lifeboat.Service{}
	}
	if page.Next != "" {
		out.Body.NextCursor = page.Next
		out.Link = `<` + nextPageURL(APIPrefix+"/services", in, page.Next) + `>; rel="next"`
	}
	return out, nil
}

func nextPageURL(path string, in *serviceListInput, cursor string) string {
	q := url.Values{}
	for k, v := range map[string]string{"q": in.Query, "kind": in.Kind, "tier": in.Tier, "owner": in.Owner,
		"tag": in.Tag, "lifecycle": in.Lifecycle, "sort": in.Sort, "cursor": cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("limit", strconv.Itoa(in.Limit))
	return path + "?" + q.Encode()
}

type serviceOutput = objectOutput[*lifeboat.Service]

func newServiceOutput(svc *lifeboat.Service) *serviceOutput {
	return &serviceOutput{ETag: etag(svc.Version), LastModified: lastModified(svc.UpdatedAt), Body: svc}
}

func (s *Server) apiGetService(ctx context.Context, in *idInput) (*serviceOutput, error) {
	svc, err := s.Services.FindServiceByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	return newServiceOutput(svc), nil
}

type serviceBody = bodyInput[*lifeboat.Service]

func (s *Server) apiCreateService(ctx context.Context, in *serviceBody) (*serviceOutput, error) {
	if err := s.Services.CreateService(ctx, in.Body); err != nil {
		return nil, s.apiError(err)
	}
	out := newServiceOutput(in.Body)
	out.Location = APIPrefix + "/services/" + in.Body.ID
	return out, nil
}

type serviceReplaceInput = replaceInput[*lifeboat.Service]

func (s *Server) apiReplaceService(ctx context.Context, in *serviceReplaceInput) (*serviceOutput, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, in.Body.ID); err != nil {
		return nil, err
	}
	if err := s.Services.UpdateService(ctx, in.Body, version); err != nil {
		return nil, s.apiError(err)
	}
	return newServiceOutput(in.Body), nil
}

func (s *Server) apiDeleteService(ctx context.Context, in *deleteInput) (*struct{}, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	return nil, s.apiErrorOrNil(s.Services.DeleteService(ctx, in.ID, version))
}

// dependentJSON is a service that depends on the one asked about.
type dependentJSON struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Kind       lifeboat.Kind       `json:"kind"`
	Tier       *int                `json:"tier,omitempty"`
	Dependency lifeboat.Dependency `json:"dependency" doc:"The entry of the dependent's depends_on that names this service."`
}

type dependentsOutput struct {
	Body struct {
		Items []dependentJSON `json:"items" nullable:"false"`
	}
}

func (s *Server) apiListDependents(ctx context.Context, in *idInput) (*dependentsOutput, error) {
	deps, err := s.Services.FindDependents(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	out := &dependentsOutput{}
	out.Body.Items = make([]dependentJSON, len(deps))
	for i, d := range deps {
		out.Body.Items[i] = dependentJSON{ID: d.ServiceID, Name: d.ServiceName, Kind: d.Kind, Tier: d.Tier, Dependency: d.Dependency}
	}
	return out, nil
}

// serviceOperations are the catalog's API operations, registered in routes.go.
func (s *Server) serviceOperations() {
	tags := []string{"Services"}
	register(s, read, huma.Operation{OperationID: "list-services", Method: http.MethodGet, Path: APIPrefix + "/services",
		Summary: "List services", Description: "One page of the catalog, filtered and sorted, with a cursor to the next page.", Tags: tags},
		s.apiListServices)
	register(s, editSvc, huma.Operation{OperationID: "create-service", Method: http.MethodPost, Path: APIPrefix + "/services",
		Summary: "Create a service", DefaultStatus: http.StatusCreated, MaxBodyBytes: maxBodyBytes, Tags: tags,
		Description: "Every dependency must name an existing service and the owner an existing team."},
		s.apiCreateService)
	register(s, read, huma.Operation{OperationID: "get-service", Method: http.MethodGet, Path: APIPrefix + "/services/{id}",
		Summary: "Get a service", Description: "The service with its dependencies; the ETag header guards later changes.", Tags: tags},
		s.apiGetService)
	register(s, editSvc, huma.Operation{OperationID: "replace-service", Method: http.MethodPut, Path: APIPrefix + "/services/{id}",
		Summary: "Replace a service", MaxBodyBytes: maxBodyBytes, Tags: tags,
		Description: "Replaces every field, tag and dependency. Send If-Match to refuse overwriting a newer version."},
		s.apiReplaceService)
	register(s, editSvc, patchOperation("patch-service", APIPrefix+"/services/{id}", "service", tags), s.apiPatchService)
	register(s, editSvc, huma.Operation{OperationID: "delete-service", Method: http.MethodDelete, Path: APIPrefix + "/services/{id}",
		Summary: "Delete a service", DefaultStatus: http.StatusNoContent, Tags: tags,
		Description: "Refused with 409 while other services depend on it; the problem names them."},
		s.apiDeleteService)
	register(s, read, huma.Operation{OperationID: "list-dependents", Method: http.MethodGet, Path: APIPrefix + "/services/{id}/dependents",
		Summary: "List what depends on a service", Tags: tags},
		s.apiListDependents)
}
