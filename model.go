package lifeboat

import (
	"context"
	"fmt"
	"strings"
)

// Model is a whole continuity model: what the files of format v1 hold and
// what the database stores. Lists are in the order they were given;
// ImpactScale is nil when the default applies.
type Model struct {
	Services    []*Service   `json:"services,omitempty" yaml:"services,omitempty"`
	Teams       []*Team      `json:"teams,omitempty" yaml:"teams,omitempty"`
	People      []*Person    `json:"people,omitempty" yaml:"people,omitempty"`
	ImpactScale *ImpactScale `json:"impact_scale,omitempty" yaml:"impact_scale,omitempty"`
	BIAs        []*BIA       `json:"bia,omitempty" yaml:"bia,omitempty"`
	Risks       []*Risk      `json:"risks,omitempty" yaml:"risks,omitempty"`
}

// Scale returns the model's impact scale, or the default one.
func (m *Model) Scale() *ImpactScale {
	if m.ImpactScale != nil {
		return m.ImpactScale
	}
	return DefaultImpactScale()
}

// Normalize fills in the defaults of every object.
func (m *Model) Normalize() {
	for _, s := range m.Services {
		s.Normalize()
	}
	for _, t := range m.Teams {
		t.Normalize()
	}
	for _, x := range m.People {
		x.Normalize()
	}
	if m.ImpactScale != nil {
		m.ImpactScale.Normalize()
	}
	for _, b := range m.BIAs {
		b.Normalize()
	}
	for _, r := range m.Risks {
		r.Normalize()
	}
}

// Counts says how many objects of each kind the model holds.
func (m *Model) Counts() ModelCounts {
	c := ModelCounts{Services: len(m.Services), Teams: len(m.Teams), People: len(m.People), BIAs: len(m.BIAs), Risks: len(m.Risks)}
	for _, s := range m.Services {
		c.Dependencies += len(s.DependsOn)
	}
	return c
}

// ModelCounts sums up a model.
type ModelCounts struct {
	Services     int `json:"services"`
	Dependencies int `json:"dependencies"`
	Teams        int `json:"teams"`
	People       int `json:"people"`
	BIAs         int `json:"bia"`
	Risks        int `json:"risks"`
}

func (c ModelCounts) String() string {
	return fmt.Sprintf("%s with %s, %s, %s, %s, %s", count(c.Services, "service", "services"),
		count(c.Dependencies, "dependency", "dependencies"), count(c.Teams, "team", "teams"),
		count(c.People, "person", "people"), count(c.BIAs, "BIA", "BIAs"), count(c.Risks, "risk", "risks"))
}

// Object kinds as findings, plans and the audit trail name them.
const (
	ObjService     = "service"
	ObjTeam        = "team"
	ObjPerson      = "person"
	ObjImpactScale = "impact_scale"
	ObjBIA         = "bia"
	ObjRisk        = "risk"
)

// ModelStore reads and writes whole models. Each method is one transaction.
type ModelStore interface {
	ImpactScaleStore
	// FindModel reads the whole model, every list sorted by id.
	FindModel(ctx context.Context) (*Model, error)
	// FindBIAModel reads what the BIAs need of the model: every BIA, the
	// impact scale, the people, and only the services that have a BIA or
	// are business services, each in full.
	FindBIAModel(ctx context.Context) (*Model, error)
	// ImportModel adds a model to the database: every object must be new.
	ImportModel(ctx context.Context, m *Model, source ImportSource) (ModelCounts, error)
	// ApplyModel makes the database match m and returns what it changed;
	// with DryRun it changes nothing and returns what it would change.
	ApplyModel(ctx context.Context, m *Model, opts ApplyOptions) (*Plan, error)
	// FindGraphModel reads what the dependency graph needs of the model:
	// services with kind, tier, objectives, recovery, contract times and
	// dependencies (nothing else set), the BIAs with their impacts, work
	// recovery time, RPO and peak periods, and the impact scale.
	FindGraphModel(ctx context.Context) (*Model, error)
	// ModelVersion moves with every committed change to the model, made by
	// any instance: caches of the model compare it to know they are stale.
	ModelVersion(ctx context.Context) (int64, error)
}

// ImportSource says where an imported model came from, for the audit trail.
type ImportSource struct {
	Files []SourceFile `json:"files,omitempty"`
}

// SourceFile is one file of a model with the SHA-256 of its content.
type SourceFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// ApplyOptions tune ApplyModel.
type ApplyOptions struct {
	// Prune deletes what the database has and the model does not.
	Prune bool
	// DryRun plans without changing anything.
	DryRun bool
	// Expect, when set, is the Digest of the plan the caller reviewed: the
	// apply is refused with ESTALE if the plan has changed since, because
	// someone changed the database in between.
	Expect string
}

// QuoteList writes up to limit ids in quotes, then "and N more", for
// messages.
func QuoteList(ids []string, limit int) string {
	var q []string
	for i, id := range ids {
		if i == limit {
			q = append(q, fmt.Sprintf("and %d more", len(ids)-limit))
			break
		}
		q = append(q, fmt.Sprintf("%q", id))
	}
	return strings.Join(q, ", ")
}

// count writes a number with the noun it counts: "1 team", "2 teams".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
