package lifeboat_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// point is an impact point with a loss, or without one when loss < 0.
func point(after lifeboat.Duration, loss float64) lifeboat.ImpactPoint {
	pt := lifeboat.ImpactPoint{After: after, Ratings: map[string]int{"financial": 2}}
	if loss >= 0 {
		a := lifeboat.Amount(loss)
		pt.Loss = &a
	}
	return pt
}

// TestLossAt checks the loss curve at its edges against values worked out
// by hand from the rule of format.md.
func TestLossAt(t *testing.T) {
	checkout := []lifeboat.ImpactPoint{point(hour, 45000), point(4*hour, 200000), point(8*hour, 420000), point(day, 1100000)}
	tests := []struct {
		name   string
		points []lifeboat.ImpactPoint
		at     lifeboat.Duration
		want   float64
		ok     bool
	}{
		{"no points", nil, hour, 0, false},
		{"no loss on any point", []lifeboat.ImpactPoint{point(hour, -1), point(day, -1)}, hour, 0, false},
		{"at the start", checkout, 0, 0, true},
		{"before the first point, from nothing", checkout, 30 * minute, 22500, true},
		{"exactly at the first point", checkout, hour, 45000, true},
		{"between points", checkout, 2 * hour, 45000 + 155000.0/3, true},
		{"exactly at an inner point", checkout, 4 * hour, 200000, true},
		{"exactly at the last point", checkout, day, 1100000, true},
		// The last segment runs 8h to 1d: 680,000 over 16h, 42,500 an hour.
		{"beyond the last point, at the last rate", checkout, day + 2*hour, 1100000 + 2*42500, true},
		{"a week on", checkout, week, 1100000 + 6*24*42500, true},
		{"one point only: its loss over its time, from nothing", []lifeboat.ImpactPoint{point(4*hour, 80000)}, hour, 20000, true},
		{"one point only, beyond it", []lifeboat.ImpactPoint{point(4*hour, 80000)}, day, 480000, true},
		{"one point only, exactly", []lifeboat.ImpactPoint{point(4*hour, 80000)}, 4 * hour, 80000, true},
		// Points without a loss are skipped: 1h (10,000) to 1d (250,000).
		{"losses on some points only", []lifeboat.ImpactPoint{point(hour, 10000), point(4*hour, -1), point(day, 250000), point(week, -1)},
			4 * hour, 10000 + 240000*3.0/23, true},
		{"losses on some points only, beyond the last with one", []lifeboat.ImpactPoint{point(hour, 10000), point(4*hour, -1), point(day, 250000), point(week, -1)},
			2 * day, 250000 + 240000*24.0/23, true},
		{"only a later point has a loss", []lifeboat.ImpactPoint{point(hour, -1), point(8*hour, 160000)}, 2 * hour, 40000, true},
		{"a loss from the first second", []lifeboat.ImpactPoint{point(0, 5000), point(hour, 9000)}, 0, 5000, true},
		{"a loss from the first second, then at the rate after it", []lifeboat.ImpactPoint{point(0, 5000), point(hour, 9000)}, 2 * hour, 13000, true},
		{"only a loss from the first second: it stays", []lifeboat.ImpactPoint{point(0, 5000)}, day, 5000, true},
		{"a flat last segment stays flat", []lifeboat.ImpactPoint{point(hour, 1000), point(2*hour, 1000)}, day, 1000, true},
		{"a negative duration counts as the start", checkout, -hour, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &lifeboat.BIA{Service: "s", Impacts: tt.points}
			got, ok := b.LossAt(tt.at)
			if ok != tt.ok || math.Abs(float64(got)-tt.want) > 1e-6 {
				t.Errorf("LossAt(%s) = %v, %v; want %v, %v", tt.at, got, ok, tt.want, tt.ok)
			}
			if ok != b.HasLoss() {
				t.Errorf("HasLoss() = %v, LossAt says %v", b.HasLoss(), ok)
			}
		})
	}
}

// TestLossCurve samples the curve in one call, as charts do.
func TestLossCurve(t *testing.T) {
	b := &lifeboat.BIA{Service: "s", Impacts: []lifeboat.ImpactPoint{point(4*hour, 15000), point(8*hour, 80000), point(day, 420000)}}
	at := []lifeboat.Duration{hour, 4 * hour, day, 3 * day, week}
	want := []lifeboat.Amount{3750, 15000, 420000, 420000 + 48*21250, 420000 + 144*21250}
	got := b.LossCurve(at)
	if len(got) != len(want) {
		t.Fatalf("LossCurve = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("at %s: %v, want %v", at[i], got[i], want[i])
		}
	}
	if c := (&lifeboat.BIA{Service: "s", Impacts: []lifeboat.ImpactPoint{point(hour, -1)}}).LossCurve(at); c != nil {
		t.Errorf("a BIA without losses gives a curve: %v", c)
	}
}

// TestLossAtProperties checks on random BIAs what holds for any curve: it
// passes through every point with a loss, never falls, and between two
// points stays between their losses.
func TestLossAtProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		var pts []lifeboat.ImpactPoint
		at, loss := lifeboat.Duration(0), 0.0
		for range 1 + rng.IntN(6) {
			at += lifeboat.Duration(1 + rng.IntN(3*day))
			loss += float64(rng.IntN(100000))
			l := loss
			if rng.IntN(3) == 0 {
				l = -1
			}
			pts = append(pts, point(at, l))
		}
		b := &lifeboat.BIA{Service: "s", Impacts: pts}
		var prev lifeboat.Amount
		for d := lifeboat.Duration(0); d < at+2*day; d += lifeboat.Duration(1 + rng.IntN(4*hour)) {
			got, ok := b.LossAt(d)
			if !ok {
				break
			}
			if got < prev-1e-6 {
				t.Fatalf("the loss falls from %v to %v at %s: %+v", prev, got, d, pts)
			}
			prev = got
		}
		for _, pt := range pts {
			if pt.Loss == nil {
				continue
			}
			if got, _ := b.LossAt(pt.After); got != *pt.Loss {
				t.Fatalf("at the point %s the loss is %v, want %v", pt.After, got, *pt.Loss)
			}
		}
	}
}
