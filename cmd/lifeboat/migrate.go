package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func (a *app) migrateCommand() *cobra.Command {
	var database, dataDir string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the missing database migrations",
		Long: `Apply the database migrations that are missing and report. serve does this
too at every start; migrate lets a deployment do it as a separate step.
On PostgreSQL several instances can migrate at once: one applies the
migrations and the others wait for it.`,
		Example: `  lifeboat migrate --database postgres://lifeboat@db.example.com/lifeboat`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dsn, err := a.databaseURL(database, dataDir)
			if err != nil {
				return err
			}
			return a.migrate(cmd.Context(), dsn)
		},
	}
	addDatabaseFlags(cmd.Flags(), &database, &dataDir)
	return cmd
}

// addDatabaseFlags adds --database and --data-dir, shared by the commands
// that open the database.
func addDatabaseFlags(f *pflag.FlagSet, database, dataDir *string) {
	f.StringVar(database, "database", "", "database URL: sqlite:///abs/path.db, a file path, or postgres://... (default: lifeboat.db in --data-dir)")
	f.StringVar(dataDir, "data-dir", "./data", "folder for the default SQLite database")
}

// migrate brings the database up to date and says so on stdout; sqldb logs
// each migration it applies.
func (a *app) migrate(ctx context.Context, dsn string) error {
	log := a.logger()
	db, err := a.openDatabase(ctx, dsn, log)
	if err != nil {
		return err
	}
	dialect := db.Dialect()
	if err := db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	_, err = fmt.Fprintf(a.stdout, "The %s database %s is up to date.\n", dialect, redactURL(dsn))
	return err
}
