// Command lifeboat is Lifeboat in one binary: the web server with the UI and
// the REST API, and the command line that works on the same database.
//
// Settings can also be given as LIFEBOAT_* environment variables; a flag
// given on the command line wins over the environment. Flags that say what
// a user or token command acts on come from the command line only.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts a graceful shutdown; restoring the default
	// handling lets a second one end the program at once.
	context.AfterFunc(ctx, stop)
	os.Exit(exitCode(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)))
}

// run is the whole program: it parses args, takes settings from getenv
// where no flag is given, reads passwords from stdin when asked to, and
// writes results to stdout and logs and errors to stderr. It returns when
// the command is done or, for serve, when ctx is cancelled and the server
// has shut down.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := newApp(getenv, stdin, stdout, stderr)
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	var quiet *exitError
	if err != nil && !errors.As(err, &quiet) {
		fmt.Fprintf(stderr, "lifeboat: %v\n", err)
		if isUsageError(err) {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return err
}

// Exit codes.
const (
	exitOK      = 0 // the command did what was asked
	exitFailure = 1 // something went wrong while running
	exitUsage   = 2 // the command line or the environment is wrong
)

// exitCode maps the error run returns to the process exit code.
func exitCode(err error) int {
	var e *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &e):
		return e.code
	case isUsageError(err):
		return exitUsage
	}
	return exitFailure
}

// usageError marks an error in the command line or the LIFEBOAT_* settings,
// as opposed to a failure while running.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func isUsageError(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}
