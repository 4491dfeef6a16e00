package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// setupLinkLifetime is how long the first-admin link printed at start works.
const setupLinkLifetime = 24 * time.Hour

// demoUsers are the accounts --demo creates, one per role worth trying.
var demoUsers = []struct {
	id   string
	role lifeboat.Role
}{
	{"admin", lifeboat.RoleAdmin},
	{"manager", lifeboat.RoleContinuityManager},
	{"viewer", lifeboat.RoleViewer},
	{"auditor", lifeboat.RoleAuditor},
}

// prepareAccounts makes sure someone can sign in. With --demo an empty user
// table gets demo accounts with fresh passwords; otherwise it gets a
// one-time link to create the first admin, as there is no default password.
// Both are printed on out, the console, never in the logs.
func prepareAccounts(ctx context.Context, db *sqldb.DB, demo bool, baseURL string, out io.Writer, log *slog.Logger) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	if demo {
		fmt.Fprintln(out, "Demo accounts (passwords are new at each start of an empty database):")
		for _, u := range demoUsers {
			pw := password.Generate()
			hash, err := password.Hash(pw)
			if err != nil {
				return err
			}
			if err := db.CreateUser(ctx, &lifeboat.User{ID: u.id, Name: "Demo " + string(u.role), Role: u.role, PasswordHash: hash}); err != nil {
				return fmt.Errorf("demo accounts: %w", err)
			}
			fmt.Fprintf(out, "  %-8s %-19s password: %s\n", u.id, u.role, pw)
		}
		log.Info("demo accounts created", "count", len(demoUsers))
		return nil
	}
	token, hash := secret.NewToken("lbx_")
	if err := db.CreateSetupToken(ctx, hash, time.Now().UTC().Add(setupLinkLifetime)); err != nil {
		return err
	}
	fmt.Fprintf(out, "No users yet. Create the first administrator within 24 hours at:\n  %ssetup?token=%s\n", baseURL, token)
	log.Info("waiting for the first administrator: the setup link is on the console")
	return nil
}
