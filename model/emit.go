package model

import (
	"bufio"
	"encoding"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emitter writes the domain's types as YAML by their yaml tags, in field
// order: optional keys without a value are left out, lists
// tagged flow are written on one line, text that spans lines as a literal
// block. It writes a million services in seconds, where yaml.v3's encoder
// (which parses its own output back into nodes) takes minutes.
type emitter struct {
	w   *bufio.Writer
	err error
}

// yamlMarshaler is yaml.v3's Marshaler, which the domain's types implement
// without importing it.
type yamlMarshaler interface{ MarshalYAML() (any, error) }

func newEmitter(w io.Writer) *emitter { return &emitter{w: bufio.NewWriterSize(w, 1<<16)} }

func (e *emitter) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *emitter) flush() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// top writes one top-level key and its value.
func (e *emitter) top(key string, v any) {
	e.str(key + ":")
	e.value(reflect.ValueOf(v), 0, false)
}

// value writes v after a key (the line's "key:" is written) at the
// indentation of that key; flow says the value must stay on the line.
func (e *emitter) value(v reflect.Value, indent int, flow bool) {
	v = marshal(v)
	switch {
	case isScalar(v):
		e.str(" ")
		e.scalar(v, indent, flow)
		e.str("\n")
	case v.Kind() == reflect.Slice && flow:
		e.str(" ")
		e.flowList(v)
		e.str("\n")
	case v.Kind() == reflect.Map:
		e.str(" ")
		e.flowMap(v)
		e.str("\n")
	case v.Kind() == reflect.Slice:
		e.str("\n")
		for i := range v.Len() {
			e.item(v.Index(i), indent+2)
		}
	case v.Kind() == reflect.Struct:
		if !hasFields(v) {
			e.str(" {}\n")
			return
		}
		e.str("\n")
		e.fields(v, indent+2, "")
	}
}

// item writes one element of a block list at indent.
func (e *emitter) item(v reflect.Value, indent int) {
	v = marshal(v)
	pad := strings.Repeat(" ", indent)
	if v.Kind() == reflect.Struct && hasFields(v) {
		e.fields(v, indent+2, pad+"- ")
		return
	}
	e.str(pad + "-")
	e.value(v, indent, false)
}

// fields writes a struct's fields as a block mapping at indent; the first
// line starts with first instead of the indentation (a list's "- ").
func (e *emitter) fields(v reflect.Value, indent int, first string) {
	pad := strings.Repeat(" ", indent)
	fs := fieldsOf(v.Type())
	for _, name := range fs.names {
		f := v.Field(fs.byName[name].index)
		if isEmpty(f) && !fs.byName[name].required {
			continue // omitempty; a required key is written even as 0
		}
		if first != "" {
			e.str(first)
			first = ""
		} else {
			e.str(pad)
		}
		e.str(name + ":")
		e.value(f, indent, fs.byName[name].flow)
	}
}

func (e *emitter) flowList(v reflect.Value) {
	e.str("[")
	for i := range v.Len() {
		if i > 0 {
			e.str(", ")
		}
		e.scalar(marshal(v.Index(i)), 0, true)
	}
	e.str("]")
}

// flowMap writes a map with text keys on one line, keys sorted.
func (e *emitter) flowMap(v reflect.Value) {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	e.str("{")
	for i, k := range keys {
		if i > 0 {
			e.str(", ")
		}
		e.str(quote(k.String(), true) + ": ")
		e.scalar(marshal(v.MapIndex(k)), 0, true)
	}
	e.str("}")
}

func (e *emitter) scalar(v reflect.Value, indent int, flow bool) {
	if t, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, _ := t.MarshalText() // the domain's text forms cannot fail
		e.str(string(b))
		return
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if !flow && literal(s) {
			e.block(s, indent+2)
		} else {
			e.str(quote(s, flow))
		}
	case reflect.Int, reflect.Int64:
		e.str(strconv.FormatInt(v.Int(), 10))
	case reflect.Float64:
		e.str(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Bool:
		e.str(strconv.FormatBool(v.Bool()))
	}
}

// block writes text of several lines as a literal block scalar.
func (e *emitter) block(s string, indent int) {
	chomp := "-"
	switch {
	case strings.HasSuffix(s, "\n\n"):
		chomp = "+"
	case strings.HasSuffix(s, "\n"):
		chomp = ""
	}
	e.str("|" + chomp)
	pad := strings.Repeat(" ", indent)
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		e.str("\n")
		if line != "" {
			e.str(pad + line)
		}
	}
}

// marshal applies a type's MarshalYAML and follows pointers and interfaces.
func marshal(v reflect.Value) reflect.Value {
	for {
		if v.Kind() != reflect.Pointer && v.CanInterface() {
			if m, ok := v.Interface().(yamlMarshaler); ok {
				out, err := m.MarshalYAML()
				if err == nil {
					v = reflect.ValueOf(out)
					continue
				}
			}
		}
		if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			v = v.Elem()
			continue
		}
		return v
	}
}

func isScalar(v reflect.Value) bool {
	if _, ok := v.Interface().(encoding.TextMarshaler); ok {
		return true
	}
	switch v.Kind() {
	case reflect.String, reflect.Int, reflect.Int64, reflect.Float64, reflect.Bool:
		return true
	}
	return false
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Slice, reflect.Map, reflect.String:
		return v.Len() == 0
	}
	return v.IsZero()
}

func hasFields(v reflect.Value) bool {
	fs := fieldsOf(v.Type())
	for _, name := range fs.names {
		if !isEmpty(v.Field(fs.byName[name].index)) {
			return true
		}
	}
	return false
}

// literal says whether text is best written as a literal block: it spans
// lines and a block can hold it exactly.
func literal(s string) bool {
	if !strings.Contains(strings.TrimRight(s, "\n"), "\n") || strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n") {
		return false
	}
	for _, r := range s {
		if r != '\n' && (r == '\t' || !unicode.IsPrint(r)) {
			return false
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" && line != "" {
			return false // a line of only spaces would read as indentation
		}
	}
	return true
}

// reserved are the plain words YAML 1.1 or 1.2 read as something other
// than text.
var reserved = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true,
	"y": true, "n": true, "null": true, "~": true}

// quote writes text plain when every YAML reader takes it as that text,
// and double-quoted otherwise; in flow context commas and brackets quote.
func quote(s string, flow bool) string {
	if plain(s, flow) {
		return s
	}
	return strconv.Quote(s)
}

func plain(s string, flow bool) bool {
	if s == "" || reserved[strings.ToLower(s)] || s != strings.TrimSpace(s) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) && first != '_' && first != '/' {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), strings.ContainsRune(" ._/()+@'-", r):
		case r == ',' && !flow:
		default:
			return false
		}
	}
	return true
}
