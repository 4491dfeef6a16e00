package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// defaultDatabaseFile is the SQLite file in the data folder used when no
// database is given.
const defaultDatabaseFile = "lifeboat.db"

// databaseURL returns the database to open: the --database value when given,
// else the SQLite file in the data folder. Errors name the flag or
// environment variable at fault and never show a password.
func (a *app) databaseURL(database, dataDir string) (string, error) {
	if database == "" {
		if dataDir == "" {
			return "", usageErrorf("%s: must not be empty", a.source("data-dir"))
		}
		abs, err := filepath.Abs(filepath.Join(dataDir, defaultDatabaseFile))
		if err != nil {
			return "", usageErrorf("%s: %v", a.source("data-dir"), err)
		}
		u := url.URL{Scheme: "sqlite", Path: filepath.ToSlash(abs)}
		return u.String(), nil
	}
	if _, _, err := sqldb.ParseURL(database); err != nil {
		return "", a.databaseError(database, err)
	}
	return database, nil
}

// databaseError words an error about the database the user named: a usage
// error when the URL is malformed, a runtime failure otherwise.
func (a *app) databaseError(database string, err error) error {
	msg := strings.ReplaceAll(err.Error(), database, redactURL(database))
	if lifeboat.ErrorCode(err) == lifeboat.EINVALID {
		return usageErrorf("%s: %s", a.source("database"), msg)
	}
	return fmt.Errorf("database %s: %s", redactURL(database), msg)
}

// redactURL hides the password of a database URL, in the user part or in a
// password parameter, so that the URL can be logged.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") || strings.Contains(s, "password") {
			return "(database URL hidden: it may hold a password)"
		}
		return s
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// withDatabase opens and migrates the database that database and dataDir
// name, runs fn on it and closes it. Commands that change accounts use it,
// as migrate does, so that they work on a new database too.
func (a *app) withDatabase(ctx context.Context, database, dataDir string, fn func(*sqldb.DB) error) error {
	dsn, err := a.databaseURL(database, dataDir)
	if err != nil {
		return err
	}
	db, err := a.openDatabase(ctx, dsn, a.logger())
	if err != nil {
		return err
	}
	err = fn(db)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	return commandError(err)
}

// commandError makes invalid input a usage error, which exits with 2;
// everything else, such as an unknown user, is a failure.
func commandError(err error) error {
	if lifeboat.ErrorCode(err) == lifeboat.EINVALID && !isUsageError(err) {
		return &usageError{err}
	}
	return err
}
