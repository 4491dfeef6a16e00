package gen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// Model returns a whole seeded model around a layered catalog of n
// services: teams with members, people, an impact scale, a BIA for every
// business service and a risk per hundred services, with every optional
// field of the format in use somewhere, so that round trips through files
// and databases have everything to lose.
func Model(seed uint64, n int) *lifeboat.Model {
	rng := rand.New(rand.NewPCG(seed^0x5eed, seed))
	teams := max(1, n/100)
	m := &lifeboat.Model{Services: Catalog(seed, n, teams, Layered), Teams: Teams(teams)}
	for i := range max(2, teams*3) {
		m.People = append(m.People, &lifeboat.Person{ID: fmt.Sprintf("person-%05d", i), Name: fmt.Sprintf("Person %d", i),
			Email: fmt.Sprintf("person%d@example.com", i), Phone: fmt.Sprintf("+1 555 %04d", i%10000)})
	}
	for i, t := range m.Teams {
		t.Description = fmt.Sprintf("Team %d keeps its services recoverable.", i)
		t.Members = []string{m.People[(3*i)%len(m.People)].ID, m.People[(3*i+1)%len(m.People)].ID}
	}
	for _, s := range m.Services {
		decorate(rng, s)
		if s.Kind == lifeboat.KindBusinessService && rng.IntN(2) == 0 {
			b := bia(rng, s.ID)
			details(rng, b, m)
			m.BIAs = append(m.BIAs, b)
		}
	}
	m.ImpactScale = lifeboat.DefaultImpactScale()
	m.ImpactScale.Currency = "EUR"
	for i := range max(1, n/100) {
		m.Risks = append(m.Risks, risk(rng, i, m))
	}
	return m
}

// decorate fills the optional fields the catalog generator leaves empty.
func decorate(rng *rand.Rand, s *lifeboat.Service) {
	if rng.IntN(5) == 0 {
		s.Description = fmt.Sprintf("%s, generated.\nSecond line: \"quoted\", colon: yes, # not a comment.", s.Name)
	}
	if rng.IntN(10) == 0 {
		s.Lifecycle = []lifeboat.Lifecycle{lifeboat.LifecyclePlanned, lifeboat.LifecycleDeprecated, lifeboat.LifecycleRetired}[rng.IntN(3)]
	}
	if rng.IntN(3) == 0 {
		rto, rpo := dur(rng, 3600), dur(rng, 300)
		s.Objectives = &lifeboat.Objectives{RTO: rto, RPO: rpo}
		if rng.IntN(2) == 0 {
			s.Objectives.MTPD = new(*rto * 3)
		}
	}
	if s.Recovery != nil && rng.IntN(2) == 0 {
		s.Recovery.DataLoss = dur(rng, 60)
	}
	if s.Contract != nil && rng.IntN(2) == 0 {
		s.Contract.RPO = dur(rng, 900)
	}
	for i := range s.DependsOn {
		d := &s.DependsOn[i]
		if rng.IntN(5) == 0 {
			d.Type = []string{"runs-on", "hosted-in", "uses", "provided-by"}[rng.IntN(4)]
		}
		if rng.IntN(20) == 0 {
			d.Workaround = dur(rng, 3600)
		}
	}
}

func dur(rng *rand.Rand, unit int) *lifeboat.Duration {
	d := lifeboat.Duration(unit * (1 + rng.IntN(24)))
	return &d
}

func bia(rng *rand.Rand, service string) *lifeboat.BIA {
	b := &lifeboat.BIA{Service: service, WorkRecoveryTime: dur(rng, 1800), RPO: dur(rng, 300),
		MBCO: "Orders taken by phone at a fifth of normal volume"}
	loss := lifeboat.Amount(0)
	for i, after := range []lifeboat.Duration{3600, 4 * 3600, 86400, 3 * 86400} {
		loss += lifeboat.Amount(1000 * (1 + rng.IntN(500)))
		if i == 1 {
			loss += 0.5
		}
		l := loss
		b.Impacts = append(b.Impacts, lifeboat.ImpactPoint{After: after, Loss: &l,
			Ratings: map[string]int{"financial": min(5, 1+i+rng.IntN(2)), "customer": min(5, 1+i)}})
	}
	return b
}

// details gives a BIA peak periods, resources, notes and a review in one
// of its three states, naming services and people of m.
func details(rng *rand.Rand, b *lifeboat.BIA, m *lifeboat.Model) {
	factor := 1 + float64(rng.IntN(8))/4
	b.PeakPeriods = []lifeboat.PeakPeriod{{Name: "Month-end close", When: "the last 3 business days of each month", Factor: &factor}}
	if rng.IntN(2) == 0 {
		b.PeakPeriods = append(b.PeakPeriods, lifeboat.PeakPeriod{Name: "Christmas", When: "1 to 24 December", Months: []int{11, 12}})
	}
	b.Resources = &lifeboat.BIAResources{People: []lifeboat.StaffNeed{{Role: "Agent", Count: 1 + rng.IntN(40)}},
		Systems: []string{m.Services[rng.IntN(len(m.Services))].ID}, Facilities: []string{"Head office, 2nd floor"}, VitalRecords: []string{"Open orders"}}
	for _, s := range m.Services {
		if s.Kind == lifeboat.KindVendor {
			b.Resources.Suppliers = []string{s.ID}
			break
		}
	}
	b.Notes = "Workshop notes.\n\n- **Assumption**: phone orders go on."
	switch rng.IntN(3) {
	case 1:
		b.Review = &lifeboat.BIAReview{Status: lifeboat.ReviewInReview}
	case 2:
		at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(300))
		b.Review = &lifeboat.BIAReview{Status: lifeboat.ReviewApproved, ApprovedBy: m.People[rng.IntN(len(m.People))].ID, ApprovedAt: &at, IntervalMonths: 6}
	}
}

func risk(rng *rand.Rand, i int, m *lifeboat.Model) *lifeboat.Risk {
	r := &lifeboat.Risk{ID: fmt.Sprintf("risk-%04d", i), Title: fmt.Sprintf("Risk %d", i), Threat: "fire",
		Owner:      m.People[rng.IntN(len(m.People))].ID,
		Likelihood: 1 + rng.IntN(5), Impact: 1 + rng.IntN(5), Treatment: lifeboat.Treatments[rng.IntN(len(lifeboat.Treatments))],
		Affects: []string{m.Services[rng.IntN(len(m.Services))].ID}}
	if rng.IntN(2) == 0 {
		r.Quant = &lifeboat.RiskQuant{Frequency: 0.05 * float64(1+rng.IntN(10)),
			Loss: lifeboat.LossRange{Low: lifeboat.Amount(10000 * (1 + rng.IntN(10))), High: 2e6}}
	}
	return r
}
