package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envPrefix starts the environment variable of every flag.
const envPrefix = "LIFEBOAT_"

// envName returns the environment variable for a flag: --data-dir is
// LIFEBOAT_DATA_DIR.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// noEnvAnnotation marks flags that come from the command line only.
const noEnvAnnotation = "lifeboat-no-env"

// hasEnv reports whether a flag can be set from the environment: all but
// --help and those noEnv marks can.
func hasEnv(f *pflag.Flag) bool { return f.Name != "help" && f.Annotations[noEnvAnnotation] == nil }

// noEnv marks flags that say what one command acts on, such as --user or
// --role: they come from the command line only, so that a variable meant
// for one command cannot slip into another.
func noEnv(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		if err := fs.SetAnnotation(n, noEnvAnnotation, []string{"true"}); err != nil {
			panic(err) // a misspelt flag name: a bug
		}
	}
}

// applyEnv gives every flag of cmd that is not on the command line the value
// of its environment variable, when that is set and not empty.
func (a *app) applyEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || !hasEnv(f) {
			return
		}
		name := envName(f.Name)
		v := a.getenv(name)
		if v == "" {
			return
		}
		if e := f.Value.Set(v); e != nil {
			err = usageErrorf("%s: %v", name, e)
			return
		}
		a.fromEnv[f.Name] = true
	})
	return err
}

// source names where a flag's value came from, for error messages.
func (a *app) source(flag string) string {
	if a.fromEnv[flag] {
		return envName(flag)
	}
	return "--" + flag
}

// documentEnv adds each flag's environment variable to its help text.
func documentEnv(cmd *cobra.Command) {
	add := func(f *pflag.Flag) {
		if hasEnv(f) && !strings.Contains(f.Usage, envPrefix) {
			f.Usage += " [$" + envName(f.Name) + "]"
		}
	}
	cmd.LocalFlags().VisitAll(add)
	cmd.PersistentFlags().VisitAll(add)
	for _, c := range cmd.Commands() {
		documentEnv(c)
	}
}

// choice is a flag value limited to a few words.
type choice struct {
	value   string
	allowed []string
}

func newChoice(value string, allowed ...string) *choice {
	return &choice{value: value, allowed: allowed}
}

func (c *choice) String() string { return c.value }
func (c *choice) Type() string   { return strings.Join(c.allowed, "|") }

func (c *choice) Set(s string) error {
	if !slices.Contains(c.allowed, s) {
		return fmt.Errorf("%q is not one of %s", s, strings.Join(c.allowed, ", "))
	}
	c.value = s
	return nil
}
