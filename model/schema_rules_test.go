package model

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// The rules the schema takes from the format contract and the domain's
// constants, and what editors need of it.

// TestSchemaRules checks the rules the schema takes from the contract and
// from the domain's constants.
func TestSchemaRules(t *testing.T) {
	doc := schemaDoc(t)
	if doc["$id"] != SchemaID || doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$id %v, $schema %v", doc["$id"], doc["$schema"])
	}
	if doc["title"] == nil || doc["description"] == nil {
		t.Error("the schema needs a title and a description")
	}
	d := &drift{root: doc}
	id, _ := d.resolve("id", map[string]any{"$ref": "#/$defs/id"})
	if id["pattern"] != idPatternV1 {
		t.Errorf("id pattern %v, want %s", id["pattern"], idPatternV1)
	}
	re := regexp.MustCompile(id["pattern"].(string))
	for _, s := range []string{"a", "0", "db-east", "a.b_c-d", "A", "-a", ".a", "a b", "é", "", strings.Repeat("a", 128), strings.Repeat("a", 129)} {
		if re.MatchString(s) != lifeboat.ValidID(s) {
			t.Errorf("the schema and lifeboat.ValidID disagree on %q", s)
		}
	}
	dur, _ := d.resolve("duration", map[string]any{"$ref": "#/$defs/duration"})
	forms, _ := dur["oneOf"].([]any)
	if len(forms) != 2 {
		t.Fatalf("a duration is a string or an integer: %v", dur)
	}
	str, num := forms[0].(map[string]any), forms[1].(map[string]any)
	if str["type"] != "string" || str["pattern"] != lifeboat.DurationPattern {
		t.Errorf("duration string form %v, want the pattern %s", str, lifeboat.DurationPattern)
	}
	if num["type"] != "integer" || num["minimum"] != 0.0 || num["maximum"] != float64(lifeboat.MaxDuration) {
		t.Errorf("duration number form %v, want an integer from 0 to %d", num, lifeboat.MaxDuration)
	}
	if tm, _ := d.resolve("time", map[string]any{"$ref": "#/$defs/time"}); tm["type"] != "string" || tm["pattern"] != lifeboat.TimePattern {
		t.Errorf("time %v, want a string with the pattern %s", tm, lifeboat.TimePattern)
	}
	bounds := []struct {
		def, prop, keyword string
		want               float64
	}{
		{"service", "tier", "maximum", lifeboat.MaxTier},
		{"tier", "id", "maximum", lifeboat.MaxTier},
		{"service", "depends_on", "maxItems", lifeboat.MaxDependencies},
		{"dependencyGroup", "any_of", "maxItems", lifeboat.MaxGroupSize},
		{"dependencyGroup", "min_up", "maximum", lifeboat.MaxGroupSize},
		{"lossRange", "low", "maximum", lifeboat.MaxAmount},
		{"lossRange", "high", "maximum", lifeboat.MaxAmount},
		{"bia", "peak_periods", "maxItems", lifeboat.MaxPeakPeriods},
		{"bia", "notes", "maxLength", lifeboat.MaxNotesLength},
		{"peakPeriod", "factor", "maximum", lifeboat.MaxPeakFactor},
		{"biaResources", "systems", "maxItems", lifeboat.MaxResources},
		{"biaResources", "vital_records", "maxItems", lifeboat.MaxResources},
		{"staffNeed", "count", "maximum", lifeboat.MaxStaffCount},
		{"biaReview", "interval_months", "maximum", lifeboat.MaxReviewMonths},
		{"biaReview", "interval_months", "default", lifeboat.DefaultReviewMonths},
	}
	for _, b := range bounds {
		def, _ := d.lookup("#/$defs/" + b.def)
		p, _ := def["properties"].(map[string]any)[b.prop].(map[string]any)
		if p[b.keyword] != b.want {
			t.Errorf("%s.%s: %s is %v, want %v", b.def, b.prop, b.keyword, p[b.keyword], b.want)
		}
	}
}

// TestSchemaDescribesEveryProperty: editors show these on hover.
func TestSchemaDescribesEveryProperty(t *testing.T) {
	doc := schemaDoc(t)
	d := &drift{root: doc}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name, p := range props {
					if n, _ := d.resolve(path+"."+name, p); n["description"] == nil || n["description"] == "" {
						t.Errorf("%s.%s has no description", path, name)
					}
				}
			}
			for k, x := range v {
				// Conditions name properties to test them, not to define them.
				if k != "if" && k != "then" && k != "else" && k != "not" {
					walk(path+"/"+k, x)
				}
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", path, i), x)
			}
		}
	}
	walk("#", doc)
}

// draft7Keywords are the keywords the schema may use: those of draft
// 2020-12 that draft 7 has too, since the YAML extension of VS Code and
// other editors implement draft 7. Definitions live under $defs, which
// such editors reach through $ref like any JSON pointer.
var draft7Keywords = []string{"$schema", "$id", "$ref", "$defs", "title", "description", "default", "examples",
	"type", "enum", "const", "properties", "additionalProperties", "required", "items", "minItems", "maxItems",
	"uniqueItems", "pattern", "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum",
	"oneOf", "if", "then", "else"}

func TestSchemaKeepsToKeywordsEditorsKnow(t *testing.T) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		n, ok := v.(map[string]any)
		if !ok {
			return // true and false are schemas too
		}
		for _, k := range slices.Sorted(maps.Keys(n)) {
			if !slices.Contains(draft7Keywords, k) {
				t.Errorf("%s uses %q, which editors on draft 7 do not know", path, k)
			}
			switch x := n[k].(type) {
			case map[string]any:
				switch k {
				case "properties", "$defs":
					for name, s := range x {
						walk(path+"/"+k+"/"+name, s)
					}
				case "items", "additionalProperties", "if", "then", "else":
					walk(path+"/"+k, x)
				}
			case []any:
				if k == "oneOf" {
					for i, s := range x {
						walk(fmt.Sprintf("%s/%s/%d", path, k, i), s)
					}
				}
			}
		}
	}
	walk("#", schemaDoc(t))
}
