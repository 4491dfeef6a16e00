package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
)

// maxQuery bounds the text searched for, as the API does.
const maxQuery = 200

// catalogQuery is the catalog's filter as typed in the URL; values that are
// not valid choices are dropped rather than refused.
type catalogQuery struct {
	Q, Kind, Tier, Owner, Tag, Lifecycle, Sort, Cursor string
}

func readCatalogQuery(r *http.Request) catalogQuery {
	v := r.URL.Query()
	q := catalogQuery{Q: textValue(v.Get("q"), maxQuery), Kind: v.Get("kind"), Tier: v.Get("tier"),
		Owner: textValue(v.Get("owner"), 128), Tag: textValue(v.Get("tag"), 128),
		Lifecycle: v.Get("lifecycle"), Sort: v.Get("sort"), Cursor: textValue(v.Get("cursor"), 1000)}
	if !slices.Contains(lifeboat.Kinds, lifeboat.Kind(q.Kind)) {
		q.Kind = ""
	}
	if !slices.Contains(lifeboat.Lifecycles, lifeboat.Lifecycle(q.Lifecycle)) {
		q.Lifecycle = ""
	}
	if !slices.Contains(lifeboat.ServiceSorts, lifeboat.ServiceSort(q.Sort)) {
		q.Sort = ""
	}
	if n, err := strconv.Atoi(q.Tier); err != nil || n < 0 || n > lifeboat.MaxTier {
		q.Tier = ""
	}
	return q
}

func (q catalogQuery) filter() lifeboat.ServiceFilter {
	f := lifeboat.ServiceFilter{Query: q.Q, Kind: lifeboat.Kind(q.Kind), Owner: q.Owner, Tag: q.Tag,
		Lifecycle: lifeboat.Lifecycle(q.Lifecycle), Sort: lifeboat.ServiceSort(q.Sort), After: q.Cursor,
		Limit: lifeboat.DefaultPageSize}
	if n, err := strconv.Atoi(q.Tier); err == nil {
		f.Tier = &n
	}
	return f
}

// url links to the catalog with this filter, at the page after cursor.
func (q catalogQuery) url(cursor string) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"q", q.Q}, {"kind", q.Kind}, {"tier", q.Tier}, {"owner", q.Owner},
		{"tag", q.Tag}, {"lifecycle", q.Lifecycle}, {"sort", q.Sort}, {"cursor", cursor}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if len(v) == 0 {
		return "/services"
	}
	return "/services?" + v.Encode()
}

// Filtered reports whether any filter narrows the catalog.
func (q catalogQuery) Filtered() bool {
	return q.Q != "" || q.Kind != "" || q.Tier != "" || q.Owner != "" || q.Tag != "" || q.Lifecycle != ""
}

type option struct {
	Value, Label string
}

var sortOptions = []option{{"name", "Name"}, {"id", "Id"}, {"tier", "Tier"}, {"kind", "Kind"}}

type catalogData struct {
	Query      catalogQuery
	Services   []*lifeboat.Service
	NextURL    string
	FirstURL   string // set when this is not the first page
	Error      string
	Teams      []*lifeboat.Team
	TeamNames  map[string]string
	Tags       []lifeboat.TagCount
	Kinds      []lifeboat.Kind
	Lifecycles []lifeboat.Lifecycle
	Tiers      []tierInfo
	Sorts      []option
}

// servicesPage is the catalog: search, filters, sort and keyset paging.
// An htmx request from the filter form gets only the results.
func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := readCatalogQuery(r)
	d := catalogData{Query: q, Kinds: lifeboat.Kinds, Lifecycles: lifeboat.Lifecycles, Tiers: defaultTiers, Sorts: sortOptions}
	status := http.StatusOK
	pg, err := s.Services.FindServices(ctx, q.filter())
	switch {
	case lifeboat.ErrorCode(err) == lifeboat.EINVALID: // a cursor from an old link
		status, d.Error = http.StatusBadRequest, "This page link is no longer valid. Start again from the first page."
		d.FirstURL = q.url("")
	case err != nil:
		s.pageError(w, r, err)
		return
	default:
		d.Services = pg.Services
		if pg.Next != "" {
			d.NextURL = q.url(pg.Next)
		}
		if q.Cursor != "" {
			d.FirstURL = q.url("")
		}
	}
	if d.Teams, err = s.Teams.FindTeams(ctx); err != nil {
		s.pageError(w, r, err)
		return
	}
	d.TeamNames = teamNames(d.Teams)
	w.Header().Add("Vary", "HX-Request")
	if isHTMX(r) {
		s.renderPartial(w, r, status, "services", "results", page{Data: d})
		return
	}
	if d.Tags, err = s.Services.FindTags(ctx); err != nil {
		s.pageError(w, r, err)
		return
	}
	title := "Services"
	if q.Filtered() {
		title = "Services matching your filter"
	}
	s.render(w, r, status, "services", page{Title: title, Nav: "services", Data: d})
}

// isHTMX reports whether htmx asks for part of a page. A history restore
// (the user went back to a page htmx no longer has) needs the whole page.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

func teamNames(teams []*lifeboat.Team) map[string]string {
	m := make(map[string]string, len(teams))
	for _, t := range teams {
		m[t.ID] = t.Name
	}
	return m
}

// dependentsShown bounds the dependents listed on a page.
const dependentsShown = 100

type serviceData struct {
	Service        *lifeboat.Service
	OwnerName      string
	Dependents     []lifeboat.Dependent
	MoreDependents int // how many more there are than listed
	Vendor         bool
	Notice         string // why a change was refused, when it concerns the page as a whole
	// The two forms that add a dependency: one service, or a redundancy
	// group. They keep what was typed, with any problems next to the inputs.
	Single, Group             dependencyForm
	SingleErrors, GroupErrors formErrors
	// Engine is what the dependency engine says about the service.
	Engine *serviceEngine
	// BIA is the service's business impact analysis, nil without one.
	BIA *biaView
}

// servicePage shows one service: every field, what it depends on and what
// depends on it, and the forms to add a dependency.
func (s *Server) servicePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadServiceData(r, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderService(w, r, http.StatusOK, d)
}

func (s *Server) loadServiceData(r *http.Request, id string) (*serviceData, error) {
	ctx := r.Context()
	svc, err := s.Services.FindServiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &serviceData{Service: svc, Vendor: svc.Kind == lifeboat.KindVendor,
		Single: dependencyForm{Impact: string(lifeboat.ImpactDown)},
		Group:  dependencyForm{Impact: string(lifeboat.ImpactDown), MinUp: "1"}}
	if d.Dependents, err = s.Services.FindDependents(ctx, id); err != nil {
		return nil, err
	}
	if n := len(d.Dependents); n > dependentsShown { // a site or a cluster can have thousands
		d.Dependents, d.MoreDependents = d.Dependents[:dependentsShown], n-dependentsShown
	}
	if svc.Owner != "" {
		if t, err := s.Teams.FindTeamByID(ctx, svc.Owner); err == nil {
			d.OwnerName = t.Name
		} else if lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) renderService(w http.ResponseWriter, r *http.Request, status int, d *serviceData) {
	e, err := s.loadServiceEngine(r.Context(), d.Service.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Engine = e
	if d.BIA, err = s.biaViewOf(r.Context(), d.Service); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "service", page{Title: d.Service.Name, Nav: "services", Data: d})
}

type deleteData struct {
	*serviceData
	Error string
}

// confirmDeleteServicePage asks before deleting, and says up front when
// other services still depend on this one.
func (s *Server) confirmDeleteServicePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadServiceData(r, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "service_delete", page{Title: "Delete " + d.Service.Name, Nav: "services",
		Data: deleteData{serviceData: d}})
}

// deleteServicePage deletes the version the user confirmed. The store
// refuses while others depend on it; its message names them.
func (s *Server) deleteServicePage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err := s.Services.DeleteService(r.Context(), id, version)
	if err == nil {
		redirect(w, r, "/services", "Deleted service "+id+".")
		return
	}
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d, lerr := s.loadServiceData(r, id)
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	msg := lifeboat.ErrorMessage(err)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		msg = "This service was changed by someone else since you opened this page; check the current version below before deleting it."
	}
	s.render(w, r, formStatus(err), "service_delete", page{Title: "Delete " + d.Service.Name, Nav: "services",
		Data: deleteData{serviceData: d, Error: msg}})
}

// serviceOptionsShown bounds the suggestions for a service id.
const serviceOptionsShown = 20

// serviceOptionsPage suggests service ids for the dependency form's
// datalist as the user types; without JavaScript the input takes any id.
func (s *Server) serviceOptionsPage(w http.ResponseWriter, r *http.Request) {
	q := textValue(r.URL.Query().Get("on"), maxQuery)
	pg, err := s.Services.FindServices(r.Context(), lifeboat.ServiceFilter{Query: q, Sort: lifeboat.SortByID, Limit: serviceOptionsShown})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPartial(w, r, http.StatusOK, "service", "service-options", page{Data: pg.Services})
}
