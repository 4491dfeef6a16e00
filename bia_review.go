package lifeboat

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A BIA is signed off by the business: drafted, submitted for review and
// approved by a person at a time. The approval lapses in two ways, both
// derived rather than stored: when the review interval has passed since
// (overdue), and when what the approval covered has changed (needs
// review), such as a dependency of the service or its recovery time. The
// approval keeps a snapshot of what it covered (BIASnapshot) to tell.

// ReviewStatus is where a BIA is in its sign-off.
type ReviewStatus string

// The review statuses, in the order a BIA goes through them.
const (
	ReviewDraft    ReviewStatus = "draft"
	ReviewInReview ReviewStatus = "in-review"
	ReviewApproved ReviewStatus = "approved"
)

// ReviewStatuses lists the review statuses in order.
var ReviewStatuses = []ReviewStatus{ReviewDraft, ReviewInReview, ReviewApproved}

// DefaultReviewMonths is how long an approval holds when the BIA names no
// interval: a year, as ISO 22301 audits expect.
const DefaultReviewMonths = 12

// MaxReviewMonths bounds the review interval to ten years.
const MaxReviewMonths = 120

// TimePattern is the regular expression a time in a model file matches:
// RFC 3339 with a time zone, to the second or finer.
const TimePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`

// BIAReview is the sign-off of a BIA.
type BIAReview struct {
	// Status is draft unless set.
	Status ReviewStatus `json:"status,omitempty" yaml:"status,omitempty"`
	// ApprovedBy and ApprovedAt say who approved the BIA and when; an
	// approved BIA has both, any other has neither.
	ApprovedBy string     `json:"approved_by,omitempty" yaml:"approved_by,omitempty"`
	ApprovedAt *time.Time `json:"approved_at,omitempty" yaml:"approved_at,omitempty"`
	// IntervalMonths is how long an approval holds; 0 means
	// DefaultReviewMonths.
	IntervalMonths int `json:"interval_months,omitempty" yaml:"interval_months,omitempty"`
	// Snapshot is what the approval covered, taken by the store when the
	// BIA was approved. Files do not carry it, so a model read from files
	// can be overdue but cannot tell whether it needs review.
	Snapshot *BIASnapshot `json:"-" yaml:"-"`
}

// Status returns the BIA's review status: draft unless it says otherwise.
func (b *BIA) Status() ReviewStatus {
	if b.Review == nil || b.Review.Status == "" {
		return ReviewDraft
	}
	return b.Review.Status
}

// Interval is how many months an approval holds.
func (r *BIAReview) Interval() int {
	if r == nil || r.IntervalMonths == 0 {
		return DefaultReviewMonths
	}
	return r.IntervalMonths
}

// normalize keeps approval times in UTC to the second, which is what the
// stores keep and what files show.
func (r *BIAReview) normalize() {
	if r.ApprovedAt != nil {
		t := r.ApprovedAt.UTC().Truncate(time.Second)
		r.ApprovedAt = &t
	}
}

func (r *BIAReview) validate(p *Problems) {
	if r == nil {
		return
	}
	if r.Status != "" && !slices.Contains(ReviewStatuses, r.Status) {
		p.Add("review.status", "%q is not a review status; use one of %s", r.Status, joinQuoted(ReviewStatuses))
	}
	if r.Status == ReviewApproved {
		if r.ApprovedBy == "" {
			p.Add("review.approved_by", "an approved BIA names who approved it: a person id")
		}
		if r.ApprovedAt == nil {
			p.Add("review.approved_at", "an approved BIA says when it was approved, such as 2026-05-01T09:00:00Z")
		}
	} else {
		if r.ApprovedBy != "" {
			p.Add("review.approved_by", "only an approved BIA has approved_by; set status to approved or remove it")
		}
		if r.ApprovedAt != nil {
			p.Add("review.approved_at", "only an approved BIA has approved_at; set status to approved or remove it")
		}
	}
	if r.ApprovedAt != nil && (r.ApprovedAt.Year() < 1970 || r.ApprovedAt.Year() > 9999) {
		p.Add("review.approved_at", "the approval time must be between the years 1970 and 9999")
	}
	if r.ApprovedBy != "" && !ValidID(r.ApprovedBy) {
		p.Add("review.approved_by", "%q is not a valid person id", r.ApprovedBy)
	}
	if r.IntervalMonths < 0 || r.IntervalMonths > MaxReviewMonths {
		p.Add("review.interval_months", "the review interval must be between 1 and %d months", MaxReviewMonths)
	}
}

// statusWords says what a status means in a sentence: "is a draft".
func statusWords(s ReviewStatus) string {
	switch s {
	case ReviewInReview:
		return "is in review"
	case ReviewApproved:
		return "is approved"
	}
	return "is a draft"
}

// Submit sends a draft BIA for review.
func (b *BIA) Submit() error {
	if st := b.Status(); st != ReviewDraft {
		return Errorf(ECONFLICT, "the BIA of %q %s: only a draft can be submitted for review", b.Service, statusWords(st))
	}
	b.setReview(ReviewInReview, "", nil, nil)
	return nil
}

// Approve signs off a BIA in review: by a person (a person id) at a time,
// covering snap, what the BIA and its service hold at that time (see
// TakeSnapshot).
func (b *BIA) Approve(by string, at time.Time, snap *BIASnapshot) error {
	var p Problems
	if !ValidID(by) {
		p.Add("approved_by", "%q is not a valid person id", by)
	}
	if at.IsZero() {
		p.Add("approved_at", "say when the BIA was approved")
	}
	if err := p.Err("the approval of the BIA of " + fmt.Sprintf("%q", b.Service)); err != nil {
		return err
	}
	switch st := b.Status(); st {
	case ReviewDraft:
		return Errorf(ECONFLICT, "the BIA of %q is a draft: submit it for review before approving it", b.Service)
	case ReviewApproved:
		return Errorf(ECONFLICT, "the BIA of %q is approved already: return it to draft and submit it again to approve a new version", b.Service)
	}
	at = at.UTC().Truncate(time.Second)
	b.setReview(ReviewApproved, by, &at, snap)
	return nil
}

// ReturnToDraft sends a BIA in review back to its authors, or reopens an
// approved one for changes: either way it is a draft again and any
// approval is gone (the audit trail keeps it).
func (b *BIA) ReturnToDraft() error {
	if b.Status() == ReviewDraft {
		return Errorf(ECONFLICT, "the BIA of %q is a draft already", b.Service)
	}
	b.setReview(ReviewDraft, "", nil, nil)
	return nil
}

// setReview sets the sign-off and keeps the review interval.
func (b *BIA) setReview(st ReviewStatus, by string, at *time.Time, snap *BIASnapshot) {
	months := 0
	if b.Review != nil {
		months = b.Review.IntervalMonths
	}
	b.Review = &BIAReview{Status: st, ApprovedBy: by, ApprovedAt: at, IntervalMonths: months, Snapshot: snap}
}

// ReviewState is where a BIA stands in its review cycle at a moment.
type ReviewState struct {
	Status     ReviewStatus `json:"status"`
	ApprovedBy string       `json:"approved_by,omitempty"`
	ApprovedAt *time.Time   `json:"approved_at,omitempty"`
	// IntervalMonths is how long an approval holds.
	IntervalMonths int `json:"interval_months"`
	// DueAt is when the approval lapses by date: approved_at plus the
	// review interval; nil unless approved.
	DueAt   *time.Time `json:"due_at,omitempty"`
	Overdue bool       `json:"overdue"`
	// NeedsReview says that what the approval covered has changed since;
	// Changes say what, in words.
	NeedsReview bool     `json:"needs_review"`
	Changes     []string `json:"changes,omitempty"`
}

// ReviewStateOf works out a BIA's review state at now; s is the BIA's
// service as it is now, nil when the model lacks it.
func ReviewStateOf(b *BIA, s *Service, now time.Time) ReviewState {
	r := b.Review
	st := ReviewState{Status: b.Status(), IntervalMonths: r.Interval()}
	if st.Status != ReviewApproved || r.ApprovedAt == nil {
		return st
	}
	due := addMonths(*r.ApprovedAt, r.Interval())
	st.ApprovedBy, st.ApprovedAt, st.DueAt = r.ApprovedBy, r.ApprovedAt, &due
	st.Overdue = !now.Before(due)
	if r.Snapshot != nil {
		st.Changes = r.Snapshot.Changes(TakeSnapshot(b, s))
		st.NeedsReview = len(st.Changes) > 0
	}
	return st
}

// Due reports whether the BIA's approval has lapsed, by date or by change.
func (st ReviewState) Due() bool { return st.Overdue || st.NeedsReview }

// Reason says why the approval has lapsed, in words, or "" when it holds:
// "its review was due on 2026-03-14, 12 months after its approval on
// 2025-03-14".
func (st ReviewState) Reason() string {
	var parts []string
	if st.Overdue {
		parts = append(parts, fmt.Sprintf("its review was due on %s, %s after its approval on %s",
			day(*st.DueAt), count(st.IntervalMonths, "month", "months"), day(*st.ApprovedAt)))
	}
	if st.NeedsReview {
		parts = append(parts, fmt.Sprintf("since its approval on %s, %s", day(*st.ApprovedAt), strings.Join(st.Changes, "; ")))
	}
	return strings.Join(parts, "; ")
}

// ReviewsChangeAt is the first moment after now at which the passing of
// time alone changes the review state of one of the BIAs: an approval
// falling due. False when no approval will; caches of findings keep until
// then.
func ReviewsChangeAt(bias []*BIA, now time.Time) (time.Time, bool) {
	var next time.Time
	for _, b := range bias {
		if b.Status() != ReviewApproved || b.Review.ApprovedAt == nil {
			continue
		}
		if due := addMonths(*b.Review.ApprovedAt, b.Review.Interval()); due.After(now) && (next.IsZero() || due.Before(next)) {
			next = due
		}
	}
	return next, !next.IsZero()
}

// addMonths adds months to a time, keeping to the last day of a shorter
// month: a year after 29 February is 28 February, not 1 March.
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// joinWords joins phrases as a sentence does: "a, b and c".
func joinWords(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
