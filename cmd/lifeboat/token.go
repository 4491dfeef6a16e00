package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/secret"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// defaultTokenLifetime is how long a token lasts unless --expires says
// otherwise: long enough for a quarter's automation, short enough that
// forgotten tokens die.
const defaultTokenLifetime = "90d"

func (a *app) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage API tokens for automation: create, list, revoke",
		Long: `Manage API tokens. A token acts for its user with the user's role or a lower
one, and is sent as "Authorization: Bearer TOKEN". Only a hash of it is
stored: it is shown once, when it is created.`,
		Args: noArgs,
		RunE: a.runRoot,
	}
	cmd.AddCommand(a.tokenCreateCommand(), a.tokenListCommand(), a.tokenRevokeCommand())
	return cmd
}

func (a *app) tokenCreateCommand() *cobra.Command {
	var db dbFlags
	var user, name, role, expires string
	cmd := &cobra.Command{
		Use:   "create --user NAME --name LABEL",
		Short: "Create an API token and print it, alone, on stdout",
		Long: `Create an API token for a user and print it on stdout, alone on its line,
so that a script can capture it; what was created goes to stderr. The token
is shown only this once.

--expires takes a duration such as 30d, 12w or 1d12h (units s, m, h, d, w),
or never. --role defaults to the user's and may not be higher.`,
		Example: `  TOKEN=$(lifeboat token create --user alice --name ci-deploy --role responder --expires 30d)
  curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/v1/services`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmp.Or(required("user", user), required("name", name)); err != nil {
				return err
			}
			lifetime, err := parseLifetime(expires)
			if err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				return a.createToken(cmd.Context(), s, &lifeboat.Token{ID: name, UserID: user, Role: lifeboat.Role(role)}, lifetime)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&user, "user", "", "the user the token acts for")
	f.StringVar(&name, "name", "", "a name for the token, unique for the user, such as ci-deploy")
	f.StringVar(&role, "role", "", "the token's role, at most the user's (default: the user's)")
	f.StringVar(&expires, "expires", defaultTokenLifetime, "how long the token works, such as 30d, or never")
	noEnv(f, "user", "name", "role", "expires")
	addDatabaseFlags(f, &db.database, &db.dataDir)
	return cmd
}

// parseLifetime reads --expires: a Lifeboat duration or "never", which is
// zero.
func parseLifetime(s string) (time.Duration, error) {
	if s == "never" {
		return 0, nil
	}
	d, err := lifeboat.ParseDuration(s)
	if err != nil {
		return 0, usageErrorf("--expires: %v", err)
	}
	if d == 0 {
		return 0, usageErrorf("--expires: use a duration such as 90d, or never")
	}
	return time.Duration(d.Seconds()) * time.Second, nil
}

// createToken stores the token and prints its secret alone on stdout.
func (a *app) createToken(ctx context.Context, s *sqldb.DB, t *lifeboat.Token, lifetime time.Duration) error {
	token, hash := secret.NewToken(secret.TokenPrefix)
	t.Hash = hash
	if lifetime > 0 {
		t.ExpiresAt = time.Now().Add(lifetime)
	}
	if err := s.CreateToken(ctx, t); err != nil {
		return err
	}
	until := "never expires"
	if !t.ExpiresAt.IsZero() {
		until = "expires " + formatTime(t.ExpiresAt)
	}
	fmt.Fprintf(a.stderr, "Created token %s for %s with role %s; it %s. It is shown only this once: store it safely.\n",
		t.ID, t.UserID, t.Role, until)
	_, err := fmt.Fprintln(a.stdout, token)
	return err
}

func (a *app) tokenListCommand() *cobra.Command {
	var db dbFlags
	var user string
	cmd := &cobra.Command{
		Use:   "list [--user NAME]",
		Short: "List API tokens, of one user or of all",
		Long:  `List API tokens with their state: active, expired or revoked. Tokens themselves are never shown again.`,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				if user != "" {
					if _, err := s.FindUserByID(cmd.Context(), user); err != nil {
						return err
					}
				}
				tokens, err := s.FindTokens(cmd.Context(), user)
				if err != nil {
					return err
				}
				return writeTokens(a.stdout, tokens, time.Now())
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&user, "user", "", "only this user's tokens")
	noEnv(f, "user")
	addDatabaseFlags(f, &db.database, &db.dataDir)
	return cmd
}

func writeTokens(w io.Writer, tokens []*lifeboat.Token, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tNAME\tROLE\tSTATE\tCREATED\tEXPIRES\tLAST USED")
	for _, t := range tokens {
		state := "active"
		switch {
		case t.Revoked:
			state = "revoked"
		case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
			state = "expired"
		}
		expires := formatTime(t.ExpiresAt)
		if t.ExpiresAt.IsZero() {
			expires = "never"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.UserID, t.ID, t.Role, state, formatTime(t.Created), expires, formatTime(t.LastUsed))
	}
	return tw.Flush()
}

func (a *app) tokenRevokeCommand() *cobra.Command {
	var db dbFlags
	var user, name string
	cmd := &cobra.Command{
		Use:   "revoke --user NAME --name LABEL",
		Short: "Revoke an API token for good",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmp.Or(required("user", user), required("name", name)); err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				if err := s.RevokeToken(cmd.Context(), user, name); err != nil {
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "Revoked token %s of %s.\n", name, user)
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&user, "user", "", "the user the token belongs to")
	f.StringVar(&name, "name", "", "the token's name")
	noEnv(f, "user", "name")
	addDatabaseFlags(f, &db.database, &db.dataDir)
	return cmd
}

// required refuses an empty value of a required flag.
func required(flag, value string) error {
	if value == "" {
		return usageErrorf("--%s is required", flag)
	}
	return nil
}
