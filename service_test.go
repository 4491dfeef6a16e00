package lifeboat_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

func intp(n int) *int { return &n }

// fieldsOf returns the field paths of a validation error, in order.
func fieldsOf(err error) []string {
	var fs []string
	for _, f := range lifeboat.ErrorFields(err) {
		fs = append(fs, f.Field)
	}
	return fs
}

func TestValidID(t *testing.T) {
	valid := []string{"a", "0", "checkout", "db-east", "db_east", "db.east", "a-", "1a",
		strings.Repeat("a", 128)}
	invalid := []string{"", "-a", ".a", "_a", "A", "Checkout", "db east", "db/east", "é",
		"a\n", strings.Repeat("a", 129), "db:east"}
	for _, s := range valid {
		if !lifeboat.ValidID(s) {
			t.Errorf("ValidID(%q) = false, want true", s)
		}
	}
	for _, s := range invalid {
		if lifeboat.ValidID(s) {
			t.Errorf("ValidID(%q) = true, want false", s)
		}
	}
}

func TestServiceNormalizeDefaults(t *testing.T) {
	s := lifeboat.Service{
		ID:         "checkout",
		Tags:       []string{"pci", "customer-facing", "pci", "a", "customer-facing"},
		Objectives: &lifeboat.Objectives{},
		Recovery:   &lifeboat.Recovery{},
		Contract:   &lifeboat.Contract{},
		DependsOn: []lifeboat.Dependency{
			{On: "payments-api"},
			{On: "recommendations", Impact: lifeboat.ImpactDegraded},
			{AnyOf: []string{"db-east", "db-west"}},
			{AnyOf: []string{"a", "b", "c"}, MinUp: 2},
		},
	}
	s.Normalize()
	want := lifeboat.Service{
		ID:        "checkout",
		Name:      "checkout",
		Kind:      lifeboat.KindApplication,
		Lifecycle: lifeboat.LifecycleActive,
		Tags:      []string{"a", "customer-facing", "pci"},
		DependsOn: []lifeboat.Dependency{
			{On: "payments-api", Impact: lifeboat.ImpactDown},
			{On: "recommendations", Impact: lifeboat.ImpactDegraded},
			{AnyOf: []string{"db-east", "db-west"}, MinUp: 1, Impact: lifeboat.ImpactDown},
			{AnyOf: []string{"a", "b", "c"}, MinUp: 2, Impact: lifeboat.ImpactDown},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Normalize gave\n%+v\nwant\n%+v", s, want)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("normalized service is not valid: %v", err)
	}

	// Normalize is idempotent.
	again := s
	again.Tags = slices.Clone(s.Tags)
	again.DependsOn = slices.Clone(s.DependsOn)
	again.Normalize()
	if !reflect.DeepEqual(again, s) {
		t.Errorf("second Normalize changed the service:\n%+v\nwas\n%+v", again, s)
	}
}

func TestServiceNormalizeKeeps(t *testing.T) {
	rto := lifeboat.Duration(4 * hour)
	s := lifeboat.Service{
		ID:         "acme",
		Name:       "ACME Cloud",
		Kind:       lifeboat.KindVendor,
		Lifecycle:  lifeboat.LifecycleDeprecated,
		Objectives: &lifeboat.Objectives{RTO: &rto},
		Recovery:   &lifeboat.Recovery{DataLoss: durp(5 * minute)},
		Contract:   &lifeboat.Contract{Reference: "MSA-2024-17"},
	}
	s.Normalize()
	if s.Name != "ACME Cloud" || s.Kind != lifeboat.KindVendor || s.Lifecycle != lifeboat.LifecycleDeprecated {
		t.Errorf("Normalize overwrote given values: name %q kind %q lifecycle %q", s.Name, s.Kind, s.Lifecycle)
	}
	if s.Objectives == nil || s.Objectives.RTO == nil || *s.Objectives.RTO != rto {
		t.Errorf("Normalize dropped non-empty objectives: %+v", s.Objectives)
	}
	if s.Recovery == nil || s.Recovery.DataLoss == nil {
		t.Errorf("Normalize dropped non-empty recovery: %+v", s.Recovery)
	}
	if s.Contract == nil || s.Contract.Reference != "MSA-2024-17" {
		t.Errorf("Normalize dropped a contract with only a reference: %+v", s.Contract)
	}
	if s.Tags != nil {
		t.Errorf("Normalize made tags %#v out of none", s.Tags)
	}
	// A zero duration is a value, not an absent one.
	z := lifeboat.Service{ID: "z", Objectives: &lifeboat.Objectives{RPO: durp(0)}}
	z.Normalize()
	if z.Objectives == nil {
		t.Error("Normalize dropped objectives holding rpo 0s")
	}
	// A plain dependency gets no min_up.
	d := lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "y"}}}
	d.Normalize()
	if d.DependsOn[0].MinUp != 0 {
		t.Errorf("Normalize set min_up %d on a plain dependency", d.DependsOn[0].MinUp)
	}
}

func TestServiceValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	many := func(n int, prefix string) []string {
		var ids []string
		for i := range n {
			ids = append(ids, prefix+strings.Repeat("x", i+1))
		}
		return ids
	}
	tooManyDeps := make([]lifeboat.Dependency, lifeboat.MaxDependencies+1)
	for i := range tooManyDeps {
		tooManyDeps[i] = lifeboat.Dependency{On: "s" + strings.Repeat("x", i%100) + string(rune('a'+i/100))}
	}
	okDeps := tooManyDeps[:lifeboat.MaxDependencies]

	tests := []struct {
		name string
		s    lifeboat.Service
		raw  bool     // validate without Normalize
		want []string // field paths in order; nil: valid
	}{
		{"minimal", lifeboat.Service{ID: "checkout"}, false, nil},
		{"full", lifeboat.Service{
			ID: "acme", Name: "ACME", Kind: lifeboat.KindVendor, Owner: "vendor-mgmt", Tier: intp(2),
			Tags: []string{"saas", "eu"}, Lifecycle: lifeboat.LifecyclePlanned, Description: "Hosting.",
			Objectives: &lifeboat.Objectives{RTO: durp(4 * hour), RPO: durp(15 * minute), MTPD: durp(4 * hour)},
			Recovery:   &lifeboat.Recovery{Time: durp(2 * hour), DataLoss: durp(5 * minute)},
			Contract:   &lifeboat.Contract{RTO: durp(8 * hour), RPO: durp(hour), Reference: "MSA"},
			DependsOn: []lifeboat.Dependency{
				{On: "dc", Type: "hosted-in", Workaround: durp(8 * hour)},
				{On: "net", Impact: lifeboat.ImpactDegraded},
				{AnyOf: []string{"db-east", "db-west"}, MinUp: 2},
			},
		}, false, nil},
		{"not normalized", lifeboat.Service{ID: "checkout"}, true, []string{"kind", "lifecycle"}},
		{"upper-case id", lifeboat.Service{ID: "Checkout"}, false, []string{"id"}},
		{"empty id", lifeboat.Service{ID: ""}, false, []string{"id"}},
		{"id of 128", lifeboat.Service{ID: long(128)}, false, nil},
		{"id of 129", lifeboat.Service{ID: long(129), Name: "n"}, false, []string{"id"}},
		{"name of 200", lifeboat.Service{ID: "x", Name: long(200)}, false, nil},
		{"name of 201", lifeboat.Service{ID: "x", Name: long(201)}, false, []string{"name"}},
		{"name of 200 non-ASCII characters", lifeboat.Service{ID: "x", Name: strings.Repeat("é", 200)}, false, nil},
		{"name of 200 CJK characters", lifeboat.Service{ID: "x", Name: strings.Repeat("決", 200)}, false, nil},
		{"name of 201 non-ASCII characters", lifeboat.Service{ID: "x", Name: strings.Repeat("é", 201)}, false, []string{"name"}},
		{"description of 10000", lifeboat.Service{ID: "x", Description: long(10000)}, false, nil},
		{"description of 10001", lifeboat.Service{ID: "x", Description: long(10001)}, false, []string{"description"}},
		{"unknown kind", lifeboat.Service{ID: "x", Kind: "database"}, false, []string{"kind"}},
		{"kind in upper case", lifeboat.Service{ID: "x", Kind: "Vendor"}, false, []string{"kind"}},
		{"unknown lifecycle", lifeboat.Service{ID: "x", Lifecycle: "live"}, false, []string{"lifecycle"}},
		{"bad owner", lifeboat.Service{ID: "x", Owner: "Payments Team"}, false, []string{"owner"}},
		{"tier -1", lifeboat.Service{ID: "x", Tier: intp(-1)}, false, []string{"tier"}},
		{"tier 0", lifeboat.Service{ID: "x", Tier: intp(0)}, false, nil},
		{"tier 9", lifeboat.Service{ID: "x", Tier: intp(lifeboat.MaxTier)}, false, nil},
		{"tier 10", lifeboat.Service{ID: "x", Tier: intp(10)}, false, []string{"tier"}},
		// Tags are sorted first, so the index is the one after sorting.
		{"bad tag", lifeboat.Service{ID: "x", Tags: []string{"zz top", "b", "a"}}, false, []string{"tags[2]"}},
		{"bad tags", lifeboat.Service{ID: "x", Tags: []string{"PCI", "ok", ""}}, false, []string{"tags[0]", "tags[1]"}},
		{"contract on an application", lifeboat.Service{ID: "x", Contract: &lifeboat.Contract{Reference: "r"}}, false, []string{"contract"}},
		{"contract on a site", lifeboat.Service{ID: "x", Kind: lifeboat.KindSite, Contract: &lifeboat.Contract{RTO: durp(hour)}}, false, []string{"contract"}},
		{"empty contract on an application", lifeboat.Service{ID: "x", Contract: &lifeboat.Contract{}}, false, nil},
		{"rto above mtpd", lifeboat.Service{ID: "x", Objectives: &lifeboat.Objectives{RTO: durp(25 * hour), MTPD: durp(day)}}, false, []string{"objectives.rto"}},
		{"rto equal to mtpd", lifeboat.Service{ID: "x", Objectives: &lifeboat.Objectives{RTO: durp(day), MTPD: durp(day)}}, false, nil},
		{"rto without mtpd", lifeboat.Service{ID: "x", Objectives: &lifeboat.Objectives{RTO: durp(week)}}, false, nil},
		{"self dependency", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "y"}, {On: "x"}}}, false, []string{"depends_on[1].on"}},
		{"self in group", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"y", "x"}}}}, false, []string{"depends_on[0].any_of[1]"}},
		{"duplicate plain", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "db"}, {On: "dc"}, {On: "db", Impact: lifeboat.ImpactDegraded}}}, false, []string{"depends_on[2].on"}},
		{"plain then group", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "db"}, {AnyOf: []string{"cache", "db"}}}}, false, []string{"depends_on[1].any_of[1]"}},
		{"group then plain", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"db-east", "db-west"}}, {On: "db-west"}}}, false, []string{"depends_on[1].on"}},
		{"group then group", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}}, {AnyOf: []string{"c", "a"}}}}, false, []string{"depends_on[1].any_of[1]"}},
		{"duplicate in one group", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "a"}}}}, false, []string{"depends_on[0].any_of[1]"}},
		{"min_up above members", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}, MinUp: 3}}}, false, []string{"depends_on[0].min_up"}},
		{"min_up equal to members", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}, MinUp: 2}}}, false, nil},
		{"min_up negative", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}, MinUp: -1}}}, false, []string{"depends_on[0].min_up"}},
		{"min_up zero unnormalized", lifeboat.Service{ID: "x", Kind: lifeboat.KindOther, Lifecycle: lifeboat.LifecycleActive,
			DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a"}, Impact: lifeboat.ImpactDown}}}, true, []string{"depends_on[0].min_up"}},
		{"min_up on a plain dependency", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a", MinUp: 1}}}, false, []string{"depends_on[0].min_up"}},
		{"on and any_of", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a", AnyOf: []string{"b", "c"}}}}, false, []string{"depends_on[0]"}},
		{"neither on nor any_of", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a"}, {Type: "uses"}}}, false, []string{"depends_on[1].on"}},
		{"empty any_of", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{}}}}, false, []string{"depends_on[0].on"}},
		{"bad target", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "DB"}}}, false, []string{"depends_on[0].on"}},
		{"bad group members", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a"}, {AnyOf: []string{"b", "", "C"}}}}, false,
			[]string{"depends_on[1].any_of[1]", "depends_on[1].any_of[2]"}},
		{"bad impact", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a", Impact: "broken"}}}, false, []string{"depends_on[0].impact"}},
		{"type of 64", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a", Type: long(64)}}}, false, nil},
		{"type of 65", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "a", Type: long(65)}}}, false, []string{"depends_on[0].type"}},
		{"group of 64", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: many(lifeboat.MaxGroupSize, "m")}}}, false, nil},
		{"group of 65", lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: many(lifeboat.MaxGroupSize+1, "m")}}}, false, []string{"depends_on[0].any_of"}},
		{"1000 dependencies", lifeboat.Service{ID: "x", DependsOn: slices.Clone(okDeps)}, false, nil},
		{"1001 dependencies", lifeboat.Service{ID: "x", DependsOn: slices.Clone(tooManyDeps)}, false, []string{"depends_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			if !tt.raw {
				s.Normalize()
			}
			err := s.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want problems at %v", tt.want)
			}
			if got := fieldsOf(err); !slices.Equal(got, tt.want) {
				t.Errorf("Validate() problems at %q, want %q\n(%v)", got, tt.want, err)
			}
			if code := lifeboat.ErrorCode(err); code != lifeboat.EINVALID {
				t.Errorf("ErrorCode = %q, want %q", code, lifeboat.EINVALID)
			}
			if msg, want := lifeboat.ErrorMessage(err), "service \""+s.ID+"\" is not valid"; msg != want {
				t.Errorf("ErrorMessage = %q, want %q", msg, want)
			}
			for _, f := range lifeboat.ErrorFields(err) {
				if f.Message == "" {
					t.Errorf("problem at %s has no message", f.Field)
				}
			}
		})
	}
}

// TestServiceValidateAllAtOnce checks that Validate reports every problem,
// not only the first, in the order of the fields.
func TestServiceValidateAllAtOnce(t *testing.T) {
	s := lifeboat.Service{
		ID:          "Bad Id",
		Name:        strings.Repeat("n", 201),
		Description: strings.Repeat("d", 10001),
		Kind:        "database",
		Lifecycle:   "live",
		Owner:       "Team!",
		Tier:        intp(12),
		Tags:        []string{"ok", "Not OK"},
		Contract:    &lifeboat.Contract{Reference: "x"},
		Objectives:  &lifeboat.Objectives{RTO: durp(2 * day), MTPD: durp(day)},
		DependsOn: []lifeboat.Dependency{
			{On: "db"},
			{On: "a", AnyOf: []string{"b"}},
			{AnyOf: []string{"db", "Bad"}, MinUp: 5},
			{On: "x", Impact: "sometimes", Type: strings.Repeat("t", 65), MinUp: 2},
		},
	}
	s.Normalize()
	want := []string{
		"id", "name", "description", "kind", "lifecycle", "owner", "tier", "tags[0]", "contract",
		"objectives.rto",
		"depends_on[1]",
		"depends_on[2].min_up", "depends_on[2].any_of[1]", "depends_on[2].any_of[0]",
		"depends_on[3].min_up", "depends_on[3].impact", "depends_on[3].type",
	}
	err := s.Validate()
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Errorf("problems at\n%q\nwant\n%q\n(%v)", got, want, err)
	}
}

func TestServiceValidateMessages(t *testing.T) {
	tests := []struct {
		s     lifeboat.Service
		field string
		want  []string // parts of the message
	}{
		{lifeboat.Service{ID: "x", Objectives: &lifeboat.Objectives{RTO: durp(90 * minute), MTPD: durp(hour)}},
			"objectives.rto", []string{"1h30m", "1h"}},
		{lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "db"}, {AnyOf: []string{"db", "c"}}}},
			"depends_on[1].any_of[0]", []string{`"db"`, "depends_on[0].on"}},
		{lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}}, {On: "b"}}},
			"depends_on[1].on", []string{`"b"`, "depends_on[0].any_of[1]"}},
		{lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{On: "x"}}},
			"depends_on[0].on", []string{"itself"}},
		{lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}, MinUp: 3}}},
			"depends_on[0].min_up", []string{"(2)"}},
		{lifeboat.Service{ID: "x", Kind: "db"}, "kind", []string{`"db"`, `"vendor"`, `"business-service"`}},
		{lifeboat.Service{ID: "x", Tier: intp(10)}, "tier", []string{"9"}},
	}
	for _, tt := range tests {
		tt.s.Normalize()
		err := tt.s.Validate()
		fs := lifeboat.ErrorFields(err)
		if len(fs) != 1 || fs[0].Field != tt.field {
			t.Errorf("%+v: problems %v, want one at %s", tt.s, fs, tt.field)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(fs[0].Message, w) {
				t.Errorf("%s: message %q does not contain %q", tt.field, fs[0].Message, w)
			}
		}
		if !strings.Contains(err.Error(), tt.field+": "+fs[0].Message) {
			t.Errorf("Error() = %q does not list %s", err, tt.field)
		}
	}
}

func TestServiceDependencyIDs(t *testing.T) {
	s := lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{
		{On: "web"}, {AnyOf: []string{"db-west", "db-east"}}, {On: "dc"}, {AnyOf: []string{"dc", "web"}},
	}}
	want := []string{"db-east", "db-west", "dc", "web"}
	if got := s.DependencyIDs(); !slices.Equal(got, want) {
		t.Errorf("DependencyIDs() = %q, want %q", got, want)
	}
	if got := (&lifeboat.Service{ID: "x"}).DependencyIDs(); len(got) != 0 {
		t.Errorf("DependencyIDs() of no dependencies = %q", got)
	}
}

func TestDependencyUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want lifeboat.Dependency
	}{
		{`"payments-api"`, lifeboat.Dependency{On: "payments-api"}},
		{` "payments-api" `, lifeboat.Dependency{On: "payments-api"}},
		{`""`, lifeboat.Dependency{}},
		{`{"on": "recommendations", "impact": "degraded"}`, lifeboat.Dependency{On: "recommendations", Impact: lifeboat.ImpactDegraded}},
		{`{"on": "primary-dc", "type": "hosted-in", "workaround": "8h"}`,
			lifeboat.Dependency{On: "primary-dc", Type: "hosted-in", Workaround: durp(8 * hour)}},
		{`{"on": "dc", "workaround": 28800}`, lifeboat.Dependency{On: "dc", Workaround: durp(8 * hour)}},
		{`{"any_of": ["db-east", "db-west"], "min_up": 1}`, lifeboat.Dependency{AnyOf: []string{"db-east", "db-west"}, MinUp: 1}},
		{"\n\t{\"any_of\": [\"a\"]}\n", lifeboat.Dependency{AnyOf: []string{"a"}}},
		{`{}`, lifeboat.Dependency{}},
	}
	for _, tt := range tests {
		// Start from a full value: decoding replaces it completely.
		d := lifeboat.Dependency{On: "old", AnyOf: []string{"o"}, MinUp: 9, Impact: "x", Type: "t", Workaround: durp(1)}
		if err := d.UnmarshalJSON([]byte(tt.in)); err != nil {
			t.Errorf("UnmarshalJSON(%s): unexpected error %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(d, tt.want) {
			t.Errorf("UnmarshalJSON(%s) = %+v, want %+v", tt.in, d, tt.want)
		}
	}
}

func TestDependencyUnmarshalJSONInvalid(t *testing.T) {
	tests := []struct {
		in, wantMsg string
	}{
		{`{"on": "db", "impcat": "down"}`, "unknown field"},
		{`{"service": "db"}`, "unknown field"},
		{`{"on": "db", "min-up": 1}`, "unknown field"},
		{`{"on": 5}`, ""},
		{`{"any_of": "db"}`, ""},
		{`{"any_of": [1, 2]}`, ""},
		{`{"min_up": "1", "any_of": ["a"]}`, ""},
		{`{"on": "db", "workaround": "4x"}`, "4x"},
		{`{"on": "db", "workaround": -1}`, "negative"},
		{`{"on": "db", "workaround": true}`, ""},
		{`5`, ""},
		{`true`, ""},
		{`["db"]`, ""},
		{`"unterminated`, ""},
		{`{"on": "db"`, ""},
	}
	for _, tt := range tests {
		var d lifeboat.Dependency
		err := d.UnmarshalJSON([]byte(tt.in))
		if err == nil {
			t.Errorf("UnmarshalJSON(%s) = %+v, want an error", tt.in, d)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("UnmarshalJSON(%s) error %q does not contain %q", tt.in, err, tt.wantMsg)
		}
	}
}

func TestServiceJSONDependsOn(t *testing.T) {
	in := `{"id": "checkout", "depends_on": [
		"payments-api",
		{"on": "recommendations", "impact": "degraded"},
		{"on": "primary-dc", "type": "hosted-in", "workaround": "8h"},
		{"any_of": ["db-east", "db-west"], "min_up": 1}
	]}`
	var s lifeboat.Service
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []lifeboat.Dependency{
		{On: "payments-api", Impact: lifeboat.ImpactDown},
		{On: "recommendations", Impact: lifeboat.ImpactDegraded},
		{On: "primary-dc", Impact: lifeboat.ImpactDown, Type: "hosted-in", Workaround: durp(8 * hour)},
		{AnyOf: []string{"db-east", "db-west"}, MinUp: 1, Impact: lifeboat.ImpactDown},
	}
	if !reflect.DeepEqual(s.DependsOn, want) {
		t.Errorf("depends_on = %+v, want %+v", s.DependsOn, want)
	}

	// Written back, each dependency is an object that reads back the same.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"on":"primary-dc","impact":"down","type":"hosted-in","workaround":"8h"}`) {
		t.Errorf("json.Marshal = %s", b)
	}
	var back lifeboat.Service
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Errorf("round trip gave %+v, want %+v", back, s)
	}

	// An unknown field inside a dependency is an error even though the
	// service decoder itself accepts unknown fields.
	bad := `{"id": "checkout", "depends_on": [{"on": "db", "workarond": "1h"}]}`
	if err := json.Unmarshal([]byte(bad), &s); err == nil || !strings.Contains(err.Error(), "workarond") {
		t.Errorf("json.Unmarshal with an unknown dependency field: err = %v", err)
	}
}

func TestDependencyLabelTargetsSoft(t *testing.T) {
	tests := []struct {
		d       lifeboat.Dependency
		label   string
		targets []string
		group   bool
		soft    bool
	}{
		{lifeboat.Dependency{On: "db"}, "db", []string{"db"}, false, false},
		{lifeboat.Dependency{On: "db", Impact: lifeboat.ImpactDown}, "db", []string{"db"}, false, false},
		{lifeboat.Dependency{On: "recs", Impact: lifeboat.ImpactDegraded}, "recs", []string{"recs"}, false, true},
		{lifeboat.Dependency{AnyOf: []string{"db-east", "db-west"}, MinUp: 1}, "any 1 of db-east, db-west", []string{"db-east", "db-west"}, true, false},
		{lifeboat.Dependency{AnyOf: []string{"a", "b", "c"}, MinUp: 2, Impact: lifeboat.ImpactDegraded}, "any 2 of a, b, c", []string{"a", "b", "c"}, true, true},
		{lifeboat.Dependency{On: "x", AnyOf: []string{"a"}, MinUp: 1}, "any 1 of a", []string{"a"}, true, false},
		{lifeboat.Dependency{}, "", []string{""}, false, false},
	}
	for _, tt := range tests {
		if got := tt.d.Label(); got != tt.label {
			t.Errorf("%+v.Label() = %q, want %q", tt.d, got, tt.label)
		}
		if got := tt.d.Targets(); !slices.Equal(got, tt.targets) {
			t.Errorf("%+v.Targets() = %q, want %q", tt.d, got, tt.targets)
		}
		if got := tt.d.IsGroup(); got != tt.group {
			t.Errorf("%+v.IsGroup() = %v, want %v", tt.d, got, tt.group)
		}
		if got := tt.d.Soft(); got != tt.soft {
			t.Errorf("%+v.Soft() = %v, want %v", tt.d, got, tt.soft)
		}
	}
	// Normalize gives a group its default min_up, which the label shows.
	s := lifeboat.Service{ID: "x", DependsOn: []lifeboat.Dependency{{AnyOf: []string{"a", "b"}}}}
	s.Normalize()
	if got := s.DependsOn[0].Label(); got != "any 1 of a, b" {
		t.Errorf("Label() after Normalize = %q", got)
	}
}

// fieldPath is every field path Validate may report.
var fieldPath = regexp.MustCompile(`^(id|name|description|kind|lifecycle|owner|tier|contract|objectives\.rto|tags\[\d+\]|depends_on(\[\d+\](\.(on|min_up|impact|type|any_of(\[\d+\])?))?)?)$`)

// checkService normalizes and validates a decoded service and checks the
// properties that must hold for any input.
func checkService(t *testing.T, s lifeboat.Service) {
	t.Helper()
	s.Normalize()
	err := s.Validate()
	if err != nil {
		if lifeboat.ErrorCode(err) != lifeboat.EINVALID {
			t.Fatalf("Validate() = %v with code %q", err, lifeboat.ErrorCode(err))
		}
		fs := lifeboat.ErrorFields(err)
		if len(fs) == 0 {
			t.Fatalf("Validate() = %v without fields", err)
		}
		for _, f := range fs {
			if !fieldPath.MatchString(f.Field) || f.Message == "" {
				t.Errorf("unexpected problem %q: %q", f.Field, f.Message)
			}
		}
		return
	}
	// A valid service survives the trip through JSON unchanged.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("json.Marshal of a valid service: %v", err)
	}
	var back lifeboat.Service
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	back.Normalize()
	if err := back.Validate(); err != nil {
		t.Fatalf("%s is no longer valid: %v", b, err)
	}
	if b2, _ := json.Marshal(back); string(b2) != string(b) {
		t.Errorf("round trip changed the service:\n%s\n%s", b, b2)
	}
}

func FuzzDependencyJSON(f *testing.F) {
	for _, s := range []string{`"db"`, `{"on":"db","impact":"degraded","type":"runs-on","workaround":"8h"}`,
		`{"any_of":["a","b"],"min_up":2}`, `{"on":"db","bogus":1}`, `{"on":"a","any_of":["b"]}`,
		`null`, `5`, `{"workaround":3600}`, `{"any_of":[]}`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d lifeboat.Dependency
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		_ = d.Label()
		if ts := d.Targets(); len(ts) == 0 {
			t.Errorf("Targets() of %+v is empty", d)
		}
		if d.Soft() != (d.Impact == lifeboat.ImpactDegraded) {
			t.Errorf("Soft() of %+v = %v", d, d.Soft())
		}
		if d.Workaround != nil && (*d.Workaround < 0 || *d.Workaround > lifeboat.MaxDuration) {
			t.Errorf("workaround %d out of range", *d.Workaround)
		}
		checkService(t, lifeboat.Service{ID: "svc", DependsOn: []lifeboat.Dependency{d}})
	})
}

func FuzzServiceJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"checkout"}`,
		`{"id":"checkout","name":"Checkout","kind":"application","owner":"payments","tier":1,"tags":["pci","a","pci"],
		  "objectives":{"rto":"4h","rpo":"15m","mtpd":"24h"},"recovery":{"time":"2h","data_loss":300},
		  "depends_on":["payments-api",{"on":"recs","impact":"degraded"},{"on":"dc","type":"hosted-in","workaround":"8h"},
		  {"any_of":["db-east","db-west"],"min_up":1}]}`,
		`{"id":"acme","kind":"vendor","contract":{"rto":"8h","rpo":"1h","reference":"MSA-2024-17"}}`,
		`{"id":"x","depends_on":["x",{"any_of":["y","y"],"min_up":3},{"on":"a","any_of":["b"]}]}`,
		`{"id":"x","objectives":{"rto":"2d","mtpd":"1d"},"tier":12,"kind":"db"}`,
		`{"id":"x","depends_on":[null,{},""]}`,
		`{"id":"x","objectives":{},"recovery":{},"contract":{},"tags":[]}`,
		`[]`, `null`, `{"id":5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s lifeboat.Service
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		checkService(t, s)
	})
}

// TestValidIDMatchesPattern checks the hand-written id check against the
// pattern it stands for.
func TestValidIDMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(lifeboat.IDPattern)
	cases := []string{"", "a", "0", "a-b", "a.b_c-9", "-a", ".a", "_a", "A", "aB", "a b", "a/b", "ü", "a\n",
		strings.Repeat("a", 128), strings.Repeat("a", 129), "a" + strings.Repeat("-", 127)}
	for _, c := range cases {
		if got, want := lifeboat.ValidID(c), re.MatchString(c); got != want {
			t.Errorf("ValidID(%q) = %v, the pattern says %v", c, got, want)
		}
	}
}
