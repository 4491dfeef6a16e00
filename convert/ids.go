package convert

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxID is the longest id format v1 accepts.
const maxID = 128

// sanitizeID turns a name from another tool into an id of format v1:
// lower case, every run of characters other than letters, digits, '.', '_'
// and '-' replaced by one '-', starting with a letter or digit, at most 128
// characters. It returns "" when nothing usable is left.
func sanitizeID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimLeft(b.String(), "-._")
	id = truncate(id, maxID)
	return strings.TrimRight(id, "-")
}

// truncate cuts an ASCII id to at most n bytes.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// idSpace hands out unique ids for one kind of object and remembers what
// each id was given to, for the warning when a later object cannot have it.
type idSpace map[string]string

// take returns base when it is free, else base-hint, else base-2, base-3...,
// each cut to fit 128 characters, and gives the id to owner. base must be a
// valid id; hint may be empty.
func (s idSpace) take(base, hint, owner string) string {
	try := func(suffix string) (string, bool) {
		id := truncate(base, maxID-len(suffix)) + suffix
		_, taken := s[id]
		return id, !taken
	}
	id, ok := try("")
	if !ok && hint != "" {
		id, ok = try("-" + hint)
	}
	for n := 2; !ok; n++ {
		id, ok = try("-" + strconv.Itoa(n))
	}
	s[id] = owner
	return id
}

// sanitizeTags makes tags of format v1 from free-form labels, leaving out
// those with nothing usable in them.
func sanitizeTags(labels ...string) []string {
	var tags []string
	for _, l := range labels {
		if t := sanitizeID(l); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// cleanText makes free text storable: valid UTF-8 without NUL characters,
// trimmed, at most limit characters.
func cleanText(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > limit {
		s = strings.TrimSpace(string([]rune(s)[:limit]))
	}
	return s
}

// Limits of the free-text fields of format v1, in characters.
const (
	maxName        = 200
	maxDescription = 10000
)
