package web

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

const (
	fakeClientID    = "lifeboat"
	fakeRedirectURL = "http://lifeboat.test/login/oidc/callback"
)

// fakeIdP is an OpenID Connect provider in the test process: discovery,
// keys, an authorization endpoint that signs in whoever claims says, and a
// token endpoint that checks PKCE and signs ID tokens with RS256.
type fakeIdP struct {
	*httptest.Server
	key     *rsa.PrivateKey // published in the JWKS
	mu      sync.Mutex
	signKey *rsa.PrivateKey      // signs ID tokens; key unless a test forges
	claims  map[string]any       // who signs in next
	grants  map[string]fakeGrant // by code
	tokens  []string             // every token issued, to check logs for
	hits    map[string]int       // requests by path
}

type fakeGrant struct {
	challenge, nonce string
	claims           map[string]any
}

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeIdP{key: key, signKey: key, grants: map[string]fakeGrant{}, hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		writeJSON(w, map[string]any{"keys": []map[string]any{{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k1",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != fakeClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
			q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("redirect_uri") != fakeRedirectURL {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := rand.Text()
		p.mu.Lock()
		p.grants[code] = fakeGrant{q.Get("code_challenge"), q.Get("nonce"), p.claims}
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p.mu.Lock()
		defer p.mu.Unlock()
		g, ok := p.grants[r.PostForm.Get("code")]
		delete(p.grants, r.PostForm.Get("code"))
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		now := time.Now()
		claims := map[string]any{"iss": p.URL, "aud": fakeClientID, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": g.nonce}
		for k, v := range g.claims {
			claims[k] = v
		}
		idToken := signJWT(p.signKey, claims)
		access := "fake-access-" + rand.Text()
		p.tokens = append(p.tokens, idToken, access)
		writeJSON(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// signJWT builds a compact RS256 JWT by hand.
func signJWT(key *rsa.PrivateKey, claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// ssoServer is the real server with single sign-on through a fake
// provider; logs go to the returned buffer.
func ssoServer(t *testing.T, db *sqldb.DB, idp *fakeIdP, change func(*OIDCConfig)) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := &OIDCConfig{Issuer: idp.URL, ClientID: fakeClientID, ClientSecret: "s3cret", RedirectURL: fakeRedirectURL,
		RoleMap: map[string]lifeboat.Role{"lb-viewers": lifeboat.RoleViewer, "lb-owners": lifeboat.RoleServiceOwner, "lb-admins": lifeboat.RoleAdmin}}
	if change != nil {
		change(cfg)
	}
	s, err := New(Config{Services: db, Teams: db, People: db, Users: db, Sessions: db, Tokens: db,
		Throttle: db, Setup: db, Audit: db, Models: db, Ready: db.Ping, Version: "test", OIDC: cfg,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// ssoTamper changes a sign-in between the provider and the callback.
type ssoTamper struct {
	state  func(string) string     // the state in the callback
	cookie func(oidcFlow) oidcFlow // the flow kept in the cookie
}

// ssoSignIn runs a whole sign-in as a browser would: start, provider,
// callback, carrying the cookie. It returns the callback's response.
func ssoSignIn(t *testing.T, s *Server, idp *fakeIdP, claims map[string]any, tamper ssoTamper) pageResponse {
	t.Helper()
	idp.mu.Lock()
	idp.claims = claims
	idp.mu.Unlock()
	start := get(t, s, "/login/oidc?next=/services", "X-Anonymous", "1")
	if start.Status != http.StatusFound || !strings.HasPrefix(start.Header.Get("Location"), idp.URL+"/authorize?") {
		t.Fatalf("start = %d to %q: %s", start.Status, start.Header.Get("Location"), start.Body)
	}
	sc := (&http.Response{Header: start.Header}).Cookies()
	if len(sc) != 1 || sc[0].Name != "lifeboat_oidc" || !sc[0].HttpOnly || sc[0].SameSite != http.SameSiteLaxMode ||
		sc[0].Path != "/login/oidc" || sc[0].MaxAge != 600 {
		t.Fatalf("flow cookie = %+v", sc)
	}
	cookie := sc[0].Value
	if tamper.cookie != nil {
		raw, _ := base64.RawURLEncoding.DecodeString(cookie)
		var f oidcFlow
		json.Unmarshal(raw, &f)
		raw, _ = json.Marshal(tamper.cookie(f))
		cookie = base64.RawURLEncoding.EncodeToString(raw)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(start.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), fakeRedirectURL+"?") {
		t.Fatalf("provider = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if tamper.state != nil {
		q := back.Query()
		q.Set("state", tamper.state(q.Get("state")))
		back.RawQuery = q.Encode()
	}
	return get(t, s, back.RequestURI(), "Cookie", "lifeboat_oidc="+cookie, "X-Anonymous", "1", "Sec-Fetch-Site", "cross-site")
}

func alice(groups ...string) map[string]any {
	return map[string]any{"sub": "00u1", "preferred_username": "Alice.Smith@Corp", "name": "Alice Smith",
		"email": "alice@example.com", "groups": groups}
}

func sessionCookieOf(t *testing.T, r pageResponse) string {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "lifeboat_session" && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("no session cookie in %v", r.Header.Values("Set-Cookie"))
	return ""
}

func TestSSOSignInCreatesAndUpdatesUser(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	idp := newFakeIdP(t)
	s, logs := ssoServer(t, db, idp, nil)
	ctx := context.Background()

	r := ssoSignIn(t, s, idp, alice("staff", "lb-viewers", "lb-owners"), ssoTamper{})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/services" {
		t.Fatalf("callback = %d to %q: %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	u, err := db.FindUserByID(ctx, "alice.smith-corp")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != lifeboat.RoleServiceOwner || u.Name != "Alice Smith" || u.Email != "alice@example.com" || u.PasswordHash != "" {
		t.Errorf("created user = %+v, want a service owner without a password", u)
	}
	page := get(t, s, "/services", "Cookie", sessionCookieOf(t, r))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "alice.smith-corp", "Sign out", `href="/services/new"`)

	// The group changed at the provider: the next sign-in brings the role along.
	r = ssoSignIn(t, s, idp, alice("lb-admins"), ssoTamper{})
	wantStatus(t, r, http.StatusSeeOther)
	if u, _ := db.FindUserByID(ctx, "alice.smith-corp"); u.Role != lifeboat.RoleAdmin {
		t.Errorf("role after the group changed = %q, want admin", u.Role)
	}
	entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Action: "sign-in", Subject: "alice.smith-corp"})
	if err != nil || len(entries) != 2 {
		t.Errorf("%d sign-in audit entries, want 2 (%v)", len(entries), err)
	}
	for _, tok := range idp.tokens {
		if strings.Contains(logs.String(), tok) {
			t.Errorf("a token is in the logs:\n%s", logs)
		}
	}
	if strings.Contains(logs.String(), "s3cret") {
		t.Errorf("the client secret is in the logs")
	}
}

func TestSSORefusals(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	idp := newFakeIdP(t)
	s, _ := ssoServer(t, db, idp, nil)
	ctx := context.Background()
	if err := db.CreateUser(ctx, &lifeboat.User{ID: "dora", Role: lifeboat.RoleViewer, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	makeUser(t, db, "paul", lifeboat.RoleViewer, "") // signs in with a password
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		claims map[string]any
		tamper ssoTamper
		forge  bool
		status int
		msg    string
	}{
		{"wrong state", alice("lb-admins"), ssoTamper{state: func(string) string { return "forged" }}, false,
			http.StatusUnauthorized, "does not belong to this sign-in"},
		{"PKCE verifier mismatch", alice("lb-admins"), ssoTamper{cookie: func(f oidcFlow) oidcFlow {
			f.Verifier = strings.Repeat("x", 43)
			return f
		}}, false, http.StatusUnauthorized, "did not accept the sign-in"},
		{"nonce mismatch", alice("lb-admins"), ssoTamper{cookie: func(f oidcFlow) oidcFlow {
			f.Nonce = "other"
			return f
		}}, false, http.StatusUnauthorized, "could not be verified"},
		{"no flow cookie", alice("lb-admins"), ssoTamper{cookie: func(oidcFlow) oidcFlow { return oidcFlow{} }}, false,
			http.StatusUnauthorized, "took too long"},
		{"bad signature", alice("lb-admins"), ssoTamper{}, true, http.StatusUnauthorized, "could not be verified"},
		{"no matching group", alice("staff"), ssoTamper{}, false, http.StatusForbidden, "not in a group that has a Lifeboat role"},
		{"disabled user", map[string]any{"sub": "d", "preferred_username": "dora", "groups": []string{"lb-viewers"}}, ssoTamper{}, false,
			http.StatusForbidden, "disabled"},
		{"local account", map[string]any{"sub": "p", "preferred_username": "paul", "groups": []string{"lb-admins"}}, ssoTamper{}, false,
			http.StatusForbidden, "signs in with a password"},
	} {
		t.Run(c.name, func(t *testing.T) {
			idp.mu.Lock()
			idp.signKey = idp.key
			if c.forge {
				idp.signKey = forger
			}
			idp.mu.Unlock()
			r := ssoSignIn(t, s, idp, c.claims, c.tamper)
			if r.Status != c.status || !strings.Contains(r.Body, c.msg) {
				t.Errorf("callback = %d, want %d with %q:\n%s", r.Status, c.status, c.msg, r.Body)
			}
			for _, sc := range r.Header.Values("Set-Cookie") {
				if strings.HasPrefix(sc, "lifeboat_session=") {
					t.Errorf("a refused sign-in set a session cookie: %s", sc)
				}
			}
		})
	}
	if _, err := db.FindUserByID(ctx, "alice.smith-corp"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		t.Errorf("refused sign-ins created a user: %v", err)
	}
	if u, _ := db.FindUserByID(ctx, "paul"); u.Role != lifeboat.RoleViewer {
		t.Errorf("single sign-on changed a local account's role to %q", u.Role)
	}
}

func TestSSODefaultRoleAndProviderDown(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	idp := newFakeIdP(t)
	s, _ := ssoServer(t, db, idp, func(c *OIDCConfig) { c.DefaultRole = lifeboat.RoleViewer })
	r := ssoSignIn(t, s, idp, map[string]any{"sub": "Bob Jones", "groups": []string{"staff"}}, ssoTamper{})
	wantStatus(t, r, http.StatusSeeOther)
	if u, err := db.FindUserByID(context.Background(), "bob-jones"); err != nil || u.Role != lifeboat.RoleViewer {
		t.Errorf("user from sub with the default role = %+v, %v", u, err)
	}

	// A provider that is down answers 502 and is tried again later.
	down := newFakeIdP(t)
	s2, _ := ssoServer(t, db, down, nil)
	down.Close()
	r = get(t, s2, "/login/oidc", "X-Anonymous", "1")
	if r.Status != http.StatusBadGateway || !strings.Contains(r.Body, "cannot be reached") {
		t.Errorf("provider down: %d %s", r.Status, r.Body)
	}
	s2.OIDC.Issuer = idp.URL // as if it came back
	if r := ssoSignIn(t, s2, idp, alice("lb-viewers"), ssoTamper{}); r.Status != http.StatusSeeOther {
		t.Errorf("after the provider came back: %d %s", r.Status, r.Body)
	}
}

func TestLoginPageSSOLink(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	plain := authServer(t, db)
	r := get(t, plain, "/login", "X-Anonymous", "1")
	wantStatus(t, r, http.StatusOK)
	wantLacks(t, r, "single sign-on", "/login/oidc")
	if r := get(t, plain, "/login/oidc", "X-Anonymous", "1"); r.Status != http.StatusNotFound {
		t.Errorf("/login/oidc without single sign-on = %d, want 404", r.Status)
	}
	s, _ := ssoServer(t, db, newFakeIdP(t), nil)
	r = get(t, s, "/login?next=/teams", "X-Anonymous", "1")
	wantContains(t, r, "Sign in with single sign-on", `href="/login/oidc?next=%2fteams"`)
}

func TestUserIDFromClaims(t *testing.T) {
	for _, c := range []struct {
		claims map[string]any
		want   string
	}{
		{map[string]any{"preferred_username": "Alice", "email": "x@y", "sub": "1"}, "alice"},
		{map[string]any{"preferred_username": "  Ünïcode Name ", "sub": "1"}, "n-code-name"},
		{map[string]any{"email": "Carol.King@example.com", "sub": "1"}, "carol.king"},
		{map[string]any{"preferred_username": "***", "sub": "auth0|42"}, "auth0-42"},
		{map[string]any{"preferred_username": "---"}, ""},
		{map[string]any{"preferred_username": strings.Repeat("a", 200)}, strings.Repeat("a", 128)},
	} {
		if got := oidcUserID(c.claims, ""); got != c.want {
			t.Errorf("oidcUserID(%v) = %q, want %q", c.claims, got, c.want)
		}
	}
}
