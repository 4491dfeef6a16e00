package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// The list of every BIA, /bia, and the printable reports: one service's
// BIA, /services/{id}/bia/report, and the whole organisation's,
// /bia/report, with a summary sorted by tier.

type biaListData struct {
	Status  string
	Filters []statusFilter
	Rows    []*biaRecord
	// Missing are the business services that have no BIA yet.
	Missing []*lifeboat.Service
}

// statusFilter is one chip of the list's filter.
type statusFilter struct {
	Label, URL string
	Count      int
	Active     bool
}

// biaListStatuses are the filters of the list, in order: "" is all.
var biaListStatuses = []struct{ Value, Label string }{
	{"", "All"}, {string(lifeboat.ReviewDraft), "Draft"}, {string(lifeboat.ReviewInReview), "In review"},
	{string(lifeboat.ReviewApproved), "Approved"}, {biaStatusDue, "Due for review"},
}

// biaListPage lists every BIA with its status, derived tier and RTO, and
// next review date, filtered by status.
func (s *Server) biaListPage(w http.ResponseWriter, r *http.Request) {
	l, err := s.allBIAs(r.Context(), "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := biaListData{Status: r.URL.Query().Get("status")}
	if !slices.ContainsFunc(biaListStatuses, func(st struct{ Value, Label string }) bool { return st.Value == d.Status }) {
		d.Status = ""
	}
	for _, st := range biaListStatuses {
		f := statusFilter{Label: st.Label, URL: "/bia", Active: st.Value == d.Status}
		if st.Value != "" {
			f.URL += "?status=" + st.Value
		}
		for _, rec := range l.Records {
			if matchesStatus(rec.Review, st.Value) {
				f.Count++
				if f.Active {
					d.Rows = append(d.Rows, rec)
				}
			}
		}
		d.Filters = append(d.Filters, f)
	}
	d.Missing = withoutBIA(l.Model)
	s.render(w, r, http.StatusOK, "bias", page{Title: "Business impact analyses", Nav: "bia", Data: d})
}

// withoutBIA are the business services that have no BIA.
func withoutBIA(m *lifeboat.Model) []*lifeboat.Service {
	has := make(map[string]bool, len(m.BIAs))
	for _, b := range m.BIAs {
		has[b.Service] = true
	}
	var out []*lifeboat.Service
	for _, svc := range m.Services {
		if svc.Kind == lifeboat.KindBusinessService && !has[svc.ID] {
			out = append(out, svc)
		}
	}
	return out
}

type biaReportData struct {
	Generated time.Time
	BIAs      []*biaView // sorted by tier, then RTO, for the whole organisation
	Counts    []statusFilter
	Missing   []*lifeboat.Service
	Single    bool // the report of one service
	Chart     summaryChart
}

// summaryChart compares, per service in the order of the report, the MTPD,
// the RTO the business asks for and the recovery time IT can deliver, in
// hours; null where there is none.
type summaryChart struct {
	Services  []string   `json:"services"`
	MTPD      []*float64 `json:"mtpd"`
	RTO       []*float64 `json:"rto"`
	Committed []*float64 `json:"committed"`
}

func newSummaryChart(views []*biaView) summaryChart {
	var c summaryChart
	h := func(d *lifeboat.Duration) *float64 {
		if d == nil || *d == 0 {
			return nil // a log scale has no zero
		}
		x := hours(*d)
		return &x
	}
	for _, v := range views {
		c.Services = append(c.Services, v.Service.Name)
		c.MTPD, c.RTO = append(c.MTPD, h(v.Derived.MTPD.Value)), append(c.RTO, h(v.Derived.RTO.Value))
		var committed *lifeboat.Duration
		if v.committed.Known {
			committed = &v.committed.Achievable
		}
		c.Committed = append(c.Committed, h(committed))
	}
	return c
}

// biaReportPage prints the BIA of one service.
func (s *Server) biaReportPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	svc, err := s.Services.FindServiceByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.biaViewOf(ctx, svc)
	if err == nil && v == nil {
		err = lifeboat.Errorf(lifeboat.ENOTFOUND, "%s has no BIA yet.", svc.Name)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := biaReportData{Generated: s.Auth.Now(), BIAs: []*biaView{v}, Single: true}
	s.render(w, r, http.StatusOK, "bia_report", page{Title: "BIA report: " + svc.Name, Nav: "bia", Data: d})
}

// biaOrgReportPage prints every BIA of the organisation.
func (s *Server) biaOrgReportPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l, err := s.allBIAs(ctx, "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := biaReportData{Generated: s.Auth.Now(), Missing: withoutBIA(l.Model)}
	if d.BIAs, err = s.reportViews(ctx, l); err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Chart = newSummaryChart(d.BIAs)
	for _, st := range biaListStatuses[1:] {
		c := statusFilter{Label: st.Label}
		for _, rec := range l.Records {
			if matchesStatus(rec.Review, st.Value) {
				c.Count++
			}
		}
		d.Counts = append(d.Counts, c)
	}
	s.render(w, r, http.StatusOK, "bia_report", page{Title: "BIA report", Nav: "bia", Data: d})
}

// reportViews words every BIA, fastest tier first, then by RTO and id;
// those without a tier come last.
func (s *Server) reportViews(ctx context.Context, l *biaList) ([]*biaView, error) {
	names := make(map[string]string, len(l.Model.People))
	for _, p := range l.Model.People {
		names[p.ID] = cmp.Or(p.Name, p.ID)
	}
	out := make([]*biaView, 0, len(l.Records))
	for _, rec := range l.Records {
		c, err := s.committedOf(ctx, rec.Service.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, newBIAView(rec, c, cmp.Or(names[rec.Review.ApprovedBy], rec.Review.ApprovedBy)))
	}
	slices.SortStableFunc(out, func(a, b *biaView) int {
		return cmp.Or(cmp.Compare(tierRank(a.Derived.Tier.Tier), tierRank(b.Derived.Tier.Tier)),
			cmp.Compare(durationRank(a.Derived.RTO.Value), durationRank(b.Derived.RTO.Value)),
			cmp.Compare(a.Service.ID, b.Service.ID))
	})
	return out, nil
}

func tierRank(t *int) int {
	if t == nil {
		return lifeboat.MaxTier + 1
	}
	return *t
}

func durationRank(d *lifeboat.Duration) int64 {
	if d == nil {
		return 1 << 62
	}
	return d.Seconds()
}
