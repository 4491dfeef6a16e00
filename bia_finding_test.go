package lifeboat_test

import (
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// TestBIAFindings runs the BIA rules on small models; each case lists the
// findings of those rules (rule, kind, subject) and a phrase of each.
func TestBIAFindings(t *testing.T) {
	now := at("2026-12-01T00:00:00Z")
	type want struct{ rule, kind, subject, phrase string }
	for _, tc := range []struct {
		name string
		yaml string
		want []want
	}{
		{"declared RTO above MTPD less WRT", `
services: [{id: s, owner: t, objectives: {rto: 8h, rpo: 1h}}]
bia: [{service: s, impacts: [{after: 8h, ratings: {customer: 4}}], work_recovery_time: 1h}]
`, []want{{lifeboat.RuleRTOExceedsMTPD, lifeboat.ObjService, "s",
			`the declared RTO of "s" (8h) is more than its BIA allows: the MTPD of 8h less the work recovery time of 1h leaves 7h`}}},
		{"declared RTO without a WRT", `
services: [{id: s, owner: t, objectives: {rto: 1d}}]
bia: [{service: s, impacts: [{after: 8h, ratings: {customer: 4}}]}]
`, []want{{lifeboat.RuleRTOExceedsMTPD, lifeboat.ObjService, "s", "the MTPD of 8h (without a work recovery time) leaves 8h"}}},
		{"declared RTO that fits", `
services: [{id: s, owner: t, objectives: {rto: 7h}}]
bia: [{service: s, impacts: [{after: 8h, ratings: {customer: 4}}], work_recovery_time: 1h}]
`, nil},
		{"WRT beyond the MTPD", `
services: [{id: s, owner: t, objectives: {rto: 1m}}]
bia: [{service: s, impacts: [{after: 8h, ratings: {customer: 4}}], work_recovery_time: 9h}]
`, []want{{lifeboat.RuleRTOExceedsMTPD, lifeboat.ObjService, "s", "leaves 0s"}}},
		{"no intolerable point, no check", `
services: [{id: s, owner: t, objectives: {rto: 1w}}]
bia: [{service: s, impacts: [{after: 8h, ratings: {customer: 3}}]}]
`, nil},
		{"tier 1 business service without a BIA", `
services: [{id: s, owner: t, kind: business-service, tier: 1, objectives: {rto: 4h, rpo: 1h}}]
`, []want{{lifeboat.RuleBIANotApproved, lifeboat.ObjService, "s", `tier 1 business service "s" has no BIA`}}},
		{"tier 0 business service with a draft", `
services: [{id: s, owner: t, kind: business-service, tier: 0}]
bia: [{service: s, rpo: 5m, impacts: [{after: 2h, ratings: {customer: 4}}]}]
`, []want{{lifeboat.RuleBIANotApproved, lifeboat.ObjBIA, "s", `the BIA of tier 0 business service "s" is a draft`}}},
		{"tier derived from the BIA, in review", `
services: [{id: s, owner: t, kind: business-service}]
bia: [{service: s, rpo: 5m, impacts: [{after: 5h, ratings: {customer: 4}}], review: {status: in-review}}]
`, []want{{lifeboat.RuleBIANotApproved, lifeboat.ObjBIA, "s", `the BIA of tier 1 business service "s" is in review, not yet approved`}}},
		{"approved and current", `
services: [{id: s, owner: t, kind: business-service, tier: 0}]
bia: [{service: s, rpo: 5m, impacts: [{after: 2h, ratings: {customer: 4}}], review: {status: approved, approved_by: ann, approved_at: 2026-05-01T09:00:00Z}}]
`, nil},
		{"tier 2 and applications need no approval", `
services:
  - {id: s, owner: t, kind: business-service, tier: 2}
  - {id: a, owner: t, tier: 0, objectives: {rto: 1h, rpo: 5m}}
`, nil},
		{"approved but overdue", `
services: [{id: s, owner: t, kind: business-service, tier: 3}]
bia: [{service: s, review: {status: approved, approved_by: ann, approved_at: 2025-03-14T10:00:00Z}}]
`, []want{{lifeboat.RuleBIAReviewDue, lifeboat.ObjBIA, "s",
			`the BIA of "s" is due for review: its review was due on 2026-03-14, 12 months after its approval on 2025-03-14`}}},
		{"a short interval", `
services: [{id: s, owner: t}]
bia: [{service: s, review: {status: approved, approved_by: ann, approved_at: 2026-05-01T09:00:00Z, interval_months: 6}}]
`, []want{{lifeboat.RuleBIAReviewDue, lifeboat.ObjBIA, "s", "due on 2026-11-01, 6 months after"}}},
		{"unknown resources and approver", `
services: [{id: s, owner: t}]
bia: [{service: s, resources: {systems: [s, ghost], suppliers: [bank]}, review: {status: approved, approved_by: zed, approved_at: 2026-11-01T09:00:00Z}}]
`, []want{
			{lifeboat.RuleUnknownReference, lifeboat.ObjBIA, "s", `the BIA of "s" needs supplier "bank", but the model has no service "bank"`},
			{lifeboat.RuleUnknownReference, lifeboat.ObjBIA, "s", `the BIA of "s" needs system "ghost", but the model has no service "ghost"`},
			{lifeboat.RuleUnknownReference, lifeboat.ObjBIA, "s", `the BIA of "s" was approved by "zed", but the model has no person "zed"`},
		}},
		{"a BIA of no service", `
bia: [{service: ghost}]
`, []want{{lifeboat.RuleUnknownReference, lifeboat.ObjBIA, "ghost", `there is a BIA for service "ghost", but the model has no service "ghost"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := parseModel(t, "people: [{id: ann}]\nteams: [{id: t}]\n"+tc.yaml)
			var got []lifeboat.Finding
			for _, f := range lifeboat.ModelFindings(m, now) {
				if f.Rule != lifeboat.RuleNoOwner && f.Rule != lifeboat.RuleMissingObjectives {
					got = append(got, f)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("findings %+v, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				f := got[i]
				if f.Rule != w.rule || f.Kind != w.kind || f.Subject != w.subject || !strings.Contains(f.Message, w.phrase) || f.Related == nil {
					t.Errorf("finding %d: %+v\nwant %s %s %s with %q", i, f, w.rule, w.kind, w.subject, w.phrase)
				}
			}
			for _, f := range got {
				if f.Rule == lifeboat.RuleRTOExceedsMTPD && f.Severity != lifeboat.SeverityError ||
					f.Rule != lifeboat.RuleRTOExceedsMTPD && f.Rule != lifeboat.RuleUnknownReference && f.Severity != lifeboat.SeverityWarning {
					t.Errorf("severity of %s: %s", f.Rule, f.Severity)
				}
			}
		})
	}
}

// A BIA read from a database carries the snapshot of its approval, and
// bia-review-due says what changed since.
func TestBIAReviewDueNeedsReview(t *testing.T) {
	m := parseModel(t, `
people: [{id: ann}]
services: [{id: s, kind: business-service, tier: 1, recovery: {time: 2h}, depends_on: [db]}, {id: db}, {id: payments-api}]
bia: [{service: s, rpo: 5m, impacts: [{after: 8h, ratings: {customer: 4}}], review: {status: approved, approved_by: ann, approved_at: 2026-05-01T09:00:00Z}}]
`)
	s, b := m.Services[0], m.BIAs[0]
	b.Review.Snapshot = lifeboat.TakeSnapshot(b, s)
	s.DependsOn = append(s.DependsOn, lifeboat.Dependency{On: "payments-api", Impact: lifeboat.ImpactDown})
	*s.Recovery.Time = 4 * 3600
	var msgs []string
	for _, f := range lifeboat.ModelFindings(m, at("2026-06-01T00:00:00Z")) {
		if f.Rule == lifeboat.RuleBIAReviewDue {
			msgs = append(msgs, f.Message)
		}
	}
	want := `the BIA of "s" is due for review: since its approval on 2026-05-01, recovery time changed from 2h to 4h; the dependency on payments-api was added; review it with the business and approve it again`
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("got %q\nwant %q", msgs, want)
	}
}
