package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/model"
)

func (a *app) checkCommand() *cobra.Command {
	format := newChoice("text", "text", "json")
	var database string
	cmd := &cobra.Command{
		Use:   "check PATH... | check --database URL",
		Short: "Validate a model and run the analysis rules",
		Long: `Load a model from YAML files and directories (every *.yaml and *.yml below a
directory, in lexical order), or from a database with --database, and run the
analysis rules over it. Each finding names its rule, its severity and the
object it is about; in text, findings of files start with FILE:LINE:COL.
Rules about dates, such as a BIA due for review, run as of now.

Exit codes: 0 when no finding is an error, 1 when at least one is, 2 when the
files could not be loaded (each problem on stderr as FILE:LINE:COL: message).`,
		Example: `  lifeboat check examples/
  lifeboat check --format json model/ > findings.json
  lifeboat check --database postgres://lifeboat@db.example.com/lifeboat`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			m, src, err := a.modelFrom(cmd, paths, database)
			if err != nil {
				return err
			}
			return a.check(m, src, format.value)
		},
	}
	cmd.Flags().Var(format, "format", "output format")
	addModelDatabaseFlags(cmd, &database)
	return cmd
}

func (a *app) check(m *lifeboat.Model, src *model.Source, format string) error {
	// Reviews fall due with time: the check is as of the moment it runs.
	report := lifeboat.NewCheckReport(graph.Analyse(m, time.Now().UTC()))
	counts := report.Counts
	if format == "json" {
		if err := writeJSON(a.stdout, report); err != nil {
			return err
		}
	} else {
		writeFindings(a.stdout, report.Findings, src)
		fmt.Fprintf(a.stdout, "Checked %s: %d %s, %d %s, %d info.\n", m.Counts(),
			counts.Error, plural(counts.Error, "error", "errors"), counts.Warning, plural(counts.Warning, "warning", "warnings"), counts.Info)
	}
	if counts.Error > 0 {
		return &exitError{exitFailure}
	}
	return nil
}
