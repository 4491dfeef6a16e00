package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// teamForm is a team as typed into its form; members are comma-separated
// person ids.
type teamForm struct {
	ID, Name, Description, Members string
	Version                        int64
}

var teamInputs = []string{"id", "name", "description", "members"}

func readTeamForm(r *http.Request) teamForm {
	f := teamForm{ID: formValue(r, "id"), Name: formValue(r, "name"),
		Description: formValue(r, "description"), Members: formValue(r, "members")}
	f.Version, _ = strconv.ParseInt(formValue(r, "version"), 10, 64)
	return f
}

func (f teamForm) team() *lifeboat.Team {
	return &lifeboat.Team{ID: f.ID, Name: f.Name, Description: f.Description, Members: splitList(f.Members)}
}

type teamListData struct {
	Teams []*lifeboat.Team
}

// teamsPage lists every team.
func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request) {
	teams, err := s.Teams.FindTeams(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "teams", page{Title: "Teams", Nav: "teams", Data: teamListData{Teams: teams}})
}

// teamServicesShown bounds the services listed on a team's page; the
// catalog filtered by owner has them all.
const teamServicesShown = 50

type teamData struct {
	Team        *lifeboat.Team
	Members     []*lifeboat.Person
	Unknown     []string // member ids without a person, which the store should prevent
	Services    []*lifeboat.Service
	MoreURL     string
	Error       string
	HasServices bool
}

// teamPage shows a team, its members and the services it owns.
func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadTeamData(r, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "team", page{Title: d.Team.Name, Nav: "teams", Data: d})
}

func (s *Server) loadTeamData(r *http.Request, id string) (*teamData, error) {
	ctx := r.Context()
	t, err := s.Teams.FindTeamByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &teamData{Team: t}
	people, err := s.People.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*lifeboat.Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	for _, m := range t.Members {
		if p := byID[m]; p != nil {
			d.Members = append(d.Members, p)
		} else {
			d.Unknown = append(d.Unknown, m)
		}
	}
	pg, err := s.Services.FindServices(ctx, lifeboat.ServiceFilter{Owner: id, Limit: teamServicesShown})
	if err != nil {
		return nil, err
	}
	d.Services, d.HasServices = pg.Services, len(pg.Services) > 0
	if pg.Next != "" {
		d.MoreURL = catalogQuery{Owner: id}.url("")
	}
	return d, nil
}

// peopleHinted bounds the person ids suggested on the team form.
const peopleHinted = 20

type teamFormData struct {
	Form       teamForm
	Errors     formErrors
	Editing    bool
	Stale      bool
	People     []*lifeboat.Person
	MorePeople int
}

func (s *Server) renderTeamForm(w http.ResponseWriter, r *http.Request, status int, d teamFormData) {
	people, err := s.People.FindPeople(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// The hint names some people; the people page lists them all.
	d.People, d.MorePeople = people[:min(len(people), peopleHinted)], max(len(people)-peopleHinted, 0)
	title := "New team"
	if d.Editing {
		title = "Edit " + d.Form.Name
	}
	s.render(w, r, status, "team_form", page{Title: title, Nav: "teams", Data: d})
}

func (s *Server) newTeamPage(w http.ResponseWriter, r *http.Request) {
	s.renderTeamForm(w, r, http.StatusOK, teamFormData{})
}

func (s *Server) createTeamPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readTeamForm(r)
	t := f.team()
	if err := s.Teams.CreateTeam(r.Context(), t); err != nil {
		s.teamFormError(w, r, teamFormData{Form: f}, err)
		return
	}
	redirect(w, r, "/teams/"+t.ID, "Created team "+t.Name+".")
}

func (s *Server) editTeamPage(w http.ResponseWriter, r *http.Request) {
	t, err := s.Teams.FindTeamByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f := teamForm{ID: t.ID, Name: t.Name, Description: t.Description, Members: strings.Join(t.Members, ", "), Version: t.Version}
	s.renderTeamForm(w, r, http.StatusOK, teamFormData{Form: f, Editing: true})
}

func (s *Server) updateTeamPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readTeamForm(r)
	f.ID = r.PathValue("id")
	t := f.team()
	if err := s.Teams.UpdateTeam(r.Context(), t, f.Version); err != nil {
		s.teamFormError(w, r, teamFormData{Form: f, Editing: true}, err)
		return
	}
	redirect(w, r, "/teams/"+t.ID, "Saved team "+t.Name+".")
}

func (s *Server) teamFormError(w http.ResponseWriter, r *http.Request, d teamFormData, err error) {
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d.Errors = errorsFrom(err, teamInputs, nil)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Errors.Message, d.Stale = staleMessage, true
	}
	s.renderTeamForm(w, r, formStatus(err), d)
}

// deleteTeamPage deletes a team; the store refuses while it owns services,
// and the team's page shows why.
func (s *Server) deleteTeamPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(formValue(r, "version"), 10, 64)
	err := s.Teams.DeleteTeam(r.Context(), id, version)
	if err == nil {
		redirect(w, r, "/teams", "Deleted team "+id+".")
		return
	}
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d, lerr := s.loadTeamData(r, id)
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	d.Error = lifeboat.ErrorMessage(err)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Error = "This team was changed by someone else since you opened the page, so it was not deleted. Check it below and try again."
	}
	s.render(w, r, formStatus(err), "team", page{Title: d.Team.Name, Nav: "teams", Data: d})
}
