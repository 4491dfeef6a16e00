package web

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// What the model pages show, built from plans, findings and load errors.

// findingsShown bounds the findings listed per severity; the API and
// `lifeboat check --database` list them all.
const findingsShown = 100

// findingsView is the findings of a model grouped by severity, worst first.
type findingsView struct {
	Counts lifeboat.FindingCounts
	Total  int
	Badges []findingBadge // one per severity, none left out
	Groups []findingGroup // the severities that have findings
	Bar    []barSegment
}

// findingBadge counts the findings of one severity: "2 warnings".
type findingBadge struct {
	Severity lifeboat.Severity
	Label    string
	Count    int
}

type findingGroup struct {
	Severity       lifeboat.Severity
	Heading, Label string // "Warnings", "2 warnings"
	Findings       []findingItem
	More           int // findings of this severity not listed
}

type findingItem struct {
	lifeboat.Finding
	URL string // the subject's page, when it has one
}

// barSegment is one severity's share of a stacked bar.
type barSegment struct {
	Severity lifeboat.Severity
	X, Width string
	Count    int
	Label    string
}

var severityLabels = map[lifeboat.Severity][3]string{
	lifeboat.SeverityError:   {"error", "errors", "Errors"},
	lifeboat.SeverityWarning: {"warning", "warnings", "Warnings"},
	lifeboat.SeverityInfo:    {"info", "info", "Information"},
}

// newFindingsView groups findings, already sorted worst first; links
// says whether subjects link to their pages, which they do once stored.
func newFindingsView(fs []lifeboat.Finding, links bool) findingsView {
	v := findingsView{Counts: lifeboat.CountFindings(fs), Total: len(fs)}
	x := 0.0
	for _, sev := range lifeboat.Severities {
		g := findingGroup{Severity: sev}
		for _, f := range fs {
			if f.Severity != sev {
				continue
			}
			if len(g.Findings) == findingsShown {
				g.More++
				continue
			}
			item := findingItem{Finding: f}
			if links {
				item.URL = subjectURL(f.Kind, f.Subject)
			}
			g.Findings = append(g.Findings, item)
		}
		n := len(g.Findings) + g.More
		g.Heading, g.Label = severityLabels[sev][2], strconv.Itoa(n)+" "+plural(n, severityLabels[sev][0], severityLabels[sev][1])
		v.Badges = append(v.Badges, findingBadge{Severity: sev, Label: g.Label, Count: n})
		if n == 0 {
			continue
		}
		v.Groups = append(v.Groups, g)
		w := float64(n) * 100 / float64(len(fs))
		v.Bar = append(v.Bar, barSegment{Severity: sev, X: strconv.FormatFloat(x, 'f', 2, 64),
			Width: strconv.FormatFloat(w, 'f', 2, 64), Count: n, Label: g.Label})
		x += w
	}
	return v
}

// subjectURL is the page of an object of the model, if it has one.
func subjectURL(kind, id string) string {
	switch kind {
	case lifeboat.ObjService, lifeboat.ObjBIA:
		return "/services/" + id
	case lifeboat.ObjTeam:
		return "/teams/" + id
	case lifeboat.ObjPerson:
		return "/people/" + id
	}
	return ""
}

// planGroup is the changes of one kind of object, in the plan's order.
type planGroup struct {
	Kind, Label string
	Changes     []changeLine
}

// changeLine is one change as the page shows it: + create, ~ update,
// - delete, and for updates each field that changes.
type changeLine struct {
	lifeboat.Change
	Sign   string
	URL    string // the object's page, for objects that exist already
	Values []fieldLine
}

type fieldLine struct {
	Field         string
	Before, After valueText
}

var objectLabels = map[string]string{
	lifeboat.ObjPerson: "People", lifeboat.ObjTeam: "Teams", lifeboat.ObjService: "Services",
	lifeboat.ObjImpactScale: "Impact scale", lifeboat.ObjBIA: "Business impact analyses", lifeboat.ObjRisk: "Risks",
}

var actionSigns = map[string]string{lifeboat.ActionCreate: "+", lifeboat.ActionUpdate: "~", lifeboat.ActionDelete: "-"}

// groupChanges groups a plan's changes by kind, keeping their order.
func groupChanges(p *lifeboat.Plan) []planGroup {
	var out []planGroup
	for _, c := range p.Changes {
		if len(out) == 0 || out[len(out)-1].Kind != c.Kind {
			label := objectLabels[c.Kind]
			if label == "" {
				label = c.Kind
			}
			out = append(out, planGroup{Kind: c.Kind, Label: label})
		}
		line := changeLine{Change: c, Sign: actionSigns[c.Action]}
		if c.Action != lifeboat.ActionCreate {
			line.URL = subjectURL(c.Kind, c.ID)
		}
		for _, f := range c.Fields {
			line.Values = append(line.Values, fieldLine{Field: f.Field, Before: jsonText(f.Before), After: jsonText(f.After)})
		}
		g := &out[len(out)-1]
		g.Changes = append(g.Changes, line)
	}
	return out
}

// valueText is a field's value written for reading: JSON with spaces,
// cut short when long, with the whole value indented for a <details>.
type valueText struct {
	Short, Full string
	None, Long  bool
}

// shortValue is how many characters of a value a plan line shows.
const shortValue = 80

func jsonText(raw json.RawMessage) valueText {
	if len(raw) == 0 || string(raw) == "null" {
		return valueText{Short: "(none)", None: true}
	}
	short := spacedJSON(raw)
	v := valueText{Short: short}
	if r := []rune(short); len(r) > shortValue {
		var full bytes.Buffer
		json.Indent(&full, raw, "", "  ")
		v.Short, v.Full, v.Long = string(r[:shortValue])+"…", full.String(), true
	}
	return v
}

// spacedJSON writes compact JSON with a space after each colon and comma
// between values, which reads like the flow style of YAML.
func spacedJSON(raw json.RawMessage) string {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return string(raw)
	}
	var b strings.Builder
	inString, escaped := false, false
	for _, c := range compact.Bytes() {
		b.WriteByte(c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// loadErrorView is one load error with the line it points at, quoted as
// a compiler does, with a caret under the column.
type loadErrorView struct {
	Location, Message string
	// Gutter is the line number and Blank as many spaces, so that the
	// caret's line lines up with the quoted one.
	Gutter, Blank string
	Line, Caret   string // empty when the line cannot be quoted
}

// maxQuoted bounds the quoted line, so that a minified file does not fill
// the page.
const maxQuoted = 200

func newLoadErrors(errs model.Errors, files []model.File) []loadErrorView {
	out := make([]loadErrorView, len(errs))
	for i, e := range errs {
		n := strconv.Itoa(e.Pos.Line)
		v := loadErrorView{Location: e.Pos.String(), Message: e.Message, Gutter: n, Blank: strings.Repeat(" ", len(n))}
		if j := slices.IndexFunc(files, func(f model.File) bool { return f.Name == e.Pos.File }); j >= 0 {
			v.Line, v.Caret = quoteLine(files[j].Data, e.Pos.Line, e.Pos.Col)
		}
		out[i] = v
	}
	return out
}

// quoteLine returns line n of data and a caret under column col; tabs
// before the column stay tabs so that the caret lines up.
func quoteLine(data []byte, n, col int) (line, caret string) {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return "", ""
	}
	r := []rune(strings.TrimRight(lines[n-1], "\r"))
	if len(r) > maxQuoted {
		r = append(r[:maxQuoted], '…')
	}
	var c strings.Builder
	for i := 0; i < col-1 && i < len(r); i++ {
		if r[i] == '\t' {
			c.WriteByte('\t')
		} else {
			c.WriteByte(' ')
		}
	}
	c.WriteByte('^')
	return string(r), c.String()
}
