package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

func teamOutput(t *lifeboat.Team) *objectOutput[*lifeboat.Team] {
	return &objectOutput[*lifeboat.Team]{ETag: etag(t.Version), Body: t}
}

func personOutput(x *lifeboat.Person) *objectOutput[*lifeboat.Person] {
	return &objectOutput[*lifeboat.Person]{ETag: etag(x.Version), Body: x}
}

func (s *Server) apiListTeams(ctx context.Context, _ *struct{}) (*listOutput[*lifeboat.Team], error) {
	teams, err := s.Teams.FindTeams(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	out := &listOutput[*lifeboat.Team]{}
	out.Body.Items = append([]*lifeboat.Team{}, teams...)
	return out, nil
}

func (s *Server) apiGetTeam(ctx context.Context, in *idInput) (*objectOutput[*lifeboat.Team], error) {
	t, err := s.Teams.FindTeamByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	return teamOutput(t), nil
}

func (s *Server) apiCreateTeam(ctx context.Context, in *bodyInput[*lifeboat.Team]) (*objectOutput[*lifeboat.Team], error) {
	if err := s.Teams.CreateTeam(ctx, in.Body); err != nil {
		return nil, s.apiError(err)
	}
	out := teamOutput(in.Body)
	out.Location = APIPrefix + "/teams/" + in.Body.ID
	return out, nil
}

func (s *Server) apiReplaceTeam(ctx context.Context, in *replaceInput[*lifeboat.Team]) (*objectOutput[*lifeboat.Team], error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, in.Body.ID); err != nil {
		return nil, err
	}
	if err := s.Teams.UpdateTeam(ctx, in.Body, version); err != nil {
		return nil, s.apiError(err)
	}
	return teamOutput(in.Body), nil
}

func (s *Server) apiDeleteTeam(ctx context.Context, in *deleteInput) (*struct{}, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	return nil, s.apiErrorOrNil(s.Teams.DeleteTeam(ctx, in.ID, version))
}

func (s *Server) apiListPeople(ctx context.Context, _ *struct{}) (*listOutput[*lifeboat.Person], error) {
	people, err := s.People.FindPeople(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	out := &listOutput[*lifeboat.Person]{}
	out.Body.Items = append([]*lifeboat.Person{}, people...)
	return out, nil
}

func (s *Server) apiGetPerson(ctx context.Context, in *idInput) (*objectOutput[*lifeboat.Person], error) {
	x, err := s.People.FindPersonByID(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	return personOutput(x), nil
}

func (s *Server) apiCreatePerson(ctx context.Context, in *bodyInput[*lifeboat.Person]) (*objectOutput[*lifeboat.Person], error) {
	if err := s.People.CreatePerson(ctx, in.Body); err != nil {
		return nil, s.apiError(err)
	}
	out := personOutput(in.Body)
	out.Location = APIPrefix + "/people/" + in.Body.ID
	return out, nil
}

func (s *Server) apiReplacePerson(ctx context.Context, in *replaceInput[*lifeboat.Person]) (*objectOutput[*lifeboat.Person], error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := checkPathID(in.ID, in.Body.ID); err != nil {
		return nil, err
	}
	if err := s.People.UpdatePerson(ctx, in.Body, version); err != nil {
		return nil, s.apiError(err)
	}
	return personOutput(in.Body), nil
}

func (s *Server) apiDeletePerson(ctx context.Context, in *deleteInput) (*struct{}, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	return nil, s.apiErrorOrNil(s.People.DeletePerson(ctx, in.ID, version))
}

// apiErrorOrNil is apiError for results that may be nil.
func (s *Server) apiErrorOrNil(err error) error {
	if err == nil {
		return nil
	}
	return s.apiError(err)
}

// teamOperations are the API operations on teams and people.
func (s *Server) teamOperations() {
	teams, people := []string{"Teams"}, []string{"People"}
	op := func(id, method, path, summary string, status int, tags []string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary,
			DefaultStatus: status, MaxBodyBytes: maxBodyBytes, Tags: tags}
	}
	register(s, read, op("list-teams", http.MethodGet, APIPrefix+"/teams", "List teams", 0, teams), s.apiListTeams)
	register(s, editAll, op("create-team", http.MethodPost, APIPrefix+"/teams", "Create a team", http.StatusCreated, teams), s.apiCreateTeam)
	register(s, read, op("get-team", http.MethodGet, APIPrefix+"/teams/{id}", "Get a team", 0, teams), s.apiGetTeam)
	register(s, editAll, op("replace-team", http.MethodPut, APIPrefix+"/teams/{id}", "Replace a team", 0, teams), s.apiReplaceTeam)
	register(s, editAll, patchOperation("patch-team", APIPrefix+"/teams/{id}", "team", teams), s.apiPatchTeam)
	register(s, editAll, op("delete-team", http.MethodDelete, APIPrefix+"/teams/{id}", "Delete a team (refused while it owns services)", http.StatusNoContent, teams), s.apiDeleteTeam)
	register(s, read, op("list-people", http.MethodGet, APIPrefix+"/people", "List people", 0, people), s.apiListPeople)
	register(s, editAll, op("create-person", http.MethodPost, APIPrefix+"/people", "Create a person", http.StatusCreated, people), s.apiCreatePerson)
	register(s, read, op("get-person", http.MethodGet, APIPrefix+"/people/{id}", "Get a person", 0, people), s.apiGetPerson)
	register(s, editAll, op("replace-person", http.MethodPut, APIPrefix+"/people/{id}", "Replace a person", 0, people), s.apiReplacePerson)
	register(s, editAll, patchOperation("patch-person", APIPrefix+"/people/{id}", "person", people), s.apiPatchPerson)
	register(s, editAll, op("delete-person", http.MethodDelete, APIPrefix+"/people/{id}", "Delete a person (and their team memberships)", http.StatusNoContent, people), s.apiDeletePerson)
}
