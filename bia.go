package lifeboat

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// ImpactScale is how an organisation rates the impact of an outage: the
// categories it looks at, the ordered ratings from minimal to severe (some of
// them intolerable) and the recovery tiers with the recovery time each one
// promises. There is one per organisation; DefaultImpactScale applies when
// none is given.
type ImpactScale struct {
	Categories []string `json:"categories,omitempty" yaml:"categories,omitempty,flow"`
	Ratings    []Rating `json:"ratings,omitempty" yaml:"ratings,omitempty"`
	Tiers      []Tier   `json:"tiers,omitempty" yaml:"tiers,omitempty"`
	// Currency is the ISO 4217 code of every loss figure in the BIAs.
	Currency string `json:"currency,omitempty" yaml:"currency,omitempty"`
}

// Rating is one level of impact severity.
type Rating struct {
	Level       int    `json:"level" yaml:"level"`
	Name        string `json:"name" yaml:"name"`
	Intolerable bool   `json:"intolerable,omitempty" yaml:"intolerable,omitempty"`
}

// Tier is a recovery tier: services in it are recovered within MaxRTO.
type Tier struct {
	ID     int      `json:"id" yaml:"id"`
	Name   string   `json:"name" yaml:"name"`
	MaxRTO Duration `json:"max_rto" yaml:"max_rto"`
}

// DefaultCurrency is the currency of losses when the scale names none.
const DefaultCurrency = "USD"

// DefaultImpactScale returns the scale of format v1 used when a model has
// none, freshly built on each call.
func DefaultImpactScale() *ImpactScale {
	h := Duration(3600)
	return &ImpactScale{
		Categories: []string{"financial", "operational", "customer", "reputational", "legal", "safety"},
		Ratings: []Rating{
			{Level: 1, Name: "minimal"}, {Level: 2, Name: "minor"}, {Level: 3, Name: "moderate"},
			{Level: 4, Name: "major", Intolerable: true}, {Level: 5, Name: "severe", Intolerable: true},
		},
		Tiers: []Tier{
			{ID: 0, Name: "mission-critical", MaxRTO: h}, {ID: 1, Name: "critical", MaxRTO: 4 * h},
			{ID: 2, Name: "important", MaxRTO: 24 * h}, {ID: 3, Name: "standard", MaxRTO: 72 * h},
			{ID: 4, Name: "deferrable", MaxRTO: 168 * h},
		},
		Currency: DefaultCurrency,
	}
}

// Normalize fills the parts a scale leaves out with the defaults.
func (s *ImpactScale) Normalize() {
	def := DefaultImpactScale()
	if len(s.Categories) == 0 {
		s.Categories = def.Categories
	}
	if len(s.Ratings) == 0 {
		s.Ratings = def.Ratings
	}
	if len(s.Tiers) == 0 {
		s.Tiers = def.Tiers
	}
	if s.Currency == "" {
		s.Currency = def.Currency
	}
}

// Validate checks the scale: unique categories, ratings in ascending order
// of level, tiers numbered upward with slower recovery each.
func (s *ImpactScale) Validate() error {
	var p Problems
	seen := map[string]bool{}
	for i, c := range s.Categories {
		f := "categories[" + strconv.Itoa(i) + "]"
		if !ValidID(c) {
			p.Add(f, "%q is not a valid category: use lower-case letters, digits, '.', '_' or '-'", c)
		} else if seen[c] {
			p.Add(f, "category %q is listed twice", c)
		}
		seen[c] = true
	}
	for i, r := range s.Ratings {
		f := "ratings[" + strconv.Itoa(i) + "]"
		if r.Level < 1 || r.Level > 100 {
			p.Add(f+".level", "a rating level must be between 1 and 100")
		} else if i > 0 && r.Level <= s.Ratings[i-1].Level {
			p.Add(f+".level", "ratings go from least to most severe: level %d must be above %d", r.Level, s.Ratings[i-1].Level)
		}
		if r.Name == "" {
			p.Add(f+".name", "name the rating")
		}
		checkLen(&p, f+".name", r.Name, 100)
	}
	for i, t := range s.Tiers {
		f := "tiers[" + strconv.Itoa(i) + "]"
		if t.ID < 0 || t.ID > MaxTier {
			p.Add(f+".id", "a tier id must be between 0 and %d", MaxTier)
		} else if i > 0 && t.ID <= s.Tiers[i-1].ID {
			p.Add(f+".id", "tiers go from the fastest up: tier %d must come after tier %d", s.Tiers[i-1].ID, t.ID)
		}
		if i > 0 && t.MaxRTO < s.Tiers[i-1].MaxRTO {
			p.Add(f+".max_rto", "a higher tier must not promise faster recovery (%s) than tier %d (%s)", t.MaxRTO, s.Tiers[i-1].ID, s.Tiers[i-1].MaxRTO)
		}
		if t.Name == "" {
			p.Add(f+".name", "name the tier")
		}
		checkLen(&p, f+".name", t.Name, 100)
	}
	if s.Currency != "" && !currencyPattern.MatchString(s.Currency) {
		p.Add("currency", "%q is not an ISO 4217 currency code such as EUR or USD", s.Currency)
	}
	return p.Err("impact_scale")
}

// Rating returns the rating of a level, if the scale has it.
func (s *ImpactScale) Rating(level int) (Rating, bool) {
	i := slices.IndexFunc(s.Ratings, func(r Rating) bool { return r.Level == level })
	if i < 0 {
		return Rating{}, false
	}
	return s.Ratings[i], true
}

// BIA is the business impact analysis of one service: how the impact of an
// outage grows with its duration, and what recovery must achieve.
type BIA struct {
	Service string        `json:"service" yaml:"service"`
	Impacts []ImpactPoint `json:"impacts,omitempty" yaml:"impacts,omitempty"`
	// WorkRecoveryTime is the WRT: time to verify data and clear the
	// backlog once the service is restored.
	WorkRecoveryTime *Duration `json:"work_recovery_time,omitempty" yaml:"work_recovery_time,omitempty"`
	RPO              *Duration `json:"rpo,omitempty" yaml:"rpo,omitempty"`
	// MBCO is the minimum business continuity objective in words.
	MBCO string `json:"mbco,omitempty" yaml:"mbco,omitempty"`
	// PeakPeriods are the times of the year, month or week when an outage
	// hurts more than the impacts say (see bia_details.go).
	PeakPeriods []PeakPeriod `json:"peak_periods,omitempty" yaml:"peak_periods,omitempty"`
	// Resources are what the business needs to keep going at the MBCO
	// and to recover.
	Resources *BIAResources `json:"resources,omitempty" yaml:"resources,omitempty"`
	// Notes are the analyst's remarks in Markdown: assumptions, sources,
	// who took part.
	Notes string `json:"notes,omitempty" yaml:"notes,omitempty"`
	// Review is the BIA's sign-off (see bia_review.go); nil for a draft.
	Review *BIAReview `json:"review,omitempty" yaml:"review,omitempty"`

	// Version counts the changes to the BIA in a database; it guards
	// against overwriting someone else's change.
	Version int64 `json:"-" yaml:"-"`
}

// ImpactPoint is the impact once a disruption has lasted After: a rating
// per category and the cumulative financial loss so far.
type ImpactPoint struct {
	After   Duration       `json:"after" yaml:"after"`
	Ratings map[string]int `json:"ratings,omitempty" yaml:"ratings,omitempty,flow"`
	Loss    *Amount        `json:"loss,omitempty" yaml:"loss,omitempty"`
}

// Validate checks the BIA on its own; categories and levels are checked
// against the impact scale with the rest of the model.
func (b *BIA) Validate() error {
	var p Problems
	if !ValidID(b.Service) {
		p.Add("service", "%q is not a valid service id", b.Service)
	}
	for i, pt := range b.Impacts {
		f := "impacts[" + strconv.Itoa(i) + "]"
		if i > 0 && pt.After <= b.Impacts[i-1].After {
			p.Add(f+".after", "impacts go forward in time: %s must be after %s", pt.After, b.Impacts[i-1].After)
		}
		if pt.Loss != nil && *pt.Loss < 0 {
			p.Add(f+".loss", "a loss must not be negative")
		}
		if pt.Loss != nil && i > 0 && b.Impacts[i-1].Loss != nil && *pt.Loss < *b.Impacts[i-1].Loss {
			p.Add(f+".loss", "the loss is cumulative: %s must not be below the %s before it", pt.Loss, b.Impacts[i-1].Loss)
		}
	}
	checkLen(&p, "mbco", b.MBCO, 2000)
	b.validateDetails(&p)
	b.Review.validate(&p)
	return p.Err("bia of " + strconv.Quote(b.Service))
}

// Normalize drops empty parts and puts lists and times in their canonical
// form (see bia_details.go and bia_review.go).
func (b *BIA) Normalize() {
	b.normalizeDetails()
	if b.Review != nil {
		b.Review.normalize()
		if *b.Review == (BIAReview{}) {
			b.Review = nil
		}
	}
}

// MTPD is the earliest point of the BIA at which any category reaches a
// rating the scale calls intolerable; false when none ever does.
func (b *BIA) MTPD(scale *ImpactScale) (Duration, bool) {
	in, ok := b.FirstIntolerable(scale)
	return in.After, ok
}

// DerivedRTO is the largest RTO the BIA allows: the MTPD less the work
// recovery time, and zero when the work alone takes the whole MTPD.
func (b *BIA) DerivedRTO(scale *ImpactScale) (Duration, bool) {
	mtpd, ok := b.MTPD(scale)
	if !ok {
		return 0, false
	}
	if b.WorkRecoveryTime != nil {
		mtpd = max(0, mtpd-*b.WorkRecoveryTime)
	}
	return mtpd, true
}

// BIAStore keeps BIAs one at a time, for the pages and the API; whole
// models go through ModelStore. Every method is one transaction with an
// entry in the audit trail. ifVersion, when not zero, must match the
// stored version, or the call fails with ESTALE: so an approval covers the
// version the approver read.
type BIAStore interface {
	// FindBIA returns the BIA of a service, with the snapshot of its
	// approval, and its review state at now; ENOTFOUND when there is none.
	FindBIA(ctx context.Context, serviceID string, now time.Time) (*BIA, ReviewState, error)
	// SaveBIA creates the BIA of b.Service or replaces its content. The
	// sign-off moves only through the transitions below, so a save keeps
	// the stored status, approval and snapshot (a change to an approved
	// BIA then shows as needing review); of b.Review it takes only
	// IntervalMonths.
	SaveBIA(ctx context.Context, b *BIA, ifVersion int64) error
	// SubmitBIA sends a draft for review.
	SubmitBIA(ctx context.Context, serviceID string, ifVersion int64) (*BIA, error)
	// ApproveBIA signs off a BIA in review by a person at a time, with a
	// snapshot of the BIA and its service as they are.
	ApproveBIA(ctx context.Context, serviceID, by string, at time.Time, ifVersion int64) (*BIA, error)
	// ReturnBIAToDraft sends a BIA in review back, or reopens an approved
	// one.
	ReturnBIAToDraft(ctx context.Context, serviceID string, ifVersion int64) (*BIA, error)
}
