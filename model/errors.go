package model

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"

	"github.com/lifeboat-itscm/lifeboat"
)

// Pos is a place in a model file; lines and columns count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one problem at one place of a model file.
type Error struct {
	Pos     Pos
	Message string
}

func (e Error) Error() string { return e.Pos.String() + ": " + e.Message }

// Errors is every problem found while loading a model, in file order.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Source tells where each object of a loaded model was defined.
type Source struct {
	Files []lifeboat.SourceFile
	pos   map[string]Pos
}

// Pos returns where the object of a kind and id was defined.
func (s *Source) Pos(kind, id string) (Pos, bool) {
	if s == nil {
		return Pos{}, false
	}
	p, ok := s.pos[kind+"\x00"+id]
	return p, ok
}

// yamlLine finds the line number in yaml.v3's error messages.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// syntaxError places a YAML syntax error. yaml.v3 names only the line where
// the enclosing block began, or none, so goccy/go-yaml's parser is asked
// where the error is; it runs only on this path, when the file is broken.
func syntaxError(name string, data []byte, err error) Error {
	if pos, msg, ok := locateSyntaxError(data); ok {
		return Error{Pos: Pos{File: name, Line: pos.Line, Col: pos.Col}, Message: "YAML syntax: " + msg}
	}
	msg := err.Error()
	pos := Pos{File: name, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if m[1] != "" {
			pos.Line, _ = strconv.Atoi(m[1])
		}
	}
	return Error{Pos: pos, Message: "YAML syntax: " + msg}
}

// maxLocate bounds the files whose syntax errors are placed precisely.
const maxLocate = 16 << 20

// locateSyntaxError asks goccy/go-yaml where a syntax error is.
func locateSyntaxError(data []byte) (pos Pos, msg string, ok bool) {
	if len(data) > maxLocate {
		return pos, "", false
	}
	defer func() {
		if recover() != nil {
			ok = false // a parser bug must not take the loader down
		}
	}()
	_, err := goccyparser.ParseBytes(data, 0)
	var se *goccy.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return pos, "", false
	}
	return Pos{Line: se.Token.Position.Line, Col: se.Token.Position.Column}, se.Message, true
}
