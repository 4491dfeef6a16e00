package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lifeboat-itscm/lifeboat"
)

type auditData struct {
	Filter  lifeboat.AuditFilter
	Entries []*lifeboat.AuditEntry
	Older   string // the URL of the next, older page; empty on the last
}

const auditPageSize = 50

// auditPage lets auditors and admins search the audit trail, newest first.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := lifeboat.AuditFilter{Actor: textValue(q.Get("actor"), 128), Kind: textValue(q.Get("kind"), 64),
		Subject: textValue(q.Get("subject"), 128), Action: textValue(q.Get("action"), 64), Limit: auditPageSize}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.Before = b
	}
	entries, err := s.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := auditData{Filter: f, Entries: entries}
	if len(entries) == auditPageSize {
		next := url.Values{}
		for k, v := range map[string]string{"actor": f.Actor, "kind": f.Kind, "subject": f.Subject, "action": f.Action} {
			if v != "" {
				next.Set(k, v)
			}
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
		d.Older = "/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", page{Title: "Audit trail", Nav: "audit", Data: d})
}
