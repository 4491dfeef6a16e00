package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
)

// LoginThrottle counts failed sign-ins per account and per address in the
// database, so that every instance sees the same counts.
type LoginThrottle interface {
	RecordFailedLogin(ctx context.Context, keys []string, at time.Time) error
	CountFailedLogins(ctx context.Context, key string, since time.Time) (int, error)
	ClearFailedLogins(ctx context.Context, key string) error
}

// SetupStore keeps the one-time link that creates the first admin.
type SetupStore interface {
	UseSetupToken(ctx context.Context, hash string, now time.Time) error
}

// AuthConfig tunes sign-in.
type AuthConfig struct {
	SessionIdle    time.Duration  // a session unused this long ends
	SessionMax     time.Duration  // a session ends this long after sign-in, used or not
	SecureCookies  bool           // treat every request as HTTPS, as behind a proxy that terminates TLS
	MaxFailures    int            // failed sign-ins per account or address within FailureWindow
	FailureWindow  time.Duration  // before sign-in is refused for a while
	TrustedProxies []netip.Prefix // proxies whose X-Forwarded-For names the client
	Now            func() time.Time
}

// withDefaults fills in what is not set.
func (c AuthConfig) withDefaults() AuthConfig {
	if c.SessionIdle == 0 {
		c.SessionIdle = 8 * time.Hour
	}
	if c.SessionMax == 0 {
		c.SessionMax = 7 * 24 * time.Hour
	}
	if c.MaxFailures == 0 {
		c.MaxFailures = 10
	}
	if c.FailureWindow == 0 {
		c.FailureWindow = 15 * time.Minute
	}
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	return c
}

// sessionCookie names the session cookie. Under HTTPS the __Host- prefix
// makes the browser refuse it from any other origin or path.
func (s *Server) sessionCookie(r *http.Request) string {
	if s.isHTTPS(r) {
		return "__Host-lifeboat_session"
	}
	return "lifeboat_session"
}

// isHTTPS reports whether the browser reached us over HTTPS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto.
func (s *Server) isHTTPS(r *http.Request) bool {
	if r.TLS != nil || s.Auth.SecureCookies {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && s.trusted(peer) && r.Header.Get("X-Forwarded-Proto") == "https"
}

// authenticate finds who is calling, from an API token or a session
// cookie, and puts the actor in the request's context. It refuses nothing:
// authorize decides per route.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := lifeboat.Actor{Address: s.clientAddress(r)}
		signed := false
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				writeProblem(w, http.StatusUnauthorized, "Authorization must be \"Bearer <token>\".")
				return
			}
			// An unusable token leaves the caller anonymous: public routes
			// still answer, the others refuse with 401.
			// The store checks the owner too: enabled, and the token's role
			// capped at the owner's current one.
			if t, err := s.Tokens.FindTokenByHash(r.Context(), secret.Hash(strings.TrimSpace(token)), s.Auth.Now()); err == nil {
				actor.UserID, actor.TokenID, actor.Role, signed = t.UserID, t.ID, t.Role, true
			}
		} else if c, err := r.Cookie(s.sessionCookie(r)); err == nil && c.Value != "" {
			if u, sess, err := s.sessionUser(r.Context(), c.Value); err == nil {
				actor.UserID, actor.Role, signed = u.ID, u.Role, true
				r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
			}
		}
		ctx := lifeboat.WithActor(r.Context(), actor)
		ctx = context.WithValue(ctx, signedInKey{}, signed)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type sessionKey struct{}

func (s *Server) sessionUser(ctx context.Context, token string) (*lifeboat.User, *lifeboat.Session, error) {
	sess, err := s.Sessions.FindSession(ctx, secret.Hash(token), s.Auth.SessionIdle, s.Auth.Now())
	if err != nil {
		return nil, nil, err
	}
	u, err := s.Users.FindUserByID(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return nil, nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "no such session")
	}
	return u, sess, nil
}

// clientAddress is the caller's IP address: the connection's peer, or,
// when the peer is a trusted proxy, the last address in X-Forwarded-For
// that is not itself a trusted proxy.
func (s *Server) clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.String()
		}
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.Auth.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
