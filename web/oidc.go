package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/lifeboat-itscm/lifeboat"
)

// OIDCConfig sets up single sign-on with an OpenID Connect provider: the
// authorization code flow with PKCE.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL; its discovery document is under it
	ClientID     string
	ClientSecret string // empty for a public client
	RedirectURL  string // this server's /login/oidc/callback as the browser reaches it
	Scopes       []string
	// RoleClaim names the ID token claim that holds group or role names,
	// a string or a list of strings; "groups" when empty.
	RoleClaim string
	// RoleMap gives the Lifeboat role for values of RoleClaim; when several
	// match, the most powerful role wins.
	RoleMap map[string]lifeboat.Role
	// DefaultRole is the role when nothing in RoleMap matches; empty
	// refuses the sign-in.
	DefaultRole lifeboat.Role
	// UsernameClaim names the claim the user name comes from;
	// "preferred_username" when empty. Without it, the local part of
	// "email", then "sub".
	UsernameClaim string
	// HTTPClient reaches the provider; nil for a client with a timeout.
	HTTPClient *http.Client
}

// oidcState is the provider, found on first use: a provider that is down
// when the server starts is tried again on the next sign-in.
type oidcState struct {
	mu       sync.Mutex
	provider *oidc.Provider
}

// oidcCookieMaxAge is how long a started sign-in may take at the provider.
const oidcCookieMaxAge = 600

// oidcFlow is what the start of a sign-in keeps for its callback, in a
// short-lived cookie.
type oidcFlow struct {
	State    string `json:"s"`
	Verifier string `json:"v"`
	Nonce    string `json:"n"`
	Next     string `json:"x"`
}

func (s *Server) oidcClient() *http.Client {
	if s.OIDC.HTTPClient != nil {
		return s.OIDC.HTTPClient
	}
	return &http.Client{Timeout: 15 * time.Second}
}

// oidcContext carries the HTTP client for go-oidc and oauth2.
func (s *Server) oidcContext(ctx context.Context) context.Context {
	return context.WithValue(oidc.ClientContext(ctx, s.oidcClient()), oauth2.HTTPClient, s.oidcClient())
}

// oidcProvider discovers the provider once; a failure is not cached.
func (s *Server) oidcProvider(ctx context.Context) (*oidc.Provider, error) {
	s.sso.mu.Lock()
	defer s.sso.mu.Unlock()
	if s.sso.provider != nil {
		return s.sso.provider, nil
	}
	// The provider keeps the context for fetching keys later: it must not
	// end with this request.
	p, err := oidc.NewProvider(s.oidcContext(context.WithoutCancel(ctx)), s.OIDC.Issuer)
	if err != nil {
		return nil, err
	}
	s.sso.provider = p
	return p, nil
}

func (s *Server) oauth2Config(p *oidc.Provider) *oauth2.Config {
	scopes := s.OIDC.Scopes
	if len(scopes) == 0 {
		scopes = []string{"profile", "email"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return &oauth2.Config{ClientID: s.OIDC.ClientID, ClientSecret: s.OIDC.ClientSecret,
		RedirectURL: s.OIDC.RedirectURL, Endpoint: p.Endpoint(), Scopes: scopes}
}

// oidcCookie names the cookie of a sign-in in progress.
func (s *Server) oidcCookie(r *http.Request) string {
	if s.isHTTPS(r) {
		return "__Secure-lifeboat_oidc"
	}
	return "lifeboat_oidc"
}

func (s *Server) setOIDCCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.oidcCookie(r), Value: value, Path: "/login/oidc", HttpOnly: true,
		Secure: s.isHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// oidcStart sends the browser to the provider, with a fresh state, nonce
// and PKCE verifier kept in a cookie for the callback.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.OIDC == nil {
		s.notFoundPage(w, r)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if signedInFrom(r.Context()) {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p, err := s.oidcProvider(r.Context())
	if err != nil {
		s.Logger.Error("single sign-on: provider discovery failed", "issuer", s.OIDC.Issuer, "err", err)
		s.oidcRefuse(w, r, http.StatusBadGateway, next, "The single sign-on provider cannot be reached. Try again later, or sign in with a password.")
		return
	}
	f := oidcFlow{State: rand.Text(), Verifier: oauth2.GenerateVerifier(), Nonce: rand.Text(), Next: next}
	raw, _ := json.Marshal(f)
	s.setOIDCCookie(w, r, base64.RawURLEncoding.EncodeToString(raw), oidcCookieMaxAge)
	u := s.oauth2Config(p).AuthCodeURL(f.State, oauth2.S256ChallengeOption(f.Verifier), oidc.Nonce(f.Nonce))
	http.Redirect(w, r, u, http.StatusFound)
}

// oidcRefuse shows the sign-in page with why single sign-on failed.
func (s *Server) oidcRefuse(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	s.render(w, r, status, "login", page{Title: "Sign in", Data: loginData{Next: next, Error: msg, SSO: true}})
}

// refusal is why a single sign-on is refused: the status and message for
// the page, and what to log (never a token, code or secret).
type refusal struct {
	status int
	msg    string
	log    string
	attrs  []any
}

func refuse(status int, msg, log string, attrs ...any) *refusal {
	return &refusal{status, msg, log, attrs}
}

const (
	ssoRetry       = "The single sign-on identity could not be verified. Try again."
	ssoUnreachable = "The single sign-on provider cannot be reached. Try again later, or sign in with a password."
)

// oidcCallback finishes a sign-in: it checks the state, redeems the code
// with the PKCE verifier, verifies the ID token and its nonce, maps the
// claims to a user and a role, and starts a session.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.OIDC == nil {
		s.notFoundPage(w, r)
		return
	}
	ctx := r.Context()
	log := s.Logger.With("address", lifeboat.ActorFrom(ctx).Address)
	f := s.takeOIDCFlow(w, r)
	next := safeNext(f.Next)
	claims, no := s.verifyCallback(r, f)
	var u *lifeboat.User
	if no == nil {
		var err error
		if u, no, err = s.ssoAccount(r, claims); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	if no != nil {
		log.Warn("single sign-on refused: "+no.log, no.attrs...)
		s.oidcRefuse(w, r, no.status, next, no.msg)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.pageError(w, r, err)
		return
	}
	log.Info("single sign-on", "user", u.ID, "role", u.Role)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// takeOIDCFlow reads the sign-in in progress from its cookie and clears
// the cookie: one callback per start, whatever happens.
func (s *Server) takeOIDCFlow(w http.ResponseWriter, r *http.Request) oidcFlow {
	var f oidcFlow
	c, err := r.Cookie(s.oidcCookie(r))
	s.setOIDCCookie(w, r, "", -1)
	if err == nil {
		raw, derr := base64.RawURLEncoding.DecodeString(c.Value)
		if derr != nil || json.Unmarshal(raw, &f) != nil {
			f = oidcFlow{}
		}
	}
	return f
}

// verifyCallback checks the provider's answer against the sign-in in
// progress and returns the verified identity's claims.
func (s *Server) verifyCallback(r *http.Request, f oidcFlow) (map[string]any, *refusal) {
	q := r.URL.Query()
	switch {
	case f.State == "" || f.Verifier == "" || f.Nonce == "":
		return nil, refuse(http.StatusUnauthorized, "The single sign-on took too long or was started in another browser. Try again.", "no sign-in in progress")
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1:
		return nil, refuse(http.StatusUnauthorized, "The single sign-on answer does not belong to this sign-in. Try again.", "state does not match")
	case q.Get("error") != "":
		return nil, refuse(http.StatusUnauthorized, "The single sign-on provider did not sign you in.", "by the provider", "error", textValue(q.Get("error"), 100))
	}
	ctx := r.Context()
	p, err := s.oidcProvider(ctx)
	if err != nil {
		return nil, refuse(http.StatusBadGateway, ssoUnreachable, "provider discovery failed", "issuer", s.OIDC.Issuer, "err", err)
	}
	octx := s.oidcContext(ctx)
	tok, err := s.oauth2Config(p).Exchange(octx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // the provider's error code only: the body may echo secrets
			return nil, refuse(http.StatusUnauthorized, "The single sign-on provider did not accept the sign-in. Try again.",
				"code exchange rejected", "status", re.Response.StatusCode, "error", re.ErrorCode)
		}
		return nil, refuse(http.StatusBadGateway, ssoUnreachable, "code exchange failed", "err", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return nil, refuse(http.StatusBadGateway, "The single sign-on provider gave no identity. Ask an administrator to check its set-up.", "no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.OIDC.ClientID}).Verify(octx, rawID)
	if err != nil {
		return nil, refuse(http.StatusUnauthorized, ssoRetry, "ID token not valid", "err", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, refuse(http.StatusUnauthorized, ssoRetry, "nonce does not match")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, refuse(http.StatusBadGateway, "The single sign-on provider gave an identity Lifeboat cannot read.", "reading claims", "err", err)
	}
	return claims, nil
}

// ssoAccount maps verified claims to a user with a role, creating or
// updating the account.
func (s *Server) ssoAccount(r *http.Request, claims map[string]any) (*lifeboat.User, *refusal, error) {
	id := oidcUserID(claims, s.OIDC.UsernameClaim)
	if id == "" {
		return nil, refuse(http.StatusForbidden, "Your single sign-on account has no user name Lifeboat can use. Ask an administrator.",
			"no usable user name", "sub", claimString(claims, "sub")), nil
	}
	role := s.OIDC.mapRole(claims)
	if role == "" {
		return nil, refuse(http.StatusForbidden, "Your single sign-on account is not in a group that has a Lifeboat role. Ask an administrator to grant you one.",
			"no role", "user", id), nil
	}
	u, status, msg, err := s.oidcUser(r.Context(), id, role, claims)
	if err != nil {
		return nil, nil, err
	}
	if status != 0 {
		s.auditEvent(r, "sign-in-failed", "session", id)
		return nil, refuse(status, msg, "account", "user", id, "reason", msg), nil
	}
	return u, nil, nil
}

// oidcUser finds or creates the user of a verified identity and brings
// its role, name and e-mail address up to date. A refusal comes back as a
// status and a message for the page.
func (s *Server) oidcUser(ctx context.Context, id string, role lifeboat.Role, claims map[string]any) (*lifeboat.User, int, string, error) {
	// The changes are the user's own, made through the provider.
	actor := lifeboat.ActorFrom(ctx)
	actor.UserID, actor.Role = id, role
	ctx = lifeboat.WithActor(ctx, actor)
	name := textValue(claimString(claims, "name"), 200)
	email := textValue(claimString(claims, "email"), 200)
	if (&lifeboat.User{ID: id, Role: role, Email: email}).Validate() != nil {
		email = ""
	}
	u, err := s.Users.FindUserByID(ctx, id)
	switch {
	case lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND:
		u = &lifeboat.User{ID: id, Name: name, Email: email, Role: role}
		if err := s.Users.CreateUser(ctx, u); err != nil {
			return nil, 0, "", err
		}
		u, err = s.Users.FindUserByID(ctx, id)
		return u, 0, "", err
	case err != nil:
		return nil, 0, "", err
	case u.Disabled:
		return nil, http.StatusForbidden, "Your Lifeboat account is disabled. Ask an administrator.", nil
	case u.PasswordHash != "":
		// A provider that lets people choose their user name must not hand
		// them a local account.
		return nil, http.StatusForbidden, "This user name belongs to an account that signs in with a password. Sign in with the password, or ask an administrator.", nil
	}
	if u.Role == role && u.Name == name && u.Email == email {
		return u, 0, "", nil
	}
	u.Role, u.Name, u.Email = role, name, email
	if err := s.Users.UpdateUser(ctx, u, u.Version); err != nil {
		return nil, 0, "", err
	}
	u, err = s.Users.FindUserByID(ctx, id)
	return u, 0, "", err
}

// mapRole is the most powerful role that the role claim's values map to,
// else the default role; empty when there is none.
func (c *OIDCConfig) mapRole(claims map[string]any) lifeboat.Role {
	claim := c.RoleClaim
	if claim == "" {
		claim = "groups"
	}
	var values []string
	switch v := claims[claim].(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	best := -1
	for _, v := range values {
		if r, ok := c.RoleMap[v]; ok && r.Valid() {
			best = max(best, slices.Index(lifeboat.Roles, r))
		}
	}
	if best >= 0 {
		return lifeboat.Roles[best]
	}
	if c.DefaultRole.Valid() {
		return c.DefaultRole
	}
	return ""
}

// oidcUserID derives a valid user id from the claims: the username claim,
// else the local part of the e-mail address, else the subject.
func oidcUserID(claims map[string]any, usernameClaim string) string {
	if usernameClaim == "" {
		usernameClaim = "preferred_username"
	}
	local, _, _ := strings.Cut(claimString(claims, "email"), "@")
	for _, v := range []string{claimString(claims, usernameClaim), local, claimString(claims, "sub")} {
		if id := userIDFrom(v); id != "" {
			return id
		}
	}
	return ""
}

// userIDFrom lower-cases s and replaces what ids may not contain with '-'.
func userIDFrom(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-._")
	if len(id) > 128 {
		id = strings.TrimRight(id[:128], "-._")
	}
	if !lifeboat.ValidID(id) {
		return ""
	}
	return id
}

func claimString(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}
