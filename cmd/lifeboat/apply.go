package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

func (a *app) applyCommand() *cobra.Command {
	var database, dataDir string
	var opts lifeboat.ApplyOptions
	format := newChoice("text", "text", "json")
	cmd := &cobra.Command{
		Use:   "apply PATH...",
		Short: "Make the database match the model files",
		Long: `Make the database match the model in YAML files and directories, in one
transaction, and print the plan: + for what is created, ~ for what is updated
(with the fields that change) and - for what is deleted.

Without --prune nothing is deleted: what the database has and the files do not
stays. With --prune it is deleted, unless something that stays still refers to
it; then nothing changes and the references are named. --dry-run prints the
plan and changes nothing, and prints the plan's digest: apply with --expect
DIGEST then makes exactly those changes, or refuses if the database changed in
between. Every change is recorded in the audit trail.

Exit 2 when the files cannot be loaded, 1 when the plan is refused.`,
		Example: `  lifeboat apply model/ --dry-run --database postgres://lifeboat@db.example.com/lifeboat
  lifeboat apply model/ --prune`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			m, _, err := a.loadModel(paths)
			if err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), database, dataDir, func(db *sqldb.DB) error {
				plan, err := db.ApplyModel(cmd.Context(), m, opts)
				if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
					a.writePlan(plan, format.value)
					fmt.Fprintf(a.stderr, "lifeboat: %s\n", lifeboat.ErrorMessage(err))
					return &exitError{exitFailure}
				}
				if err != nil {
					return a.modelError(err)
				}
				return a.writePlan(plan, format.value)
			})
		},
	}
	addDatabaseFlags(cmd.Flags(), &database, &dataDir)
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.Prune, "prune", false, "delete what the database has and the model does not")
	cmd.Flags().StringVar(&opts.Expect, "expect", "", "apply only if the plan's digest (printed by --dry-run) is still this")
	cmd.Flags().Var(format, "format", "output format")
	noEnv(cmd.Flags(), "dry-run", "prune", "expect")
	return cmd
}

func (a *app) writePlan(plan *lifeboat.Plan, format string) error {
	if format == "json" {
		return writeJSON(a.stdout, plan)
	}
	plan.WriteText(a.stdout)
	switch {
	case plan.Empty():
		fmt.Fprintln(a.stdout, "The database matches the model: nothing to do.")
	case !plan.Applied:
		fmt.Fprintf(a.stdout, "Nothing was changed. To apply exactly this plan: lifeboat apply ... --expect %s\n", plan.Digest)
	}
	return nil
}
