package model

import (
	"reflect"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// The scalars of the format that YAML has no type for: durations and
// times, each read from its text form.

func (d *decoder) duration(n *yaml.Node, v reflect.Value, key string) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!int") {
		d.errorf(n, "%s: want a duration such as 90m, 4h, 1d12h or 2w, got %s", key, describe(n))
		return
	}
	dur, err := lifeboat.ParseDuration(n.Value)
	if err != nil {
		d.errorf(n, "%s: %v", key, err)
		return
	}
	v.SetInt(int64(dur))
}

// timestamp reads an RFC 3339 time. A YAML 1.1 reader types an unquoted
// one as a timestamp, a YAML 1.2 reader (and an editor) as text: both are
// taken, and parsed the same way.
func (d *decoder) timestamp(n *yaml.Node, v reflect.Value, key string) {
	const want = "a time such as 2026-05-01T09:00:00Z (RFC 3339, with a time zone)"
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!timestamp") {
		d.errorf(n, "%s: want %s, got %s", key, want, describe(n))
		return
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil || !rfc3339.MatchString(n.Value) {
		d.errorf(n, "%s: want %s, got %q", key, want, truncate(n.Value, 60))
		return
	}
	v.Set(reflect.ValueOf(t))
}

// rfc3339 is the form of time the format takes; time.Parse alone would
// also take one-digit hours and other liberties.
var rfc3339 = regexp.MustCompile(lifeboat.TimePattern)
