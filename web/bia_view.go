package web

import (
	"cmp"
	"context"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
)

// A BIA worded for the pages: its objectives with their reasons, the RTO
// requested, committed and proven side by side, the impact table and the
// data of its two charts. The service page, the BIA's own page and the
// reports all show it.

// biaView is one BIA as its pages show it.
type biaView struct {
	*biaRecord
	Objectives   []objectiveRow
	RTO          rtoSides
	ApproverName string
	Table        impactTable
	Chart        biaChart
	committed    committed
}

// objectiveRow is one derived objective: "MTPD 8h, from the BIA, because…".
type objectiveRow struct {
	Key, Name, Title, Value string
	Source                  lifeboat.ObjectiveSource
	Reason                  string
}

// rtoSides are the RTO the business asks for, the recovery time IT can
// commit to through the dependency chains, and what an exercise proved.
type rtoSides struct {
	Requested, RequestedFrom string
	Committed                string // "" when no recovery time is known along the chain
	Chain                    []string
	Misses                   bool   // the committed time is beyond the requested RTO
	Proven                   string // "" until exercises prove recovery times
}

// impactTable is the BIA's impacts with one row per category: the rating
// at each point, carried forward where a point does not rate it.
type impactTable struct {
	Points []string
	Rows   []impactRow
	Loss   []lossCell // nil when the BIA gives no loss
	MTPD   int        // the index of the MTPD's point, -1 for none
}

type impactRow struct {
	Category string
	Cells    []ratingCell
}

type ratingCell struct {
	Level       int // 0: not rated yet
	Name        string
	Intolerable bool
	Carried     bool // the rating of an earlier point
}

type lossCell struct {
	Amount       string
	Interpolated bool
}

// committed is what the dependency engine says a service can deliver: its
// achievable recovery time through its chains ("" when none is known) and
// the slowest chain behind it.
type committed struct {
	Achievable lifeboat.Duration
	Known      bool
	Chain      []string
}

// newBIAView words a BIA with the engine's view of its service.
func newBIAView(r *biaRecord, c committed, approver string) *biaView {
	v := &biaView{biaRecord: r, ApproverName: approver, committed: c}
	d := r.Derived
	v.Objectives = []objectiveRow{
		durationRow("mtpd", "MTPD", "Maximum tolerable period of disruption", d.MTPD),
		durationRow("rto", "RTO", "Recovery time objective", d.RTO),
		durationRow("rpo", "RPO", "Recovery point objective: the most data that may be lost", d.RPO),
		{Key: "tier", Name: "Tier", Title: "Recovery tier", Value: tierValue(d.Tier), Source: d.Tier.Source, Reason: d.Tier.Reason},
	}
	v.RTO = rtoSides{Requested: durationText(d.RTO.Value), RequestedFrom: string(d.RTO.Source)}
	if c.Known {
		v.RTO.Committed, v.RTO.Chain = c.Achievable.String(), c.Chain
		v.RTO.Misses = d.RTO.Value != nil && c.Achievable > *d.RTO.Value
	}
	v.Table = newImpactTable(r.BIA, r.Scale)
	v.Chart = newBIAChart(r.BIA, r.Scale, v.Table)
	return v
}

func durationRow(key, name, title string, d lifeboat.DerivedDuration) objectiveRow {
	return objectiveRow{Key: key, Name: name, Title: title, Value: durationText(d.Value), Source: d.Source, Reason: d.Reason}
}

func durationText(d *lifeboat.Duration) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func tierValue(t lifeboat.DerivedTier) string {
	if t.Tier == nil {
		return ""
	}
	if t.Name == "" {
		return "Tier " + strconv.Itoa(*t.Tier)
	}
	return "Tier " + strconv.Itoa(*t.Tier) + " · " + t.Name
}

// ratedCategories are the categories a BIA rates, in the scale's order,
// then those the scale lacks.
func ratedCategories(b *lifeboat.BIA, scale *lifeboat.ImpactScale) []string {
	var out []string
	for _, cs := range b.RatingsOverTime(scale) {
		out = append(out, cs.Category)
	}
	return out
}

func newImpactTable(b *lifeboat.BIA, scale *lifeboat.ImpactScale) impactTable {
	t := impactTable{MTPD: -1}
	mtpd, hasMTPD := b.MTPD(scale)
	for i, pt := range b.Impacts {
		t.Points = append(t.Points, pt.After.String())
		if hasMTPD && pt.After == mtpd {
			t.MTPD = i
		}
	}
	for _, c := range ratedCategories(b, scale) {
		row := impactRow{Category: c}
		last := 0
		for _, pt := range b.Impacts {
			level, rated := pt.Ratings[c]
			if !rated {
				level = last
			}
			cell := ratingCell{Level: level, Carried: !rated && level != 0}
			if rt, ok := scale.Rating(level); ok {
				cell.Name, cell.Intolerable = rt.Name, rt.Intolerable
			}
			row.Cells = append(row.Cells, cell)
			last = level
		}
		t.Rows = append(t.Rows, row)
	}
	if b.HasLoss() {
		for _, pt := range b.Impacts {
			a, _ := b.LossAt(pt.After)
			t.Loss = append(t.Loss, lossCell{Amount: money(a, scale.Currency), Interpolated: pt.Loss == nil})
		}
	}
	return t
}

// biaChart is what bia.js draws: each category's rating at each point as
// step lines over the intolerable band, and the cumulative loss.
type biaChart struct {
	Points     []string      `json:"points"`
	Categories []chartSeries `json:"categories"`
	Ratings    []chartRating `json:"ratings"`
	MTPD       string        `json:"mtpd,omitempty"`
	Loss       *lossChart    `json:"loss,omitempty"`
}

type chartSeries struct {
	Name   string `json:"name"`
	Levels []*int `json:"levels"` // null before the category is first rated
}

type chartRating struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Intolerable bool   `json:"intolerable"`
}

// lossChart is the cumulative loss from the start of the outage through
// each point, linear in between as format.md says, and the same in the
// worst peak period.
type lossChart struct {
	Currency string    `json:"currency"`
	Hours    []float64 `json:"hours"`
	Amounts  []float64 `json:"amounts"`
	// Beyond goes on a quarter past the last point at the last segment's
	// rate, as the loss does after the last point.
	Beyond     [2]float64 `json:"beyond"` // hours, amount
	MTPDHours  float64    `json:"mtpd_hours,omitempty"`
	PeakName   string     `json:"peak_name,omitempty"`
	PeakFactor float64    `json:"peak_factor,omitempty"`
}

func newBIAChart(b *lifeboat.BIA, scale *lifeboat.ImpactScale, t impactTable) biaChart {
	c := biaChart{Points: t.Points}
	if t.MTPD >= 0 {
		c.MTPD = t.Points[t.MTPD]
	}
	for _, r := range scale.Ratings {
		c.Ratings = append(c.Ratings, chartRating{r.Level, r.Name, r.Intolerable})
	}
	for _, row := range t.Rows {
		s := chartSeries{Name: row.Category}
		for _, cell := range row.Cells {
			if cell.Level == 0 {
				s.Levels = append(s.Levels, nil)
			} else {
				s.Levels = append(s.Levels, &cell.Level)
			}
		}
		c.Categories = append(c.Categories, s)
	}
	if !b.HasLoss() || len(b.Impacts) == 0 {
		return c
	}
	l := &lossChart{Currency: scale.Currency, Hours: []float64{0}, Amounts: []float64{0}}
	for _, pt := range b.Impacts {
		a, _ := b.LossAt(pt.After)
		l.Hours, l.Amounts = append(l.Hours, hours(pt.After)), append(l.Amounts, float64(a))
	}
	end := b.Impacts[len(b.Impacts)-1].After * 5 / 4
	a, _ := b.LossAt(end)
	l.Beyond = [2]float64{hours(end), float64(a)}
	if mtpd, ok := b.MTPD(scale); ok {
		l.MTPDHours = hours(mtpd)
	}
	if i := worstPeak(b.PeakPeriods); i >= 0 {
		l.PeakName, l.PeakFactor = b.PeakPeriods[i].Name, b.PeakPeriods[i].Multiplier()
	}
	c.Loss = l
	return c
}

func hours(d lifeboat.Duration) float64 { return float64(d) / 3600 }

// worstPeak is the index of the peak period with the highest factor above
// 1, or -1.
func worstPeak(ps []lifeboat.PeakPeriod) int {
	best := -1
	for i, p := range ps {
		if p.Multiplier() > 1 && (best < 0 || p.Multiplier() > ps[best].Multiplier()) {
			best = i
		}
	}
	return best
}

// biaViewOf reads and words the BIA of a service with the engine's view of
// its recovery; nil without a BIA.
func (s *Server) biaViewOf(ctx context.Context, svc *lifeboat.Service) (*biaView, error) {
	b, st, err := s.BIAs.FindBIA(ctx, svc.ID, s.Auth.Now())
	if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	scale, err := s.impactScale(ctx)
	if err != nil {
		return nil, err
	}
	committed, err := s.committedOf(ctx, svc.ID)
	if err != nil {
		return nil, err
	}
	approver, err := s.personName(ctx, st.ApprovedBy)
	if err != nil {
		return nil, err
	}
	return newBIAView(newBIARecord(scale, svc, b, st), committed, approver), nil
}

// committedOf asks the live index what a service can deliver.
func (s *Server) committedOf(ctx context.Context, id string) (committed, error) {
	obj, chain, ok, err := s.objectivesOf(ctx, id)
	if err != nil || !ok || obj.Achievable == 0 { // zero: no recovery time is known along the chain
		return committed{}, err
	}
	c := committed{Achievable: lifeboat.Duration(obj.Achievable), Known: true}
	if len(chain) > 1 {
		c.Chain = chain
	}
	return c, nil
}

// personName is a person's name for a page, the id when the person has
// no name or is gone, "" for no id.
func (s *Server) personName(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	p, err := s.People.FindPersonByID(ctx, id)
	if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
		return id, nil
	} else if err != nil {
		return "", err
	}
	return cmp.Or(p.Name, id), nil
}

// statusLabels name the review statuses for people.
var statusLabels = map[lifeboat.ReviewStatus]string{
	lifeboat.ReviewDraft: "Draft", lifeboat.ReviewInReview: "In review", lifeboat.ReviewApproved: "Approved",
}

func statusLabel(st lifeboat.ReviewStatus) string {
	if l, ok := statusLabels[st]; ok {
		return l
	}
	return string(st)
}
