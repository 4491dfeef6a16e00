// Package demo loads a small, believable sample organisation, an online
// retailer, so that a new installation has something to show: people,
// teams and about twenty services from the business down to the sites and
// vendors, with objectives, recovery capabilities, a redundancy group, soft
// dependencies and workarounds.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/lifeboat-itscm/lifeboat"
)

// ErrNotEmpty is returned by Load when the catalog already has services:
// the sample is meant for new installations and never mixes with real data.
var ErrNotEmpty = errors.New("demo: the catalog already has services")

// Load creates the sample organisation: people first, then teams, then
// services with each one's dependencies before it. It refuses with
// ErrNotEmpty when there are services already. Every object goes through
// the stores, so it is validated like any other input. The stores commit
// each object on its own, so an error part way leaves the objects before it.
func Load(ctx context.Context, services lifeboat.ServiceStore, teams lifeboat.TeamStore, people lifeboat.PersonStore) error {
	page, err := services.FindServices(ctx, lifeboat.ServiceFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(page.Services) > 0 {
		return ErrNotEmpty
	}
	for _, p := range People() {
		if err := people.CreatePerson(ctx, p); err != nil {
			return fmt.Errorf("demo: person %q: %w", p.ID, err)
		}
	}
	for _, t := range Teams() {
		if err := teams.CreateTeam(ctx, t); err != nil {
			return fmt.Errorf("demo: team %q: %w", t.ID, err)
		}
	}
	for _, s := range Services() {
		if err := services.CreateService(ctx, s); err != nil {
			return fmt.Errorf("demo: service %q: %w", s.ID, err)
		}
	}
	return nil
}

// People returns the sample's people, freshly built on each call.
func People() []*lifeboat.Person {
	return []*lifeboat.Person{
		{ID: "alice", Name: "Alice Martin", Email: "alice.martin@example.com", Phone: "+1 555 0100"},
		{ID: "bob", Name: "Bob Okafor", Email: "bob.okafor@example.com", Phone: "+1 555 0101"},
		{ID: "carol", Name: "Carol Nguyen", Email: "carol.nguyen@example.com", Phone: "+1 555 0102"},
		{ID: "dan", Name: "Dan Schmidt", Email: "dan.schmidt@example.com", Phone: "+1 555 0103"},
		{ID: "erin", Name: "Erin Rossi", Email: "erin.rossi@example.com", Phone: "+1 555 0104"},
		{ID: "farid", Name: "Farid Haddad", Email: "farid.haddad@example.com", Phone: "+1 555 0105"},
	}
}

// Teams returns the sample's teams, freshly built on each call.
func Teams() []*lifeboat.Team {
	return []*lifeboat.Team{
		{ID: "commerce", Name: "Commerce", Description: "The shop front, the catalog and checkout.",
			Members: []string{"farid", "alice"}},
		{ID: "payments", Name: "Payments", Description: "Card payments and the payment provider.",
			Members: []string{"bob", "erin"}},
		{ID: "platform", Name: "Platform", Description: "Data centers, network and the Kubernetes cluster.",
			Members: []string{"carol", "dan"}},
		{ID: "data", Name: "Data", Description: "Databases, replication and backups.",
			Members: []string{"erin", "carol"}},
	}
}
