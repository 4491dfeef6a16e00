package lifeboat

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// ImpactScaleStore keeps the organisation's impact scale.
type ImpactScaleStore interface {
	// FindImpactScale returns the scale in effect and its version: the
	// default scale at version 0 until one is saved.
	FindImpactScale(ctx context.Context) (*ImpactScale, int64, error)
	// UpdateImpactScale saves the scale when the stored one is still at
	// ifVersion (0 skips the check). It refuses a scale that would leave a
	// BIA's ratings without meaning.
	UpdateImpactScale(ctx context.Context, s *ImpactScale, ifVersion int64) error
}

// CheckBIAs reports, as a conflict, every rating of the BIAs that the
// scale has no place for: a category it does not list or a level it does
// not define. Changing the scale must not silently change what an approved
// BIA says.
func (s *ImpactScale) CheckBIAs(bias []*BIA) error {
	cats := map[string]bool{}
	for _, c := range s.Categories {
		cats[c] = true
	}
	var p Problems
	for _, b := range bias {
		for i, pt := range b.Impacts {
			for _, c := range slices.Sorted(maps.Keys(pt.Ratings)) {
				f := "bia of " + strconv.Quote(b.Service) + ".impacts[" + strconv.Itoa(i) + "]"
				if !cats[c] {
					p.Add(f, "rates %q after %s, a category the scale no longer has", c, pt.After)
				} else if _, ok := s.Rating(pt.Ratings[c]); !ok {
					p.Add(f, "rates %q %d after %s, a level the scale no longer has", c, pt.Ratings[c], pt.After)
				}
			}
		}
	}
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: ECONFLICT, Fields: p,
		Message: fmt.Sprintf("the scale would leave %d %s of the BIAs without meaning: change those BIAs first, or keep the categories and levels they use",
			len(p), plural(len(p), "rating", "ratings"))}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
