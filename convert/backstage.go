package convert

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// bsEntity is the part of a Backstage catalog entity that a continuity
// model has a use for.
type bsEntity struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   bsMetadata `yaml:"metadata"`
	Spec       bsSpec     `yaml:"spec"`

	ref  entityRef
	id   string // the id of the service, team or person it becomes
	file string
	node *yaml.Node
}

type bsMetadata struct {
	Name        string   `yaml:"name"`
	Namespace   string   `yaml:"namespace"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Tags        []string `yaml:"tags"`
}

type bsSpec struct {
	Type           string    `yaml:"type"`
	Lifecycle      string    `yaml:"lifecycle"`
	Owner          string    `yaml:"owner"`
	System         string    `yaml:"system"`
	SubcomponentOf string    `yaml:"subcomponentOf"`
	DependsOn      []string  `yaml:"dependsOn"`
	DependencyOf   []string  `yaml:"dependencyOf"`
	ProvidesAPIs   []string  `yaml:"providesApis"`
	ConsumesAPIs   []string  `yaml:"consumesApis"`
	Members        []string  `yaml:"members"`
	MemberOf       []string  `yaml:"memberOf"`
	Profile        bsProfile `yaml:"profile"`
}

type bsProfile struct {
	DisplayName string `yaml:"displayName"`
	Email       string `yaml:"email"`
}

// The entity kinds converted, as Backstage compares them: in lower case.
const (
	bsComponent = "component"
	bsResource  = "resource"
	bsSystem    = "system"
	bsAPI       = "api"
	bsGroup     = "group"
	bsUser      = "user"
)

// bsSkipped are the kinds of Backstage that have nothing to recover:
// they are left out without a warning.
var bsSkipped = []string{"domain", "location", "template"}

// backstage is one conversion of Backstage catalog files.
type backstage struct {
	c        *catalog
	entities map[entityRef]*bsEntity
	order    []*bsEntity // in the order of the input
	// providers lists the ids of the components that provide each API.
	providers map[entityRef][]string
	// stubs are the teams made for groups that are referred to but absent.
	stubs map[entityRef]string
	// warned are the absent APIs already warned about.
	warned                    map[entityRef]bool
	serviceIDs, teamIDs, pIDs idSpace
}

// Backstage converts Backstage catalog files (catalog-info.yaml, with any
// number of entities per file) into a model: components, resources and
// systems become services, groups become teams and users people; APIs are
// resolved to the components that provide them. See docs/convert.md.
func Backstage(inputs []Input) (*Result, error) {
	b := &backstage{
		c: newCatalog(), entities: map[entityRef]*bsEntity{}, providers: map[entityRef][]string{},
		stubs: map[entityRef]string{}, warned: map[entityRef]bool{},
		serviceIDs: idSpace{}, teamIDs: idSpace{}, pIDs: idSpace{},
	}
	for _, in := range inputs {
		if err := b.read(in); err != nil {
			return nil, err
		}
	}
	b.assignIDs()
	for _, e := range b.order {
		b.addObject(e)
	}
	b.indexProviders()
	for _, e := range b.order {
		b.relate(e)
	}
	if len(b.order) == 0 {
		b.c.add("", 0, "the input holds no component, resource, system, API, group or user")
	}
	return b.c.model(), nil
}

// read collects the entities of one file.
func (b *backstage) read(in Input) error {
	docs, err := documents(in)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		if doc.Kind != yaml.MappingNode {
			b.c.add(in.Name, doc.Line, "not a Backstage entity: the document is %s; skipped", describeNode(doc))
			continue
		}
		e := &bsEntity{file: in.Name, node: doc}
		if err := decode(in.Name, doc, e, &b.c.warnings); err != nil {
			return err
		}
		b.collect(e)
	}
	return nil
}

// collect keeps an entity of a kind that is converted, once.
func (b *backstage) collect(e *bsEntity) {
	kind := strings.ToLower(e.Kind)
	switch {
	case e.APIVersion != "" && !strings.HasPrefix(e.APIVersion, "backstage.io/"):
		b.c.add(e.file, e.node.Line, "not a Backstage entity (apiVersion %q); skipped", e.APIVersion)
		return
	case slices.Contains(bsSkipped, kind):
		return
	case kind == "":
		b.c.add(e.file, e.node.Line, "not a Backstage entity: the document has no kind; skipped")
		return
	case !slices.Contains([]string{bsComponent, bsResource, bsSystem, bsAPI, bsGroup, bsUser}, kind):
		b.c.add(e.file, e.node.Line, "entity kind %q is not converted; skipped", e.Kind)
		return
	case strings.TrimSpace(e.Metadata.Name) == "":
		b.c.add(e.file, e.node.Line, "%s entity without metadata.name; skipped", e.Kind)
		return
	}
	ns := strings.ToLower(strings.TrimSpace(e.Metadata.Namespace))
	if ns == "" {
		ns = "default"
	}
	e.ref = entityRef{kind: kind, namespace: ns, name: strings.ToLower(strings.TrimSpace(e.Metadata.Name))}
	if first, dup := b.entities[e.ref]; dup {
		b.c.add(e.file, e.node.Line, "%s is defined twice (first at %s:%d); this one is left out", e.ref, first.file, first.node.Line)
		return
	}
	b.entities[e.ref] = e
	b.order = append(b.order, e)
}

// assignIDs gives every entity its id, in the order of their references so
// that the ids do not depend on the order of the files.
func (b *backstage) assignIDs() {
	sorted := slices.Clone(b.order)
	slices.SortFunc(sorted, func(x, y *bsEntity) int { return strings.Compare(x.ref.String(), y.ref.String()) })
	for _, e := range sorted {
		space := b.serviceIDs
		switch e.ref.kind {
		case bsAPI:
			continue
		case bsGroup:
			space = b.teamIDs
		case bsUser:
			space = b.pIDs
		}
		base := e.ref.id()
		e.id = space.take(base, e.ref.kind, e.ref.String())
		if e.id != base {
			b.c.add(e.file, e.node.Line, "%s gets id %q: %q is already the id of %s", e.ref, e.id, base, space[base])
		}
	}
}

// addObject makes the service, team or person an entity stands for.
func (b *backstage) addObject(e *bsEntity) {
	name := e.Metadata.Title
	if name == "" {
		name = e.Metadata.Name
	}
	switch e.ref.kind {
	case bsComponent, bsResource, bsSystem:
		kind, lifecycle, tags := bsClassify(e)
		b.c.addService(&lifeboat.Service{
			ID: e.id, Name: name, Kind: kind, Lifecycle: lifecycle, Description: e.Metadata.Description,
			Tags: append(slices.Clone(e.Metadata.Tags), tags...),
		}, e.file, e.node.Line)
	case bsGroup:
		if e.Spec.Profile.DisplayName != "" {
			name = e.Spec.Profile.DisplayName
		}
		b.c.addTeam(&lifeboat.Team{ID: e.id, Name: name, Description: e.Metadata.Description}, e.file, e.node.Line)
	case bsUser:
		if e.Spec.Profile.DisplayName != "" {
			name = e.Spec.Profile.DisplayName
		}
		b.c.addPerson(&lifeboat.Person{ID: e.id, Name: name, Email: e.Spec.Profile.Email}, e.file, e.node.Line)
	}
}
