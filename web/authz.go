package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

// route is one registered route and the permission it needs; the table of
// them is what the authorization tests walk.
type route struct {
	Method, Path string // Method is empty for routes that take any method
	Perm         lifeboat.Permission
}

// handle registers a page or plain HTTP route behind its permission.
func (s *Server) handle(pattern string, perm lifeboat.Permission, h http.HandlerFunc) {
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		method, path = "", pattern
	}
	s.table = append(s.table, route{method, path, perm})
	s.mux.Handle(pattern, s.authorize(perm, strings.HasPrefix(path, APIPrefix), h))
}

// register adds an API operation behind its permission.
func register[I, O any](s *Server, perm lifeboat.Permission, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	s.table = append(s.table, route{op.Method, op.Path, perm})
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata["permission"] = perm
	if perm != lifeboat.PermPublic {
		op.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
	}
	op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
		if status, msg := decide(lifeboat.ActorFrom(ctx.Context()), signedInFrom(ctx.Context()), perm); status != 0 {
			huma.WriteErr(s.api, ctx, status, msg)
			return
		}
		next(ctx)
	})
	huma.Register(s.api, op, h)
}

// decide is the one place that grants or refuses a request: 0 to let it
// through, or the status and message to refuse it with.
func decide(a lifeboat.Actor, signedIn bool, perm lifeboat.Permission) (int, string) {
	switch {
	case perm == lifeboat.PermPublic:
		return 0, ""
	case !signedIn:
		return http.StatusUnauthorized, "Sign in first: send a session cookie or an API token (Authorization: Bearer ...)."
	case !a.Role.Can(perm):
		return http.StatusForbidden, "Your role (" + string(a.Role) + ") may not do this."
	}
	return 0, ""
}

// authorize wraps a page or plain route: visitors who are not signed in go
// to the sign-in page (API callers get 401), signed-in users without the
// permission get 403.
func (s *Server) authorize(perm lifeboat.Permission, api bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, msg := decide(lifeboat.ActorFrom(r.Context()), signedInFrom(r.Context()), perm)
		switch {
		case status == 0:
			h(w, r)
		case api:
			writeProblem(w, status, msg)
		case status == http.StatusUnauthorized:
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		default:
			s.errorPage(w, r, status, msg)
		}
	})
}

type signedInKey struct{}

// signedInFrom reports whether authenticate found a valid session or token.
func signedInFrom(ctx context.Context) bool {
	v, _ := ctx.Value(signedInKey{}).(bool)
	return v
}
