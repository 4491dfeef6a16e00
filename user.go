package lifeboat

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Role is what a user may do. Roles are ordered: each includes what the
// roles before it may do, except auditor, which is viewer plus the audit
// trail.
type Role string

// The roles, from least to most powerful.
const (
	RoleViewer            Role = "viewer"
	RoleAuditor           Role = "auditor"
	RoleResponder         Role = "responder"
	RoleServiceOwner      Role = "service-owner"
	RoleContinuityManager Role = "continuity-manager"
	RoleAdmin             Role = "admin"
)

// Roles lists the roles from least to most powerful.
var Roles = []Role{RoleViewer, RoleAuditor, RoleResponder, RoleServiceOwner, RoleContinuityManager, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// rank orders roles for "no higher than" checks such as a token's role
// against its owner's.
func (r Role) rank() int { return slices.Index(Roles, r) }

// AtMost reports whether r grants no more than other. The roles form a
// chain except for auditor, which is viewer plus the audit trail: only
// auditor and admin include it, and it includes only viewer. So a
// responder's token cannot be an auditor's, which would read the trail.
func (r Role) AtMost(other Role) bool {
	switch {
	case !r.Valid() || !other.Valid():
		return false
	case r == other || other == RoleAdmin:
		return true
	case r == RoleAuditor:
		return false
	case other == RoleAuditor:
		return r == RoleViewer
	}
	return r.rank() <= other.rank()
}

// CappedAt returns r when it grants no more than ceiling, else the most
// powerful role within both: ceiling, or viewer when one of them is auditor
// and the other is not.
func (r Role) CappedAt(ceiling Role) Role {
	switch {
	case r.AtMost(ceiling):
		return r
	case ceiling.AtMost(r):
		return ceiling
	}
	return RoleViewer
}

// User is someone who signs in. A user may be linked to a person of the
// catalog, whose teams then decide which services a service owner edits.
type User struct {
	ID       string    `json:"id"`
	Name     string    `json:"name,omitempty"`
	Email    string    `json:"email,omitempty"`
	Role     Role      `json:"role"`
	PersonID string    `json:"person,omitempty"`
	Disabled bool      `json:"disabled,omitempty"`
	Created  time.Time `json:"created_at"`
	// PasswordHash is the argon2id hash in PHC form; empty for users who
	// sign in only through single sign-on.
	PasswordHash string `json:"-"`
	Version      int64  `json:"-"`
}

// Normalize trims the e-mail address.
func (u *User) Normalize() {
	u.Email = strings.TrimSpace(u.Email)
}

// Validate checks the user's fields.
func (u *User) Validate() error {
	var p Problems
	if !ValidID(u.ID) {
		p.Add("id", "%q is not a valid user name: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", u.ID)
	}
	checkLen(&p, "name", u.Name, 200)
	checkEmail(&p, "email", u.Email)
	if !u.Role.Valid() {
		p.Add("role", "%q is not a role; use one of %s", u.Role, joinQuoted(Roles))
	}
	if u.PersonID != "" && !ValidID(u.PersonID) {
		p.Add("person", "%q is not a valid person id", u.PersonID)
	}
	return p.Err("user " + strconv.Quote(u.ID))
}

// Actor is who makes a change: a signed-in user, an API token or the
// system itself (migrations, imports run from the command line).
type Actor struct {
	UserID  string // empty for the system
	TokenID string // set when acting through an API token
	Role    Role
	Address string // the client's address, for the audit trail
}

// System is the actor of changes made by Lifeboat itself or by the command
// line on the database directly.
var System = Actor{UserID: "", Role: RoleAdmin}

// Label names the actor for people: "alice", "alice (token ci-deploy)" or
// "system".
func (a Actor) Label() string {
	switch {
	case a.UserID == "":
		return "system"
	case a.TokenID != "":
		return a.UserID + " (token " + a.TokenID + ")"
	}
	return a.UserID
}

type actorKey struct{}

// WithActor returns a context that carries who is acting.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns who is acting; the system when nobody is named.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// UserStore keeps the accounts.
type UserStore interface {
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	// CountUsers tells whether the first admin still has to be created.
	CountUsers(ctx context.Context) (int, error)
	// CreateUser stores a new user with its password hash, if any.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser changes name, email, role, person and disabled; the
	// password only through SetPassword. Disabling a user ends their
	// sessions. Disabling or demoting the last enabled admin is refused
	// (ECONFLICT), so that somebody can always administer Lifeboat.
	UpdateUser(ctx context.Context, u *User, ifVersion int64) error
	// SetPassword replaces the password hash; an empty hash leaves the
	// user only single sign-on. Sessions are kept: the caller ends them.
	SetPassword(ctx context.Context, id, hash string) error
}

// Session is a signed-in browser. Only a hash of its secret is stored.
type Session struct {
	ID        string // the hash of the cookie's secret, hex
	UserID    string
	Created   time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the absolute timeout
	Address   string
	UserAgent string
}

// SessionStore keeps sessions in the database, so several instances share
// them.
type SessionStore interface {
	// CreateSession stores a session for an enabled user. Created and
	// LastSeen default to now.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns a live session by the hash of its secret and
	// records that it was seen; expired or idle ones, and those of
	// disabled users, are ENOTFOUND.
	FindSession(ctx context.Context, id string, idle time.Duration, now time.Time) (*Session, error)
	FindSessions(ctx context.Context, userID string) ([]*Session, error) // all users when userID is empty
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID string) error
	// DeleteExpiredSessions removes the sessions FindSession would refuse,
	// for a periodic clean-up, and says how many.
	DeleteExpiredSessions(ctx context.Context, idle time.Duration, now time.Time) (int64, error)
}

// Token is an API token for automation. Only a hash of its secret is kept;
// the secret is shown once, when the token is created.
type Token struct {
	ID        string    `json:"id"` // a label unique per user, such as ci-deploy
	UserID    string    `json:"user"`
	Role      Role      `json:"role"`
	Created   time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never
	LastUsed  time.Time `json:"last_used_at,omitzero"`
	Revoked   bool      `json:"revoked,omitempty"`
	Hash      string    `json:"-"`
}

// Validate checks the token's own fields; the store checks its owner.
func (t *Token) Validate() error {
	var p Problems
	if !ValidID(t.ID) {
		p.Add("id", "%q is not a valid token name: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", t.ID)
	}
	if t.Role != "" && !t.Role.Valid() {
		p.Add("role", "%q is not a role; use one of %s", t.Role, joinQuoted(Roles))
	}
	if t.Hash == "" {
		p.Add("hash", "missing")
	}
	return p.Err("token " + strconv.Quote(t.ID))
}

// TokenStore keeps API tokens.
type TokenStore interface {
	// CreateToken stores a token of an enabled user. Its role defaults to
	// the user's and must not exceed it (EINVALID on "role"). A name in
	// use is ECONFLICT unless that token is revoked or expired, which the
	// new one then replaces.
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns a usable token: not revoked, not expired,
	// its user enabled. Its Role is capped at the user's current role, in
	// case the user was demoted since. Use is recorded in LastUsed.
	FindTokenByHash(ctx context.Context, hash string, now time.Time) (*Token, error)
	FindTokens(ctx context.Context, userID string) ([]*Token, error) // all users when userID is empty
	RevokeToken(ctx context.Context, userID, id string) error
}

// LoginThrottle counts failed sign-ins in the database, so that every
// instance sees them. Keys name what is counted: ThrottleUser and
// ThrottleAddress make them.
type LoginThrottle interface {
	// RecordFailedLogin counts one failure against each key.
	RecordFailedLogin(ctx context.Context, keys []string, at time.Time) error
	// CountFailedLogins counts a key's failures since a time.
	CountFailedLogins(ctx context.Context, key string, since time.Time) (int, error)
	// ClearFailedLogins forgets a key's failures, after a successful
	// sign-in or a password reset.
	ClearFailedLogins(ctx context.Context, key string) error
	// PruneFailedLogins forgets all failures before a time, for a periodic
	// clean-up, and says how many.
	PruneFailedLogins(ctx context.Context, before time.Time) (int64, error)
}

// ThrottleUser is the throttling key of an account.
func ThrottleUser(id string) string { return "user:" + id }

// ThrottleAddress is the throttling key of a client address.
func ThrottleAddress(addr string) string { return "addr:" + addr }

// SetupStore keeps the one-time links that create the first admin of an
// empty database. Only hashes of their secrets are stored.
type SetupStore interface {
	CreateSetupToken(ctx context.Context, hash string, expires time.Time) error
	// UseSetupToken spends a setup token: of two concurrent uses one
	// succeeds, and unknown, used or expired tokens are ENOTFOUND.
	UseSetupToken(ctx context.Context, hash string, now time.Time) error
}
