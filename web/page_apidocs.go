package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The API reference is rendered from the OpenAPI document, so it cannot
// drift from what the API does.

type apiDocsData struct {
	Title, Version, Description string
	BaseURL, SpecURL            string
	Groups                      []apiGroup
	Schemas                     []apiSchema
}

type apiGroup struct {
	Name, Anchor string
	Ops          []apiOp
}

type apiOp struct {
	ID, Method, Path, Summary, Description string
	Params                                 []apiField
	Body                                   apiType
	BodyMedia                              []string // the body's media types, the one Body describes first
	BodyRequired                           bool
	Responses                              []apiResponse
}

type apiResponse struct {
	Status, Description string
	Type                apiType
	Headers             []string
	Problem             bool
}

// apiSchema is a named object of the API, listed once and linked from
// every operation that uses it.
type apiSchema struct {
	Name, Anchor, Description string
	Fields                    []apiField
	Type                      apiType // for schemas that are not objects
}

// apiField is a parameter or an object's property.
type apiField struct {
	Name, In, Description string
	Required              bool
	Type                  apiType
	Constraints           []string
}

// apiType is a type written out in parts, some of them links to schemas:
// "array of [Service]".
type apiType []typePart

type typePart struct {
	Text, Anchor string
}

var methodOrder = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// groupOrder puts the catalog first; other tags follow alphabetically.
var groupOrder = []string{"Services", "Teams", "People", "Model"}

// apiDocsPage is the readable API reference.
func (s *Server) apiDocsPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "apidocs", page{Title: "API reference", Nav: "api", Data: buildAPIDocs(s.api.OpenAPI())})
}

func buildAPIDocs(doc *huma.OpenAPI) apiDocsData {
	d := apiDocsData{BaseURL: APIPrefix, SpecURL: APIPrefix + "/openapi.json"}
	if doc.Info != nil {
		d.Title, d.Version, d.Description = doc.Info.Title, doc.Info.Version, doc.Info.Description
	}
	// Paths are relative to the server's URL when the document names one.
	server := ""
	if len(doc.Servers) > 0 && doc.Servers[0] != nil {
		server = strings.TrimSuffix(doc.Servers[0].URL, "/")
	}
	groups := map[string]*apiGroup{}
	for path, item := range doc.Paths {
		ops := map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete}
		for method, op := range ops {
			if op == nil || op.Hidden {
				continue
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			g := groups[tag]
			if g == nil {
				g = &apiGroup{Name: tag, Anchor: "tag-" + anchorName(tag)}
				groups[tag] = g
			}
			g.Ops = append(g.Ops, describeOperation(method, server+path, op))
		}
	}
	for _, g := range groups {
		slices.SortFunc(g.Ops, func(a, b apiOp) int {
			return cmp.Or(cmp.Compare(len(a.Path), len(b.Path)), cmp.Compare(a.Path, b.Path),
				cmp.Compare(slices.Index(methodOrder, a.Method), slices.Index(methodOrder, b.Method)))
		})
		d.Groups = append(d.Groups, *g)
	}
	slices.SortFunc(d.Groups, func(a, b apiGroup) int {
		rank := func(n string) int {
			if i := slices.Index(groupOrder, n); i >= 0 {
				return i
			}
			return len(groupOrder)
		}
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	if doc.Components != nil && doc.Components.Schemas != nil {
		for name, sc := range doc.Components.Schemas.Map() {
			d.Schemas = append(d.Schemas, describeSchema(name, sc))
		}
		slices.SortFunc(d.Schemas, func(a, b apiSchema) int { return cmp.Compare(a.Name, b.Name) })
	}
	return d
}

func describeOperation(method, path string, op *huma.Operation) apiOp {
	o := apiOp{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description}
	for _, p := range op.Parameters {
		if p == nil {
			continue
		}
		f := apiField{Name: p.Name, In: p.In, Description: p.Description, Required: p.Required}
		if p.Schema != nil {
			f.Type, f.Constraints = typeOf(p.Schema), constraints(p.Schema)
			if f.Description == "" {
				f.Description = p.Schema.Description
			}
		}
		o.Params = append(o.Params, f)
	}
	if rb := op.RequestBody; rb != nil {
		o.BodyRequired = rb.Required
		if ct, mt := describedMedia(rb.Content); mt != nil {
			o.Body, o.BodyMedia = typeOf(mt.Schema), []string{ct}
			for _, other := range slices.Sorted(maps.Keys(rb.Content)) {
				if other != ct {
					o.BodyMedia = append(o.BodyMedia, other)
				}
			}
		}
	}
	codes := make([]string, 0, len(op.Responses))
	for code := range op.Responses {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		resp := op.Responses[code]
		if resp == nil {
			continue
		}
		ar := apiResponse{Status: code, Description: resp.Description}
		if ct, mt := describedMedia(resp.Content); mt != nil {
			ar.Type, ar.Problem = typeOf(mt.Schema), strings.Contains(ct, "problem")
		}
		for h := range resp.Headers {
			ar.Headers = append(ar.Headers, h)
		}
		slices.Sort(ar.Headers)
		o.Responses = append(o.Responses, ar)
	}
	return o
}

// describedMedia picks the media type whose schema the reference shows:
// JSON when there is one, else the first by name, so that the page is the
// same on every load.
func describedMedia(content map[string]*huma.MediaType) (string, *huma.MediaType) {
	types := slices.Sorted(maps.Keys(content))
	slices.SortStableFunc(types, func(a, b string) int {
		return cmp.Compare(jsonRank(a), jsonRank(b))
	})
	for _, ct := range types {
		if mt := content[ct]; mt != nil && mt.Schema != nil {
			return ct, mt
		}
	}
	return "", nil
}

func jsonRank(ct string) int {
	if strings.HasSuffix(ct, "json") {
		return 0
	}
	return 1
}

func describeSchema(name string, sc *huma.Schema) apiSchema {
	out := apiSchema{Name: name, Anchor: "schema-" + anchorName(name), Description: sc.Description}
	if len(sc.Properties) == 0 {
		out.Type = typeOf(sc)
		return out
	}
	for prop, ps := range sc.Properties {
		if ps == nil || prop == "$schema" {
			continue
		}
		out.Fields = append(out.Fields, apiField{Name: prop, Description: ps.Description,
			Required: slices.Contains(sc.Required, prop), Type: typeOf(ps), Constraints: constraints(ps)})
	}
	// Required fields first, as a reader fills them in first.
	slices.SortFunc(out.Fields, func(a, b apiField) int {
		if a.Required != b.Required {
			if a.Required {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// typeOf writes a schema's type for people, linking named schemas.
func typeOf(sc *huma.Schema) apiType {
	switch {
	case sc == nil:
		return apiType{{Text: "any"}}
	case sc.Ref != "":
		name := sc.Ref[strings.LastIndex(sc.Ref, "/")+1:]
		return apiType{{Text: name, Anchor: "schema-" + anchorName(name)}}
	case len(sc.OneOf) > 0 || len(sc.AnyOf) > 0:
		var t apiType
		for i, alt := range append(slices.Clip(sc.OneOf), sc.AnyOf...) {
			if i > 0 {
				t = append(t, typePart{Text: " or "})
			}
			t = append(t, typeOf(alt)...)
		}
		return t
	case sc.Type == "array":
		return append(apiType{{Text: "array of "}}, typeOf(sc.Items)...)
	case sc.Type == "":
		return apiType{{Text: "any"}}
	case sc.Format != "":
		return apiType{{Text: sc.Type + " (" + sc.Format + ")"}}
	}
	return apiType{{Text: sc.Type}}
}

// constraints lists what a value must satisfy, in short notes.
func constraints(sc *huma.Schema) []string {
	var out []string
	if len(sc.Enum) > 0 {
		vals := make([]string, len(sc.Enum))
		for i, v := range sc.Enum {
			vals[i] = fmt.Sprint(v)
		}
		out = append(out, "one of: "+strings.Join(vals, ", "))
	}
	if sc.Default != nil {
		out = append(out, "default: "+fmt.Sprint(sc.Default))
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if sc.Minimum != nil {
		out = append(out, "minimum: "+num(*sc.Minimum))
	}
	if sc.Maximum != nil {
		out = append(out, "maximum: "+num(*sc.Maximum))
	}
	if sc.MinLength != nil && *sc.MinLength > 0 {
		out = append(out, "at least "+strconv.Itoa(*sc.MinLength)+" characters")
	}
	if sc.MaxLength != nil {
		out = append(out, "at most "+strconv.Itoa(*sc.MaxLength)+" characters")
	}
	if sc.MaxItems != nil {
		out = append(out, "at most "+strconv.Itoa(*sc.MaxItems)+" items")
	}
	if sc.Pattern != "" {
		out = append(out, "pattern: "+sc.Pattern)
	}
	if sc.ReadOnly {
		out = append(out, "read-only")
	}
	return out
}

func anchorName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}
