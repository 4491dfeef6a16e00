package convert

import (
	"maps"
	"slices"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// catalog collects what a converter finds and makes a model of it that
// loads: converters resolve the references of their input themselves and
// warn about what is missing; catalog then checks every object as the
// loader would, so that nothing invalid or dangling reaches the output.
type catalog struct {
	services map[string]*lifeboat.Service
	teams    map[string]*lifeboat.Team
	people   map[string]*lifeboat.Person
	// deps holds each service's dependencies by target, so that the same
	// dependency found twice is written once; the first one found wins.
	deps map[string]map[string]lifeboat.Dependency
	// where tells where each object came from, by kind and id, for warnings.
	where map[string]Warning
	warnings
}

func newCatalog() *catalog {
	return &catalog{
		services: map[string]*lifeboat.Service{},
		teams:    map[string]*lifeboat.Team{},
		people:   map[string]*lifeboat.Person{},
		deps:     map[string]map[string]lifeboat.Dependency{},
		where:    map[string]Warning{},
	}
}

// addService adds a service defined at file:line.
func (c *catalog) addService(s *lifeboat.Service, file string, line int) {
	c.services[s.ID] = s
	c.where[lifeboat.ObjService+"\x00"+s.ID] = Warning{File: file, Line: line}
}

// addTeam adds a team defined, or first referred to, at file:line.
func (c *catalog) addTeam(t *lifeboat.Team, file string, line int) {
	c.teams[t.ID] = t
	c.where[lifeboat.ObjTeam+"\x00"+t.ID] = Warning{File: file, Line: line}
}

// addPerson adds a person defined at file:line.
func (c *catalog) addPerson(x *lifeboat.Person, file string, line int) {
	c.people[x.ID] = x
	c.where[lifeboat.ObjPerson+"\x00"+x.ID] = Warning{File: file, Line: line}
}

// warnAt warns at the place an object came from.
func (c *catalog) warnAt(kind, id, format string, args ...any) {
	w := c.where[kind+"\x00"+id]
	c.add(w.File, w.Line, format, args...)
}

// depend records that from depends on to. A service never depends on
// itself: a self-reference says nothing about recovery and is dropped.
func (c *catalog) depend(from, to string, d lifeboat.Dependency) {
	if from == to {
		return
	}
	if c.deps[from] == nil {
		c.deps[from] = map[string]lifeboat.Dependency{}
	}
	if _, dup := c.deps[from][to]; !dup {
		d.On = to
		c.deps[from][to] = d
	}
}

// model checks every object, leaves out with a warning what still would
// not load, and returns the model with its warnings.
func (c *catalog) model() *Result {
	for _, id := range slices.Sorted(maps.Keys(c.services)) {
		c.finishService(c.services[id])
	}
	for _, id := range slices.Sorted(maps.Keys(c.people)) {
		c.finishPerson(c.people[id])
	}
	for _, id := range slices.Sorted(maps.Keys(c.teams)) {
		c.finishTeam(c.teams[id])
	}
	// Owners and dependencies point only at objects that survived.
	m := &lifeboat.Model{}
	for _, id := range slices.Sorted(maps.Keys(c.services)) {
		s := c.services[id]
		if c.teams[s.Owner] == nil {
			s.Owner = ""
		}
		s.DependsOn = nil
		for _, to := range slices.Sorted(maps.Keys(c.deps[id])) {
			if c.services[to] != nil && len(s.DependsOn) < lifeboat.MaxDependencies {
				s.DependsOn = append(s.DependsOn, c.deps[id][to])
			}
		}
		if n := len(c.deps[id]); n > lifeboat.MaxDependencies {
			c.warnAt(lifeboat.ObjService, id, "service %q has %d dependencies; only the first %d by id are kept", id, n, lifeboat.MaxDependencies)
		}
		m.Services = append(m.Services, s)
	}
	for _, id := range slices.Sorted(maps.Keys(c.teams)) {
		t := c.teams[id]
		t.Members = slices.DeleteFunc(t.Members, func(p string) bool { return c.people[p] == nil })
		m.Teams = append(m.Teams, t)
	}
	for _, id := range slices.Sorted(maps.Keys(c.people)) {
		m.People = append(m.People, c.people[id])
	}
	return &Result{Model: m, Warnings: c.warnings.sorted()}
}

// finishService cleans a service's texts and tags, and leaves it out when it
// still fails the checks of format v1.
func (c *catalog) finishService(s *lifeboat.Service) {
	s.Name = cleanText(s.Name, maxName)
	if s.Name == s.ID {
		s.Name = ""
	}
	s.Description = cleanText(s.Description, maxDescription)
	s.Tags = sanitizeTags(s.Tags...)
	slices.Sort(s.Tags)
	s.Tags = slices.Compact(s.Tags)
	check := *s
	check.Tags = slices.Clone(s.Tags)
	check.DependsOn = nil
	check.Normalize()
	if err := check.Validate(); err != nil {
		c.warnAt(lifeboat.ObjService, s.ID, "left out: %s", oneLine(err.Error()))
		delete(c.services, s.ID)
	}
}

func (c *catalog) finishTeam(t *lifeboat.Team) {
	t.Name = cleanText(t.Name, maxName)
	if t.Name == t.ID {
		t.Name = ""
	}
	t.Description = cleanText(t.Description, maxDescription)
	slices.Sort(t.Members)
	t.Members = slices.Compact(t.Members)
	check := *t
	check.Members = nil
	check.Normalize()
	if err := check.Validate(); err != nil {
		c.warnAt(lifeboat.ObjTeam, t.ID, "left out: %s", oneLine(err.Error()))
		delete(c.teams, t.ID)
	}
}

func (c *catalog) finishPerson(x *lifeboat.Person) {
	x.Name = cleanText(x.Name, maxName)
	if x.Name == x.ID {
		x.Name = ""
	}
	x.Email = strings.TrimSpace(x.Email)
	check := *x
	check.Normalize()
	if x.Email != "" && (&lifeboat.Person{ID: "x", Email: x.Email}).Validate() != nil {
		c.warnAt(lifeboat.ObjPerson, x.ID, "person %q: %q is not an e-mail address; left out", x.ID, x.Email)
		x.Email, check.Email = "", ""
	}
	if err := check.Validate(); err != nil {
		c.warnAt(lifeboat.ObjPerson, x.ID, "left out: %s", oneLine(err.Error()))
		delete(c.people, x.ID)
	}
}

// oneLine keeps a multi-line message on one line of stderr.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
