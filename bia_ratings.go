package lifeboat

import (
	"encoding/json"
	"fmt"
	"slices"
)

// How a BIA's impact grows with time. The points of a BIA need not rate
// every category: a category a point leaves out keeps the rating it had at
// the point before (and has none before it is first rated). So each
// category's rating is a step function of the outage's duration.

// CategoryRating is the rating of one impact category.
type CategoryRating struct {
	Category string
	Rating   Rating
}

// Intolerance is the first point at which a BIA becomes intolerable, with
// the categories that are rated intolerable there, in the order of the
// impact scale.
type Intolerance struct {
	After  Duration
	Causes []CategoryRating
	// First says the BIA is intolerable already at its first point.
	First bool
}

// FirstIntolerable finds the earliest point at which any category reaches
// a rating the scale calls intolerable; false when none ever does. Levels
// the scale does not have count as tolerable: check reports them.
func (b *BIA) FirstIntolerable(scale *ImpactScale) (Intolerance, bool) {
	current := map[string]int{}
	for i, pt := range b.Impacts {
		for c, level := range pt.Ratings {
			current[c] = level
		}
		var causes []CategoryRating
		for _, c := range categoryOrder(scale, current) {
			if r, ok := scale.Rating(current[c]); ok && r.Intolerable {
				causes = append(causes, CategoryRating{c, r})
			}
		}
		if len(causes) > 0 {
			return Intolerance{After: pt.After, Causes: causes, First: i == 0}, true
		}
	}
	return Intolerance{}, false
}

// words tells why the point is intolerable: "customer impact becomes
// major, which is intolerable, at 8h".
func (in Intolerance) words() string {
	verb := "becomes"
	if in.First {
		verb = "is already"
	}
	parts := make([]string, len(in.Causes))
	for i, c := range in.Causes {
		parts[i] = fmt.Sprintf("%s impact %s %s", c.Category, verb, c.Rating.Name)
	}
	which := "which is intolerable"
	switch len(parts) {
	case 1:
	case 2:
		which = "both intolerable"
	default:
		which = "all intolerable"
	}
	at := fmt.Sprintf("at %s", in.After)
	if in.First {
		at += ", the BIA's first point"
	}
	return fmt.Sprintf("%s, %s, %s", joinWords(parts), which, at)
}

// categoryOrder lists the categories of ratings in the scale's order, then
// those the scale lacks in alphabetical order.
func categoryOrder(scale *ImpactScale, ratings map[string]int) []string {
	var out []string
	for _, c := range scale.Categories {
		if _, ok := ratings[c]; ok {
			out = append(out, c)
		}
	}
	for _, c := range sortedKeys(ratings) {
		if !slices.Contains(scale.Categories, c) {
			out = append(out, c)
		}
	}
	return out
}

// RatingStep is one step of a category's rating over time: from After on,
// until the next step, the category is rated Level. Name and Intolerable
// come from the scale; Name is empty for a level the scale lacks.
type RatingStep struct {
	After       Duration
	Level       int
	Name        string
	Intolerable bool
}

// MarshalJSON writes the time in seconds, as computed results are.
func (s RatingStep) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		After       int64  `json:"after_seconds"`
		Level       int    `json:"level"`
		Name        string `json:"name"`
		Intolerable bool   `json:"intolerable"`
	}{s.After.Seconds(), s.Level, s.Name, s.Intolerable})
}

// CategorySteps is one category's rating over time, for a chart.
type CategorySteps struct {
	Category string       `json:"category"`
	Steps    []RatingStep `json:"steps"`
}

// RatingsOverTime gives each category the BIA rates its rating as a step
// function: a step where it is first rated and wherever its rating
// changes. Categories come in the scale's order, then those it lacks.
func (b *BIA) RatingsOverTime(scale *ImpactScale) []CategorySteps {
	rated := map[string]int{}
	for _, pt := range b.Impacts {
		for c, level := range pt.Ratings {
			rated[c] = level
		}
	}
	out := make([]CategorySteps, 0, len(rated))
	for _, c := range categoryOrder(scale, rated) {
		cs := CategorySteps{Category: c}
		for _, pt := range b.Impacts {
			level, ok := pt.Ratings[c]
			if !ok || len(cs.Steps) > 0 && cs.Steps[len(cs.Steps)-1].Level == level {
				continue // carried forward
			}
			r, _ := scale.Rating(level)
			cs.Steps = append(cs.Steps, RatingStep{After: pt.After, Level: level, Name: r.Name, Intolerable: r.Intolerable})
		}
		out = append(out, cs)
	}
	return out
}
