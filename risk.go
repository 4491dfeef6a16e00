package lifeboat

import (
	"math"
	"slices"
	"strconv"
)

// Treatment is how an organisation responds to a risk.
type Treatment string

// The treatments of ISO 31000.
const (
	TreatMitigate Treatment = "mitigate"
	TreatAccept   Treatment = "accept"
	TreatTransfer Treatment = "transfer"
	TreatAvoid    Treatment = "avoid"
)

// Treatments lists every treatment.
var Treatments = []Treatment{TreatMitigate, TreatAccept, TreatTransfer, TreatAvoid}

// Risk is a threat to services, rated qualitatively and, where the data
// allows, modelled quantitatively.
type Risk struct {
	ID          string   `json:"id" yaml:"id"`
	Title       string   `json:"title,omitempty" yaml:"title,omitempty"`
	Threat      string   `json:"threat,omitempty" yaml:"threat,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Affects     []string `json:"affects,omitempty" yaml:"affects,omitempty,flow"`
	// Owner is the person accountable for the risk.
	Owner string `json:"owner,omitempty" yaml:"owner,omitempty"`
	// Likelihood and Impact are qualitative ratings from 1 to 5.
	Likelihood int        `json:"likelihood,omitempty" yaml:"likelihood,omitempty"`
	Impact     int        `json:"impact,omitempty" yaml:"impact,omitempty"`
	Treatment  Treatment  `json:"treatment,omitempty" yaml:"treatment,omitempty"`
	Quant      *RiskQuant `json:"quant,omitempty" yaml:"quant,omitempty"`
}

// RiskQuant is a quantitative risk model: events arrive as a Poisson
// process and each costs a lognormal loss.
type RiskQuant struct {
	// Frequency is the expected number of events per year.
	Frequency float64 `json:"frequency" yaml:"frequency"`
	// Loss is the 90% confidence interval of the loss per event.
	Loss LossRange `json:"loss" yaml:"loss"`
}

// LossRange is a 90% confidence interval of a loss: 5% of events cost less
// than Low and 5% more than High.
type LossRange struct {
	Low  Amount `json:"low" yaml:"low"`
	High Amount `json:"high" yaml:"high"`
}

// Normalize sorts and deduplicates the services a risk affects.
func (r *Risk) Normalize() {
	if r.Title == "" {
		r.Title = r.ID
	}
	slices.Sort(r.Affects)
	r.Affects = slices.Compact(r.Affects)
}

// Validate checks the risk on its own; the services and owner it names are
// checked with the rest of the model.
func (r *Risk) Validate() error {
	var p Problems
	if !ValidID(r.ID) {
		p.Add("id", "%q is not a valid id: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", r.ID)
	}
	checkLen(&p, "title", r.Title, 200)
	checkLen(&p, "threat", r.Threat, 200)
	checkLen(&p, "description", r.Description, 10000)
	for i, a := range r.Affects {
		if !ValidID(a) {
			p.Add("affects["+strconv.Itoa(i)+"]", "%q is not a valid service id", a)
		}
	}
	if r.Owner != "" && !ValidID(r.Owner) {
		p.Add("owner", "%q is not a valid person id", r.Owner)
	}
	if r.Likelihood < 0 || r.Likelihood > 5 {
		p.Add("likelihood", "likelihood is rated from 1 to 5")
	}
	if r.Impact < 0 || r.Impact > 5 {
		p.Add("impact", "impact is rated from 1 to 5")
	}
	if r.Treatment != "" && !slices.Contains(Treatments, r.Treatment) {
		p.Add("treatment", "%q is not a treatment; use one of %s", r.Treatment, joinQuoted(Treatments))
	}
	if q := r.Quant; q != nil {
		if !(q.Frequency >= 0 && q.Frequency <= 1e6) {
			p.Add("quant.frequency", "the frequency is events per year, from 0 to 1,000,000")
		}
		if !(q.Loss.Low > 0 && q.Loss.Low <= MaxAmount) || math.IsInf(float64(q.Loss.Low), 0) {
			p.Add("quant.loss.low", "the low end of the loss must be above 0")
		}
		if !(q.Loss.High >= q.Loss.Low && q.Loss.High <= MaxAmount) {
			p.Add("quant.loss.high", "the high end of the loss must be at least the low end and at most 10^15")
		}
	}
	return p.Err("risk " + strconv.Quote(r.ID))
}
