package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// app holds what every command shares: where settings come from and where
// output goes. One app lives for one call of run.
type app struct {
	getenv         func(string) string
	stdin          io.Reader // only read when a command is asked to, such as --password-stdin
	stdout, stderr io.Writer
	logLevel       *choice
	logFormat      *choice
	// fromEnv names the flags whose value came from the environment, so
	// that errors can point at the right place.
	fromEnv map[string]bool
}

func newApp(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{
		getenv:    getenv,
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		logLevel:  newChoice("info", "debug", "info", "warn", "error"),
		logFormat: newChoice("text", "text", "json"),
		fromEnv:   map[string]bool{},
	}
}

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lifeboat",
		Short: "IT service continuity management",
		Long: `Lifeboat keeps critical IT services running through disasters, or restores them
within the time the business can bear: a catalog of services and their
dependencies, business impact analysis, recovery objectives, plans and exercises.

Settings can also be given as environment variables: --data-dir is
LIFEBOAT_DATA_DIR, and so on; --help shows each flag's. A flag on the command
line wins.`,
		Args: noArgs,
		RunE: a.runRoot,
		// Cobra runs only the nearest PersistentPreRunE: subcommands must not
		// set their own, or the environment would be ignored for them.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.applyEnv(cmd) },
		SilenceErrors:     true, // run prints the error once, in its own format
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	pf := root.PersistentFlags()
	pf.Var(a.logLevel, "log-level", "least severe log messages to write")
	pf.Var(a.logFormat, "log-format", "log format on stderr")
	root.AddCommand(a.serveCommand(), a.migrateCommand(), a.checkCommand(), a.impactCommand(), a.orderCommand(), a.objectivesCommand(), a.importCommand(), a.exportCommand(), a.applyCommand(),
		a.convertCommand(), a.userCommand(), a.tokenCommand(), a.auditCommand(), a.versionCommand())
	documentEnv(root)
	return root
}

// runRoot handles "lifeboat" without a command.
func (a *app) runRoot(cmd *cobra.Command, _ []string) error {
	io.WriteString(a.stderr, cmd.UsageString())
	return usageErrorf("no command given")
}

// noArgs refuses positional arguments, suggesting a command for a typo.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		msg := "unknown command " + `"` + args[0] + `"`
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usageErrorf("%s", msg)
	}
	return usageErrorf("%s takes no arguments, got %q", cmd.Name(), args[0])
}

// logger returns the logger the flags ask for, writing to stderr.
func (a *app) logger() *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(a.logLevel.value)) // choice only holds valid levels
	opts := &slog.HandlerOptions{Level: level}
	if a.logFormat.value == "json" {
		return slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(a.stderr, opts))
}
