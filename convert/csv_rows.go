package convert

import (
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// row makes the service of one row. Its id is the id cell, or the name
// when there is none, made valid; a second row with the same id or name is
// a duplicate and left out, while two different ones that make the same id
// get id, id-2...
func (t *table) row(r csvRow) {
	if strings.TrimSpace(strings.Join(r.cells, "")) == "" {
		return // a blank line of a spreadsheet, cells and all
	}
	if len(r.cells) != t.width {
		t.warn(r, "has %d cells, the header %d; missing cells count as empty, extra ones are ignored", len(r.cells), t.width)
	}
	raw, name := t.cell(r, "id"), t.cell(r, "name")
	src := raw
	if src == "" {
		src = name
	}
	base := sanitizeID(src)
	switch key := strings.ToLower(src); {
	case src == "":
		t.warn(r, "has neither an id nor a name; left out")
		return
	case base == "":
		t.warn(r, "%q makes no id: an id needs a letter or a digit; left out", src)
		return
	case t.byRaw[key] != "":
		t.warn(r, "%q is already on row %d; this row is left out", src, t.rows[t.byRaw[key]].number)
		return
	}
	id := t.ids.take(base, "", "row "+strconv.Itoa(r.number))
	if id != base {
		t.warn(r, "id %q is already that of %s; this row gets id %q", base, t.ids[base], id)
	}
	t.byRaw[strings.ToLower(src)], t.rows[id] = id, r
	if _, dup := t.byName[strings.ToLower(name)]; name != "" && !dup {
		t.byName[strings.ToLower(name)] = id
	}
	if name == "" && raw != id {
		name = raw // keep the CMDB's own spelling
	}
	s := &lifeboat.Service{ID: id, Name: name, Kind: t.kindOf(r), Description: t.cell(r, "description"), Tags: t.list(r, "tags")}
	if owner := t.cell(r, "owner"); owner != "" {
		s.Owner = t.team(r, owner)
	}
	s.Tier = t.tier(r)
	t.c.addService(s, t.file, r.line)
	t.deps[id] = csvDeps{row: r, entries: t.list(r, "depends_on")}
}

// team returns the id of the team an owner cell names, making the team the
// first time: a CMDB export lists owners, not teams.
func (t *table) team(r csvRow, owner string) string {
	id := sanitizeID(owner)
	if id == "" {
		t.warn(r, "owner %q makes no team id: an id needs a letter or a digit; no owner", owner)
		return ""
	}
	if t.c.teams[id] == nil {
		t.c.addTeam(&lifeboat.Team{ID: id, Name: owner}, t.file, r.line)
	}
	return id
}

// tier reads a tier cell: "1", "Tier 1", "T1" or "tier-1".
func (t *table) tier(r csvRow) *int {
	v := t.cell(r, "tier")
	if v == "" {
		return nil
	}
	digits := strings.ToLower(v)
	for _, prefix := range []string{"tier", "t"} {
		if rest, ok := strings.CutPrefix(digits, prefix); ok {
			digits = strings.TrimLeft(rest, " _-")
			break
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n > lifeboat.MaxTier {
		t.warn(r, "tier %q is not a tier from 0 to %d; left out", v, lifeboat.MaxTier)
		return nil
	}
	return &n
}

// resolve turns the depends_on cells into dependencies, once every row is
// known. An entry names a row by its id, as written or made valid, or by
// its name, whatever the case.
func (t *table) resolve() {
	for _, id := range sortedKeys(t.deps) {
		d := t.deps[id]
		for _, e := range d.entries {
			to := t.byRaw[strings.ToLower(e)]
			if to == "" && t.c.services[sanitizeID(e)] != nil {
				to = sanitizeID(e)
			}
			if to == "" {
				to = t.byName[strings.ToLower(e)]
			}
			switch {
			case to == "":
				t.warn(d.row, "depends on %q, which no row has as id or name; the dependency is left out", e)
			case to == id:
				t.warn(d.row, "depends on itself (%q); left out", e)
			default:
				t.c.depend(id, to, lifeboat.Dependency{})
			}
		}
	}
}

// cmdbKinds maps the classes of common CMDBs, in lower case with single
// spaces, to kinds.
var cmdbKinds = classKinds()

func classKinds() map[string]lifeboat.Kind {
	kinds := map[string]lifeboat.Kind{}
	for kind, names := range map[lifeboat.Kind]string{
		lifeboat.KindBusinessService: "business service|business-service|business|service|it service|service offering|business application|capability",
		lifeboat.KindApplication:     "application|app|application service|technical service|software|web application|web app|website|microservice|api|service instance",
		lifeboat.KindDataStore:       "data store|data-store|datastore|database|db|database instance|storage|file share|bucket|object storage|cache|queue|message queue",
		lifeboat.KindInfrastructure:  "infrastructure|server|host|virtual machine|vm|physical server|linux server|windows server|unix server|computer|cluster|kubernetes cluster|hypervisor|mainframe|hardware|platform|container platform",
		lifeboat.KindNetwork:         "network|router|switch|firewall|load balancer|lb|dns|vpn|wan|lan|network device|cdn",
		lifeboat.KindSite:            "site|data center|datacenter|data centre|datacentre|location|building|office|region|cloud region",
		lifeboat.KindVendor:          "vendor|supplier|third party|third-party|provider|saas|external service|cloud provider",
		lifeboat.KindOther:           "other",
	} {
		for _, n := range strings.Split(names, "|") {
			kinds[normalizeClass(n)] = kind
		}
	}
	return kinds
}

// normalizeClass compares classes whatever their case, dashes or spaces.
func normalizeClass(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '_' || r == '\t'
	}), " ")
}

// cmdbKind maps a CMDB class such as "Database" or "Business Service".
func cmdbKind(class string) (lifeboat.Kind, bool) {
	k, ok := cmdbKinds[normalizeClass(class)]
	return k, ok
}

// kindList names the kinds of format v1 for messages.
func kindList() string {
	names := make([]string, len(lifeboat.Kinds))
	for i, k := range lifeboat.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
