package web

import (
	"net/http"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/secret"
)

type setupData struct {
	Token, User, Name, Email string
	Errors                   formErrors
}

// setupPage asks for the first admin account. It works only while the
// database has no users, and only with the one-time link the server
// printed when it started.
func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	if done, err := s.setupDone(r); err != nil || done {
		s.setupClosed(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "setup", page{Title: "Set up Lifeboat", Data: setupData{Token: r.URL.Query().Get("token")}})
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	if done, err := s.setupDone(r); err != nil || done {
		s.setupClosed(w, r, err)
		return
	}
	d := setupData{Token: r.PostFormValue("token"), User: strings.ToLower(strings.TrimSpace(formValue(r, "user"))),
		Name: formValue(r, "name"), Email: formValue(r, "email")}
	pw := r.PostFormValue("password")
	u := &lifeboat.User{ID: d.User, Name: d.Name, Email: d.Email, Role: lifeboat.RoleAdmin}
	if err := u.Validate(); err != nil {
		d.Errors = errorsFrom(err, []string{"id", "name"}, func(f string) string {
			return map[string]string{"id": "user", "name": "name"}[f]
		})
	}
	if err := password.Check(pw); err != nil {
		d.Errors.add("password", err.Error())
	} else if pw != r.PostFormValue("confirm") {
		d.Errors.add("confirm", "The two passwords differ.")
	}
	if d.Errors.Any() {
		if d.Errors.Message == "" {
			d.Errors.Message = "Please correct the fields below."
		}
		s.render(w, r, http.StatusUnprocessableEntity, "setup", page{Title: "Set up Lifeboat", Data: d})
		return
	}
	hash, err := password.Hash(pw)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	u.PasswordHash = hash
	if err := s.Setup.UseSetupToken(r.Context(), secret.Hash(d.Token), s.Auth.Now()); err != nil {
		s.errorPage(w, r, http.StatusForbidden, "This setup link is not valid: it was used already, has expired, or was mistyped. Restart the server for a new one.")
		return
	}
	ctx := lifeboat.WithActor(r.Context(), lifeboat.Actor{UserID: u.ID, Role: lifeboat.RoleAdmin, Address: lifeboat.ActorFrom(r.Context()).Address})
	if err := s.Users.CreateUser(ctx, u); err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.pageError(w, r, err)
		return
	}
	redirect(w, r, "/", "Welcome, "+u.ID+": you are the first administrator.")
}

func (s *Server) setupDone(r *http.Request) (bool, error) {
	n, err := s.Users.CountUsers(r.Context())
	return n > 0, err
}

func (s *Server) setupClosed(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.errorPage(w, r, http.StatusNotFound, "Lifeboat is set up already: sign in instead.")
}
