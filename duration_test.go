package lifeboat_test

import (
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

const (
	minute = 60
	hour   = 60 * minute
	day    = 24 * hour
	week   = 7 * day
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want lifeboat.Duration
	}{
		{"0", 0},
		{"1", 1},
		{"3600", hour},
		{"000000000000000000003600", hour},
		{"0s", 0},
		{"1s", 1},
		{"90m", 90 * minute},
		{"00090m", 90 * minute},
		{"4h", 4 * hour},
		{"1d", day},
		{"1d12h", day + 12*hour},
		{"2w", 2 * week},
		{"52w", 52 * week},
		{"1w2d3h4m5s", week + 2*day + 3*hour + 4*minute + 5},
		{"0w0d0h0m0s", 0},
		// Parts may come in any order and repeat: they add up.
		{"30m1h", 90 * minute},
		{"1h1h", 2 * hour},
		// Leading zeros do not count towards the digit limit.
		{"0000000000001h", hour},
		{"000000000000000000000000000002w", 2 * week},
		// The 100-year bound is inclusive.
		{"3153600000", lifeboat.MaxDuration},
		{"5214w2d", lifeboat.MaxDuration},
		{"36500d", lifeboat.MaxDuration},
		{"876000h", lifeboat.MaxDuration},
		{"3153600000s", lifeboat.MaxDuration},
		{"36499d23h59m60s", lifeboat.MaxDuration},
	}
	for _, tt := range tests {
		got, err := lifeboat.ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseDurationInvalid(t *testing.T) {
	tests := []struct {
		in      string
		wantMsg string // a part of the error message; empty: any error
	}{
		{"", "empty"},
		{"4x", "unknown unit"},
		{"4H", "unknown unit"},
		{"1.5h", "unknown unit"},
		{"4µs", "unknown unit"},
		{"1d 12h", "want parts"},
		{"1d,12h", "want parts"},
		{"h", "want parts"},
		{"h4", "want parts"},
		{"4hh", "want parts"},
		{"4h-", "want parts"},
		{"4h ", "want parts"},
		{" 4h", "want parts"},
		{"4h\n", "want parts"},
		{"\t", "want parts"},
		{"1d12", "want parts"},
		{"-", "want parts"},
		{"+", "want parts"},
		{"--5", "want parts"},
		{"+3600", "want parts"},
		{"+1h", "want parts"},
		{"١h", "want parts"}, // an Arabic-Indic digit
		{"0x10", "unknown unit"},
		{"1e3", "unknown unit"},
		{"1_000", "unknown unit"},
		{"-5", "must not be negative"},
		{"-0", "must not be negative"},
		{"-5h", "must not be negative"},
		{"3153600001", "longer than 100 years"},
		{"5214w2d1s", "longer than 100 years"},
		{"36501d", "longer than 100 years"},
		{"99999999999w", "longer than 100 years"},
		{"9999999999999w", "longer than 100 years"},
		{"999999999999999999999999s", "longer than 100 years"},
		{"9223372036854775807", "longer than 100 years"},
		{"9223372036854775808", "longer than 100 years"},
		{"1000000000000000000000", "longer than 100 years"},
		// Many large parts must not overflow into a small or negative sum.
		{strings.Repeat("999999999999w", 40), "longer than 100 years"},
		{strings.Repeat("5214w", 3000), "longer than 100 years"},
		// These parts add up to exactly 2^64 + 579584 seconds: a sum that
		// wraps around would come out as a plausible 6d16h59m44s.
		{strings.Repeat("999999999999w", 30) + "500568904974w", "longer than 100 years"},
		// A syntax error after an overlong part is still a syntax error.
		{"99999999999wxyz", "want parts"},
		{"99999999999w4x", "unknown unit"},
	}
	for _, tt := range tests {
		got, err := lifeboat.ParseDuration(tt.in)
		if err == nil {
			t.Errorf("ParseDuration(%q) = %d, want an error", tt.in, got)
			continue
		}
		if got != 0 {
			t.Errorf("ParseDuration(%q) returned %d with its error, want 0", tt.in, got)
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("ParseDuration(%q) error = %q, want it to contain %q", tt.in, err, tt.wantMsg)
		}
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		in   lifeboat.Duration
		want string
	}{
		{0, "0s"},
		{1, "1s"},
		{59, "59s"},
		{minute, "1m"},
		{90 * minute, "1h30m"},
		{hour, "1h"},
		{hour + 1, "1h1s"},
		{day, "1d"},
		{day + 1, "1d1s"},
		{day + 12*hour, "1d12h"},
		{6 * day, "6d"},
		{week, "1w"},
		{13 * day, "1w6d"},
		{2 * week, "2w"},
		{week + day + hour + minute + 1, "1w1d1h1m1s"},
		{lifeboat.MaxDuration, "5214w2d"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Duration(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		text, err := tt.in.MarshalText()
		if err != nil || string(text) != tt.want {
			t.Errorf("Duration(%d).MarshalText() = %q, %v; want %q", int64(tt.in), text, err, tt.want)
		}
		if got := tt.in.Seconds(); got != int64(tt.in) {
			t.Errorf("Duration(%d).Seconds() = %d", int64(tt.in), got)
		}
	}
}

// roundTripValues returns edge values and a fixed pseudo-random sample of
// the whole accepted range.
func roundTripValues() []lifeboat.Duration {
	vs := []lifeboat.Duration{0, 1, 59, 60, 61, 3599, 3600, 3601, day - 1, day, day + 1,
		week - 1, week, week + 1, 90 * minute, day + 12*hour, 2 * week,
		lifeboat.MaxDuration - 1, lifeboat.MaxDuration}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		vs = append(vs, lifeboat.Duration(r.Int64N(int64(lifeboat.MaxDuration)+1)))
	}
	for range 500 { // small values exercise every mix of units
		vs = append(vs, lifeboat.Duration(r.Int64N(3*week)))
	}
	return vs
}

func TestDurationRoundTrip(t *testing.T) {
	pattern := regexp.MustCompile(lifeboat.DurationPattern)
	canonical := regexp.MustCompile(`^(0s|([1-9][0-9]*w)?([1-6]d)?([1-9]h|1[0-9]h|2[0-3]h)?([1-9]m|[1-5][0-9]m)?([1-9]s|[1-5][0-9]s)?)$`)
	for _, d := range roundTripValues() {
		s := d.String()
		if !pattern.MatchString(s) || !canonical.MatchString(s) {
			t.Errorf("Duration(%d).String() = %q is not in canonical form", int64(d), s)
		}
		got, err := lifeboat.ParseDuration(s)
		if err != nil || got != d {
			t.Errorf("ParseDuration(Duration(%d).String() = %q) = %d, %v", int64(d), s, got, err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("json.Marshal(Duration(%d)): %v", int64(d), err)
		}
		var back lifeboat.Duration
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Errorf("JSON round trip of %d via %s = %d, %v", int64(d), b, back, err)
		}
	}
}

func TestDurationUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want lifeboat.Duration
	}{
		{`"4h"`, 4 * hour},
		{`"1d12h"`, day + 12*hour},
		{`"3600"`, hour},
		{`"\u0034h"`, 4 * hour},
		{`3600`, hour},
		{`0`, 0},
		{`-0`, 0},
		{`3153600000`, lifeboat.MaxDuration},
	}
	for _, tt := range tests {
		var d lifeboat.Duration
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil {
			t.Errorf("json.Unmarshal(%s): unexpected error %v", tt.in, err)
			continue
		}
		if d != tt.want {
			t.Errorf("json.Unmarshal(%s) = %d, want %d", tt.in, d, tt.want)
		}
	}
}

func TestDurationUnmarshalJSONInvalid(t *testing.T) {
	for _, in := range []string{
		`true`, `false`, `-1`, `-3600`, `1.5`, `3600.0`, `1e3`, `[]`, `{}`, `[3600]`,
		`"4x"`, `"-5"`, `""`, `"1.5h"`, `3153600001`, `99999999999999999999`, `"3153600001"`,
	} {
		d := lifeboat.Duration(42)
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("json.Unmarshal(%s) = %d, want an error", in, d)
		}
		if d != 42 {
			t.Errorf("json.Unmarshal(%s) changed the value to %d despite its error", in, d)
		}
	}
}

func TestDurationJSONNull(t *testing.T) {
	// null leaves a plain value alone, as encoding/json does for an int.
	d := lifeboat.Duration(42)
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d != 42 {
		t.Errorf("json.Unmarshal(null) = %d, %v; want 42 unchanged, no error", d, err)
	}
	// A pointer field becomes nil.
	o := lifeboat.Objectives{RTO: durp(hour)}
	if err := json.Unmarshal([]byte(`{"rto": null}`), &o); err != nil || o.RTO != nil {
		t.Errorf("json.Unmarshal({rto: null}) = %v, %v; want nil", o.RTO, err)
	}
}

func TestDurationJSONInStruct(t *testing.T) {
	var o lifeboat.Objectives
	if err := json.Unmarshal([]byte(`{"rto": "90m", "rpo": 900, "mtpd": "1d"}`), &o); err != nil {
		t.Fatal(err)
	}
	if o.RTO == nil || *o.RTO != 90*minute || o.RPO == nil || *o.RPO != 15*minute || o.MTPD == nil || *o.MTPD != day {
		t.Errorf("decoded %+v, want rto 90m, rpo 15m, mtpd 1d", o)
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"rto":"1h30m","rpo":"15m","mtpd":"1d"}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	for _, in := range []string{`{"rto": true}`, `{"rto": -5}`, `{"rto": 1.5}`, `{"rto": "4x"}`} {
		var o lifeboat.Objectives
		if err := json.Unmarshal([]byte(in), &o); err == nil {
			t.Errorf("json.Unmarshal(%s) succeeded, want an error", in)
		}
	}
}

func TestDurationUnmarshalText(t *testing.T) {
	var d lifeboat.Duration
	if err := d.UnmarshalText([]byte("1d12h")); err != nil || d != day+12*hour {
		t.Errorf("UnmarshalText(1d12h) = %d, %v", d, err)
	}
	if err := d.UnmarshalText([]byte("4x")); err == nil {
		t.Error("UnmarshalText(4x) succeeded, want an error")
	}
	if d != day+12*hour {
		t.Errorf("UnmarshalText(4x) changed the value to %d", d)
	}
}

// TestDurationPatternAgrees checks that DurationPattern, which the API
// schema uses, accepts exactly the syntax ParseDuration accepts.
func TestDurationPatternAgrees(t *testing.T) {
	pattern := regexp.MustCompile(lifeboat.DurationPattern)
	for _, s := range []string{"0", "3600", "90m", "1d12h", "2w", "1w2d3h4m5s", "0000000000001h",
		"30m1h", "", "4x", "h", "-5", "-0", "+3600", "1.5h", "4h ", "1d12", "4H"} {
		_, err := lifeboat.ParseDuration(s)
		if matched := pattern.MatchString(s); matched != (err == nil) {
			t.Errorf("%q: DurationPattern match = %v but ParseDuration error = %v", s, matched, err)
		}
	}
}

// refParse is an independent reading of the format: the pattern for syntax
// and arbitrary precision for the value.
func refParse(s string) (*big.Int, bool) {
	if !durationRE.MatchString(s) {
		return nil, false
	}
	if v, ok := new(big.Int).SetString(s, 10); ok {
		return v, true
	}
	unit := map[string]int64{"s": 1, "m": minute, "h": hour, "d": day, "w": week}
	total := new(big.Int)
	for _, m := range durationPartRE.FindAllStringSubmatch(s, -1) {
		n, _ := new(big.Int).SetString(m[1], 10)
		total.Add(total, n.Mul(n, big.NewInt(unit[m[2]])))
	}
	return total, true
}

var (
	durationRE     = regexp.MustCompile(lifeboat.DurationPattern)
	durationPartRE = regexp.MustCompile(`([0-9]+)([smhdw])`)
)

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0", "3600", "90m", "1d12h", "2w", "1w2d3h4m5s", "", "4x", "h",
		"-5", "-0", "+5", "1.5h", "4h ", "99999999999w", "1000000000000000000000", "5214w2d",
		"5214w2d1s", "0000000000001h", "30m1h", "9223372036854775807", "9999999999999w"} {
		f.Add(s)
	}
	max := big.NewInt(int64(lifeboat.MaxDuration))
	f.Fuzz(func(t *testing.T, s string) {
		d, err := lifeboat.ParseDuration(s)
		ref, syntaxOK := refParse(s)
		if err != nil {
			if d != 0 {
				t.Errorf("ParseDuration(%q) = %d with error %v", s, d, err)
			}
			if syntaxOK && ref.Cmp(max) <= 0 {
				t.Errorf("ParseDuration(%q) failed: %v; want %s", s, err, ref)
			}
			if syntaxOK && !strings.Contains(err.Error(), "100 years") {
				t.Errorf("ParseDuration(%q): error %q should say the value is too long", s, err)
			}
			return
		}
		if d < 0 || d > lifeboat.MaxDuration {
			t.Fatalf("ParseDuration(%q) = %d, outside [0, MaxDuration]", s, d)
		}
		if !syntaxOK || ref.Cmp(big.NewInt(int64(d))) != 0 {
			t.Errorf("ParseDuration(%q) = %d, but the format gives %v (valid syntax: %v)", s, d, ref, syntaxOK)
		}
		canon := d.String()
		back, err := lifeboat.ParseDuration(canon)
		if err != nil || back != d {
			t.Errorf("ParseDuration(%q) = %d, but ParseDuration(%q) = %d, %v", s, d, canon, back, err)
		}
		if back.String() != canon {
			t.Errorf("String is not stable: %q then %q", canon, back.String())
		}
	})
}

func FuzzDurationJSON(f *testing.F) {
	for _, s := range []string{`"4h"`, `3600`, `true`, `-1`, `1.5`, `null`, `"1d12h"`, `1e3`,
		`"\u0034h"`, `99999999999999999999`, ` 5 `, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d lifeboat.Duration
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		if d < 0 || d > lifeboat.MaxDuration {
			t.Fatalf("json.Unmarshal(%q) = %d, outside [0, MaxDuration]", b, d)
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back lifeboat.Duration
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Errorf("round trip of %d via %s = %d, %v", d, out, back, err)
		}
	})
}

func durp(d lifeboat.Duration) *lifeboat.Duration { return &d }
