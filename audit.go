package lifeboat

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry records one event: a change to data, a sign-in or a failed
// one, a role or token change. Entries are append-only and chained: each
// entry's Hash covers its content and the previous entry's Hash, so that
// changing or removing an entry breaks the chain from there on.
type AuditEntry struct {
	Seq     int64           `json:"seq"`
	Time    time.Time       `json:"time"`
	Actor   string          `json:"actor"` // user id, empty for the system
	Token   string          `json:"token,omitempty"`
	Address string          `json:"address,omitempty"`
	Action  string          `json:"action"` // create, update, delete, sign-in, sign-in-failed, ...
	Kind    string          `json:"kind"`   // service, team, person, user, token, session
	Subject string          `json:"subject"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
	Prev    string          `json:"prev"`
	Hash    string          `json:"hash"`
}

// Audit actions. Data changes use the first three, with the thing's JSON
// before and after the change.
const (
	AuditCreate       = "create"
	AuditUpdate       = "update"
	AuditDelete       = "delete"
	AuditImport       = "import" // a whole model added at once; see sqldb.ImportModel
	AuditSignIn       = "sign-in"
	AuditSignInFailed = "sign-in-failed"
)

// Page sizes of FindAuditEntries.
const (
	AuditDefaultLimit = 100
	AuditMaxLimit     = 1000
)

// AuditFilter selects audit entries, newest first, paged by sequence.
type AuditFilter struct {
	Actor   string
	Kind    string
	Subject string
	Action  string
	Since   time.Time // entries at or after Since; zero for no bound
	Until   time.Time // entries before Until; zero for no bound
	Before  int64     // only entries with a smaller sequence number; 0 for the newest
	Limit   int       // AuditDefaultLimit when 0, at most AuditMaxLimit
}

// AuditCheck is what verifying the audit trail found.
type AuditCheck struct {
	Entries int64 // how many entries were checked
	// LastSeq and LastHash identify the newest entry checked. Keeping them
	// outside the database lets a later check prove that the chain was not
	// rewritten or cut short since (see docs/audit.md).
	LastSeq  int64
	LastHash string
	// Broken is the sequence number of the first broken entry, 0 when the
	// chain is intact; Reason says what is wrong with it.
	Broken int64
	Reason string
}

// Intact reports whether every entry checked out.
func (c *AuditCheck) Intact() bool { return c.Broken == 0 }

// AuditStore reads the audit trail. Entries are written by the other stores
// in the same transaction as the change they record.
type AuditStore interface {
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// WalkAudit calls fn for every entry in chain order, from the first
	// one at or after since (the zero time for all), until fn returns an
	// error. The entries it yields are a contiguous piece of the chain.
	WalkAudit(ctx context.Context, since time.Time, fn func(*AuditEntry) error) error
	// VerifyAudit walks the whole chain, recomputing every hash and link.
	// A broken chain is a result, not an error: see AuditCheck.Broken.
	VerifyAudit(ctx context.Context) (*AuditCheck, error)
	// AppendAudit records an event that is not a data change, such as a
	// sign-in. Who acted comes from ctx (see WithActor), as for every
	// change; Action, Kind, Subject, Before and After from e. It fills in
	// e's other fields.
	AppendAudit(ctx context.Context, e *AuditEntry) error
}
