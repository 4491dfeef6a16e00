package convert

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// CSVOptions say how to read a CMDB export. A column left empty takes its
// default name (id, name, kind, owner, tier, depends_on, description, tags)
// and may be missing from the file; a column named here must be there.
// Column names match whatever their case, spaces or dashes.
type CSVOptions struct {
	ID, Name, Kind, Owner, Tier, DependsOn, Description, Tags string
	// Separator splits the cells that hold lists: depends_on and tags.
	// The default is ";".
	Separator string
	// Delimiter separates the cells of a line; the default is ','.
	Delimiter rune
}

// csvColumn is one column the conversion reads.
type csvColumn struct {
	field, flag, name string
	required          bool
	index             int // -1 when the file has no such column
}

// columns lists the columns of the options, defaults filled in.
func (o CSVOptions) columns() []*csvColumn {
	cols := []*csvColumn{
		{field: "id", name: o.ID}, {field: "name", name: o.Name}, {field: "kind", name: o.Kind},
		{field: "owner", name: o.Owner}, {field: "tier", name: o.Tier},
		{field: "depends_on", flag: "depends-on", name: o.DependsOn},
		{field: "description", name: o.Description}, {field: "tags", name: o.Tags},
	}
	for _, c := range cols {
		if c.flag == "" {
			c.flag = c.field
		}
		c.required = c.name != ""
		if !c.required {
			c.name = c.field
		}
	}
	return cols
}

// columnKey is how column names are compared: "Depends On", "depends-on"
// and "DEPENDS_ON" are one column.
func columnKey(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// csvRow is one row of the file, with where it was.
type csvRow struct {
	number, line int
	cells        []string
}

// CSV converts a CMDB export into a model: each row is a service, each
// owner a team. Rows with problems give a warning that names the row, as a
// spreadsheet numbers it (the header is row 1), and the line. See
// docs/convert.md.
func CSV(in Input, opts CSVOptions) (*Result, error) {
	header, rows, err := readCSV(in, opts)
	if err != nil {
		return nil, err
	}
	cols := opts.columns()
	if err := findColumns(in.Name, header, cols); err != nil {
		return nil, err
	}
	sep := opts.Separator
	if sep == "" {
		sep = ";"
	}
	t := &table{c: newCatalog(), file: in.Name, sep: sep, cols: map[string]*csvColumn{}, ids: idSpace{},
		byRaw: map[string]string{}, byName: map[string]string{}, deps: map[string]csvDeps{},
		rows: map[string]csvRow{}, width: len(header)}
	for _, c := range cols {
		t.cols[c.field] = c
	}
	for _, r := range rows {
		t.row(r)
	}
	t.resolve()
	return t.c.model(), nil
}

// readCSV reads the header and the rows of a file. A file that is not CSV
// is an *Error at the line of the problem.
func readCSV(in Input, opts CSVOptions) ([]string, []csvRow, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(in.Data, []byte("\uFEFF"))))
	if opts.Delimiter != 0 {
		r.Comma = opts.Delimiter
	}
	r.FieldsPerRecord = -1 // rows with too few or too many cells are warned about, not fatal
	var header []string
	var rows []csvRow
	for n := 1; ; n++ {
		cells, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				msg := "not valid CSV: " + pe.Err.Error()
				if pe.Line != pe.StartLine {
					msg += fmt.Sprintf(" (the record starts on line %d, the problem is on line %d)", pe.StartLine, pe.Line)
				}
				return nil, nil, &Error{File: in.Name, Line: pe.StartLine, Message: msg}
			}
			return nil, nil, &Error{File: in.Name, Message: "not valid CSV: " + err.Error()}
		}
		line, _ := r.FieldPos(0)
		if header == nil {
			header = cells
			continue
		}
		rows = append(rows, csvRow{number: n, line: line, cells: cells})
	}
	if header == nil {
		return nil, nil, &Error{File: in.Name, Message: "the file is empty: a CSV export starts with a header line naming its columns"}
	}
	return header, rows, nil
}

// findColumns finds each column in the header; a column named in the
// options must be there, and so must an id or a name column.
func findColumns(file string, header []string, cols []*csvColumn) error {
	var have []string
	for _, h := range header {
		have = append(have, strconv.Quote(h))
	}
	for _, c := range cols {
		c.index = -1
		for i, h := range header {
			if columnKey(h) == columnKey(c.name) {
				c.index = i
				break
			}
		}
		if c.index < 0 && c.required {
			return &Error{File: file, Line: 1, Message: fmt.Sprintf("--%s: no column %q; the columns are %s", c.flag, c.name, strings.Join(have, ", "))}
		}
	}
	if cols[0].index < 0 && cols[1].index < 0 {
		return &Error{File: file, Line: 1, Message: fmt.Sprintf("no id or name column (see --id and --name); the columns are %s", strings.Join(have, ", "))}
	}
	return nil
}

// table is one conversion of a CSV file.
type table struct {
	c    *catalog
	file string
	sep  string
	cols map[string]*csvColumn
	ids  idSpace
	// byRaw and byName find a row's service by its id as written or its
	// name, in lower case, for depends_on cells.
	byRaw, byName map[string]string
	deps          map[string]csvDeps
	rows          map[string]csvRow // by id
	width         int               // of the header
}

// csvDeps are the depends_on entries of one row.
type csvDeps struct {
	row     csvRow
	entries []string
}

// cell returns a row's trimmed cell of a column, "" when there is none.
func (t *table) cell(r csvRow, field string) string {
	c := t.cols[field]
	if c.index < 0 || c.index >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[c.index])
}

// list splits a cell that holds a list.
func (t *table) list(r csvRow, field string) []string {
	var out []string
	for _, v := range strings.Split(t.cell(r, field), t.sep) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (t *table) warn(r csvRow, format string, args ...any) {
	t.c.add(t.file, r.line, "row %d: "+format, append([]any{r.number}, args...)...)
}

// kindOf maps a CMDB class to a kind; an unknown class is "other".
func (t *table) kindOf(r csvRow) lifeboat.Kind {
	v := t.cell(r, "kind")
	if v == "" {
		return ""
	}
	if k, ok := cmdbKind(v); ok {
		return k
	}
	t.warn(r, "kind %q is not known; the service is of kind other (the kinds are %s)", v, kindList())
	return lifeboat.KindOther
}
