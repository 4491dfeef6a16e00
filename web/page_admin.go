package web

import (
	"net/http"

	"github.com/lifeboat-itscm/lifeboat"
)

type sessionsData struct {
	Sessions []*lifeboat.Session
	Current  string // the id of the session looking at the page
}

// sessionsPage lists everyone's sessions for admins, newest use first.
func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sessions.FindSessions(r.Context(), "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := sessionsData{Sessions: list}
	if cur, ok := r.Context().Value(sessionKey{}).(*lifeboat.Session); ok {
		d.Current = cur.ID
	}
	s.render(w, r, http.StatusOK, "sessions", page{Title: "Sessions", Nav: "admin", Data: d})
}

// revokeSessionSubmit ends a session: its browser is signed out at its
// next request.
func (s *Server) revokeSessionSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	list, err := s.Sessions.FindSessions(r.Context(), "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	user := ""
	for _, sess := range list {
		if sess.ID == id {
			user = sess.UserID
		}
	}
	if err := s.Sessions.DeleteSession(r.Context(), id); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.auditEvent(r, "revoke-session", "session", user)
	redirect(w, r, "/admin/sessions", "Ended a session of "+user+".")
}
