package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// maxModelBytes bounds a model sent to the API: a whole catalog in one
// document is far larger than any single object.
const maxModelBytes = 64 << 20

// The media types of model documents. JSON is YAML, so one parser reads
// both; YAML is what the API writes unless JSON is asked for.
const (
	yamlType = "application/yaml"
	jsonType = "application/json"
)

// defaultModelName is the file name load errors show when the request
// names none.
const defaultModelName = "model.yaml"

func (s *Server) newFindingsReport(m *lifeboat.Model) lifeboat.CheckReport {
	return lifeboat.NewCheckReport(graph.Analyse(m, s.Auth.Now()))
}

type findingsOutput struct {
	Body lifeboat.CheckReport
}

type modelGetInput struct {
	Accept string `header:"Accept" doc:"application/yaml (the default) or application/json."`
}

type modelOutput struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (s *Server) apiGetModel(ctx context.Context, in *modelGetInput) (*modelOutput, error) {
	m, err := s.Models.FindModel(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	if wantsJSON(in.Accept) {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, s.apiError(err)
		}
		return &modelOutput{ContentType: jsonType, Body: b}, nil
	}
	var buf bytes.Buffer
	if err := model.Encode(&buf, m); err != nil {
		return nil, s.apiError(err)
	}
	return &modelOutput{ContentType: yamlType, Body: buf.Bytes()}, nil
}

// wantsJSON reads an Accept header: JSON when it prefers JSON to YAML,
// YAML otherwise, since model files are YAML.
func wantsJSON(accept string) bool {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		kind := ""
		switch {
		case mt == jsonType || strings.HasSuffix(mt, "+json"):
			kind = "json"
		case isYAMLType(mt):
			kind = "yaml"
		}
		if kind != "" && q > bestQ {
			best, bestQ = kind, q
		}
	}
	return best == "json"
}

func isYAMLType(mt string) bool {
	switch mt {
	case yamlType, "application/x-yaml", "text/yaml", "text/x-yaml":
		return true
	}
	return strings.HasSuffix(mt, "+yaml")
}

func (s *Server) apiModelFindings(ctx context.Context, _ *struct{}) (*findingsOutput, error) {
	m, err := s.Models.FindModel(ctx)
	if err != nil {
		return nil, s.apiError(err)
	}
	return &findingsOutput{Body: s.newFindingsReport(m)}, nil
}

// modelBody is a model document in a request body. Inputs repeat its
// fields rather than embed it, since huma reads no parameters from
// embedded structs of unexported types.
type modelBody struct {
	Name        string `query:"name" maxLength:"255" doc:"The file name load errors name in their location (FILE:LINE:COL); default model.yaml."`
	ContentType string `header:"Content-Type" doc:"application/yaml or application/json."`
	RawBody     []byte `contentType:"application/yaml"`
}

type modelPlanInput struct {
	Prune       bool   `query:"prune" doc:"Also delete what the database has and the model does not."`
	Name        string `query:"name" maxLength:"255" doc:"The file name load errors name in their location (FILE:LINE:COL); default model.yaml."`
	ContentType string `header:"Content-Type" doc:"application/yaml or application/json."`
	RawBody     []byte `contentType:"application/yaml"`
}

type modelApplyInput struct {
	Prune       bool   `query:"prune" doc:"Also delete what the database has and the model does not."`
	Expect      string `query:"expect" pattern:"^[0-9a-f]{1,64}$" doc:"The digest of the plan that was reviewed: apply only while the plan is still that one, else 412 with the new plan."`
	Name        string `query:"name" maxLength:"255" doc:"The file name load errors name in their location (FILE:LINE:COL); default model.yaml."`
	ContentType string `header:"Content-Type" doc:"application/yaml or application/json."`
	RawBody     []byte `contentType:"application/yaml"`
}

// parseModelBody reads the model of a request: 415 for a body that is
// neither YAML nor JSON, 422 with one detail per load error, located
// FILE:LINE:COL.
func parseModelBody(name, contentType string, body []byte) (*lifeboat.Model, error) {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || !(isYAMLType(mt) || mt == jsonType || strings.HasSuffix(mt, "+json")) {
			return nil, huma.Error415UnsupportedMediaType("send the model as YAML (Content-Type: application/yaml) or JSON (application/json), not " + strconv.Quote(contentType))
		}
	}
	if name == "" {
		name = defaultModelName
	}
	m, err := parseModelFiles(model.File{Name: name, Data: body})
	var errs model.Errors
	if errors.As(err, &errs) {
		details := make([]error, len(errs))
		for i, e := range errs {
			details[i] = &huma.ErrorDetail{Location: e.Pos.String(), Message: e.Message}
		}
		return nil, huma.NewError(http.StatusUnprocessableEntity, loadErrorsMessage(len(errs)), details...)
	}
	return m, err
}

// parseModelFiles parses model files as model.ParseFiles does, and
// refuses files that are not UTF-8 text with a load error of their own.
func parseModelFiles(files ...model.File) (*lifeboat.Model, error) {
	var errs model.Errors
	for _, f := range files {
		if !utf8.Valid(f.Data) {
			errs = append(errs, model.Error{Pos: model.Pos{File: f.Name, Line: 1, Col: 1}, Message: "the file is not UTF-8 text"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	m, _, err := model.ParseFiles(files...)
	return m, err
}

func loadErrorsMessage(n int) string {
	return fmt.Sprintf("the model could not be loaded: %d %s", n, plural(n, "problem", "problems"))
}

func (s *Server) apiCheckModel(ctx context.Context, in *modelBody) (*findingsOutput, error) {
	m, err := parseModelBody(in.Name, in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	return &findingsOutput{Body: s.newFindingsReport(m)}, nil
}

type planOutput struct {
	Body *lifeboat.Plan
}

func (s *Server) apiPlanModel(ctx context.Context, in *modelPlanInput) (*planOutput, error) {
	m, err := parseModelBody(in.Name, in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	plan, err := s.Models.ApplyModel(ctx, m, lifeboat.ApplyOptions{Prune: in.Prune, DryRun: true})
	if err != nil {
		return nil, s.modelProblem(err, nil)
	}
	return &planOutput{Body: plan}, nil
}

func (s *Server) apiApplyModel(ctx context.Context, in *modelApplyInput) (*planOutput, error) {
	m, err := parseModelBody(in.Name, in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	plan, err := s.Models.ApplyModel(ctx, m, lifeboat.ApplyOptions{Prune: in.Prune, Expect: in.Expect})
	if err != nil {
		return nil, s.modelProblem(err, plan)
	}
	return &planOutput{Body: plan}, nil
}

// stalePlanProblem is the 412 of an apply whose reviewed plan is out of
// date: the problem and, as an extension member, the plan as it is now.
type stalePlanProblem struct {
	huma.ErrorModel
	Plan *lifeboat.Plan `json:"plan" doc:"The plan as it is now: review it, then apply with its digest as expect."`
}

// modelProblem turns a refused plan into a problem document: 412 with the
// new plan when the database changed, 409 when pruning would delete what
// others still refer to, 422 for references that resolve nowhere; each
// reason is one entry of errors.
func (s *Server) modelProblem(err error, plan *lifeboat.Plan) error {
	code := lifeboat.ErrorCode(err)
	switch code {
	case lifeboat.ESTALE:
		p := &stalePlanProblem{Plan: plan}
		p.Status, p.Title, p.Detail = http.StatusPreconditionFailed, http.StatusText(http.StatusPreconditionFailed), lifeboat.ErrorMessage(err)
		return p
	case lifeboat.ECONFLICT, lifeboat.EINVALID:
		var details []error
		for _, reason := range refusalReasons(err) {
			details = append(details, &huma.ErrorDetail{Location: "body", Message: reason})
		}
		return huma.NewError(statusOf(code), lifeboat.ErrorMessage(err), details...)
	}
	return s.apiError(err)
}

// refusalReasons lists why the store refused a model, one reason a line,
// whether it gave one reason or several.
func refusalReasons(err error) []string {
	fields := lifeboat.ErrorFields(err)
	if len(fields) == 0 {
		return []string{lifeboat.ErrorMessage(err)}
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Message
		if f.Field != "" {
			out[i] = f.Field + ": " + f.Message
		}
	}
	return out
}

// modelRequestBody describes a model document as a request body: YAML,
// or JSON with the same fields.
func modelRequestBody(what string) *huma.RequestBody {
	return &huma.RequestBody{
		Description: what + " A model in the format of the model files (see /schema/v1.json), as YAML or JSON: several files are one document with their lists joined.",
		Required:    true,
		Content:     map[string]*huma.MediaType{},
	}
}

// documentJSONBody adds JSON to the media types an operation's body may
// have, in the OpenAPI document only: registered with a JSON schema, huma
// would validate JSON bodies itself, and a model, YAML or JSON, must go
// through the model loader so that errors are located FILE:LINE:COL.
func (s *Server) documentJSONBody(path string) {
	if item := s.api.OpenAPI().Paths[path]; item != nil && item.Post != nil && item.Post.RequestBody != nil {
		item.Post.RequestBody.Content[jsonType] = &huma.MediaType{Schema: s.modelSchema()}
	}
}

func (s *Server) modelSchema() *huma.Schema {
	return s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[lifeboat.Model](), true, "Model")
}

// modelOperations are the API operations on whole models, registered in
// routes.go. They give what `lifeboat check` and `lifeboat apply` give.
func (s *Server) modelOperations() {
	tags := []string{"Model"}
	problem := func(desc string) *huma.Response {
		return &huma.Response{Description: desc, Content: map[string]*huma.MediaType{
			"application/problem+json": {Schema: s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[huma.ErrorModel](), true, "ErrorModel")}}}
	}
	loadErrors := problem("The model could not be loaded: one entry in errors per problem, its location FILE:LINE:COL.")
	register(s, read, huma.Operation{OperationID: "get-model", Method: http.MethodGet, Path: APIPrefix + "/model", Tags: tags,
		Summary: "Export the whole model",
		Description: "Everything the database holds as one model document, every list sorted by id: YAML in the format of the model files " +
			"(the default), or JSON with Accept: application/json. Applying it back changes nothing.",
		Responses: map[string]*huma.Response{"200": {Description: "The model.", Content: map[string]*huma.MediaType{
			yamlType: {Schema: &huma.Schema{Type: "string", Description: "A model file (format v1)."}},
			jsonType: {Schema: s.modelSchema()},
		}}}},
		s.apiGetModel)
	register(s, read, huma.Operation{OperationID: "get-model-findings", Method: http.MethodGet, Path: APIPrefix + "/model/findings", Tags: tags,
		Summary:     "Check the stored model",
		Description: "Runs the analysis rules over the model the database holds, as lifeboat check --database --format json does."},
		s.apiModelFindings)
	register(s, read, huma.Operation{OperationID: "check-model", Method: http.MethodPost, Path: APIPrefix + "/model/check", Tags: tags,
		Summary: "Check a model",
		Description: "Loads the model in the body and runs the analysis rules over it, as lifeboat check FILE --format json does. " +
			"Nothing is stored. A model that cannot be loaded is refused with 422, one entry per problem.",
		MaxBodyBytes: maxModelBytes, RequestBody: modelRequestBody("The model to check."),
		Responses: map[string]*huma.Response{"422": loadErrors}},
		s.apiCheckModel)
	register(s, editAll, huma.Operation{OperationID: "plan-model", Method: http.MethodPost, Path: APIPrefix + "/model/plan", Tags: tags,
		Summary: "Plan applying a model",
		Description: "What applying the model in the body would change, object by object, as lifeboat apply --dry-run shows: " +
			"creates, updates with the fields they change and, with prune, deletes. Nothing is changed. " +
			"Apply the plan with its digest as expect to make exactly these changes.",
		MaxBodyBytes: maxModelBytes, RequestBody: modelRequestBody("The model to plan."),
		Responses: map[string]*huma.Response{
			"409": problem("Pruning would delete objects that others still refer to; errors names each."),
			"422": problem("The model could not be loaded (errors located FILE:LINE:COL), or it refers to objects that exist neither in it nor in the database."),
		}},
		s.apiPlanModel)
	register(s, editAll, huma.Operation{OperationID: "apply-model", Method: http.MethodPost, Path: APIPrefix + "/model/apply", Tags: tags,
		Summary: "Apply a model",
		Description: "Makes the database match the model in the body in one transaction, as lifeboat apply does, and returns the plan it carried out. " +
			"With expect, the apply goes ahead only while the plan's digest is still that one; if the database changed since the plan was reviewed, " +
			"it is refused with 412 and the new plan in the problem's plan member. Every change is recorded in the audit trail.",
		MaxBodyBytes: maxModelBytes, RequestBody: modelRequestBody("The model to apply."),
		Responses: map[string]*huma.Response{
			"409": problem("Pruning would delete objects that others still refer to; errors names each. Nothing was changed."),
			"412": {Description: "The plan changed since it was reviewed: nothing was changed; plan is the new plan.", Content: map[string]*huma.MediaType{
				"application/problem+json": {Schema: s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[stalePlanProblem](), true, "StalePlanProblem")}}},
			"422": problem("The model could not be loaded (errors located FILE:LINE:COL), or it refers to objects that exist neither in it nor in the database."),
		}},
		s.apiApplyModel)
	for _, p := range []string{"/model/check", "/model/plan", "/model/apply"} {
		s.documentJSONBody(APIPrefix + p)
	}
}
