package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// What the API and the pages share about BIAs: a BIA read with its review
// state and the objectives derived from it, and the checks of a BIA
// against the impact scale before it is saved.

// biaRecord is a BIA with what Lifeboat derives from it at the time of the
// request: where it stands in its review cycle and the service's MTPD,
// RTO, RPO and tier with their reasons.
type biaRecord struct {
	BIA     *lifeboat.BIA
	Service *lifeboat.Service
	Scale   *lifeboat.ImpactScale
	Review  lifeboat.ReviewState
	Derived lifeboat.Derivation
}

func newBIARecord(scale *lifeboat.ImpactScale, svc *lifeboat.Service, b *lifeboat.BIA, st lifeboat.ReviewState) *biaRecord {
	if svc == nil { // a BIA whose service the model lacks; check reports it
		svc = &lifeboat.Service{ID: b.Service, Name: b.Service}
	}
	return &biaRecord{BIA: b, Service: svc, Scale: scale, Review: st, Derived: lifeboat.DeriveObjectives(scale, svc, b)}
}

// impactScale is the organisation's impact scale, from the live index so
// that a page reads it without reading the model.
func (s *Server) impactScale(ctx context.Context) (*lifeboat.ImpactScale, error) {
	x, err := s.graph.Index(ctx)
	if err != nil {
		return nil, err
	}
	return x.Scale(), nil
}

// loadBIA reads the BIA of a service; ENOTFOUND says whether the service
// or its BIA is missing.
func (s *Server) loadBIA(ctx context.Context, id string) (*biaRecord, error) {
	svc, err := s.Services.FindServiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	b, st, err := s.BIAs.FindBIA(ctx, id, s.Auth.Now())
	if err != nil {
		return nil, err
	}
	scale, err := s.impactScale(ctx)
	if err != nil {
		return nil, err
	}
	return newBIARecord(scale, svc, b, st), nil
}

// biaStatusDue filters for approved BIAs whose approval has lapsed, by
// date or by change.
const biaStatusDue = "due"

// biaList is every BIA of the model with its derived values, in the order
// of service ids, and the model they come from.
type biaList struct {
	Records []*biaRecord
	Model   *lifeboat.Model
}

// allBIAs reads the BIAs with their services, since a BIA's review state
// and objectives depend on its service. status, when set, keeps only BIAs
// in that review status, or those due for review.
func (s *Server) allBIAs(ctx context.Context, status string) (*biaList, error) {
	m, err := s.Models.FindBIAModel(ctx)
	if err != nil {
		return nil, err
	}
	services := make(map[string]*lifeboat.Service, len(m.Services))
	for _, svc := range m.Services {
		services[svc.ID] = svc
	}
	now, scale := s.Auth.Now(), m.Scale()
	out := &biaList{Model: m}
	for _, b := range m.BIAs {
		st := lifeboat.ReviewStateOf(b, services[b.Service], now)
		if !matchesStatus(st, status) {
			continue
		}
		out.Records = append(out.Records, newBIARecord(scale, services[b.Service], b, st))
	}
	return out, nil
}

// matchesStatus reports whether a review state passes a status filter:
// "" for all, a review status, or due.
func matchesStatus(st lifeboat.ReviewState, status string) bool {
	switch status {
	case "":
		return true
	case biaStatusDue:
		return st.Due()
	}
	return string(st.Status) == status
}

// checkBIAChange checks what a save does not, so that each problem is a
// field problem: ratings on the impact scale, systems and suppliers that
// exist, and a sign-off left as it is. Whole models may hold unknown
// ratings (check reports them); one BIA saved through the API or a page may
// not.
func (s *Server) checkBIAChange(ctx context.Context, b *lifeboat.BIA) error {
	scale, err := s.impactScale(ctx)
	if err != nil {
		return err
	}
	var p lifeboat.Problems
	checkScale(&p, b, scale)
	if err := s.checkResources(ctx, &p, b.Resources); err != nil {
		return err
	}
	if err := p.Err("the BIA of " + strconv.Quote(b.Service)); err != nil || b.Review == nil {
		return err
	}
	stored := &lifeboat.BIA{}
	if cur, _, err := s.BIAs.FindBIA(ctx, b.Service, s.Auth.Now()); err == nil {
		stored = cur
	} else if lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		return err
	}
	return sameSignOff(b, stored)
}

func checkScale(p *lifeboat.Problems, b *lifeboat.BIA, scale *lifeboat.ImpactScale) {
	for i, pt := range b.Impacts {
		cats := make([]string, 0, len(pt.Ratings))
		for c := range pt.Ratings {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats {
			f := "impacts[" + strconv.Itoa(i) + "].ratings." + c
			if !slices.Contains(scale.Categories, c) {
				p.Add(f, "the impact scale has no category %q; it has %s", c, strings.Join(scale.Categories, ", "))
			} else if _, ok := scale.Rating(pt.Ratings[c]); !ok {
				p.Add(f, "the impact scale has no level %d; its levels are %s", pt.Ratings[c], levelList(scale))
			}
		}
	}
}

// checkResources refuses systems and suppliers that are not services.
func (s *Server) checkResources(ctx context.Context, p *lifeboat.Problems, r *lifeboat.BIAResources) error {
	if r == nil {
		return nil
	}
	for _, l := range []struct {
		field string
		ids   []string
	}{{"resources.systems", r.Systems}, {"resources.suppliers", r.Suppliers}} {
		for i, id := range l.ids {
			if !lifeboat.ValidID(id) {
				continue // Validate words it
			}
			_, err := s.Services.FindServiceByID(ctx, id)
			if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
				p.Add(l.field+"["+strconv.Itoa(i)+"]", "there is no service %q", id)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

func levelList(scale *lifeboat.ImpactScale) string {
	var out []string
	for _, r := range scale.Ratings {
		out = append(out, strconv.Itoa(r.Level)+" ("+r.Name+")")
	}
	return strings.Join(out, ", ")
}

// approverOf is who signs off a BIA when the request names nobody: the
// person the signed-in user is, if the user is linked to one.
func (s *Server) approverOf(ctx context.Context, named string) (string, error) {
	if named != "" {
		return named, nil
	}
	u, err := s.Users.FindUserByID(ctx, lifeboat.ActorFrom(ctx).UserID)
	if err != nil && lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		return "", err
	}
	if u == nil || u.PersonID == "" {
		return "", &lifeboat.Error{Code: lifeboat.EINVALID, Message: "Say who approves the BIA: your user is not linked to a person.",
			Fields: []lifeboat.FieldError{{Field: "approved_by", Message: "name the person who signs off the BIA, such as the business owner"}}}
	}
	return u.PersonID, nil
}
