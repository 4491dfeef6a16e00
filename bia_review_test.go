package lifeboat_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReviewTransitions(t *testing.T) {
	approved := func() *lifeboat.BIA {
		b := &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{IntervalMonths: 6}}
		if err := b.Submit(); err != nil {
			t.Fatal(err)
		}
		if err := b.Approve("ann", at("2026-05-01T09:00:00.75+02:00"), &lifeboat.BIASnapshot{MBCO: "x"}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := approved()
	if r := b.Review; r.Status != lifeboat.ReviewApproved || r.ApprovedBy != "ann" || !r.ApprovedAt.Equal(at("2026-05-01T07:00:00Z")) ||
		r.ApprovedAt.Location() != time.UTC || r.IntervalMonths != 6 || r.Snapshot == nil || r.Snapshot.MBCO != "x" {
		t.Errorf("approved: %+v", r)
	}
	if err := b.ReturnToDraft(); err != nil {
		t.Fatal(err)
	}
	if r := b.Review; r.Status != lifeboat.ReviewDraft || r.ApprovedBy != "" || r.ApprovedAt != nil || r.Snapshot != nil || r.IntervalMonths != 6 {
		t.Errorf("reopened: %+v", r)
	}

	for _, tc := range []struct {
		name   string
		bia    func() *lifeboat.BIA
		step   func(b *lifeboat.BIA) error
		code   string
		phrase string
	}{
		{"submit in review", func() *lifeboat.BIA {
			return &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{Status: lifeboat.ReviewInReview}}
		},
			(*lifeboat.BIA).Submit, lifeboat.ECONFLICT, `the BIA of "s" is in review: only a draft can be submitted`},
		{"submit approved", approved, (*lifeboat.BIA).Submit, lifeboat.ECONFLICT, "is approved: only a draft"},
		{"approve a draft", func() *lifeboat.BIA { return &lifeboat.BIA{Service: "s"} },
			func(b *lifeboat.BIA) error { return b.Approve("ann", at("2026-05-01T09:00:00Z"), nil) }, lifeboat.ECONFLICT, "submit it for review before approving it"},
		{"approve again", approved,
			func(b *lifeboat.BIA) error { return b.Approve("ann", at("2026-06-01T09:00:00Z"), nil) }, lifeboat.ECONFLICT, "approved already"},
		{"approve by no one", func() *lifeboat.BIA {
			return &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{Status: lifeboat.ReviewInReview}}
		},
			func(b *lifeboat.BIA) error { return b.Approve("", at("2026-05-01T09:00:00Z"), nil) }, lifeboat.EINVALID, "not a valid person id"},
		{"approve at no time", func() *lifeboat.BIA {
			return &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{Status: lifeboat.ReviewInReview}}
		},
			func(b *lifeboat.BIA) error { return b.Approve("ann", time.Time{}, nil) }, lifeboat.EINVALID, "approved_at"},
		{"return a draft", func() *lifeboat.BIA { return &lifeboat.BIA{Service: "s"} }, (*lifeboat.BIA).ReturnToDraft, lifeboat.ECONFLICT, "a draft already"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.bia()
			before := *b
			err := tc.step(b)
			if lifeboat.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.phrase) {
				t.Fatalf("error %v (%s), want %s with %q", err, lifeboat.ErrorCode(err), tc.code, tc.phrase)
			}
			if b.Review != before.Review {
				t.Errorf("a refused step changed the review: %+v", b.Review)
			}
		})
	}

	// Submitting from the start, and sending back from review.
	b = &lifeboat.BIA{Service: "s"}
	if err := b.Submit(); err != nil || b.Status() != lifeboat.ReviewInReview {
		t.Fatalf("submit: %v %s", err, b.Status())
	}
	if err := b.ReturnToDraft(); err != nil || b.Status() != lifeboat.ReviewDraft {
		t.Fatalf("return: %v %s", err, b.Status())
	}
}

func TestReviewOverdue(t *testing.T) {
	for _, tc := range []struct {
		approved string
		months   int
		now      string
		due      string
		overdue  bool
	}{
		{"2025-03-14T10:00:00Z", 0, "2026-03-14T09:59:59Z", "2026-03-14T10:00:00Z", false},
		{"2025-03-14T10:00:00Z", 0, "2026-03-14T10:00:00Z", "2026-03-14T10:00:00Z", true},
		{"2026-01-31T00:00:00Z", 1, "2026-02-28T00:00:00Z", "2026-02-28T00:00:00Z", true}, // a shorter month keeps to its end
		{"2024-02-29T12:00:00Z", 12, "2025-02-28T11:00:00Z", "2025-02-28T12:00:00Z", false},
		{"2026-05-01T09:00:00Z", 24, "2027-06-01T00:00:00Z", "2028-05-01T09:00:00Z", false},
	} {
		a := at(tc.approved)
		b := &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{Status: lifeboat.ReviewApproved, ApprovedBy: "ann", ApprovedAt: &a, IntervalMonths: tc.months}}
		st := lifeboat.ReviewStateOf(b, nil, at(tc.now))
		if !st.DueAt.Equal(at(tc.due)) || st.Overdue != tc.overdue || st.NeedsReview || st.Due() != tc.overdue {
			t.Errorf("approved %s for %d months, at %s: due %s overdue %v, want %s %v", tc.approved, tc.months, tc.now, st.DueAt, st.Overdue, tc.due, tc.overdue)
		}
	}
	a := at("2025-03-14T10:00:00Z")
	b := &lifeboat.BIA{Service: "s", Review: &lifeboat.BIAReview{Status: lifeboat.ReviewApproved, ApprovedBy: "ann", ApprovedAt: &a}}
	if got, want := lifeboat.ReviewStateOf(b, nil, at("2026-12-01T00:00:00Z")).Reason(), "its review was due on 2026-03-14, 12 months after its approval on 2025-03-14"; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	for _, st := range []lifeboat.ReviewStatus{lifeboat.ReviewDraft, lifeboat.ReviewInReview} {
		if s := lifeboat.ReviewStateOf(&lifeboat.BIA{Review: &lifeboat.BIAReview{Status: st}}, nil, a); s.Due() || s.DueAt != nil || s.Reason() != "" {
			t.Errorf("%s: %+v", st, s)
		}
	}
}

func TestReviewsChangeAt(t *testing.T) {
	approvedAt := func(s string, months int) *lifeboat.BIA {
		a := at(s)
		return &lifeboat.BIA{Review: &lifeboat.BIAReview{Status: lifeboat.ReviewApproved, ApprovedBy: "p", ApprovedAt: &a, IntervalMonths: months}}
	}
	bias := []*lifeboat.BIA{approvedAt("2025-01-01T00:00:00Z", 12), approvedAt("2026-06-01T00:00:00Z", 12), approvedAt("2026-03-01T00:00:00Z", 6),
		{Review: &lifeboat.BIAReview{Status: lifeboat.ReviewInReview}}, {}}
	next, ok := lifeboat.ReviewsChangeAt(bias, at("2026-07-01T00:00:00Z"))
	if !ok || !next.Equal(at("2026-09-01T00:00:00Z")) {
		t.Errorf("next %s %v, want the approval of March falling due in September", next, ok)
	}
	if _, ok := lifeboat.ReviewsChangeAt(bias, at("2030-01-01T00:00:00Z")); ok {
		t.Error("every approval is overdue: nothing changes with time any more")
	}
}

// TestNeedsReview: each change to what an approval covered is named.
func TestNeedsReview(t *testing.T) {
	base := `
services:
  - id: s
    tier: 1
    objectives: {rto: 4h, rpo: 15m}
    recovery: {time: 2h, data_loss: 5m}
    depends_on:
      - db
      - {on: cache, impact: degraded}
      - {on: wms, workaround: 8h, type: uses}
      - {any_of: [east, west]}
bia:
  - service: s
    impacts:
      - {after: 1h, ratings: {customer: 2}, loss: 1000}
      - {after: 8h, ratings: {customer: 4}, loss: 50000}
    work_recovery_time: 1h
    rpo: 15m
    mbco: Phone orders
    peak_periods: [{name: Christmas, when: December, months: [12]}]
    resources: {people: [{role: Agent, count: 3}], systems: [db]}
    notes: Workshop notes.
`
	cases := []struct {
		name string
		edit func(s *lifeboat.Service, b *lifeboat.BIA)
		want []string
	}{
		{"nothing", func(*lifeboat.Service, *lifeboat.BIA) {}, nil},
		{"notes only", func(_ *lifeboat.Service, b *lifeboat.BIA) { b.Notes = "Other notes." }, nil},
		{"a dependency added", func(s *lifeboat.Service, _ *lifeboat.BIA) {
			s.DependsOn = append(s.DependsOn, lifeboat.Dependency{On: "payments-api", Impact: lifeboat.ImpactDown})
		}, []string{"the dependency on payments-api was added"}},
		{"a dependency removed and one changed", func(s *lifeboat.Service, _ *lifeboat.BIA) {
			s.DependsOn = s.DependsOn[1:]
			s.DependsOn[0].Impact = lifeboat.ImpactDown
			s.DependsOn[1].Workaround = nil
			s.DependsOn[1].Type = ""
		}, []string{"the dependency on cache changed: now hard (down)", "the dependency on wms changed: type uses → none, workaround 8h → none",
			"the dependency on db was removed"}},
		{"a group reordered and tightened", func(s *lifeboat.Service, _ *lifeboat.BIA) {
			s.DependsOn[3] = lifeboat.Dependency{AnyOf: []string{"west", "east"}, MinUp: 2, Impact: lifeboat.ImpactDown}
		}, []string{"the dependency on any 2 of west, east changed: min_up 1 → 2"}},
		{"recovery and objectives", func(s *lifeboat.Service, _ *lifeboat.BIA) {
			s.Recovery.Time = dur(4 * 3600)
			s.Recovery.DataLoss = nil
			s.Objectives.RTO, s.Objectives.MTPD = dur(2*3600), dur(86400)
			s.Tier = nil
		}, []string{"the tier was removed (it was 1)", "objectives changed: RTO 4h → 2h, MTPD none → 1d",
			"recovery time changed from 2h to 4h", "the worst-case data loss was removed (it was 5m)"}},
		{"the BIA itself", func(_ *lifeboat.Service, b *lifeboat.BIA) {
			b.Impacts[1].Ratings = map[string]int{"customer": 5, "legal": 2}
			b.Impacts[1].Loss = nil
			b.Impacts = append(b.Impacts, lifeboat.ImpactPoint{After: 86400})
			b.Impacts = b.Impacts[1:]
			b.WorkRecoveryTime = dur(7200)
			b.RPO = nil
			b.MBCO = "Nothing"
			b.PeakPeriods = []lifeboat.PeakPeriod{{Name: "Black Friday", When: "November"}}
			b.Resources.Systems = nil
		}, []string{"the impact at 8h changed: customer 4 → 5, legal unrated → 2, loss 50000 → none", "an impact point at 1d was added",
			"the impact point at 1h was removed", "the work recovery time changed from 1h to 2h", "the BIA's RPO was removed (it was 15m)",
			"the MBCO changed", `the peak period "Black Friday" was added`, `the peak period "Christmas" was removed`, "the resources needed changed: systems"}},
		{"the service gone", func(*lifeboat.Service, *lifeboat.BIA) {}, []string{"the service is gone from the model"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := parseModel(t, base)
			s, b := m.Services[0], m.BIAs[0]
			approvedAt := at("2026-05-01T09:00:00Z")
			b.Review = &lifeboat.BIAReview{Status: lifeboat.ReviewApproved, ApprovedBy: "ann", ApprovedAt: &approvedAt,
				Snapshot: lifeboat.TakeSnapshot(b, s)}
			tc.edit(s, b)
			if tc.name == "the service gone" {
				s = nil
			}
			st := lifeboat.ReviewStateOf(b, s, at("2026-06-01T00:00:00Z"))
			if !slices.Equal(st.Changes, tc.want) || st.NeedsReview != (len(tc.want) > 0) || st.Overdue {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(st.Changes, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(tc.want) > 0 && !strings.HasPrefix(st.Reason(), "since its approval on 2026-05-01, "+tc.want[0]) {
				t.Errorf("reason %q", st.Reason())
			}
		})
	}
}

// TakeSnapshot copies: changing the BIA or the service afterwards does
// not change the snapshot.
func TestTakeSnapshotCopies(t *testing.T) {
	s := &lifeboat.Service{ID: "s", Objectives: &lifeboat.Objectives{RTO: dur(3600)}, DependsOn: []lifeboat.Dependency{{On: "db", Impact: lifeboat.ImpactDown}}}
	b := &lifeboat.BIA{Service: "s", Impacts: []lifeboat.ImpactPoint{{After: 3600, Ratings: map[string]int{"customer": 2}}}}
	snap := lifeboat.TakeSnapshot(b, s)
	*s.Objectives.RTO = 60
	s.DependsOn[0].On = "other"
	b.Impacts[0].Ratings["customer"] = 5
	if *snap.Objectives.RTO != 3600 || snap.DependsOn[0].On != "db" || snap.Impacts[0].Ratings["customer"] != 2 {
		t.Errorf("the snapshot shares memory: %+v", snap)
	}
}

func dur(s int64) *lifeboat.Duration {
	d := lifeboat.Duration(s)
	return &d
}
