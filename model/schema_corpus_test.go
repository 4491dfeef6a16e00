package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// The tests in this file check that the schema and the loader agree on
// documents: what one accepts the other accepts, and what one refuses the
// other refuses. Where they cannot agree, knownDifferences says so and why.

// compileSchema compiles the embedded schema as editors and CI tools would;
// compiling also checks it against the draft 2020-12 meta-schema.
func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// yamlDocuments reads every document of a YAML text as JSON values, the
// way a YAML-aware editor or validator hands them to a JSON Schema.
func yamlDocuments(text string) ([]any, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		j, err := jsonValue(v)
		if err != nil {
			return nil, err
		}
		docs = append(docs, j)
	}
}

// jsonValue turns what yaml.v3 decodes into the values JSON has: mappings
// with text keys, lists, strings, numbers, booleans and null.
func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			j, err := jsonValue(x)
			if err != nil {
				return nil, err
			}
			out[k] = j
		}
		return out, nil
	case map[any]any: // a mapping with keys that are not text
		out := make(map[string]any, len(v))
		for k, x := range v {
			j, err := jsonValue(x)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = j
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			j, err := jsonValue(x)
			if err != nil {
				return nil, err
			}
			out[i] = j
		}
		return out, nil
	case time.Time: // YAML 1.1 timestamps; editors read YAML 1.2, where they are text
		return v.Format(time.RFC3339), nil
	case nil, string, bool, int, int64, uint64, float64:
		return v, nil
	}
	return nil, fmt.Errorf("no JSON value for %T", v)
}

// verdicts validates a YAML text with the schema (every document) and loads
// it with the loader, and returns both errors.
func verdicts(t *testing.T, sch *jsonschema.Schema, text string) (schemaErr, loadErr error) {
	t.Helper()
	docs, err := yamlDocuments(text)
	if err != nil {
		t.Fatalf("the test document is not YAML: %v\n%s", err, text)
	}
	for _, d := range docs {
		if err := sch.Validate(d); err != nil {
			schemaErr = err
			break
		}
	}
	_, _, loadErr = Parse("test.yaml", []byte(text))
	return schemaErr, loadErr
}

func TestSchemaAcceptsWhatTheLoaderLoads(t *testing.T) {
	sch := compileSchema(t)
	for _, c := range validDocuments {
		t.Run(c.name, func(t *testing.T) {
			schemaErr, loadErr := verdicts(t, sch, c.yaml)
			if schemaErr != nil {
				t.Errorf("the schema refuses it: %v", schemaErr)
			}
			if loadErr != nil {
				t.Errorf("the loader refuses it: %v", loadErr)
			}
		})
	}
}

func TestSchemaRefusesWhatTheLoaderRefuses(t *testing.T) {
	sch := compileSchema(t)
	for _, c := range invalidDocuments {
		t.Run(c.name, func(t *testing.T) {
			schemaErr, loadErr := verdicts(t, sch, c.yaml)
			if schemaErr == nil {
				t.Errorf("the schema accepts it")
			}
			if loadErr == nil {
				t.Errorf("the loader accepts it")
			} else if !strings.Contains(loadErr.Error(), c.loader) {
				t.Errorf("the loader refuses it for another reason than %q: %v", c.loader, loadErr)
			}
		})
	}
}

// TestKnownDifferences pins down where the schema and the loader disagree,
// so that a change on either side shows up here and in docs/format.md.
func TestKnownDifferences(t *testing.T) {
	sch := compileSchema(t)
	for _, c := range knownDifferences {
		t.Run(c.name, func(t *testing.T) {
			schemaErr, loadErr := verdicts(t, sch, c.yaml)
			if got := schemaErr == nil; got != c.schemaAccepts {
				t.Errorf("schema accepts: %v, want %v (%v)", got, c.schemaAccepts, schemaErr)
			}
			if got := loadErr == nil; got == c.schemaAccepts {
				t.Errorf("loader accepts: %v; the two agree now (%v): move the case to the agreeing corpus", got, loadErr)
			}
		})
	}
}

// TestSchemaAcceptsWhatLifeboatWrites: a model written by Encode, with
// every key of the format set, validates and loads again.
func TestSchemaAcceptsWhatLifeboatWrites(t *testing.T) {
	sch := compileSchema(t)
	var full strings.Builder
	for _, c := range validDocuments {
		if c.exported {
			full.WriteString("---\n" + c.yaml)
		}
	}
	m, _, err := Parse("full.yaml", []byte(full.String()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Encode(&out, m); err != nil {
		t.Fatal(err)
	}
	schemaErr, loadErr := verdicts(t, sch, out.String())
	if schemaErr != nil || loadErr != nil {
		t.Errorf("schema: %v\nloader: %v\n%s", schemaErr, loadErr, out.String())
	}
	for _, key := range []string{"lifecycle:", "currency:", "contract:", "any_of:", "workaround:", "quant:", "mbco:", "intolerable:", "description:",
		"peak_periods:", "factor:", "months:", "resources:", "vital_records:", "notes:", "review:", "approved_at:", "interval_months:"} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("the written model lacks %s, so this test does not cover it", key)
		}
	}
}
