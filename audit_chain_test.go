package lifeboat

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAuditHashEncoding pins the hash of two entries, computed by an
// independent implementation of the encoding (the Python one in
// docs/audit.md): changing the encoding would break every chain already
// written.
func TestAuditHashEncoding(t *testing.T) {
	at := time.UnixMilli(1795000000123)
	tests := []struct {
		e    AuditEntry
		want string
	}{
		{AuditEntry{Seq: 1, Time: at, Actor: "alice", Token: "ci", Address: "10.0.0.1", Action: "update", Kind: "person",
			Subject: "ann", Before: json.RawMessage(`{"id":"ann"}`), Prev: AuditGenesis},
			"80a9c0865dde8daff6e62d89df9c993ebc06da8a1bc1c98b8ba40f6673501d64"},
		{AuditEntry{Seq: 2, Time: at, Actor: "alice", Action: "create", Kind: "person",
			Subject: "ann", After: json.RawMessage(`{"id":"ann","name":"Ann"}`), Prev: strings.Repeat("f", 64)},
			"beaab957939da2d8b5ebc0c37a5aedb1c8152b47b48b32f6c195b28b0ec9f5ae"},
	}
	for _, tt := range tests {
		if got := tt.e.ComputeHash(); got != tt.want {
			t.Errorf("entry %d: hash %s, want %s", tt.e.Seq, got, tt.want)
		}
	}
	// Fields are length-prefixed: moving text from one to the next, or
	// JSON from before to after, changes the hash.
	a := tests[0].e
	b := a
	b.Actor, b.Token = "alic", "eci"
	c := a
	c.Before, c.After = nil, a.Before
	d := a
	d.Before = json.RawMessage{}
	for _, other := range []AuditEntry{b, c, d} {
		if a.ComputeHash() == other.ComputeHash() {
			t.Errorf("%+v and %+v hash alike", a, other)
		}
	}
}

// chain returns n linked entries.
func chain(n int) []*AuditEntry {
	var out []*AuditEntry
	prev := AuditGenesis
	for i := range n {
		e := &AuditEntry{Seq: int64(i + 1), Time: time.UnixMilli(int64(i) * 1000), Actor: "alice",
			Action: AuditCreate, Kind: "person", Subject: fmt.Sprint("p", i), Prev: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestAuditVerifier(t *testing.T) {
	tests := []struct {
		name   string
		change func([]*AuditEntry) []*AuditEntry
		broken int64
		reason string
	}{
		{"intact", func(es []*AuditEntry) []*AuditEntry { return es }, 0, ""},
		{"empty", func([]*AuditEntry) []*AuditEntry { return nil }, 0, ""},
		{"altered", func(es []*AuditEntry) []*AuditEntry { es[2].Subject = "x"; return es }, 3, "hash mismatch"},
		{"missing", func(es []*AuditEntry) []*AuditEntry { return append(es[:1], es[2:]...) }, 2, "entry 2 is missing"},
		{"first missing", func(es []*AuditEntry) []*AuditEntry { return es[1:] }, 1, "entry 1 is missing"},
		{"repeated", func(es []*AuditEntry) []*AuditEntry { return append(es[:3], es[2:]...) }, 4, "an entry numbered 3 stands where entry 4 belongs"},
		{"relinked", func(es []*AuditEntry) []*AuditEntry {
			es[3].Prev = es[1].Hash
			es[3].Hash = es[3].ComputeHash()
			return es
		}, 4, "prev link broken: it does not link to entry 3"},
		{"first relinked", func(es []*AuditEntry) []*AuditEntry {
			es[0].Prev = strings.Repeat("1", 64)
			es[0].Hash = es[0].ComputeHash()
			return es
		}, 1, "the first entry must link to no other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v AuditVerifier
			for _, e := range tt.change(chain(5)) {
				if !v.Check(e) {
					break
				}
			}
			c := v.Result()
			if c.Broken != tt.broken || !strings.Contains(c.Reason, tt.reason) || c.Intact() != (tt.broken == 0) {
				t.Errorf("%+v, want broken at %d (%s)", c, tt.broken, tt.reason)
			}
			if c.Intact() && c.Entries > 0 && (c.LastSeq != 5 || c.LastHash == "") {
				t.Errorf("intact result %+v", c)
			}
			if !c.Intact() && v.Check(chain(1)[0]) {
				t.Error("the verifier goes on after a break")
			}
		})
	}
}
