package web

import (
	"net/http"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
)

type personForm struct {
	ID, Name, Email, Phone string
	Version                int64
}

var personInputs = []string{"id", "name", "email", "phone"}

func readPersonForm(r *http.Request) personForm {
	f := personForm{ID: formValue(r, "id"), Name: formValue(r, "name"), Email: formValue(r, "email"), Phone: formValue(r, "phone")}
	f.Version, _ = strconv.ParseInt(formValue(r, "version"), 10, 64)
	return f
}

func (f personForm) person() *lifeboat.Person {
	return &lifeboat.Person{ID: f.ID, Name: f.Name, Email: f.Email, Phone: f.Phone}
}

type peopleData struct {
	People []*lifeboat.Person
}

// peoplePage lists everyone.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) {
	people, err := s.People.FindPeople(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "people", page{Title: "People", Nav: "people", Data: peopleData{People: people}})
}

type personData struct {
	Person *lifeboat.Person
	Teams  []*lifeboat.Team
	Error  string
}

// personPage shows a person and the teams they belong to.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadPersonData(r, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "person", page{Title: d.Person.Name, Nav: "people", Data: d})
}

func (s *Server) loadPersonData(r *http.Request, id string) (*personData, error) {
	x, err := s.People.FindPersonByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	teams, err := s.Teams.FindTeamsOfPerson(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &personData{Person: x, Teams: teams}, nil
}

type personFormData struct {
	Form    personForm
	Errors  formErrors
	Editing bool
	Stale   bool
}

func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, d personFormData) {
	title := "New person"
	if d.Editing {
		title = "Edit " + d.Form.Name
	}
	s.render(w, r, status, "person_form", page{Title: title, Nav: "people", Data: d})
}

func (s *Server) newPersonPage(w http.ResponseWriter, r *http.Request) {
	s.renderPersonForm(w, r, http.StatusOK, personFormData{})
}

func (s *Server) createPersonPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readPersonForm(r)
	x := f.person()
	if err := s.People.CreatePerson(r.Context(), x); err != nil {
		s.personFormError(w, r, personFormData{Form: f}, err)
		return
	}
	redirect(w, r, "/people/"+x.ID, "Added "+x.Name+".")
}

func (s *Server) editPersonPage(w http.ResponseWriter, r *http.Request) {
	x, err := s.People.FindPersonByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f := personForm{ID: x.ID, Name: x.Name, Email: x.Email, Phone: x.Phone, Version: x.Version}
	s.renderPersonForm(w, r, http.StatusOK, personFormData{Form: f, Editing: true})
}

func (s *Server) updatePersonPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readPersonForm(r)
	f.ID = r.PathValue("id")
	x := f.person()
	if err := s.People.UpdatePerson(r.Context(), x, f.Version); err != nil {
		s.personFormError(w, r, personFormData{Form: f, Editing: true}, err)
		return
	}
	redirect(w, r, "/people/"+x.ID, "Saved "+x.Name+".")
}

func (s *Server) personFormError(w http.ResponseWriter, r *http.Request, d personFormData, err error) {
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d.Errors = errorsFrom(err, personInputs, nil)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Errors.Message, d.Stale = staleMessage, true
	}
	s.renderPersonForm(w, r, formStatus(err), d)
}

// deletePersonPage deletes a person, which also takes them off their teams.
func (s *Server) deletePersonPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(formValue(r, "version"), 10, 64)
	err := s.People.DeletePerson(r.Context(), id, version)
	if err == nil {
		redirect(w, r, "/people", "Deleted "+id+".")
		return
	}
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d, lerr := s.loadPersonData(r, id)
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	d.Error = lifeboat.ErrorMessage(err)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Error = "This person was changed by someone else since you opened the page, so nothing was deleted. Check the details below and try again."
	}
	s.render(w, r, formStatus(err), "person", page{Title: d.Person.Name, Nav: "people", Data: d})
}
