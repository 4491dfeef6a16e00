package convert

import (
	"slices"

	"github.com/lifeboat-itscm/lifeboat"
)

// Dependency types of converted Backstage relations, so that reviewers see
// where a dependency came from; a plain dependsOn has none.
const (
	typeHasPart     = "has-part"
	typeConsumesAPI = "consumes-api"
)

// at returns the line of spec.FIELD, or of its i-th item when i >= 0.
func (e *bsEntity) at(field string, i int) int {
	if i < 0 {
		return lineAt(e.node, "spec", field)
	}
	return lineAt(e.node, "spec", field, i)
}

// warn writes a warning about spec.FIELD of an entity.
func (b *backstage) warn(e *bsEntity, field string, i int, format string, args ...any) {
	b.c.add(e.file, e.at(field, i), "%s: %s: "+format, append([]any{e.ref, field}, args...)...)
}

// parse reads one entity reference of a field; a malformed one gives a
// warning. The namespace defaults to the entity's own, as in Backstage.
func (b *backstage) parse(e *bsEntity, field string, i int, raw, kind string) (entityRef, bool) {
	r, ok := parseRef(raw, kind, e.ref.namespace)
	if !ok {
		b.warn(e, field, i, "%q is not an entity reference ([kind:][namespace/]name); left out", raw)
		return r, false
	}
	return r, true
}

// indexProviders finds the components that provide each API, and warns
// about APIs of the input that nobody provides.
func (b *backstage) indexProviders() {
	for _, e := range b.order {
		for i, raw := range e.Spec.ProvidesAPIs {
			r, ok := b.parse(e, "providesApis", i, raw, bsAPI)
			switch {
			case !ok:
			case e.ref.kind != bsComponent || r.kind != bsAPI:
				b.warn(e, "providesApis", i, "only components provide APIs, and only APIs are provided; %q is left out", raw)
			default:
				if !slices.Contains(b.providers[r], e.id) {
					b.providers[r] = append(b.providers[r], e.id)
				}
				b.missingAPI(e, "providesApis", i, r)
			}
		}
	}
	for _, e := range b.order {
		if e.ref.kind == bsAPI && len(b.providers[e.ref]) == 0 {
			b.c.add(e.file, e.node.Line, "%s has no provider in the input: no component lists it in providesApis, so nothing depends on it", e.ref)
		}
	}
}

// missingAPI warns, once per API, about an API that the input refers to
// but does not define.
func (b *backstage) missingAPI(e *bsEntity, field string, i int, r entityRef) {
	if b.entities[r] == nil && !b.warned[r] {
		b.warned[r] = true
		b.warn(e, field, i, "%s is not in the input; it is resolved through the components that provide it", r)
	}
}

// relate turns the references of one entity into owners, dependencies and
// team members.
func (b *backstage) relate(e *bsEntity) {
	switch e.ref.kind {
	case bsGroup:
		b.members(e)
		return
	case bsUser:
		b.memberOf(e)
		return
	case bsAPI:
		// A system holding an API needs whoever provides it.
		if e.Spec.System != "" {
			for _, sys := range b.targets(e, "system", -1, e.Spec.System, bsSystem) {
				for _, p := range b.providers[e.ref] {
					b.c.depend(sys, p, lifeboat.Dependency{Type: typeHasPart})
				}
			}
		}
		return
	}
	b.owner(e)
	for i, raw := range e.Spec.DependsOn {
		for _, to := range b.targets(e, "dependsOn", i, raw, "") {
			b.c.depend(e.id, to, lifeboat.Dependency{})
		}
	}
	for i, raw := range e.Spec.DependencyOf {
		for _, from := range b.targets(e, "dependencyOf", i, raw, "") {
			b.c.depend(from, e.id, lifeboat.Dependency{})
		}
	}
	for i, raw := range e.Spec.ConsumesAPIs {
		for _, to := range b.targets(e, "consumesApis", i, raw, bsAPI) {
			b.c.depend(e.id, to, lifeboat.Dependency{Type: typeConsumesAPI})
		}
	}
	// A business service goes down when its parts fail: the system and the
	// parent component depend on their parts, not the other way round.
	if e.Spec.System != "" {
		for _, sys := range b.targets(e, "system", -1, e.Spec.System, bsSystem) {
			b.c.depend(sys, e.id, lifeboat.Dependency{Type: typeHasPart})
		}
	}
	if e.Spec.SubcomponentOf != "" {
		for _, parent := range b.targets(e, "subcomponentOf", -1, e.Spec.SubcomponentOf, bsComponent) {
			b.c.depend(parent, e.id, lifeboat.Dependency{Type: typeHasPart})
		}
	}
}

// targets resolves a reference to the services it stands for: the entity's
// own service, or for an API the components that provide it. Without a
// default kind, as in dependsOn, a bare name is looked up as a component,
// a resource, then a system.
func (b *backstage) targets(e *bsEntity, field string, i int, raw, kind string) []string {
	r, ok := b.parse(e, field, i, raw, kind)
	if !ok {
		return nil
	}
	if r.kind == "" {
		for _, k := range []string{bsComponent, bsResource, bsSystem, bsAPI} {
			if b.entities[entityRef{k, r.namespace, r.name}] != nil || k == bsAPI && b.providers[entityRef{k, r.namespace, r.name}] != nil {
				r.kind = k
				break
			}
		}
	}
	if r.kind == bsAPI {
		if len(b.providers[r]) == 0 {
			b.warn(e, field, i, "no component in the input provides %s; the dependency is left out", r)
			return nil
		}
		b.missingAPI(e, field, i, r)
		return b.providers[r]
	}
	t := b.entities[r]
	switch {
	case t == nil && r.kind == "":
		b.warn(e, field, i, "no component, resource or system %q is in the input; the dependency is left out", r.namespace+"/"+r.name)
	case t == nil:
		b.warn(e, field, i, "%s is not in the input; the dependency is left out", r)
	case t.id == "" || r.kind == bsGroup || r.kind == bsUser:
		b.warn(e, field, i, "%s is not a component, resource, system or API; left out", r)
	default:
		return []string{t.id}
	}
	return nil
}

// owner sets the owning team of a service. Lifeboat services are owned by
// teams only: a user as owner leaves the service without one.
func (b *backstage) owner(e *bsEntity) {
	if e.Spec.Owner == "" {
		return
	}
	r, ok := b.parse(e, "owner", -1, e.Spec.Owner, bsGroup)
	switch {
	case !ok:
	case r.kind == bsUser:
		b.warn(e, "owner", -1, "%s is a user, and Lifeboat services are owned by teams; the service has no owner", r)
	case r.kind != bsGroup:
		b.warn(e, "owner", -1, "%s is not a group; the service has no owner", r)
	default:
		b.c.services[e.id].Owner = b.team(e, "owner", -1, r)
	}
}

// team returns the id of the team a group reference names. A group the
// input does not hold gets a team of its own, so that ownership and
// membership are kept, and a warning.
func (b *backstage) team(e *bsEntity, field string, i int, r entityRef) string {
	if g := b.entities[r]; g != nil {
		return g.id
	}
	if id, ok := b.stubs[r]; ok {
		return id
	}
	id := b.teamIDs.take(r.id(), "", r.String())
	b.stubs[r] = id
	b.c.addTeam(&lifeboat.Team{ID: id, Name: r.name}, e.file, e.at(field, i))
	b.warn(e, field, i, "%s is not in the input; made team %q for it", r, id)
	return id
}

// members adds a group's spec.members to its team.
func (b *backstage) members(e *bsEntity) {
	t := b.c.teams[e.id]
	for i, raw := range e.Spec.Members {
		r, ok := b.parse(e, "members", i, raw, bsUser)
		if !ok {
			continue
		}
		if u := b.entities[r]; u != nil && r.kind == bsUser {
			t.Members = append(t.Members, u.id)
			continue
		}
		b.warn(e, "members", i, "%s is not a user of the input; left out", r)
	}
}

// memberOf adds a user to the teams of its spec.memberOf.
func (b *backstage) memberOf(e *bsEntity) {
	for i, raw := range e.Spec.MemberOf {
		r, ok := b.parse(e, "memberOf", i, raw, bsGroup)
		switch {
		case !ok:
		case r.kind != bsGroup:
			b.warn(e, "memberOf", i, "%s is not a group; left out", r)
		default:
			t := b.c.teams[b.team(e, "memberOf", i, r)]
			t.Members = append(t.Members, e.id)
		}
	}
}
