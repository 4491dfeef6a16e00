package lifeboat

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what a service is. Everything in the dependency graph is a service,
// from a business service down to a site or a vendor.
type Kind string

// The kinds of format v1.
const (
	KindBusinessService Kind = "business-service"
	KindApplication     Kind = "application"
	KindDataStore       Kind = "data-store"
	KindInfrastructure  Kind = "infrastructure"
	KindNetwork         Kind = "network"
	KindSite            Kind = "site"
	KindVendor          Kind = "vendor"
	KindOther           Kind = "other"
)

// Kinds lists every kind, from the business down to the ground.
var Kinds = []Kind{KindBusinessService, KindApplication, KindDataStore,
	KindInfrastructure, KindNetwork, KindSite, KindVendor, KindOther}

// Lifecycle is where a service is in its life.
type Lifecycle string

// The lifecycle stages; a service is active unless said otherwise.
const (
	LifecyclePlanned    Lifecycle = "planned"
	LifecycleActive     Lifecycle = "active"
	LifecycleDeprecated Lifecycle = "deprecated"
	LifecycleRetired    Lifecycle = "retired"
)

// Lifecycles lists every lifecycle stage in order.
var Lifecycles = []Lifecycle{LifecyclePlanned, LifecycleActive, LifecycleDeprecated, LifecycleRetired}

// Impact is what happens to a service when one of its dependencies is down.
type Impact string

// A hard dependency takes the service down; a soft one only degrades it.
const (
	ImpactDown     Impact = "down"
	ImpactDegraded Impact = "degraded"
)

// MaxTier is the highest recovery tier number accepted.
const MaxTier = 9

// IDPattern is the id rule of format v1.
const IDPattern = `^[a-z0-9][a-z0-9._-]{0,127}$`

// ValidID reports whether s is a valid id for any kind of object: it
// matches IDPattern. It is checked by hand because loading a large model
// checks millions of ids, and the regular expression took ten times longer.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 128 || !isIDStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isIDStart(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isIDStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// Objectives are what the business requires of a service: the requested values.
type Objectives struct {
	RTO  *Duration `json:"rto,omitempty" yaml:"rto,omitempty"`
	RPO  *Duration `json:"rpo,omitempty" yaml:"rpo,omitempty"`
	MTPD *Duration `json:"mtpd,omitempty" yaml:"mtpd,omitempty"`
}

// Recovery is what IT can deliver today: the committed capability.
type Recovery struct {
	// Time restores this service once its dependencies are up.
	Time *Duration `json:"time,omitempty" yaml:"time,omitempty"`
	// DataLoss is the worst-case data loss, such as the backup interval.
	DataLoss *Duration `json:"data_loss,omitempty" yaml:"data_loss,omitempty"`
}

// Contract is what a vendor's contract guarantees.
type Contract struct {
	RTO       *Duration `json:"rto,omitempty" yaml:"rto,omitempty"`
	RPO       *Duration `json:"rpo,omitempty" yaml:"rpo,omitempty"`
	Reference string    `json:"reference,omitempty" yaml:"reference,omitempty"`
}

// Service is a configuration item: anything that can fail and be recovered.
type Service struct {
	ID          string       `json:"id" yaml:"id"`
	Name        string       `json:"name,omitempty" yaml:"name,omitempty"`
	Kind        Kind         `json:"kind,omitempty" yaml:"kind,omitempty"`
	Owner       string       `json:"owner,omitempty" yaml:"owner,omitempty"`
	Tier        *int         `json:"tier,omitempty" yaml:"tier,omitempty"`
	Tags        []string     `json:"tags,omitempty" yaml:"tags,omitempty,flow"`
	Lifecycle   Lifecycle    `json:"lifecycle,omitempty" yaml:"lifecycle,omitempty"`
	Description string       `json:"description,omitempty" yaml:"description,omitempty"`
	Objectives  *Objectives  `json:"objectives,omitempty" yaml:"objectives,omitempty"`
	Recovery    *Recovery    `json:"recovery,omitempty" yaml:"recovery,omitempty"`
	Contract    *Contract    `json:"contract,omitempty" yaml:"contract,omitempty"`
	DependsOn   []Dependency `json:"depends_on,omitempty" yaml:"depends_on,omitempty"`

	// Version counts the changes to the service; it makes the ETag that
	// guards against overwriting someone else's change.
	Version   int64     `json:"-" yaml:"-"`
	CreatedAt time.Time `json:"-" yaml:"-"`
	UpdatedAt time.Time `json:"-" yaml:"-"`
}

// Normalize fills in the defaults of format v1 so that stored services are
// always complete: name defaults to the id, kind to application, lifecycle to
// active, and tags are sorted and unique.
func (s *Service) Normalize() {
	if s.Name == "" {
		s.Name = s.ID
	}
	if s.Kind == "" {
		s.Kind = KindApplication
	}
	if s.Lifecycle == "" {
		s.Lifecycle = LifecycleActive
	}
	slices.Sort(s.Tags)
	s.Tags = slices.Compact(s.Tags)
	if s.Objectives != nil && *s.Objectives == (Objectives{}) {
		s.Objectives = nil
	}
	if s.Recovery != nil && *s.Recovery == (Recovery{}) {
		s.Recovery = nil
	}
	if s.Contract != nil && *s.Contract == (Contract{}) {
		s.Contract = nil
	}
	for i := range s.DependsOn {
		s.DependsOn[i].normalize()
	}
}

// Validate checks the service on its own, without looking at other services.
// References to other services and teams are checked by the store.
func (s *Service) Validate() error {
	var p Problems
	if !ValidID(s.ID) {
		p.Add("id", "%q is not a valid id: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", s.ID)
	}
	checkLen(&p, "name", s.Name, 200)
	checkLen(&p, "description", s.Description, 10000)
	if s.Contract != nil {
		checkLen(&p, "contract.reference", s.Contract.Reference, 200)
	}
	if !slices.Contains(Kinds, s.Kind) {
		p.Add("kind", "%q is not a kind; use one of %s", s.Kind, joinQuoted(Kinds))
	}
	if !slices.Contains(Lifecycles, s.Lifecycle) {
		p.Add("lifecycle", "%q is not a lifecycle stage; use one of %s", s.Lifecycle, joinQuoted(Lifecycles))
	}
	if s.Owner != "" && !ValidID(s.Owner) {
		p.Add("owner", "%q is not a valid team id", s.Owner)
	}
	if s.Tier != nil && (*s.Tier < 0 || *s.Tier > MaxTier) {
		p.Add("tier", "tier must be between 0 and %d", MaxTier)
	}
	for i, tag := range s.Tags {
		if !ValidID(tag) {
			p.Add("tags["+strconv.Itoa(i)+"]", "%q is not a valid tag: use lower-case letters, digits, '.', '_' or '-'", tag)
		}
	}
	if s.Contract != nil && s.Kind != KindVendor {
		p.Add("contract", "only vendors have a contract; set kind to vendor or remove the contract")
	}
	if s.Objectives != nil && s.Objectives.RTO != nil && s.Objectives.MTPD != nil && *s.Objectives.RTO > *s.Objectives.MTPD {
		p.Add("objectives.rto", "the RTO (%s) must not exceed the MTPD (%s)", s.Objectives.RTO, s.Objectives.MTPD)
	}
	s.validateDependencies(&p)
	return p.Err("service " + strconv.Quote(s.ID))
}

// checkLen checks a free-text field: at most limit characters, valid UTF-8
// and no NUL, which PostgreSQL cannot store.
func checkLen(p *Problems, field, v string, limit int) {
	switch {
	case utf8.RuneCountInString(v) > limit: // characters, as the message says, not bytes
		p.Add(field, "must be at most %d characters", limit)
	case !utf8.ValidString(v):
		p.Add(field, "must be valid UTF-8 text")
	case strings.ContainsRune(v, 0):
		p.Add(field, "must not contain NUL characters")
	}
}

// DependencyIDs returns every service the service depends on, each once,
// including the members of redundancy groups.
func (s *Service) DependencyIDs() []string {
	var ids []string
	for _, d := range s.DependsOn {
		ids = append(ids, d.Targets()...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// ServiceFilter selects services for a catalog page. Results are ordered by
// Sort and paged by keyset: After is the cursor returned with the last page.
type ServiceFilter struct {
	Query     string // case-insensitive substring of id, name or description
	Kind      Kind
	Tier      *int
	Owner     string
	Tag       string
	Lifecycle Lifecycle
	Sort      ServiceSort
	After     string // opaque cursor from ServicePage.Next
	Limit     int
}

// ServiceSort orders a catalog page.
type ServiceSort string

// The orders a catalog can be sorted in; ties are broken by id.
const (
	SortByID   ServiceSort = "id"
	SortByName ServiceSort = "name"
	SortByTier ServiceSort = "tier"
	SortByKind ServiceSort = "kind"
)

// ServiceSorts lists the accepted sort orders.
var ServiceSorts = []ServiceSort{SortByName, SortByID, SortByTier, SortByKind}

// Paging limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ServicePage is one page of a catalog listing.
type ServicePage struct {
	Services []*Service
	// Next is the cursor of the following page; empty on the last page.
	Next string
}

// Dependent is a service that depends on another one, with how.
type Dependent struct {
	ServiceID   string
	ServiceName string
	Kind        Kind
	Tier        *int
	Dependency  Dependency
}

// ServiceStore keeps the catalog. Every method runs in one transaction.
type ServiceStore interface {
	FindServiceByID(ctx context.Context, id string) (*Service, error)
	FindServices(ctx context.Context, f ServiceFilter) (*ServicePage, error)
	// FindDependents returns the services that depend on id, sorted by id.
	FindDependents(ctx context.Context, id string) ([]Dependent, error)
	CreateService(ctx context.Context, s *Service) error
	// UpdateService replaces the service; ifVersion, when not zero, must
	// match the stored version or the update fails with ESTALE.
	UpdateService(ctx context.Context, s *Service, ifVersion int64) error
	// DeleteService refuses with ECONFLICT while other services depend on it.
	DeleteService(ctx context.Context, id string, ifVersion int64) error
	// ServiceStats counts services by kind for overviews.
	ServiceStats(ctx context.Context) (*ServiceStats, error)
	// FindTags lists the tags in use with how many services carry each.
	FindTags(ctx context.Context) ([]TagCount, error)
}

// ServiceStats summarises the catalog.
type ServiceStats struct {
	Total        int
	ByKind       map[Kind]int
	ByTier       map[int]int
	Untiered     int
	Dependencies int
}

// TagCount is a tag with the number of services carrying it.
type TagCount struct {
	Tag   string
	Count int
}
