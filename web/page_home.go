package web

import (
	"net/http"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
)

// bar is one row of a bar chart: a count, its width relative to the
// largest row, and the catalog filtered to it.
type bar struct {
	Label   string
	Count   int
	Percent string
	URL     string
	Class   string
}

type homeData struct {
	Stats  *lifeboat.ServiceStats
	Kinds  []bar
	Tiers  []bar
	Teams  int
	People int
	// Programme and Site sum up the continuity programme; nil without a
	// model store.
	Programme *programme
	Site      *siteRisk
}

// homePage is the dashboard: the catalog's size by kind and by tier.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.Services.ServiceStats(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	teams, err := s.Teams.FindTeams(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	people, err := s.People.FindPeople(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := homeData{Stats: st, Teams: len(teams), People: len(people)}
	if s.Models != nil && st.Total > 0 {
		if d.Programme, d.Site, err = s.programmeFigures(r); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	for _, k := range lifeboat.Kinds {
		d.Kinds = append(d.Kinds, bar{Label: kindLabel(k), Count: st.ByKind[k],
			URL: catalogQuery{Kind: string(k)}.url(""), Class: "kind-" + string(k)})
	}
	for id := 0; id <= lifeboat.MaxTier; id++ {
		if n := st.ByTier[id]; n > 0 || id < len(defaultTiers) {
			d.Tiers = append(d.Tiers, bar{Label: tierByID(id).Label(), Count: n,
				URL: catalogQuery{Tier: strconv.Itoa(id)}.url(""), Class: tierClass(id)})
		}
	}
	d.Tiers = append(d.Tiers, bar{Label: "No tier", Count: st.Untiered, Class: "tier-none"})
	scaleBars(d.Kinds)
	scaleBars(d.Tiers)
	s.render(w, r, http.StatusOK, "home", page{Title: "Overview", Nav: "home", Data: d})
}

// scaleBars sizes the bars against the largest, so that the chart uses
// its width even when one row is small.
func scaleBars(bars []bar) {
	most := 0
	for _, b := range bars {
		most = max(most, b.Count)
	}
	for i := range bars {
		bars[i].Percent = percent(bars[i].Count, most)
	}
}

// programmeFigures are the home page's figures of the continuity
// programme, from the cached analysis and the live index.
func (s *Server) programmeFigures(r *http.Request) (*programme, *siteRisk, error) {
	a, err := s.analyse(r.Context())
	if err != nil {
		return nil, nil, err
	}
	site, err := s.worstSite(r.Context())
	if err != nil {
		return nil, nil, err
	}
	return &a.programme, site, nil
}
