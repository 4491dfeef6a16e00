package model

import (
	"bytes"
	_ "embed"
)

// SchemaID is the $id of the JSON Schema of format v1: the name editors and
// validators know the schema by. The server serves the same document at
// /schema/v1.json.
const SchemaID = "https://lifeboat-itscm.github.io/schema/v1.json"

// schema is hand-written for editors (descriptions, defaults, examples);
// the tests keep it in step with the domain's types and the loader.
//
//go:embed schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of a model file of format
// v1. Each call returns a fresh copy, so callers may keep or change it.
func Schema() []byte { return bytes.Clone(schema) }
