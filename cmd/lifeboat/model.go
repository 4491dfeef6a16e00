package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// exitError ends the program with a code once the command has said all it
// had to on stdout and stderr; run adds nothing.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// addModelDatabaseFlags adds --database to commands that read a model
// from files or, with it, from a database.
func addModelDatabaseFlags(cmd *cobra.Command, database *string) {
	cmd.Flags().StringVar(database, "database", "", "read the model from this database instead of files: sqlite:///abs/path.db, a file path, or postgres://...")
}

// modelFrom reads the model from the files paths name or, without paths,
// from the database.
func (a *app) modelFrom(cmd *cobra.Command, paths []string, database string) (*lifeboat.Model, *model.Source, error) {
	if len(paths) > 0 {
		return a.loadModel(paths)
	}
	if database == "" {
		return nil, nil, usageErrorf("name the model files or directories to read, or a database with --database")
	}
	var m *lifeboat.Model
	err := a.withDatabase(cmd.Context(), database, "", func(db *sqldb.DB) error {
		var err error
		m, err = db.FindModel(cmd.Context())
		return err
	})
	return m, nil, err
}

// loadModel reads the model files that paths name. Load errors are written
// to stderr one per line as FILE:LINE:COL: message and end the program with
// exit code 2, as format.md says.
func (a *app) loadModel(paths []string) (*lifeboat.Model, *model.Source, error) {
	if len(paths) == 0 {
		return nil, nil, usageErrorf("name the model files or directories to read")
	}
	m, src, err := model.Load(paths...)
	var errs model.Errors
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			fmt.Fprintln(a.stderr, e.Error())
		}
		fmt.Fprintf(a.stderr, "lifeboat: the model could not be loaded: %d %s\n", len(errs), plural(len(errs), "problem", "problems"))
		return nil, nil, &exitError{exitUsage}
	case err != nil:
		return nil, nil, &usageError{err}
	}
	return m, src, nil
}

// writeFindings writes findings for people, each placed where its subject
// is defined when the model came from files.
func writeFindings(w io.Writer, findings []lifeboat.Finding, src *model.Source) {
	for _, f := range findings {
		if p, ok := src.Pos(f.Kind, f.Subject); ok {
			fmt.Fprintf(w, "%s: ", p)
		}
		fmt.Fprintf(w, "%s: %s [%s]\n", f.Severity, f.Message, f.Rule)
	}
}

// modelError writes a refused model's problems to stderr, one per line,
// and ends the program with exit code 1.
func (a *app) modelError(err error) error {
	if code := lifeboat.ErrorCode(err); code != lifeboat.EINVALID && code != lifeboat.ECONFLICT {
		return err
	}
	fmt.Fprintf(a.stderr, "lifeboat: %s\n", lifeboat.ErrorMessage(err))
	for _, f := range lifeboat.ErrorFields(err) {
		if f.Field != "" {
			fmt.Fprintf(a.stderr, "  %s: %s\n", f.Field, f.Message)
		} else {
			fmt.Fprintf(a.stderr, "  %s\n", f.Message)
		}
	}
	return &exitError{exitFailure}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
