package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/password"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// dbFlags are --database and --data-dir, which every command on the
// database takes.
type dbFlags struct{ database, dataDir string }

func (a *app) userCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage local accounts: add, list, disable, enable, reset-password",
		Long: `Manage the local accounts that sign in with a password. A new database has
no account and no default password: create the first admin with

  lifeboat user add NAME --role admin

Roles, from least to most powerful: ` + roleList() + `.`,
		Args: noArgs,
		RunE: a.runRoot,
	}
	cmd.AddCommand(a.userAddCommand(), a.userListCommand(), a.userResetPasswordCommand(),
		a.userSetDisabledCommand("disable", true), a.userSetDisabledCommand("enable", false))
	return cmd
}

func (a *app) userAddCommand() *cobra.Command {
	var db dbFlags
	var u lifeboat.User
	var role string
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "add NAME --role ROLE",
		Short: "Add a user and give them a password",
		Long: `Add a user. NAME is what they sign in with: lower-case letters, digits, '.',
'_' or '-'. Without --password-stdin Lifeboat makes a strong password and
prints it once; with it, it reads the password from the first line of stdin.
Passwords have 12 to 1024 characters.`,
		Example: `  lifeboat user add alice --role admin --name "Alice Adams" --email alice@example.com
  printf '%s\n' "$PASSWORD" | lifeboat user add ci-bot --role viewer --password-stdin`,
		Args: oneArg("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if role == "" {
				return usageErrorf("--role is required: one of %s", roleList())
			}
			u.ID, u.Role = args[0], lifeboat.Role(role)
			u.Normalize()
			if err := u.Validate(); err != nil {
				return commandError(err)
			}
			pw, generated, err := a.newPassword(fromStdin)
			if err != nil {
				return err
			}
			if u.PasswordHash, err = password.Hash(pw); err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				if err := s.CreateUser(cmd.Context(), &u); err != nil {
					return err
				}
				return a.reportPassword(fmt.Sprintf("Created user %s with role %s.", u.ID, u.Role), u.ID, pw, generated)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "what the user may do: "+roleList())
	f.StringVar(&u.Name, "name", "", "the user's full name")
	f.StringVar(&u.Email, "email", "", "the user's e-mail address")
	f.StringVar(&u.PersonID, "person", "", "id of the person in the catalog who is this user")
	f.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin instead of making one")
	noEnv(f, "role", "name", "email", "person", "password-stdin")
	addDatabaseFlags(f, &db.database, &db.dataDir)
	return cmd
}

func (a *app) userListCommand() *cobra.Command {
	var db dbFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				users, err := s.FindUsers(cmd.Context())
				if err != nil {
					return err
				}
				if len(users) == 0 {
					fmt.Fprintln(a.stderr, "No users yet: add the first admin with 'lifeboat user add NAME --role admin'.")
				}
				return writeUsers(a.stdout, users)
			})
		},
	}
	addDatabaseFlags(cmd.Flags(), &db.database, &db.dataDir)
	return cmd
}

func writeUsers(w io.Writer, users []*lifeboat.User) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tDISABLED\tCREATED")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.ID, orDash(u.Name), u.Role, yesNo(u.Disabled), formatTime(u.Created))
	}
	return tw.Flush()
}

// userSetDisabledCommand makes "user disable" and "user enable".
func (a *app) userSetDisabledCommand(verb string, disabled bool) *cobra.Command {
	var db dbFlags
	short := "Disable a user: end their sessions and stop their API tokens"
	if !disabled {
		short = "Enable a disabled user again"
	}
	cmd := &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Args:  oneArg("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				return a.setDisabled(cmd.Context(), s, args[0], disabled)
			})
		},
	}
	addDatabaseFlags(cmd.Flags(), &db.database, &db.dataDir)
	return cmd
}

func (a *app) setDisabled(ctx context.Context, s *sqldb.DB, id string, disabled bool) error {
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	state := map[bool]string{true: "disabled", false: "enabled"}[disabled]
	if u.Disabled == disabled {
		_, err := fmt.Fprintf(a.stdout, "User %s is already %s.\n", id, state)
		return err
	}
	u.Disabled = disabled
	if err := s.UpdateUser(ctx, u, u.Version); err != nil {
		return err
	}
	msg := fmt.Sprintf("User %s is enabled: they can sign in again and their API tokens work again.\n", id)
	if disabled {
		msg = fmt.Sprintf("User %s is disabled: their sessions have ended and their API tokens stop working.\n", id)
	}
	_, err = io.WriteString(a.stdout, msg)
	return err
}

func (a *app) userResetPasswordCommand() *cobra.Command {
	var db dbFlags
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "reset-password NAME",
		Short: "Give a user a new password and end their sessions",
		Long: `Give a user a new password, end all their sessions and forget their failed
sign-ins. Without --password-stdin Lifeboat makes a strong password and prints
it once; with it, it reads the password from the first line of stdin.`,
		Example: `  lifeboat user reset-password alice
  printf '%s\n' "$PASSWORD" | lifeboat user reset-password alice --password-stdin`,
		Args: oneArg("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			pw, generated, err := a.newPassword(fromStdin)
			if err != nil {
				return err
			}
			hash, err := password.Hash(pw)
			if err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), db.database, db.dataDir, func(s *sqldb.DB) error {
				ctx := cmd.Context()
				if err := s.SetPassword(ctx, id, hash); err != nil {
					return err
				}
				if err := s.DeleteUserSessions(ctx, id); err != nil {
					return err
				}
				if err := s.ClearFailedLogins(ctx, lifeboat.ThrottleUser(id)); err != nil {
					return err
				}
				return a.reportPassword(fmt.Sprintf("Set a new password for %s and ended their sessions.", id), id, pw, generated)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin instead of making one")
	noEnv(f, "password-stdin")
	addDatabaseFlags(f, &db.database, &db.dataDir)
	return cmd
}

// newPassword reads the password from the first line of stdin, or makes
// one when fromStdin is false.
func (a *app) newPassword(fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		return password.Generate(), true, nil
	}
	// Room for the longest password in four-byte characters and a line end;
	// anything longer fails the length check below.
	line, err := bufio.NewReader(io.LimitReader(a.stdin, 4*password.MaxLength+3)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("--password-stdin: %w", err)
	}
	pw = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", false, usageErrorf("--password-stdin: no password on stdin")
	}
	if err := password.Check(pw); err != nil {
		return "", false, usageErrorf("--password-stdin: %v", err)
	}
	return pw, false, nil
}

// reportPassword says what was done and, for a password Lifeboat made,
// shows it: the only time it is ever shown.
func (a *app) reportPassword(done, id, pw string, generated bool) error {
	if !generated {
		_, err := fmt.Fprintln(a.stdout, done)
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "%s\nPassword: %s\nThis password is shown only this once: pass it on safely, and have %s change it after signing in.\n",
		done, pw, id)
	return err
}

// oneArg accepts exactly one positional argument, named what in errors.
func oneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErrorf("%s takes one argument, %s; got %d", cmd.CommandPath(), what, len(args))
		}
		return nil
	}
}

func roleList() string {
	names := make([]string, len(lifeboat.Roles))
	for i, r := range lifeboat.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// formatTime writes a time for tables: UTC, to the second, "-" for none.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
