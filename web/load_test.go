package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestLoad measures the API under a steady load from hey, a separate
// process, on loopback: the targets of the catalog and of the impact
// question at 100,000 services. It
// runs only with LIFEBOAT_LOADTEST=1 (make loadtest) and fails when a p99
// misses its target.
func TestLoad(t *testing.T) {
	if os.Getenv("LIFEBOAT_LOADTEST") == "" {
		t.Skip("set LIFEBOAT_LOADTEST=1 to run the load test (make loadtest)")
	}
	if _, err := exec.LookPath("hey"); err != nil {
		t.Fatal("the load test needs hey: apt-get install hey")
	}
	duration := envDuration("LIFEBOAT_LOADTEST_DURATION", 20*time.Second)
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			base, typical, deepCursor, token := loadServer(t, name)
			cases := []struct {
				what   string
				path   string
				body   string // POSTed as JSON when set
				rate   int    // requests per second
				target time.Duration
			}{
				{"one service with its dependencies", "/api/v1/services/" + typical, "", 2000, 5 * time.Millisecond},
				{"50-row catalog page, filtered", "/api/v1/services?kind=application&limit=50", "", 1000, 20 * time.Millisecond},
				{"50-row catalog page, filtered, 1,000 deep", "/api/v1/services?kind=application&limit=50&cursor=" + url.QueryEscape(deepCursor), "", 1000, 20 * time.Millisecond},
				{"impact of a typical failure", "/api/v1/impact", `{"fail": ["` + typical + `"]}`, 200, 10 * time.Millisecond},
			}
			for _, c := range cases {
				r := runHey(t, base+c.path, c.body, token, c.rate, duration)
				t.Logf("LOAD %s | %s | %d req/s offered | %.0f req/s served | p50 %.2f ms | p99 %.2f ms | target p99 %v | errors %d",
					name, c.what, c.rate, r.rps, ms(r.p50), ms(r.p99), c.target, r.errors)
				if r.errors > 0 {
					t.Errorf("%s: %d requests failed", c.what, r.errors)
				}
				if r.p99 > c.target {
					t.Errorf("%s: p99 %v above the target %v", c.what, r.p99, c.target)
				}
			}
		})
	}
}

// loadServer seeds a database with 100,000 services and serves it on
// loopback; it returns the base URL, a typical service id and the cursor of
// a catalog page 1,000 rows deep, and an API token to send: requests go
// through authentication like any other.
func loadServer(t *testing.T, name string) (base, typical, cursor, token string) {
	ctx := context.Background()
	db := dbtest.Open(t, name)
	start := time.Now()
	for _, team := range gen.Teams(200) {
		if err := db.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
	}
	services := gen.Catalog(1, 100_000, 200, gen.Layered)
	if err := db.CreateServices(ctx, services); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded 100,000 services into %s in %v", name, time.Since(start).Round(time.Millisecond))
	for _, s := range services {
		if s.Kind == lifeboat.KindApplication && len(s.DependsOn) >= 5 {
			typical = s.ID
			break
		}
	}
	f := lifeboat.ServiceFilter{Kind: lifeboat.KindApplication, Limit: 1000}
	page, err := db.FindServices(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	srv := authServer(t, db)
	if _, err := srv.graph.Index(ctx); err != nil { // built before the load, as serve does at start
		t.Fatal(err)
	}
	tok, _ := adminTokens.Load(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String(), typical, page.Next, tok.(string)
}

type heyResult struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

var (
	heyRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	heyP50     = regexp.MustCompile(`50%+ in ([0-9.]+) secs`)
	heyP99     = regexp.MustCompile(`99%+ in ([0-9.]+) secs`)
	heyStatus  = regexp.MustCompile(`\[(\d{3})\]\s+(\d+) responses`)
	heyErrorsB = regexp.MustCompile(`Error distribution:`)
)

// runHey offers rate requests per second for the duration from 10 workers
// and reads the latency distribution hey reports. hey paces each worker by
// its own ticker, and the tickers start together, so requests arrive in
// bursts as large as the number of workers: 10 keeps the bursts near what
// many independent clients would send.
func runHey(t *testing.T, target, body, token string, rate int, d time.Duration) heyResult {
	const workers = 10
	args := []string{"-z", d.String(), "-c", strconv.Itoa(workers), "-q", strconv.Itoa(rate / workers), "-H", "Authorization: Bearer " + token}
	if body != "" {
		args = append(args, "-m", "POST", "-T", "application/json", "-d", body)
	}
	out, err := exec.Command("hey", append(args, target)...).CombinedOutput()
	if err != nil {
		t.Fatalf("hey: %v\n%s", err, out)
	}
	var r heyResult
	num := func(re *regexp.Regexp) float64 {
		m := re.FindSubmatch(out)
		if m == nil {
			t.Fatalf("hey output lacks %s:\n%s", re, out)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}
	r.rps = num(heyRPS)
	r.p50 = time.Duration(num(heyP50) * float64(time.Second))
	r.p99 = time.Duration(num(heyP99) * float64(time.Second))
	for _, m := range heyStatus.FindAllSubmatch(out, -1) {
		if string(m[1]) != "200" {
			n, _ := strconv.Atoi(string(m[2]))
			r.errors += n
		}
	}
	if heyErrorsB.Match(out) {
		r.errors++
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}
