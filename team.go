package lifeboat

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
)

// Team owns services. Its members are people.
type Team struct {
	ID          string   `json:"id" yaml:"id"`
	Name        string   `json:"name,omitempty" yaml:"name,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Members     []string `json:"members,omitempty" yaml:"members,omitempty,flow"`

	Version int64 `json:"-" yaml:"-"`
}

// Person is someone who owns, recovers or is told about services.
type Person struct {
	ID    string `json:"id" yaml:"id"`
	Name  string `json:"name,omitempty" yaml:"name,omitempty"`
	Email string `json:"email,omitempty" yaml:"email,omitempty"`
	Phone string `json:"phone,omitempty" yaml:"phone,omitempty"`

	Version int64 `json:"-" yaml:"-"`
}

// Normalize fills in defaults: the name defaults to the id and members are
// kept in their given order without repeats.
func (t *Team) Normalize() {
	if t.Name == "" {
		t.Name = t.ID
	}
	seen := map[string]bool{}
	members := t.Members[:0:0]
	for _, m := range t.Members {
		if !seen[m] {
			seen[m] = true
			members = append(members, m)
		}
	}
	t.Members = members
}

// Validate checks the team on its own; the store checks that members exist.
func (t *Team) Validate() error {
	var p Problems
	if !ValidID(t.ID) {
		p.Add("id", "%q is not a valid id: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", t.ID)
	}
	checkLen(&p, "name", t.Name, 200)
	checkLen(&p, "description", t.Description, 10000)
	for i, m := range t.Members {
		if !ValidID(m) {
			p.Add("members["+strconv.Itoa(i)+"]", "%q is not a valid person id", m)
		}
	}
	return p.Err("team " + strconv.Quote(t.ID))
}

// Normalize fills in defaults: the name defaults to the id.
func (x *Person) Normalize() {
	if x.Name == "" {
		x.Name = x.ID
	}
	x.Email = strings.TrimSpace(x.Email)
	x.Phone = strings.TrimSpace(x.Phone)
}

// phonePattern may open with a parenthesis, as in "(555) 010-0100".
var phonePattern = regexp.MustCompile(`^\+?\(?[0-9][0-9 ()./-]{2,30}$`)

// checkEmail accepts an empty address or a plain one such as
// alice@example.com, without a display name.
func checkEmail(p *Problems, field, v string) {
	if v == "" {
		return
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || len(v) > 254 {
		p.Add(field, "%q is not an e-mail address", v)
	}
}

// Validate checks the person's fields.
func (x *Person) Validate() error {
	var p Problems
	if !ValidID(x.ID) {
		p.Add("id", "%q is not a valid id: use 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", x.ID)
	}
	checkLen(&p, "name", x.Name, 200)
	checkEmail(&p, "email", x.Email)
	if x.Phone != "" && !phonePattern.MatchString(x.Phone) {
		p.Add("phone", "%q is not a phone number: use digits, spaces and + ( ) . / -", x.Phone)
	}
	return p.Err("person " + strconv.Quote(x.ID))
}

// TeamStore keeps teams. Deleting a team that owns services is refused.
type TeamStore interface {
	FindTeamByID(ctx context.Context, id string) (*Team, error)
	FindTeams(ctx context.Context) ([]*Team, error)
	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, t *Team, ifVersion int64) error
	DeleteTeam(ctx context.Context, id string, ifVersion int64) error
	// FindTeamsOfPerson lists the teams a person belongs to.
	FindTeamsOfPerson(ctx context.Context, personID string) ([]*Team, error)
}

// PersonStore keeps people. Deleting a person removes them from teams.
type PersonStore interface {
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	FindPeople(ctx context.Context) ([]*Person, error)
	CreatePerson(ctx context.Context, x *Person) error
	UpdatePerson(ctx context.Context, x *Person, ifVersion int64) error
	DeletePerson(ctx context.Context, id string, ifVersion int64) error
}
