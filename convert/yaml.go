package convert

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// aliasBudget bounds how many nodes the aliases of one file may stand for,
// so that a "billion laughs" file fails instead of eating the machine.
const aliasBudget = 100_000

// yamlLine finds the line number in the messages of the YAML library.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?(?:unmarshal errors:\s*)?line (\d+): `)

// documents splits a YAML file into its documents, leaving out empty ones.
// A file that is not YAML is an *Error at the line of the problem.
func documents(in Input) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(in.Data))
	var docs []*yaml.Node
	budget := aliasBudget
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			line, msg := splitLine(err.Error())
			return nil, &Error{File: in.Name, Line: line, Message: "not valid YAML: " + msg}
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if budget -= aliasNodes(root, budget+1); budget < 0 {
			return nil, &Error{File: in.Name, Line: root.Line, Message: "the aliases of this file expand to too many nodes"}
		}
		if root.Tag != "!!null" {
			docs = append(docs, root)
		}
	}
}

// splitLine takes the line number out of a message of the YAML library.
func splitLine(msg string) (int, string) {
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		if len(msg) > 6 && msg[:6] == "yaml: " {
			msg = msg[6:]
		}
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	return line, msg[len(m[0]):]
}

// aliasNodes counts the nodes that the aliases under n stand for, stopping
// once past limit; a cyclic alias thus ends up past the limit too.
func aliasNodes(n *yaml.Node, limit int) int {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 0
		}
		return expandedNodes(n.Alias, limit)
	}
	count := 0
	for _, c := range n.Content {
		if count > limit {
			break
		}
		count += aliasNodes(c, limit-count)
	}
	return count
}

// expandedNodes counts the nodes under n with aliases expanded, stopping
// once past limit.
func expandedNodes(n *yaml.Node, limit int) int {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return expandedNodes(n.Alias, limit)
	}
	count := 1
	for _, c := range n.Content {
		if count > limit {
			break
		}
		count += expandedNodes(c, limit-count)
	}
	return count
}

// decode fills v from a node as far as the types allow. A value of the
// wrong type, such as a text where a list belongs, stays unset and gives a
// warning; only a node that cannot be decoded at all is an error.
func decode(file string, n *yaml.Node, v any, ws *warnings) error {
	err := n.Decode(v)
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			line, msg := splitLine(e)
			ws.add(file, line, "%s; the value is ignored", typeMessage(msg))
		}
		return nil
	}
	if err != nil {
		line, msg := splitLine(err.Error())
		if line == 0 {
			line = n.Line
		}
		return &Error{File: file, Line: line, Message: msg}
	}
	return nil
}

// typeError reads the YAML library's message about a value of the wrong
// type, which names Go types.
var typeError = regexp.MustCompile("^cannot unmarshal !!(\\w+) (`.*` )?into (\\S+)$")

// typeMessage says what was expected in words of YAML rather than Go.
func typeMessage(msg string) string {
	m := typeError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	got := map[string]string{"seq": "a list", "map": "a mapping"}[m[1]]
	if got == "" {
		got = "a single value"
	}
	if m[2] != "" {
		got += " (" + strings.TrimSpace(m[2]) + ")"
	}
	want := "a single value"
	switch {
	case strings.HasPrefix(m[3], "[]"):
		want = "a list"
	case strings.HasPrefix(m[3], "map[") || strings.Contains(m[3], "."):
		want = "a mapping"
	}
	return "want " + want + ", not " + got
}

// lineAt returns the line of the node that a path of mapping keys (string)
// and list indexes (int) leads to from n, or of the last node on the way
// that exists.
func lineAt(n *yaml.Node, path ...any) int {
	line := n.Line
	for _, step := range path {
		n = resolveAlias(n)
		var next *yaml.Node
		switch key := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == key {
						line, next = n.Content[i].Line, n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && key >= 0 && key < len(n.Content) {
				next = n.Content[key]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// resolveAlias follows aliases to the node they name.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// describeNode names the kind of a YAML node in messages.
func describeNode(n *yaml.Node) string {
	switch resolveAlias(n).Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "something else"
}
