package graph

import "testing"

// BenchmarkFindings runs every graph rule over the catalog, single points
// of failure included, which ask one impact question per service.
func BenchmarkFindings(b *testing.B) {
	g := benchIndex(b, "layered")
	var n int
	for b.Loop() {
		n = len(g.x.Findings())
	}
	b.ReportMetric(float64(n), "findings")
}
