package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/secret"
)

type loginData struct {
	User, Next string
	Error      string
	SSO        bool // single sign-on is set up
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if signedInFrom(r.Context()) {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "Sign in", Data: loginData{Next: safeNext(r.URL.Query().Get("next")), SSO: s.OIDC != nil}})
}

// loginSubmit checks a user name and password. Unknown users, disabled
// users and wrong passwords get the same answer in the same time, so the
// page tells nobody which accounts exist.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	name := strings.ToLower(strings.TrimSpace(formValue(r, "user")))
	pw := r.PostFormValue("password")
	d := loginData{User: name, Next: safeNext(r.PostFormValue("next")), SSO: s.OIDC != nil}
	addr := lifeboat.ActorFrom(ctx).Address
	keys := []string{lifeboat.ThrottleUser(name), lifeboat.ThrottleAddress(addr)}
	now := s.Auth.Now()
	for _, k := range keys {
		n, err := s.Throttle.CountFailedLogins(ctx, k, now.Add(-s.Auth.FailureWindow))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if n >= s.Auth.MaxFailures {
			d.Error = fmt.Sprintf("Too many failed sign-ins. Wait %d minutes, then try again.", int(s.Auth.FailureWindow.Minutes()))
			s.render(w, r, http.StatusTooManyRequests, "login", page{Title: "Sign in", Data: d})
			return
		}
	}
	u, err := s.Users.FindUserByID(ctx, name)
	// Each check takes 64 MiB for a tenth of a second: a few at a time keep
	// a burst of sign-ins from exhausting memory.
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return
	}
	ok := false
	if err == nil && !u.Disabled && u.PasswordHash != "" {
		ok, _ = password.Verify(pw, u.PasswordHash)
	} else {
		password.VerifyDummy(pw) // the same time as a real check
	}
	<-s.hashing
	if !ok {
		if err := s.Throttle.RecordFailedLogin(ctx, keys, now); err != nil {
			s.Logger.Error("record failed sign-in", "err", err)
		}
		s.auditEvent(r, "sign-in-failed", "session", name)
		d.Error = "Wrong user name or password."
		s.render(w, r, http.StatusUnauthorized, "login", page{Title: "Sign in", Data: d})
		return
	}
	s.Throttle.ClearFailedLogins(ctx, lifeboat.ThrottleUser(name))
	if err := s.startSession(w, r, u); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// startSession signs a user in: a new session in the database, its secret
// in an HttpOnly cookie, and an audit entry.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *lifeboat.User) error {
	token, hash := secret.NewToken("lbs_")
	now := s.Auth.Now()
	sess := &lifeboat.Session{ID: hash, UserID: u.ID, Created: now, LastSeen: now,
		ExpiresAt: now.Add(s.Auth.SessionMax), Address: lifeboat.ActorFrom(r.Context()).Address,
		UserAgent: textValue(r.UserAgent(), 300)}
	if err := s.Sessions.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(r), Value: token, Path: "/", HttpOnly: true,
		Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: int(s.Auth.SessionMax / time.Second)})
	actor := lifeboat.ActorFrom(r.Context())
	actor.UserID, actor.Role = u.ID, u.Role
	s.auditEvent(r.WithContext(lifeboat.WithActor(r.Context(), actor)), "sign-in", "session", u.ID)
	return nil
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if sess, ok := r.Context().Value(sessionKey{}).(*lifeboat.Session); ok {
		if err := s.Sessions.DeleteSession(r.Context(), sess.ID); err != nil {
			s.pageError(w, r, err)
			return
		}
		s.auditEvent(r, "sign-out", "session", sess.UserID)
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(r), Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/login", "You are signed out.")
}

// auditEvent records an event that is not a data change. A failure to
// record is logged, not shown: the event itself already happened.
func (s *Server) auditEvent(r *http.Request, action, kind, subject string) {
	if s.Audit == nil {
		return
	}
	a := lifeboat.ActorFrom(r.Context())
	e := &lifeboat.AuditEntry{Actor: a.UserID, Token: a.TokenID, Address: a.Address, Action: action, Kind: kind, Subject: subject}
	if err := s.Audit.AppendAudit(r.Context(), e); err != nil {
		s.Logger.Error("audit", "action", action, "err", err)
	}
}

// safeNext keeps redirects after sign-in on this site: a local path, not
// "//host" or "/\host", which browsers treat as another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
