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

// AuditFilter selects audit entries, newest first, paged by sequence.
type AuditFilter struct {
	Actor   string
	Kind    string
	Subject string
	Action  string
	Since   time.Time
	Until   time.Time
	Before  int64 // only entries with a smaller sequence number; 0 for the newest
	Limit   int
}

// AuditStore reads the audit trail. Entries are written by the other stores
// in the same transaction as the change they record.
type AuditStore interface {
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// VerifyAudit walks the whole chain and returns the sequence number of
	// the first broken entry, or 0 when the chain is intact.
	VerifyAudit(ctx context.Context) (broken int64, reason string, err error)
	// AppendAudit records an event that is not a data change, such as a
	// sign-in.
	AppendAudit(ctx context.Context, e *AuditEntry) error
}
