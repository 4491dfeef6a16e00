package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// indexFrom loads the model that paths or --database name and indexes its
// dependency graph. A model with references to nothing cannot be indexed:
// they are listed, as check lists them.
func (a *app) indexFrom(cmd *cobra.Command, paths []string, database string) (*graph.Index, error) {
	_, x, err := a.graphFrom(cmd, paths, database)
	return x, err
}

// graphFrom is indexFrom, with the model the index is of.
func (a *app) graphFrom(cmd *cobra.Command, paths []string, database string) (*lifeboat.Model, *graph.Index, error) {
	m, src, err := a.modelFrom(cmd, paths, database)
	if err != nil {
		return nil, nil, err
	}
	var dangling []lifeboat.Finding
	for _, r := range lifeboat.DanglingReferences(m) {
		if r.TargetKind == lifeboat.ObjService {
			dangling = append(dangling, r.Finding())
		}
	}
	if len(dangling) > 0 {
		writeFindings(a.stderr, dangling, src)
		fmt.Fprintln(a.stderr, "lifeboat: the model refers to services it does not have; fix those references first")
		return nil, nil, &exitError{exitFailure}
	}
	x, err := graph.Build(m)
	return m, x, err
}

func (a *app) impactCommand() *cobra.Command {
	format := newChoice("text", "text", "json")
	var database string
	var fail []string
	cmd := &cobra.Command{
		Use:   "impact PATH... --fail ID[,ID...]",
		Short: "Show what goes down or is degraded when services fail",
		Long: `Spread the failure of the services given with --fail through the model: a hard
dependency takes its service down, a soft one (impact: degraded) degrades it, a
workaround keeps it degraded instead of down, and a redundancy group is lost
only when fewer than min_up of its members are up. Each impacted service comes
with one path of dependencies from a failed service to it, and the failed and
down services with the waves to recover them in: a service's wave is one more
than the highest wave of what it needs; a cycle shares one wave.

From the BIAs and the restore times it then tells what the scenario costs:
the loss of the failed and down services after 1h, 4h, 1d, 3d and 1w (degraded
services count none), when each becomes intolerable (its MTPD), when each can
be back if recovery starts at once and follows the waves, and which miss their
effective RTO, with the slowest chain of restores behind each.`,
		Example: `  lifeboat impact examples/ --fail dc-east
  lifeboat impact model/ --fail db-east,db-west --format json
  lifeboat impact --database postgres://lifeboat@db.example.com/lifeboat --fail payment-provider`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			if len(fail) == 0 {
				return usageErrorf("--fail: name the services that fail")
			}
			m, x, err := a.graphFrom(cmd, paths, database)
			if err != nil {
				return err
			}
			nodes, err := x.LookupAll(fail)
			if err != nil {
				return usageErrorf("--fail: %v", err)
			}
			r := graph.NewSimulator(x, m).Scenario(nodes).Report()
			if format.value == "json" {
				return writeJSON(a.stdout, r)
			}
			writeImpact(a.stdout, r)
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&fail, "fail", nil, "the services that fail, separated by commas")
	cmd.Flags().Var(format, "format", "output format")
	addModelDatabaseFlags(cmd, &database)
	noEnv(cmd.Flags(), "fail")
	return cmd
}

func writeImpact(w io.Writer, r *graph.ImpactReport) {
	fmt.Fprintf(w, "If %s %s: %d down, %d degraded.\n", strings.Join(r.Failed, ", "), plural(len(r.Failed), "fails", "fail"), r.Down, r.Degraded)
	for _, h := range r.Impacted {
		fmt.Fprintf(w, "  %-8s %s  (%s)\n", h.State, h.ID, strings.Join(h.Via, " → "))
	}
	if len(r.RecoveryWaves) > 0 {
		fmt.Fprintln(w, "Recover in this order:")
		writeWaves(w, r.RecoveryWaves)
	}
	if r.ScenarioReport != nil {
		writeScenario(w, r)
	}
}

func writeWaves(w io.Writer, waves [][]string) {
	for i, wave := range waves {
		fmt.Fprintf(w, "  wave %d: %s\n", i+1, strings.Join(wave, ", "))
	}
}

func (a *app) orderCommand() *cobra.Command {
	format := newChoice("text", "text", "json")
	var database string
	cmd := &cobra.Command{
		Use:   "order PATH...",
		Short: "Show the recovery order of the whole model",
		Long: `Order every service for recovery after a total loss: in waves, each service
after everything it depends on; the members of a dependency cycle share one
wave, and the cycles are listed.`,
		Example: `  lifeboat order examples/
  lifeboat order --database postgres://lifeboat@db.example.com/lifeboat --format json`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			x, err := a.indexFrom(cmd, paths, database)
			if err != nil {
				return err
			}
			r := x.Order().Report(x)
			if format.value == "json" {
				return writeJSON(a.stdout, r)
			}
			writeWaves(a.stdout, r.Waves)
			for _, c := range r.Cycles {
				fmt.Fprintf(a.stdout, "cycle: %s\n", strings.Join(c, ", "))
			}
			return nil
		},
	}
	cmd.Flags().Var(format, "format", "output format")
	addModelDatabaseFlags(cmd, &database)
	return cmd
}

func (a *app) objectivesCommand() *cobra.Command {
	format := newChoice("text", "text", "json")
	var database string
	cmd := &cobra.Command{
		Use:   "objectives PATH...",
		Short: "Show the effective recovery objectives of every service",
		Long: `Show every service's effective RTO and RPO and where each comes from: declared
in its objectives, derived from its BIA (the MTPD less the work recovery time),
or inherited: the strictest requirement of the services that need it through
hard dependencies. The achievable time is the earliest the service can be
back: its own restore time after its slowest hard dependency.`,
		Example: `  lifeboat objectives examples/
  lifeboat objectives model/ --format json | jq '.services[] | select(.source == "inherited")'`,
		RunE: func(cmd *cobra.Command, paths []string) error {
			x, err := a.indexFrom(cmd, paths, database)
			if err != nil {
				return err
			}
			r := x.Objectives().Report()
			if format.value == "json" {
				return writeJSON(a.stdout, r)
			}
			writeObjectives(a.stdout, r)
			return nil
		},
	}
	cmd.Flags().Var(format, "format", "output format")
	addModelDatabaseFlags(cmd, &database)
	return cmd
}

func writeObjectives(w io.Writer, r *graph.ObjectivesReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tTIER\tMTPD\tRTO\tRPO\tACHIEVABLE")
	for _, s := range r.Services {
		tier := "-"
		if s.Tier != nil {
			tier = fmt.Sprint(*s.Tier)
			if s.TierSource != graph.SourceDeclared.String() {
				tier += " (" + s.TierSource + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, tier, duration(s.MTPD, "", ""),
			duration(s.RTO, s.Source, s.RTOFrom), duration(s.RPO, s.RPOSource, s.RPOFrom), lifeboat.Duration(s.Achievable))
	}
	tw.Flush()
}

// duration writes an objective with where it comes from.
func duration(s *uint32, source, from string) string {
	if s == nil {
		return "-"
	}
	d := lifeboat.Duration(*s).String()
	switch source {
	case graph.SourceInherited.String():
		return d + " (from " + from + ")"
	case graph.SourceBIA.String():
		return d + " (bia)"
	}
	return d
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
