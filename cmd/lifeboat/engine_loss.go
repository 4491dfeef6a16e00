package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
)

// writeScenario writes what `lifeboat impact` tells beyond the impact:
// the loss at each horizon, for the scenario and each service with a BIA,
// how recovery goes and which services miss their RTO.
func writeScenario(w io.Writer, r *graph.ImpactReport) {
	sr := r.ScenarioReport
	type row struct {
		id string
		o  graph.Outlook
	}
	var rows []row
	add := func(id string, o graph.Outlook) {
		if o.LossAt != nil || o.MTPD != nil {
			rows = append(rows, row{id, o})
		}
	}
	for _, f := range sr.FailedServices {
		add(f.ID, f.Outlook)
	}
	for _, h := range r.Impacted {
		add(h.ID, h.Outlook)
	}
	fmt.Fprintf(w, "Loss while down, in %s (%d %s with loss figures; degraded services count none):\n",
		sr.Loss.Currency, sr.Loss.Services, plural(sr.Loss.Services, "service", "services"))
	// The figures align right; names padded to one width stay at the left.
	// Services with neither a loss nor an MTPD have no row.
	width := len("total")
	for _, rw := range rows {
		width = max(width, len(rw.id))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  %*s\t", width, "")
	for _, h := range graph.Horizons {
		fmt.Fprintf(tw, "%s\t", h)
	}
	fmt.Fprintln(tw)
	writeLossRow(tw, width, "total", sr.Loss.At, "")
	for _, rw := range rows {
		at, mtpd := graph.LossAt{}, ""
		if rw.o.LossAt != nil {
			at = *rw.o.LossAt
		}
		if rw.o.MTPD != nil {
			mtpd = "intolerable after " + lifeboat.Duration(*rw.o.MTPD).String()
		}
		writeLossRow(tw, width, rw.id, at, mtpd)
	}
	tw.Flush()
	writeRecovery(w, r)
}

func writeLossRow(w io.Writer, width int, name string, at graph.LossAt, note string) {
	fmt.Fprintf(w, "  %-*s\t", width, name)
	for _, a := range at.Amounts() {
		fmt.Fprintf(w, "%s\t", a.Grouped())
	}
	if note != "" { // after the last tab: written as it is, not aligned
		fmt.Fprintf(w, "  %s", note)
	}
	fmt.Fprintln(w)
}

// writeRecovery says how recovery along the waves goes and lists the
// services that miss their RTO, each with the chain that makes it late.
func writeRecovery(w io.Writer, r *graph.ImpactReport) {
	rec := r.ScenarioReport.Recovery
	fmt.Fprintf(w, "Recovery along the waves: %d of %d failed or down services estimated", rec.Estimated, rec.Estimated+rec.Unknown)
	if rec.Latest != nil {
		fmt.Fprintf(w, ", the last back after %s", lifeboat.Duration(*rec.Latest))
	}
	fmt.Fprintln(w, ".")
	if rec.Unknown > 0 {
		fmt.Fprintf(w, "  %d without an estimate: the model has no restore time for %s.\n", rec.Unknown, lifeboat.QuoteList(rec.WithoutRestoreTime, 20))
	}
	if rec.MissRTO == 0 {
		if rec.Estimated > 0 {
			fmt.Fprintln(w, "Every estimate is within its RTO.")
		}
		return
	}
	fmt.Fprintf(w, "Miss their RTO (%d):\n", rec.MissRTO)
	for _, m := range r.RTOMisses {
		unknown := ""
		if m.AtLeast {
			unknown = " and later by restore times the model lacks"
		}
		fmt.Fprintf(w, "  %s  back after %s at the earliest%s, RTO %s  (%s)\n", m.ID, lifeboat.Duration(m.Estimate),
			unknown, lifeboat.Duration(m.RTO), strings.Join(m.Chain, " → "))
	}
}
