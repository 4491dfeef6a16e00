package lifeboat

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Duration is a span of time in whole seconds. In files and API documents it
// is written as "<integer><unit>" parts with units s, m, h, d and w ("90m",
// "1d12h") or as a plain number of seconds, and always written back in the
// canonical form that FormatDuration produces.
type Duration int64

// MaxDuration bounds durations to about 100 years so that sums of a few
// thousand durations cannot overflow.
const MaxDuration Duration = 100 * 365 * 24 * 3600

var durationUnits = []struct {
	unit    byte
	seconds int64
}{{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}

// ParseDuration reads a duration such as "4h", "1d12h", "2w" or "3600".
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if len(s) > 1 && s[0] == '-' && isDigit(s[1]) {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	// Only plain digits: strconv.ParseInt alone would also take "+3600" and
	// "-0", which DurationPattern (and so the API schema) rejects.
	if strings.Trim(s, "0123456789") == "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil { // all digits, so the only failure is out of range
			return 0, fmt.Errorf("invalid duration %q: longer than 100 years", s)
		}
		return checkDuration(n, s)
	}
	var total int64
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("invalid duration %q: want parts like 90m, 4h, 1d12h or 2w", s)
		}
		mult := unitSeconds(rest[i])
		if mult == 0 {
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use s, m, h, d or w)", s, rest[i])
		}
		// Leading zeros do not count. Thirteen significant digits exceed the
		// bound in any unit; up to twelve, n*mult cannot overflow, and the
		// total saturates just past the bound so that many parts cannot either.
		if digits := strings.TrimLeft(rest[:i], "0"); len(digits) > 12 {
			total = int64(MaxDuration) + 1
		} else {
			n, _ := strconv.ParseInt(digits, 10, 64)
			total = min(total+n*mult, int64(MaxDuration)+1)
		}
		rest = rest[i+1:]
	}
	return checkDuration(total, s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func unitSeconds(u byte) int64 {
	for _, du := range durationUnits {
		if du.unit == u {
			return du.seconds
		}
	}
	return 0
}

func checkDuration(n int64, s string) (Duration, error) {
	if n < 0 {
		return 0, fmt.Errorf("invalid duration %q: must not be negative", s)
	}
	if n > int64(MaxDuration) {
		return 0, fmt.Errorf("invalid duration %q: longer than 100 years", s)
	}
	return Duration(n), nil
}

// String returns the canonical form: largest units first, zero parts left out
// ("1d12h", "2w", "0s").
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	rest := int64(d)
	if rest < 0 {
		b.WriteByte('-')
		rest = -rest
	}
	for _, du := range durationUnits {
		if n := rest / du.seconds; n > 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteByte(du.unit)
			rest -= n * du.seconds
		}
	}
	return b.String()
}

// Seconds returns the duration as a number of seconds.
func (d Duration) Seconds() int64 { return int64(d) }

// MarshalText writes the canonical form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads any accepted form.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalJSON accepts a string in any accepted form or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" { // no-op, as encoding/json does for plain values
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		return d.UnmarshalText([]byte(s))
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("invalid duration %s: want a string like \"4h\" or a whole number of seconds", b)
	}
	v, err := checkDuration(n, string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DurationPattern is the regular expression a duration string matches.
const DurationPattern = `^([0-9]+|([0-9]+[smhdw])+)$`
