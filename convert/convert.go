// Package convert bootstraps a continuity model from what organisations
// already keep: a Backstage software catalog, Kubernetes manifests, or a
// CMDB export as CSV. Each converter returns a model of format v1 for people
// to review, and warnings for whatever it had to leave out or guess.
//
// A converted model always loads: every id is valid and unique, and every
// reference points at an object of the model. A reference the input makes
// to something it does not hold is dropped with a warning rather than
// written out, so that the output passes model.Parse and has no
// unknown-reference finding.
package convert

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// Input is one file to convert: its name, which messages show, and its
// content.
type Input struct {
	Name string
	Data []byte
}

// Warning is something a converter left out or guessed, and where the input
// said it. Line is 0 when the place is the whole file, and File is empty
// when it is the whole input.
type Warning struct {
	File    string
	Line    int
	Message string
}

func (w Warning) String() string {
	if w.File == "" {
		return w.Message // about the input as a whole
	}
	if w.Line > 0 {
		return w.File + ":" + strconv.Itoa(w.Line) + ": " + w.Message
	}
	return w.File + ": " + w.Message
}

// Result is a converted model with the warnings of its conversion, sorted by
// file and line.
type Result struct {
	Model    *lifeboat.Model
	Warnings []Warning
}

// Error is an input that cannot be converted at all: it is not YAML or CSV,
// or not the kind of file the converter reads. Line is 0 when unknown.
type Error struct {
	File    string
	Line    int
	Message string
}

func (e *Error) Error() string {
	return Warning{File: e.File, Line: e.Line, Message: e.Message}.String()
}

// ReadFiles reads the files that paths name, each directory recursively
// (*.yaml and *.yml, in lexical order), as the model loader does.
func ReadFiles(paths ...string) ([]Input, error) {
	files, err := model.Files(paths...)
	if err != nil {
		return nil, err
	}
	inputs := make([]Input, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, Input{Name: f, Data: data})
	}
	return inputs, nil
}

// warnings collects the warnings of one conversion.
type warnings []Warning

func (ws *warnings) add(file string, line int, format string, args ...any) {
	*ws = append(*ws, Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// sorted orders warnings by file, then line, keeping the order in which
// they were found within a line.
func (ws warnings) sorted() []Warning {
	out := slices.Clone([]Warning(ws))
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return out
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
