package lifeboat

// The financial side of a BIA: the cumulative loss of an outage as it
// goes on, read from the points that give a loss figure (format.md: linear
// between points, at the last segment's rate after the last one).

// LossAt is the cumulative financial loss once an outage has lasted d,
// in the currency of the impact scale, and false when no point of the BIA
// gives a loss. Points without a loss are skipped; before the first point
// the loss grows linearly from nothing at the start of the outage, and
// after the last it keeps growing at the rate of the last segment (for a
// single point, its loss over its time), since an outage that lasts longer
// than the workshop looked at does not stop costing money.
func (b *BIA) LossAt(d Duration) (Amount, bool) {
	d = max(d, 0)
	// The segment ends so far: the origin, then each point with a loss.
	prevAt, prevLoss := Duration(0), 0.0
	lastAt, lastLoss := Duration(0), 0.0
	found := false
	for _, pt := range b.Impacts {
		if pt.Loss == nil {
			continue
		}
		at, loss := pt.After, float64(*pt.Loss)
		if d <= at {
			return Amount(interpolate(lastAt, lastLoss, at, loss, d)), true
		}
		prevAt, prevLoss, lastAt, lastLoss, found = lastAt, lastLoss, at, loss, true
	}
	if !found {
		return 0, false
	}
	if lastAt == prevAt { // one point at the very start: no rate to carry on
		return Amount(lastLoss), true
	}
	rate := (lastLoss - prevLoss) / float64(lastAt-prevAt)
	return Amount(lastLoss + rate*float64(d-lastAt)), true
}

// interpolate is the loss at d on the segment from (fromAt, fromLoss) to
// (toAt, toLoss), d within it. A point is met exactly, not through a
// division that could miss it by a rounding; a first point at the start
// of the outage has no segment before it: its loss holds from the first
// second.
func interpolate(fromAt Duration, fromLoss float64, toAt Duration, toLoss float64, d Duration) float64 {
	if d == toAt {
		return toLoss
	}
	return fromLoss + (toLoss-fromLoss)*float64(d-fromAt)/float64(toAt-fromAt)
}

// HasLoss reports whether any point of the BIA gives a loss figure.
func (b *BIA) HasLoss() bool {
	for _, pt := range b.Impacts {
		if pt.Loss != nil {
			return true
		}
	}
	return false
}

// LossCurve samples the loss at each duration given, for charts: one
// amount per duration, in order; nil when the BIA gives no loss.
func (b *BIA) LossCurve(at []Duration) []Amount {
	if !b.HasLoss() {
		return nil
	}
	out := make([]Amount, len(at))
	for i, d := range at {
		out[i], _ = b.LossAt(d)
	}
	return out
}
