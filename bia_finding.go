package lifeboat

import (
	"fmt"
	"time"
)

// The rules of the analysis on BIAs. They need no dependency graph: the
// engine's rpo-gap and vendor-gap look at what a BIA requires through the
// chains of dependencies; these look at the BIA itself and its sign-off.
const (
	// RuleRTOExceedsMTPD: a declared RTO above what the BIA allows, the
	// MTPD less the work recovery time (format.md).
	RuleRTOExceedsMTPD = "rto-exceeds-mtpd"
	// RuleBIANotApproved: a tier 0 or 1 business service without a BIA, or
	// whose BIA the business has not approved.
	RuleBIANotApproved = "bia-not-approved"
	// RuleBIAReviewDue: an approved BIA past its review interval, or whose
	// service changed since the approval.
	RuleBIAReviewDue = "bia-review-due"
)

// biaFindings runs the BIA rules; bias are the model's BIAs by service.
func biaFindings(m *Model, bias map[string]*BIA, now time.Time) []Finding {
	scale := m.Scale()
	services := make(map[string]*Service, len(m.Services))
	var out []Finding
	for _, s := range m.Services {
		services[s.ID] = s
		b := bias[s.ID]
		if f, ok := rtoExceedsMTPD(scale, s, b); ok {
			out = append(out, f)
		}
		if f, ok := biaNotApproved(scale, s, b); ok {
			out = append(out, f)
		}
	}
	for _, b := range m.BIAs {
		if st := ReviewStateOf(b, services[b.Service], now); st.Due() {
			out = append(out, Finding{Rule: RuleBIAReviewDue, Severity: SeverityWarning, Kind: ObjBIA, Subject: b.Service, Related: []string{},
				Message: fmt.Sprintf("the BIA of %q is due for review: %s; review it with the business and approve it again", b.Service, st.Reason())})
		}
	}
	return out
}

// rtoExceedsMTPD checks a declared RTO against the one the BIA allows.
func rtoExceedsMTPD(scale *ImpactScale, s *Service, b *BIA) (Finding, bool) {
	if b == nil || s.Objectives == nil || s.Objectives.RTO == nil {
		return Finding{}, false
	}
	allowed, ok := b.DerivedRTO(scale)
	if rto := *s.Objectives.RTO; !ok || rto <= allowed {
		return Finding{}, false
	}
	mtpd, _ := b.MTPD(scale)
	return Finding{Rule: RuleRTOExceedsMTPD, Severity: SeverityError, Kind: ObjService, Subject: s.ID, Related: []string{},
		Message: fmt.Sprintf("the declared RTO of %q (%s) is more than its BIA allows: %s leaves %s, so the service would be back too late to clear the backlog before the outage becomes intolerable; lower objectives.rto to %s or less, or review the BIA",
			s.ID, s.Objectives.RTO, allowanceWords(mtpd, b.WorkRecoveryTime), allowed, allowed)}, true
}

// biaNotApproved checks that a tier 0 or 1 business service has a BIA the
// business approved. The tier is the declared one or the one its RTO calls
// for, as DeriveObjectives gives it, without the wording.
func biaNotApproved(scale *ImpactScale, s *Service, b *BIA) (Finding, bool) {
	if s.Kind != KindBusinessService {
		return Finding{}, false
	}
	tier := s.Tier
	if tier == nil {
		var rto *Duration
		if s.Objectives != nil {
			rto = s.Objectives.RTO
		}
		if rto == nil && b != nil {
			if allowed, ok := b.DerivedRTO(scale); ok {
				rto = &allowed
			}
		}
		if t, ok := tierFor(scale, rto); ok {
			tier = &t.ID
		}
	}
	if tier == nil || *tier > 1 || b != nil && b.Status() == ReviewApproved {
		return Finding{}, false
	}
	f := Finding{Rule: RuleBIANotApproved, Severity: SeverityWarning, Kind: ObjBIA, Subject: s.ID, Related: []string{}}
	switch {
	case b == nil:
		f.Kind = ObjService
		f.Message = fmt.Sprintf("tier %d business service %q has no BIA, so nothing the business signed off says how long it can be down or how much data it may lose; analyse its impact and have the BIA approved", *tier, s.ID)
	case b.Status() == ReviewInReview:
		f.Message = fmt.Sprintf("the BIA of tier %d business service %q is in review, not yet approved: its objectives are not signed off until the business approves it", *tier, s.ID)
	default:
		f.Message = fmt.Sprintf("the BIA of tier %d business service %q is a draft: its objectives are not signed off until the business approves it; submit it for review", *tier, s.ID)
	}
	return f, true
}
