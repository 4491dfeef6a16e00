package main

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat/convert"
	"github.com/lifeboat-itscm/lifeboat/model"
)

func (a *app) convertCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "convert",
		Short: "Make a model from a Backstage catalog, Kubernetes manifests or a CMDB export",
		Long: `Bootstrap a continuity model from what you already have. Each converter
writes one model file of format v1 on stdout, for you to review, complete
(objectives, BIAs, risks) and keep in git; warnings go to stderr as
"warning: FILE:LINE: message".

A reference to something the input does not hold is left out with a warning,
so the output always loads: lifeboat check finds no unknown reference in it.
See docs/convert.md for the mapping rules.

Exit codes: 0 when converted, warnings or not; 2 when an input cannot be read
or is not YAML or CSV (the message names the file and, where it can, the line).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.stderr.Write([]byte(cmd.UsageString()))
			return usageErrorf("convert needs a command: backstage, kubernetes or csv")
		},
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.AddCommand(a.convertBackstageCommand(), a.convertKubernetesCommand(), a.convertCSVCommand())
	return cmd
}

func (a *app) convertBackstageCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backstage DIR|FILE...",
		Short: "Convert Backstage catalog-info files",
		Long: `Read Backstage catalog files (any number of entities per file; a directory
is read recursively, every *.yaml and *.yml) and write them as a model.

Components, resources and systems become services: a system is a business
service, a database resource a data store, other resources infrastructure or
data stores by their type. Groups become teams and users people. dependsOn
gives dependencies; consumesApis a dependency on the components that provide
the API; spec.system and subcomponentOf make the system or the parent depend
on its parts. A group that is referred to but absent gets a team of its own.`,
		Example: `  lifeboat convert backstage catalog/ > model/services.yaml
  lifeboat convert backstage catalog-info.yaml team-*.yaml 2> warnings.txt`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			return a.convertYAML(paths, "Backstage catalog", convert.Backstage)
		},
	}
}

func (a *app) convertKubernetesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "kubernetes DIR|FILE...",
		Short: "Convert Kubernetes manifests: workloads and who calls whom",
		Long: `Read Kubernetes manifests (a directory is read recursively, every *.yaml and
*.yml; kubectl's List output works too) and write the workloads as a model.

Each Deployment, StatefulSet and DaemonSet becomes a service; one that runs a
well-known database, cache or queue image (redis, postgres, kafka...) is a
data store. A workload depends on another when its containers' environment
names a Service in front of the other (host, host:port, a URL, a cluster DNS
name, also through ConfigMaps), and when a NetworkPolicy lets it call the
other. When the workloads are in more than one namespace, ids are
NAMESPACE.NAME.`,
		Example: `  lifeboat convert kubernetes k8s/ > model/services.yaml
  kubectl get deploy,sts,ds,svc,netpol,cm -A -o yaml > cluster.yaml
  lifeboat convert kubernetes cluster.yaml`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			return a.convertYAML(paths, "Kubernetes manifest", convert.Kubernetes)
		},
	}
}

// convertYAML runs a converter of YAML files and writes its result.
func (a *app) convertYAML(paths []string, what string, conv func([]convert.Input) (*convert.Result, error)) error {
	if len(paths) == 0 {
		return usageErrorf("name the %s files or directories to convert", what)
	}
	in, err := convert.ReadFiles(paths...)
	if err != nil {
		return a.inputError(err)
	}
	if len(in) == 0 {
		return a.inputError(fmt.Errorf("no %s files (*.yaml, *.yml) in %s", what, strings.Join(paths, ", ")))
	}
	r, err := conv(in)
	if err != nil {
		return a.inputError(err)
	}
	return a.writeConversion(r)
}

// inputError reports an input that cannot be converted: exit code 2.
func (a *app) inputError(err error) error {
	fmt.Fprintf(a.stderr, "lifeboat: %v\n", err)
	return &exitError{exitUsage}
}

// writeConversion writes the warnings to stderr and the model to stdout.
func (a *app) writeConversion(r *convert.Result) error {
	for _, w := range r.Warnings {
		fmt.Fprintf(a.stderr, "warning: %s\n", w)
	}
	if err := model.Encode(a.stdout, r.Model); err != nil {
		return err
	}
	c := r.Model.Counts()
	fmt.Fprintf(a.stderr, "lifeboat: converted %d %s with %d %s, %d %s and %d %s; %d %s\n",
		c.Services, plural(c.Services, "service", "services"), c.Dependencies, plural(c.Dependencies, "dependency", "dependencies"),
		c.Teams, plural(c.Teams, "team", "teams"), c.People, plural(c.People, "person", "people"),
		len(r.Warnings), plural(len(r.Warnings), "warning", "warnings"))
	return nil
}

const convertCSVHelp = `Read a CMDB export as CSV, with a header line naming the columns, and write
each row as a service and each owner as a team.

Columns are found by name, whatever their case, spaces or dashes; the flags
below name other columns. A kind cell takes the kinds of Lifeboat or common
CMDB classes: Database is a data store, Server infrastructure, Business
Service a business service, and so on. A tier cell takes 1, T1 or Tier 1.
depends_on and tags cells hold lists, split by --separator. Rows with
problems give a warning with their row number, as a spreadsheet counts them
(the header is row 1).`

func (a *app) convertCSVCommand() *cobra.Command {
	cols := []struct{ flag, def, what string }{
		{"id", "id", "ids (without one, ids are made from the names)"},
		{"name", "name", "names"}, {"kind", "kind", "kinds or CMDB classes"}, {"owner", "owner", "owning teams"},
		{"tier", "tier", "recovery tiers"}, {"depends-on", "depends_on", "dependencies, by id or name"},
		{"description", "description", "descriptions"}, {"tags", "tags", "tags"},
	}
	values := map[string]*string{}
	var separator, delimiter string
	cmd := &cobra.Command{
		Use:   "csv FILE",
		Short: "Convert a CMDB export (CSV)",
		Long:  convertCSVHelp,
		Example: `  lifeboat convert csv cmdb.csv > model/services.yaml
  lifeboat convert csv --name "CI Name" --kind Class --owner "Support Group" \
    --depends-on "Depends On" --delimiter ';' --separator '|' export.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("name one CSV file to convert, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := csvOptions(cmd, values, separator, delimiter)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return a.inputError(err)
			}
			r, err := convert.CSV(convert.Input{Name: args[0], Data: data}, opts)
			if err != nil {
				return a.inputError(err)
			}
			return a.writeConversion(r)
		},
	}
	for _, c := range cols {
		values[c.flag] = cmd.Flags().String(c.flag, c.def, "the column of the "+c.what)
	}
	cmd.Flags().StringVar(&separator, "separator", ";", "what separates the items of the depends_on and tags cells")
	cmd.Flags().StringVar(&delimiter, "delimiter", ",", `what separates the cells of a line: one character, or "tab"`)
	noEnv(cmd.Flags(), "id", "name", "kind", "owner", "tier", "depends-on", "description", "tags", "separator", "delimiter")
	return cmd
}

// csvOptions reads the flags of convert csv. A column flag counts only when
// given, so that the default columns may be missing from the file.
func csvOptions(cmd *cobra.Command, values map[string]*string, separator, delimiter string) (convert.CSVOptions, error) {
	col := func(flag string) string {
		if cmd.Flags().Changed(flag) {
			return *values[flag]
		}
		return ""
	}
	opts := convert.CSVOptions{ID: col("id"), Name: col("name"), Kind: col("kind"), Owner: col("owner"), Tier: col("tier"),
		DependsOn: col("depends-on"), Description: col("description"), Tags: col("tags"), Separator: separator}
	for flag, v := range map[string]string{"id": opts.ID, "name": opts.Name, "kind": opts.Kind, "owner": opts.Owner, "tier": opts.Tier,
		"depends-on": opts.DependsOn, "description": opts.Description, "tags": opts.Tags} {
		if cmd.Flags().Changed(flag) && strings.TrimSpace(v) == "" {
			return opts, usageErrorf("--%s: name a column", flag)
		}
	}
	if separator == "" {
		return opts, usageErrorf("--separator: must not be empty")
	}
	d, err := csvDelimiter(delimiter)
	opts.Delimiter = d
	return opts, err
}

// csvDelimiter reads --delimiter: one character that can separate cells.
func csvDelimiter(s string) (rune, error) {
	switch s {
	case "tab", `\t`:
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || size != len(s) || r == utf8.RuneError || strings.ContainsRune("\"\r\n", r) {
		return 0, usageErrorf(`--delimiter: %q is not one character that can separate cells, such as "," ";" or "tab"`, s)
	}
	return r, nil
}
