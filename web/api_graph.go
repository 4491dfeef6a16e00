package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// The dependency engine through the API: the same answers as lifeboat
// impact, order and objectives, from the in-memory index of the stored
// model, which follows every change (see graph.Live).

type impactInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"100000" default:"10000" doc:"List at most this many impacted services, with their paths, and at most this many RTO misses; down, degraded, the loss and the recovery counts are over them all."`
	Body  struct {
		Fail []string `json:"fail" minItems:"1" maxItems:"1000" doc:"The ids of the services that fail."`
	}
}

type impactOutput struct{ Body *graph.ImpactReport }

func (s *Server) apiImpact(ctx context.Context, in *impactInput) (*impactOutput, error) {
	sim, err := s.graph.Simulator(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	nodes, err := sim.Index().LookupAll(in.Body.Fail)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity(err.Error(), &huma.ErrorDetail{Location: "body.fail", Message: err.Error()})
	}
	return &impactOutput{Body: sim.Scenario(nodes).ReportFirst(in.Limit)}, nil
}

type orderOutput struct{ Body *graph.OrderReport }

func (s *Server) apiOrder(ctx context.Context, _ *struct{}) (*orderOutput, error) {
	x, err := s.graph.Index(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	return &orderOutput{Body: x.Order().Report(x)}, nil
}

type objectivesInput struct {
	After string `query:"after" maxLength:"128" doc:"Only services with ids after this one: the last id of the previous page."`
	Limit int    `query:"limit" minimum:"1" maximum:"5000" default:"500" doc:"Page size."`
}

type objectivesOutput struct {
	Body struct {
		Services []graph.ServiceObjectives `json:"services" nullable:"false"`
		Next     string                    `json:"next,omitempty" doc:"Pass as after to get the next page; absent on the last page."`
	}
}

func (s *Server) apiObjectives(ctx context.Context, in *objectivesInput) (*objectivesOutput, error) {
	x, err := s.graph.Index(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	all := x.Objectives().Report().Services
	start := 0
	for start < len(all) && all[start].ID <= in.After && in.After != "" {
		start++
	}
	out := &objectivesOutput{}
	end := min(len(all), start+in.Limit)
	out.Body.Services = all[start:end]
	if end < len(all) {
		out.Body.Next = all[end-1].ID
	}
	return out, nil
}

type neighbourhoodInput struct {
	ID    string `path:"id" maxLength:"128" doc:"The service at the centre."`
	Up    int    `query:"up" minimum:"0" maximum:"10" default:"2" doc:"Levels of dependents to include."`
	Down  int    `query:"down" minimum:"0" maximum:"10" default:"2" doc:"Levels of dependencies to include."`
	Limit int    `query:"limit" minimum:"1" maximum:"2000" default:"200" doc:"At most this many services; the rest are counted, not drawn."`
}

type neighbourhoodOutput struct{ Body *graph.Neighbourhood }

func (s *Server) apiNeighbourhood(ctx context.Context, in *neighbourhoodInput) (*neighbourhoodOutput, error) {
	x, err := s.graph.Index(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	n, ok := x.Lookup(in.ID)
	if !ok {
		return nil, s.apiError(lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q not found", in.ID))
	}
	return &neighbourhoodOutput{Body: x.Neighbourhood(n, in.Up, in.Down, in.Limit)}, nil
}

// FollowGraph builds the dependency engine's index of the stored model, so
// that the first question about it does not wait for that, then keeps it
// current until ctx ends: every interval it compares versions, one small
// query, and rebuilds when the model changed, through this instance or
// another on the same database. A question after a change then usually
// finds the new index built. Each build is logged with how long it took.
func (s *Server) FollowGraph(ctx context.Context, interval time.Duration) {
	if s.graph == nil {
		return
	}
	var last *graph.Index
	for {
		start := time.Now()
		x, err := s.graph.Index(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Logger.Error("dependency graph", "err", err)
		case err == nil && x != last:
			s.Logger.Info("dependency graph ready", "services", x.Len(), "dependencies", x.Entries(), "took", time.Since(start).Round(time.Millisecond))
			last = x
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// graphOperations are the API operations of the dependency engine,
// registered in routes.go.
func (s *Server) graphOperations() {
	tags := []string{"Dependency engine"}
	op := func(id, method, path, summary, desc string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc, Tags: tags, MaxBodyBytes: maxBodyBytes}
	}
	register(s, read, op("impact", http.MethodPost, APIPrefix+"/impact", "What if these fail",
		"Every service down or degraded when the given services fail, each with one dependency path from a failed service to it, "+
			"and the waves to recover the failed and down services in; what the scenario costs at 1h, 4h, 1d, 3d and 1w, "+
			"when each failed or down service becomes intolerable and can be back along the waves, and which miss their RTO: "+
			"as lifeboat impact --format json."), s.apiImpact)
	register(s, read, op("order", http.MethodGet, APIPrefix+"/order", "Recovery order of the whole model",
		"Every service in waves, each after what it depends on, cycles sharing one wave: as lifeboat order --format json."), s.apiOrder)
	register(s, read, op("objectives", http.MethodGet, APIPrefix+"/objectives", "Effective recovery objectives",
		"Each service's effective RTO and RPO, where each comes from (declared, bia or inherited) and the achievable recovery time, "+
			"paged by id: as lifeboat objectives --format json."), s.apiObjectives)
	register(s, read, op("service-neighbourhood", http.MethodGet, APIPrefix+"/services/{id}/graph", "A service's neighbourhood",
		"The services a service needs, some levels down, and those that need it, some levels up, with redundancy groups, "+
			"capped at limit services: what the graph explorer draws."), s.apiNeighbourhood)
}
