package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
)

// templateFuncs are the helpers every template can call.
var templateFuncs = template.FuncMap{
	"duration":       formatDuration,
	"tierLabel":      tierLabel,
	"tierShort":      tierShort,
	"tierClass":      tierClass,
	"kindLabel":      kindLabel,
	"lifecycleLabel": lifecycleLabel,
	"join":           strings.Join,
	"plural":         plural,
	"invalid":        invalidAttrs,
	"ferr":           fieldErrorOf,
	"pct":            percent,
	"can":            can,
	"dict":           dict,
	"list":           func(v ...string) []string { return v },
	"add":            func(a, b int) int { return a + b },
	"initial":        initial,
	"longDuration":   longDuration,
	"statusLabel":    statusLabel,
	"date":           formatDate,
	"sourceLabel":    sourceLabel,
	"months":         monthNames,
	"money":          money,
	"markdown":       renderMarkdown,
}

// currencySigns are the signs written before amounts of common currencies;
// others are written after the amount as their code.
var currencySigns = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

// money writes a whole amount with thousands separators: "$955,000",
// "12,000 CHF".
func money(a lifeboat.Amount, currency string) string {
	if sign, ok := currencySigns[currency]; ok {
		return sign + a.Grouped()
	}
	return a.Grouped() + " " + currency
}

// tierInfo is a recovery tier with the name of the default impact scale.
type tierInfo struct {
	ID   int
	Name string
}

// defaultTiers are the tiers of format v1's default impact scale.
var defaultTiers = []tierInfo{{0, "mission-critical"}, {1, "critical"}, {2, "important"}, {3, "standard"}, {4, "deferrable"}}

// Label names the tier for people: "Tier 0 · mission-critical".
func (t tierInfo) Label() string {
	if t.Name == "" {
		return "Tier " + strconv.Itoa(t.ID)
	}
	return "Tier " + strconv.Itoa(t.ID) + " · " + t.Name
}

func tierByID(id int) tierInfo {
	if id >= 0 && id < len(defaultTiers) {
		return defaultTiers[id]
	}
	return tierInfo{ID: id}
}

// tierLabel accepts an int or an *int; no tier reads "No tier".
func tierLabel(v any) string {
	id, ok := tierOf(v)
	if !ok {
		return "No tier"
	}
	return tierByID(id).Label()
}

// tierShort is the compact form for badges: "Tier 0".
func tierShort(v any) string {
	id, ok := tierOf(v)
	if !ok {
		return "No tier"
	}
	return "Tier " + strconv.Itoa(id)
}

// tierClass picks the badge colour; tiers past the defaults share one.
func tierClass(v any) string {
	id, ok := tierOf(v)
	switch {
	case !ok:
		return "tier-none"
	case id < len(defaultTiers):
		return "tier-" + strconv.Itoa(id)
	}
	return "tier-other"
}

func tierOf(v any) (int, bool) {
	switch t := v.(type) {
	case int:
		return t, true
	case *int:
		if t != nil {
			return *t, true
		}
	}
	return 0, false
}

var kindLabels = map[lifeboat.Kind]string{
	lifeboat.KindBusinessService: "Business service",
	lifeboat.KindApplication:     "Application",
	lifeboat.KindDataStore:       "Data store",
	lifeboat.KindInfrastructure:  "Infrastructure",
	lifeboat.KindNetwork:         "Network",
	lifeboat.KindSite:            "Site",
	lifeboat.KindVendor:          "Vendor",
	lifeboat.KindOther:           "Other",
}

func kindLabel(k lifeboat.Kind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

func lifecycleLabel(l lifeboat.Lifecycle) string {
	if l == "" {
		return ""
	}
	return strings.ToUpper(string(l[:1])) + string(l[1:])
}

// formatDuration writes a duration in its canonical form ("1d12h"); an
// absent one is a dash.
func formatDuration(v any) string {
	switch d := v.(type) {
	case lifeboat.Duration:
		return d.String()
	case *lifeboat.Duration:
		if d != nil {
			return d.String()
		}
	}
	return "—"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// invalidAttrs marks an input whose value was refused and points screen
// readers at the message under it.
func invalidAttrs(e formErrors, name string) template.HTMLAttr {
	if e.Fields[name] == "" {
		return ""
	}
	return template.HTMLAttr(fmt.Sprintf(`aria-invalid="true" aria-describedby="%s"`, template.HTMLEscapeString(errorID(name))))
}

// fieldError is the message shown under one input.
type fieldError struct {
	ID, Message string
}

func fieldErrorOf(e formErrors, name string) fieldError {
	return fieldError{ID: errorID(name), Message: e.Fields[name]}
}

func errorID(name string) string { return "err-" + strings.ReplaceAll(name, ".", "-") }

// percent is n as a share of total, for bar charts.
func percent(n, total int) string {
	if total <= 0 {
		return "0"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)
}

// dict builds a map from key, value pairs, to pass several values to a
// shared template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// initial is the first letter of a name, for avatars.
func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(unicode.ToUpper(r))
}

// can reports whether the user looking at a page has a permission, so that
// pages hide what the server would refuse anyway.
func can(a lifeboat.Actor, perm string) bool { return a.Role.Can(lifeboat.Permission(perm)) }

// longDuration writes a duration in words for questions: "1 hour",
// "1 day 12 hours".
func longDuration(d lifeboat.Duration) string {
	units := []struct {
		secs      int64
		one, many string
	}{{7 * 86400, "week", "weeks"}, {86400, "day", "days"}, {3600, "hour", "hours"}, {60, "minute", "minutes"}, {1, "second", "seconds"}}
	left := d.Seconds()
	var parts []string
	for _, u := range units {
		if n := left / u.secs; n > 0 {
			parts = append(parts, strconv.FormatInt(n, 10)+" "+plural(int(n), u.one, u.many))
			left -= n * u.secs
		}
	}
	if len(parts) == 0 {
		return "0 seconds"
	}
	return strings.Join(parts, " ")
}

// formatDate writes a day for people: "2 Apr 2026"; nil is a dash.
func formatDate(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006")
}

// sourceLabel says where an objective comes from, for a badge.
func sourceLabel(src lifeboat.ObjectiveSource) string {
	switch src {
	case lifeboat.SourceDeclared:
		return "declared"
	case lifeboat.SourceBIA:
		return "from the BIA"
	case lifeboat.SourceDerived:
		return "derived"
	}
	return "none"
}

// monthNames writes months by their short names: "Nov, Dec".
func monthNames(ms []int) string {
	names := make([]string, 0, len(ms))
	for _, m := range ms {
		if m >= 1 && m <= 12 {
			names = append(names, time.Month(m).String()[:3])
		}
	}
	return strings.Join(names, ", ")
}
