package lifeboat

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// AuditGenesis is the Prev of the first audit entry: it follows no other.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditHashVersion starts every encoded entry, so that a future encoding
// can never produce the same bytes as this one.
const auditHashVersion = "lifeboat-audit-v1\n"

// ComputeHash returns the hash e should have: the hex SHA-256 of its
// canonical encoding. That is the version tag "lifeboat-audit-v1\n"; Seq
// and Time (Unix milliseconds) as 8-byte big-endian integers; Actor, Token,
// Address, Action, Kind and Subject; Before and After, each one 0 byte when
// absent or one 1 byte and the JSON when present; and last Prev. Every text
// is preceded by its length in bytes as an 8-byte big-endian integer, so
// that no two different entries encode alike. docs/audit.md has a short
// independent implementation.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	text := func(s string) {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	optional := func(b []byte) {
		if b == nil {
			h.Write([]byte{0})
			return
		}
		h.Write([]byte{1})
		num(int64(len(b)))
		h.Write(b)
	}
	h.Write([]byte(auditHashVersion))
	num(e.Seq)
	num(e.Time.UnixMilli())
	for _, s := range []string{e.Actor, e.Token, e.Address, e.Action, e.Kind, e.Subject} {
		text(s)
	}
	optional(e.Before)
	optional(e.After)
	text(e.Prev)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditVerifier checks audit entries handed to it in chain order, from the
// first: sequence numbers 1, 2, 3... without gaps, each entry's hash over
// its content, and each entry's link to the one before. The zero value is
// ready to use. It is what the database check and a check of an export
// have in common.
type AuditVerifier struct {
	c AuditCheck
}

// Check checks the next entry and reports whether the chain is still
// intact. After the first broken entry it refuses every other.
func (v *AuditVerifier) Check(e *AuditEntry) bool {
	c := &v.c
	if c.Broken != 0 {
		return false
	}
	want, prev := c.LastSeq+1, c.LastHash
	if want == 1 {
		prev = AuditGenesis
	}
	switch {
	case e.Seq > want+1:
		c.Broken, c.Reason = want, fmt.Sprintf("entries %d to %d are missing", want, e.Seq-1)
	case e.Seq > want:
		c.Broken, c.Reason = want, fmt.Sprintf("entry %d is missing", want)
	case e.Seq < want:
		c.Broken, c.Reason = want, fmt.Sprintf("an entry numbered %d stands where entry %d belongs", e.Seq, want)
	case e.ComputeHash() != e.Hash:
		c.Broken, c.Reason = e.Seq, "hash mismatch: entry was altered"
	case e.Prev != prev && want == 1:
		c.Broken, c.Reason = e.Seq, "prev link broken: the first entry must link to no other"
	case e.Prev != prev:
		c.Broken, c.Reason = e.Seq, fmt.Sprintf("prev link broken: it does not link to entry %d; entries were altered, removed or reordered", want-1)
	default:
		c.Entries++
		c.LastSeq, c.LastHash = e.Seq, e.Hash
		return true
	}
	return false
}

// Result returns what the entries checked so far show.
func (v *AuditVerifier) Result() AuditCheck { return v.c }
