package lifeboat_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

func TestTeamNormalize(t *testing.T) {
	tests := []struct {
		in   lifeboat.Team
		want lifeboat.Team
	}{
		{lifeboat.Team{ID: "payments"}, lifeboat.Team{ID: "payments", Name: "payments"}},
		{lifeboat.Team{ID: "payments", Name: "Payments"}, lifeboat.Team{ID: "payments", Name: "Payments"}},
		{lifeboat.Team{ID: "t", Members: []string{"bob", "alice", "bob", "carol", "alice", "bob"}},
			lifeboat.Team{ID: "t", Name: "t", Members: []string{"bob", "alice", "carol"}}},
		{lifeboat.Team{ID: "t", Members: []string{"zoe", "adam"}},
			lifeboat.Team{ID: "t", Name: "t", Members: []string{"zoe", "adam"}}},
	}
	for _, tt := range tests {
		got := tt.in
		got.Members = slices.Clone(tt.in.Members)
		got.Normalize()
		if got.Name != tt.want.Name || !slices.Equal(got.Members, tt.want.Members) {
			t.Errorf("Normalize(%+v) = %+v, want %+v", tt.in, got, tt.want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", got, err)
		}
	}
}

func TestTeamValidate(t *testing.T) {
	tests := []struct {
		name string
		t    lifeboat.Team
		want []string
	}{
		{"valid", lifeboat.Team{ID: "payments", Name: "Payments", Description: "Pays.", Members: []string{"alice", "bob"}}, nil},
		{"bad id", lifeboat.Team{ID: "Payments Team"}, []string{"id"}},
		{"empty id", lifeboat.Team{}, []string{"id"}},
		{"name of 200", lifeboat.Team{ID: "t", Name: strings.Repeat("ü", 200)}, nil},
		{"name of 201", lifeboat.Team{ID: "t", Name: strings.Repeat("n", 201)}, []string{"name"}},
		{"description of 10001", lifeboat.Team{ID: "t", Description: strings.Repeat("d", 10001)}, []string{"description"}},
		{"bad members", lifeboat.Team{ID: "t", Members: []string{"alice", "Bob", "", "carol"}}, []string{"members[1]", "members[2]"}},
		{"everything", lifeboat.Team{ID: "-t", Name: strings.Repeat("n", 201), Description: strings.Repeat("d", 10001), Members: []string{"a b"}},
			[]string{"id", "name", "description", "members[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := tt.t
			tm.Normalize()
			err := tm.Validate()
			if got := fieldsOf(err); !slices.Equal(got, tt.want) {
				t.Errorf("Validate() problems at %q, want %q (%v)", got, tt.want, err)
			}
			if tt.want == nil {
				return
			}
			if lifeboat.ErrorCode(err) != lifeboat.EINVALID {
				t.Errorf("ErrorCode = %q", lifeboat.ErrorCode(err))
			}
			if msg, want := lifeboat.ErrorMessage(err), "team \""+tm.ID+"\" is not valid"; msg != want {
				t.Errorf("ErrorMessage = %q, want %q", msg, want)
			}
		})
	}
}

func TestPersonNormalize(t *testing.T) {
	x := lifeboat.Person{ID: "alice", Email: "  alice@example.com\n", Phone: "\t+1 555 0100 "}
	x.Normalize()
	want := lifeboat.Person{ID: "alice", Name: "alice", Email: "alice@example.com", Phone: "+1 555 0100"}
	if x != want {
		t.Errorf("Normalize = %+v, want %+v", x, want)
	}
	if err := x.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	y := lifeboat.Person{ID: "bob", Name: "Bob Stone"}
	y.Normalize()
	if y.Name != "Bob Stone" {
		t.Errorf("Normalize overwrote the name: %q", y.Name)
	}
}

func TestPersonValidate(t *testing.T) {
	validEmails := []string{"", "alice@example.com", "a.b+tag@sub.example.co.uk", "ALICE@EXAMPLE.COM",
		"o'brien@example.ie", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 180) + ".com"}
	invalidEmails := []string{"alice", "alice@", "@example.com", "Alice <alice@example.com>",
		"<alice@example.com>", "alice@example.com, bob@example.com", "alice@@example.com",
		"alice @example.com", "alice@example.com (Alice)",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com"} // 255 characters
	validPhones := []string{"", "+1 555 0100", "555-0100", "(030) 123 456", "(555) 010-0100", "+1 (555) 010-0100",
		"+(1) 555", "030/123.456", "123",
		"+" + strings.Repeat("1", 31)}
	invalidPhones := []string{"12", "+12", "phone", "+", "++1 555 0100", "555 0100 ext. 5", "-555",
		"() 555", "((555)", "(+1) 555", "1" + strings.Repeat("2", 31), "555\n0100"}
	check := func(x lifeboat.Person, field string, wantErr bool) {
		t.Helper()
		x.Normalize()
		err := x.Validate()
		got := fieldsOf(err)
		if wantErr && !slices.Equal(got, []string{field}) {
			t.Errorf("%+v: problems at %q, want only %s (%v)", x, got, field, err)
		}
		if !wantErr && err != nil {
			t.Errorf("%+v: Validate() = %v, want nil", x, err)
		}
	}
	for _, e := range validEmails {
		check(lifeboat.Person{ID: "p", Email: e}, "email", false)
	}
	for _, e := range invalidEmails {
		check(lifeboat.Person{ID: "p", Email: e}, "email", true)
	}
	for _, ph := range validPhones {
		check(lifeboat.Person{ID: "p", Phone: ph}, "phone", false)
	}
	for _, ph := range invalidPhones {
		check(lifeboat.Person{ID: "p", Phone: ph}, "phone", true)
	}

	x := lifeboat.Person{ID: "Alice", Name: strings.Repeat("n", 201), Email: "nope", Phone: "nope"}
	err := x.Validate()
	if got, want := fieldsOf(err), []string{"id", "name", "email", "phone"}; !slices.Equal(got, want) {
		t.Errorf("problems at %q, want %q (%v)", got, want, err)
	}
	if msg := lifeboat.ErrorMessage(err); msg != `person "Alice" is not valid` {
		t.Errorf("ErrorMessage = %q", msg)
	}
}

func FuzzPersonJSON(f *testing.F) {
	f.Add([]byte(`{"id":"alice","name":"Alice","email":"alice@example.com","phone":"+1 555 0100"}`))
	f.Add([]byte(`{"id":"bob","email":"Bob <bob@example.com>","phone":"x"}`))
	f.Add([]byte(`{"id":"t","members":["a","b","a"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var x lifeboat.Person
		if json.Unmarshal(b, &x) == nil {
			x.Normalize()
			if err := x.Validate(); err != nil && len(lifeboat.ErrorFields(err)) == 0 {
				t.Errorf("person error without fields: %v", err)
			}
		}
		var tm lifeboat.Team
		if json.Unmarshal(b, &tm) == nil {
			tm.Normalize()
			seen := map[string]bool{}
			for _, m := range tm.Members {
				if seen[m] {
					t.Errorf("member %q kept twice: %q", m, tm.Members)
				}
				seen[m] = true
			}
			if err := tm.Validate(); err != nil && len(lifeboat.ErrorFields(err)) == 0 {
				t.Errorf("team error without fields: %v", err)
			}
		}
	})
}

// The error helpers live in error.go; they are tested here with the other
// small domain types.

func TestErrorHelpers(t *testing.T) {
	fields := []lifeboat.FieldError{{Field: "depends_on[2].on", Message: `no service "db-east"`}}
	appErr := &lifeboat.Error{Code: lifeboat.EINVALID, Message: "service is not valid", Fields: fields}
	notFound := lifeboat.Errorf(lifeboat.ENOTFOUND, "no service %q", "db")
	tests := []struct {
		name    string
		err     error
		code    string
		message string
		fields  []lifeboat.FieldError
	}{
		{"nil", nil, "", "", nil},
		{"application error", appErr, lifeboat.EINVALID, "service is not valid", fields},
		{"Errorf", notFound, lifeboat.ENOTFOUND, `no service "db"`, nil},
		{"wrapped", fmt.Errorf("create: %w", appErr), lifeboat.EINVALID, "service is not valid", fields},
		{"wrapped twice", fmt.Errorf("api: %w", fmt.Errorf("store: %w", notFound)), lifeboat.ENOTFOUND, `no service "db"`, nil},
		{"joined", errors.Join(errors.New("first"), notFound), lifeboat.ENOTFOUND, `no service "db"`, nil},
		{"plain", errors.New("pq: connection refused"), lifeboat.EINTERNAL, "An internal error occurred.", nil},
		{"wrapped plain", fmt.Errorf("query: %w", errors.New("disk full")), lifeboat.EINTERNAL, "An internal error occurred.", nil},
		{"%v does not wrap", fmt.Errorf("create: %v", appErr), lifeboat.EINTERNAL, "An internal error occurred.", nil},
	}
	for _, tt := range tests {
		if got := lifeboat.ErrorCode(tt.err); got != tt.code {
			t.Errorf("%s: ErrorCode = %q, want %q", tt.name, got, tt.code)
		}
		if got := lifeboat.ErrorMessage(tt.err); got != tt.message {
			t.Errorf("%s: ErrorMessage = %q, want %q", tt.name, got, tt.message)
		}
		if got := lifeboat.ErrorFields(tt.err); !reflect.DeepEqual(got, tt.fields) {
			t.Errorf("%s: ErrorFields = %v, want %v", tt.name, got, tt.fields)
		}
	}
}

func TestErrorString(t *testing.T) {
	e := &lifeboat.Error{Code: lifeboat.EINVALID, Message: "service \"x\" is not valid", Fields: []lifeboat.FieldError{
		{Field: "id", Message: "bad id"}, {Field: "tags[0]", Message: "bad tag"},
	}}
	if got, want := e.Error(), `service "x" is not valid: id: bad id; tags[0]: bad tag`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := lifeboat.Errorf(lifeboat.ECONFLICT, "%d services depend on %s", 3, "db").Error(); got != "3 services depend on db" {
		t.Errorf("Errorf(...).Error() = %q", got)
	}
}

func TestProblems(t *testing.T) {
	var p lifeboat.Problems
	if err := p.Err("service"); err != nil {
		t.Errorf("Err() without problems = %v, want nil", err)
	}
	p.Add("tier", "must be at most %d", 9)
	p.Add("kind", "bad")
	err := p.Err(`service "x"`)
	if err == nil {
		t.Fatal("Err() with problems = nil")
	}
	want := []lifeboat.FieldError{{Field: "tier", Message: "must be at most 9"}, {Field: "kind", Message: "bad"}}
	if lifeboat.ErrorCode(err) != lifeboat.EINVALID || lifeboat.ErrorMessage(err) != `service "x" is not valid` ||
		!reflect.DeepEqual(lifeboat.ErrorFields(err), want) {
		t.Errorf("Err() = %#v", err)
	}
}
