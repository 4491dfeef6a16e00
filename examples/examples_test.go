package examples

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	engine "github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/model"
)

func load(t *testing.T) *lifeboat.Model {
	t.Helper()
	m, _, err := model.Load(".")
	if err != nil {
		t.Fatalf("model.Load: %v", err)
	}
	return m
}

// The demo has exactly the findings it was built to show: one service
// nobody owns, one tier-1 data store without an RPO, a BIA in review and a
// new business service without one, and an approval past its review date.
// Anything else, above all an unknown reference, is a mistake in the files.
func TestFindings(t *testing.T) {
	m := load(t)
	var got []string
	for _, f := range lifeboat.ModelFindings(m, AsOf()) {
		got = append(got, f.Rule+" "+f.Subject)
		if f.Severity == lifeboat.SeverityError {
			t.Errorf("error finding: %s", f.Message)
		}
	}
	want := []string{"bia-not-approved order-fulfilment", "bia-not-approved gift-cards", "bia-review-due finance-close",
		"missing-objectives wms-db", "no-owner legacy-ftp"}
	if !slices.Equal(got, want) {
		t.Errorf("findings = %q, want %q", got, want)
	}
}

// The embedded files are the files of the directory, and load into the
// same model.
func TestEmbedded(t *testing.T) {
	onDisk, err := model.Files(".")
	if err != nil {
		t.Fatal(err)
	}
	_, src, err := model.LoadFS(Files, ".")
	if err != nil {
		t.Fatal(err)
	}
	var embedded []string
	for _, f := range src.Files {
		embedded = append(embedded, f.Path)
	}
	if !slices.Equal(embedded, onDisk) {
		t.Fatalf("embedded %q, the directory has %q", embedded, onDisk)
	}
	for _, p := range onDisk {
		disk, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		embedded, err := fs.ReadFile(Files, p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(disk, embedded) {
			t.Errorf("%s: the embedded copy differs from the file", p)
		}
	}
}

// Every business service has a BIA whose numbers agree with its declared
// objectives: an MTPD exists, RTO + WRT fits within it, the declared tier is
// the one the RTO calls for, and the financial ratings follow the loss bands
// written in organisation.yaml.
func TestBIA(t *testing.T) {
	m := load(t)
	scale := m.Scale()
	services := map[string]*lifeboat.Service{}
	for _, s := range m.Services {
		services[s.ID] = s
	}
	seen := map[string]bool{}
	for _, b := range m.BIAs {
		seen[b.Service] = true
		s := services[b.Service]
		mtpd, ok := mtpdOf(b, scale)
		if !ok {
			t.Errorf("%s: no point of the BIA is intolerable, so there is no MTPD", b.Service)
			continue
		}
		var wrt lifeboat.Duration
		if b.WorkRecoveryTime != nil {
			wrt = *b.WorkRecoveryTime
		}
		rto := mtpd - wrt
		if s.Objectives != nil && s.Objectives.RTO != nil {
			rto = *s.Objectives.RTO
		}
		if rto <= 0 || rto+wrt > mtpd {
			t.Errorf("%s: RTO %s + WRT %s does not fit the MTPD %s", b.Service, rto, wrt, mtpd)
		}
		if s.Objectives != nil && s.Objectives.MTPD != nil && *s.Objectives.MTPD != mtpd {
			t.Errorf("%s: declared MTPD %s, the BIA gives %s", b.Service, s.Objectives.MTPD, mtpd)
		}
		if s.Tier != nil {
			if tier, ok := tierFor(rto, scale); !ok || tier != *s.Tier {
				t.Errorf("%s: tier %d declared, an RTO of %s calls for tier %d", b.Service, *s.Tier, rto, tier)
			}
		}
		for _, pt := range b.Impacts {
			if got, want := pt.Ratings["financial"], financialBand(pt.Loss); pt.Loss != nil && got != want {
				t.Errorf("%s after %s: financial rating %d, a loss of %s is level %d", b.Service, pt.After, got, pt.Loss, want)
			}
		}
	}
	for _, s := range m.Services {
		if s.Kind == lifeboat.KindBusinessService && !seen[s.ID] && s.ID != "gift-cards" {
			t.Errorf("business service %q has no BIA", s.ID)
		}
	}
}

// The BIAs show every state of the review cycle on the day of the story:
// several approved and current, one in review, one draft, one overdue, and
// a tier-1 business service without a BIA.
func TestReviewStates(t *testing.T) {
	m := load(t)
	services := map[string]*lifeboat.Service{}
	for _, s := range m.Services {
		services[s.ID] = s
	}
	states := map[string][]string{}
	for _, b := range m.BIAs {
		st := lifeboat.ReviewStateOf(b, services[b.Service], AsOf())
		state := string(st.Status)
		if st.Overdue {
			state = "overdue"
		}
		states[state] = append(states[state], b.Service)
		if b.PeakPeriods == nil || b.Resources == nil {
			t.Errorf("%s: the BIA has no peak periods or resources", b.Service)
		}
	}
	want := map[string][]string{
		"approved":  {"checkout", "storefront", "payments", "customer-service", "employee-sign-in"},
		"in-review": {"order-fulfilment"},
		"draft":     {"customer-notifications"},
		"overdue":   {"finance-close"},
	}
	for state, ids := range want {
		if !slices.Equal(states[state], ids) {
			t.Errorf("%s: %q, want %q", state, states[state], ids)
		}
	}
	if s := services["gift-cards"]; s == nil || s.Kind != lifeboat.KindBusinessService || s.Tier == nil || *s.Tier > 1 {
		t.Error("the demo needs a tier 0 or 1 business service without a BIA")
	}
}

// The objectives DeriveObjectives explains are the ones the dependency
// engine computes, for every service whose requirement is its own.
func TestDerivationsMatchTheEngine(t *testing.T) {
	m := load(t)
	x, err := engine.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	bias := map[string]*lifeboat.BIA{}
	for _, b := range m.BIAs {
		bias[b.Service] = b
	}
	computed := map[string]engine.ServiceObjectives{}
	for _, o := range x.Objectives().Report().Services {
		computed[o.ID] = o
	}
	seconds := func(d *lifeboat.Duration) *uint32 {
		if d == nil {
			return nil
		}
		s := uint32(*d)
		return &s
	}
	same := func(a, b *uint32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for _, s := range m.Services {
		e := computed[s.ID]
		if e.Source == "inherited" || e.RPOSource == "inherited" {
			continue
		}
		d := lifeboat.DeriveObjectives(m.Scale(), s, bias[s.ID])
		if !same(seconds(d.MTPD.Value), e.MTPD) || !same(seconds(d.RTO.Value), e.RTO) || !same(seconds(d.RPO.Value), e.RPO) ||
			string(d.RTO.Source) != e.Source || string(d.Tier.Source) != e.TierSource || (d.Tier.Tier == nil) != (e.Tier == nil) ||
			d.Tier.Tier != nil && *d.Tier.Tier != *e.Tier {
			t.Errorf("%s: derived %+v\nthe engine %+v", s.ID, d, e)
		}
	}
}

// Every technical service with a declared tier and RTO is in the tier its RTO
// calls for.
func TestTiers(t *testing.T) {
	m := load(t)
	for _, s := range m.Services {
		if s.Tier == nil || s.Objectives == nil || s.Objectives.RTO == nil {
			continue
		}
		if tier, ok := tierFor(*s.Objectives.RTO, m.Scale()); !ok || tier != *s.Tier {
			t.Errorf("%s: tier %d declared, an RTO of %s calls for tier %d", s.ID, *s.Tier, s.Objectives.RTO, tier)
		}
	}
}

// mtpdOf is the earliest point of a BIA with an intolerable rating.
func mtpdOf(b *lifeboat.BIA, scale *lifeboat.ImpactScale) (lifeboat.Duration, bool) {
	for _, pt := range b.Impacts {
		for _, level := range pt.Ratings {
			if r, ok := scale.Rating(level); ok && r.Intolerable {
				return pt.After, true
			}
		}
	}
	return 0, false
}

// tierFor is the slowest tier whose promise is still within the RTO.
func tierFor(rto lifeboat.Duration, scale *lifeboat.ImpactScale) (int, bool) {
	tier, ok := 0, false
	for _, t := range scale.Tiers {
		if t.MaxRTO <= rto {
			tier, ok = t.ID, true
		}
	}
	return tier, ok
}

// financialBand is the financial rating of a cumulative loss, by the bands
// in organisation.yaml.
func financialBand(loss *lifeboat.Amount) int {
	switch l := float64(*loss); {
	case l < 10_000:
		return 1
	case l < 100_000:
		return 2
	case l < 400_000:
		return 3
	case l < 2_000_000:
		return 4
	default:
		return 5
	}
}

// The weak spots README.md describes, computed from the files by a plain
// reading of the rules in product.md, until the dependency engine lands:
//
//   - achievable recovery time: the service's recovery.time (for a vendor
//     without one, its contracted RTO) plus the longest achievable time among
//     its hard dependencies; a redundancy group counts its min_up-th fastest
//     member, and a dependency covered by a workaround counts nothing while
//     its time stays within the workaround;
//   - required RTO and RPO: the service's own (declared, else from its BIA),
//     tightened by those of the services that depend on it hard, directly
//     (members of a redundancy group are not each held to the dependent's
//     objectives: the group is, through the dependent's achievable time);
//   - rto-gap: achievable above the required RTO; rpo-gap: data_loss above
//     the required RPO; vendor-gap: a contract weaker than the requirement.
func TestWeakSpots(t *testing.T) {
	g := newGraph(load(t))
	if c := g.cycle(); c != nil {
		t.Fatalf("dependency cycle: %q", c)
	}
	var gaps []string
	for _, s := range g.model.Services {
		rto, hasRTO := g.required(s.ID, g.rto)
		rpo, hasRPO := g.required(s.ID, g.rpo)
		c := s.Contract
		switch {
		case c != nil: // a vendor is held to its contract
			if hasRTO && c.RTO != nil && *c.RTO > rto || hasRPO && c.RPO != nil && *c.RPO > rpo {
				gaps = append(gaps, "vendor-gap "+s.ID)
			}
		case hasRTO && g.achievable(s.ID) > rto:
			gaps = append(gaps, "rto-gap "+s.ID)
		}
		if r := s.Recovery; hasRPO && r != nil && r.DataLoss != nil && *r.DataLoss > rpo {
			gaps = append(gaps, "rpo-gap "+s.ID)
		}
	}
	slices.Sort(gaps)
	want := []string{
		// The catalog is restored from its nightly backup into the East
		// cluster only: the cluster's rebuild and a 2-hour restore are well
		// over the storefront's 4 hours.
		"rto-gap storefront", "rto-gap catalog-api", "rto-gap catalog-db",
		// The carrier restores its API within a day and nothing covers
		// labels: the same weakness seen from both sides.
		"vendor-gap carrier-api", "rto-gap shipping-labels", "rto-gap order-fulfilment",
		// Nightly ERP backups against the 4 hours of finance's BIA.
		"rpo-gap erp-db",
	}
	slices.Sort(want)
	if !slices.Equal(gaps, want) {
		t.Errorf("weak spots = %q\nwant %q", gaps, want)
	}
}

type graph struct {
	model      *lifeboat.Model
	services   map[string]*lifeboat.Service
	bias       map[string]*lifeboat.BIA
	dependents map[string][]string // services that depend hard and directly on the key
	memo       map[string]lifeboat.Duration
}

func newGraph(m *lifeboat.Model) *graph {
	g := &graph{model: m, services: map[string]*lifeboat.Service{}, bias: map[string]*lifeboat.BIA{},
		dependents: map[string][]string{}, memo: map[string]lifeboat.Duration{}}
	for _, s := range m.Services {
		g.services[s.ID] = s
		for _, d := range s.DependsOn {
			if !d.Soft() && !d.IsGroup() {
				g.dependents[d.On] = append(g.dependents[d.On], s.ID)
			}
		}
	}
	for _, b := range m.BIAs {
		g.bias[b.Service] = b
	}
	return g
}

// cycle returns the services of a dependency cycle, soft edges included.
func (g *graph) cycle() []string {
	state := map[string]int{} // 1 on the path, 2 done
	var path []string
	var visit func(id string) []string
	visit = func(id string) []string {
		switch state[id] {
		case 1:
			return append(slices.Clone(path[slices.Index(path, id):]), id)
		case 2:
			return nil
		}
		state[id] = 1
		path = append(path, id)
		for _, t := range g.services[id].DependencyIDs() {
			if c := visit(t); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		state[id] = 2
		return nil
	}
	for _, s := range g.model.Services {
		if c := visit(s.ID); c != nil {
			return c
		}
	}
	return nil
}

func (g *graph) achievable(id string) lifeboat.Duration {
	if a, ok := g.memo[id]; ok {
		return a
	}
	s := g.services[id]
	var own lifeboat.Duration
	switch {
	case s.Recovery != nil && s.Recovery.Time != nil:
		own = *s.Recovery.Time
	case s.Contract != nil && s.Contract.RTO != nil:
		own = *s.Contract.RTO
	}
	var longest lifeboat.Duration
	for _, d := range s.DependsOn {
		if d.Soft() {
			continue
		}
		var t lifeboat.Duration
		if d.IsGroup() {
			times := make([]lifeboat.Duration, len(d.AnyOf))
			for i, m := range d.AnyOf {
				times[i] = g.achievable(m)
			}
			slices.Sort(times)
			t = times[min(d.MinUp, len(times))-1]
		} else {
			t = g.achievable(d.On)
		}
		if d.Workaround != nil && t <= *d.Workaround {
			t = 0
		}
		longest = max(longest, t)
	}
	g.memo[id] = own + longest
	return own + longest
}

// required is the strictest objective of a service and of everything that
// depends on it hard and directly, with own giving a service's own.
func (g *graph) required(id string, own func(id string) (lifeboat.Duration, bool)) (lifeboat.Duration, bool) {
	best, ok := own(id)
	for _, d := range g.dependents[id] {
		if v, has := g.required(d, own); has && (!ok || v < best) {
			best, ok = v, true
		}
	}
	return best, ok
}

// rto is a service's own RTO: declared, else MTPD - WRT from its BIA.
func (g *graph) rto(id string) (lifeboat.Duration, bool) {
	s, b := g.services[id], g.bias[id]
	if s.Objectives != nil && s.Objectives.RTO != nil {
		return *s.Objectives.RTO, true
	}
	if b != nil {
		if mtpd, ok := mtpdOf(b, g.model.Scale()); ok {
			var wrt lifeboat.Duration
			if b.WorkRecoveryTime != nil {
				wrt = *b.WorkRecoveryTime
			}
			return mtpd - wrt, true
		}
	}
	return 0, false
}

// rpo is a service's own RPO: declared, else from its BIA.
func (g *graph) rpo(id string) (lifeboat.Duration, bool) {
	s, b := g.services[id], g.bias[id]
	if s.Objectives != nil && s.Objectives.RPO != nil {
		return *s.Objectives.RPO, true
	}
	if b != nil && b.RPO != nil {
		return *b.RPO, true
	}
	return 0, false
}
