package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

func (a *app) importCommand() *cobra.Command {
	var database, dataDir string
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Add a model from YAML files to the database",
		Long: `Load a model from YAML files and directories and add all of it to the database
in one transaction: every service, team, person, BIA and risk must be new, and
every reference must resolve in the files or the database. Nothing is written
when anything is wrong. To change what the database has already, use apply.

The audit trail records the import as one entry with the counts and the
SHA-256 of each file. Exit 2 when the files cannot be loaded, 1 when the
database refuses the model.`,
		Example: `  lifeboat import examples/ --database sqlite:///var/lib/lifeboat/lifeboat.db
  lifeboat import model/ --database postgres://lifeboat@db.example.com/lifeboat`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			m, src, err := a.loadModel(paths)
			if err != nil {
				return err
			}
			return a.withDatabase(cmd.Context(), database, dataDir, func(db *sqldb.DB) error {
				start := time.Now()
				counts, err := db.ImportModel(cmd.Context(), m, lifeboat.ImportSource{Files: src.Files})
				if err != nil {
					return a.modelError(err)
				}
				fmt.Fprintf(a.stdout, "Imported %s in %s.\n", counts, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	addDatabaseFlags(cmd.Flags(), &database, &dataDir)
	return cmd
}

func (a *app) exportCommand() *cobra.Command {
	var database, dataDir, out string
	cmd := &cobra.Command{
		Use:   "export --out DIR",
		Short: "Write the database's model as YAML files",
		Long: `Write the whole model of the database as YAML files of format v1 into DIR:
people.yaml, teams.yaml, impact-scale.yaml, bia.yaml, risks.yaml and
services/<kind>.yaml, every list sorted by id, durations in canonical form, so
that the files diff well in review. Files of that layout that would be empty
are removed; other files in DIR are left alone. With --out - the model is
written to stdout as one document.

Import, export, import into a new database and export again gives identical
files.`,
		Example: `  lifeboat export --database postgres://lifeboat@db.example.com/lifeboat --out model/
  lifeboat export --out - | less`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageErrorf("--out: name the folder to write to, or - for stdout")
			}
			return a.withDatabase(cmd.Context(), database, dataDir, func(db *sqldb.DB) error {
				m, err := db.FindModel(cmd.Context())
				if err != nil {
					return err
				}
				if out == "-" {
					return model.Encode(a.stdout, m)
				}
				files, err := model.Write(out, m)
				if err != nil {
					return fmt.Errorf("export: %w", err)
				}
				fmt.Fprintf(a.stdout, "Exported %s to %d %s in %s.\n", m.Counts(), len(files), plural(len(files), "file", "files"), filepath.Clean(out))
				return nil
			})
		},
	}
	addDatabaseFlags(cmd.Flags(), &database, &dataDir)
	cmd.Flags().StringVar(&out, "out", "", "folder to write the model files into, or - for stdout")
	noEnv(cmd.Flags(), "out")
	return cmd
}
