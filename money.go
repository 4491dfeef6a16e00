package lifeboat

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Amount is a sum of money in the currency of the impact scale. Whole
// amounts are written without a fraction or exponent ("2000000", not
// "2e+06") so that files read as people write them.
type Amount float64

// currencyPattern is an ISO 4217 alphabetic code.
var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// MaxAmount bounds amounts so that sums of many stay exact enough.
const MaxAmount = 1e15

// String writes the amount in its shortest exact form.
func (a Amount) String() string {
	if f := float64(a); f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(float64(a), 'f', -1, 64)
}

// Grouped writes the amount rounded to whole units with its thousands
// separated, for people: "1,250,000".
func (a Amount) Grouped() string {
	s := strconv.FormatInt(int64(math.Round(float64(a))), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// MarshalYAML writes whole amounts as integers.
func (a Amount) MarshalYAML() (any, error) {
	if f := float64(a); f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int64(f), nil
	}
	return float64(a), nil
}
