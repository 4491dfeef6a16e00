package web

import (
	"testing"
	"time"
)

// A kept analysis holds for its model version until a BIA falls due.
func TestAnalysisCurrent(t *testing.T) {
	due := time.Date(2026, 3, 14, 16, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		a       *analysis
		version int64
		now     time.Time
		want    bool
	}{
		{nil, 1, due, false},
		{&analysis{version: 3}, 3, due, true},
		{&analysis{version: 3}, 4, due, false},
		{&analysis{version: 3, until: due}, 3, due.Add(-time.Second), true},
		{&analysis{version: 3, until: due}, 3, due, false},
	} {
		if got := tc.a.current(tc.version, tc.now); got != tc.want {
			t.Errorf("%+v at version %d, %s: %v, want %v", tc.a, tc.version, tc.now, got, tc.want)
		}
	}
}
