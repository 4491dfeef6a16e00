package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// server is the real program running serve in the background.
type server struct {
	url            string
	stdout, stderr *syncBuffer
	client         *http.Client // signed in after signIn
	cancel         context.CancelFunc
	done           chan error
}

// startServe runs the program with args (plus JSON logs) and waits until it
// logs the address it listens on.
func startServe(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	s := &server{stdout: &syncBuffer{}, stderr: &syncBuffer{}, client: &http.Client{}, cancel: cancel, done: make(chan error, 1)}
	args = append(args, "--log-format", "json")
	go func() { s.done <- run(ctx, args, mapEnv(env), strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if addr := listeningAddr(s.stderr.String()); addr != "" {
			s.url = "http://" + addr
			return s
		}
		select {
		case err := <-s.done:
			s.done <- err // for the cleanup
			t.Fatalf("lifeboat %s ended before listening: %v\n%s", strings.Join(args, " "), err, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("lifeboat did not log its address:\n%s", s.stderr)
	return nil
}

// listeningAddr finds the "listening" log line and returns its address.
func listeningAddr(logs string) string {
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			return line.Addr
		}
	}
	return ""
}

// stop cancels the program's context, as SIGINT does, and returns what run
// returned, failing if the shutdown takes too long.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("no shutdown within 10s:\n%s", s.stderr)
		return nil
	}
}

func (s *server) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := s.client.Get(s.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, body
}

var demoAdmin = regexp.MustCompile(`(?m)^\s+admin\s+admin\s+password: (\S+)$`)

// demoPassword is the admin password --demo printed on the console.
func (s *server) demoPassword(t *testing.T) string {
	t.Helper()
	m := demoAdmin.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no demo admin password on the console:\n%s", s.stdout)
	}
	return m[1]
}

// signIn signs in through the sign-in form; later requests carry the
// session cookie.
func (s *server) signIn(t *testing.T, user, pw string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := s.client.PostForm(s.url+"/login", url.Values{"user": {user}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, resp.StatusCode)
	}
}

func (s *server) waitHealthy(t *testing.T) {
	t.Helper()
	for range 100 {
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/healthz never answered 200:\n%s", s.stderr)
}

// TestServe starts the real program with the demo data on each database,
// uses it, stops it gracefully, and starts it again through the environment.
func TestServe(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn := withPassword(t, dbtest.URL(t, name))
			s := startServe(t, nil, "serve", "--addr", "127.0.0.1:0", "--database", dsn, "--demo")
			s.waitHealthy(t)
			if code, body := s.get(t, "/readyz"); code != http.StatusOK {
				t.Errorf("/readyz: %d %s", code, body)
			}
			if code, _ := s.get(t, "/api/v1/services"); code != http.StatusUnauthorized {
				t.Errorf("the API without signing in: %d, want 401", code)
			}
			pw := s.demoPassword(t)
			s.signIn(t, "admin", pw)
			checkDemoServices(t, s)
			if err := s.stop(t); err != nil {
				t.Fatalf("run after shutdown: %v\n%s", err, s.stderr)
			}
			logs := s.stderr.String()
			for _, want := range []string{`"msg":"demo data loaded"`, `"msg":"shutting down"`, `"msg":"server stopped"`, `"msg":"database closed"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("logs lack %s:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, "hunter2") {
				t.Errorf("logs show the database password:\n%s", logs)
			}

			// Again, configured only through the environment: the demo
			// data is not loaded twice.
			env := map[string]string{"LIFEBOAT_ADDR": "127.0.0.1:0", "LIFEBOAT_DATABASE": dsn, "LIFEBOAT_DEMO": "true"}
			s = startServe(t, env, "serve")
			s.waitHealthy(t)
			s.signIn(t, "admin", pw) // the accounts stay; only an empty database gets new ones
			checkDemoServices(t, s)
			if err := s.stop(t); err != nil {
				t.Fatalf("second run: %v\n%s", err, s.stderr)
			}
			if !strings.Contains(s.stderr.String(), `"msg":"demo data skipped`) {
				t.Errorf("second start should skip the demo data:\n%s", s.stderr)
			}
		})
	}
}

// withPassword adds a password to a PostgreSQL URL; the test server trusts
// local connections, so it only serves to check that no log shows it.
func withPassword(t *testing.T, dsn string) string {
	if !strings.HasPrefix(dsn, "postgres") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "hunter2")
	return u.String()
}

func checkDemoServices(t *testing.T, s *server) {
	t.Helper()
	code, body := s.get(t, "/api/v1/services?sort=id&limit=500")
	if code != http.StatusOK {
		t.Fatalf("/api/v1/services: %d %s", code, body)
	}
	var page struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("/api/v1/services: %v\n%s", err, body)
	}
	var got, want []string
	for _, it := range page.Items {
		got = append(got, it.ID)
	}
	m, _, err := demo.Model()
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range m.Services {
		want = append(want, svc.ID)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("/api/v1/services lists %v, want the demo services %v", got, want)
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := runLifeboat(t, nil, "serve", "--addr", ln.Addr().String(), "--database", dbtest.URL(t, "sqlite"))
	if exitCode(r.err) != exitFailure || !strings.Contains(r.stderr, "lifeboat: --addr: ") {
		t.Fatalf("want exit 1 naming --addr, got %v:\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, `msg="database closed"`) {
		t.Errorf("the database should be closed after a failed start:\n%s", r.stderr)
	}
}

// TestShutdownWaitsForRunningRequests stops the server while a request is
// running: new connections are refused, the running request completes, and
// only then does serveHTTP return.
func TestShutdownWaitsForRunningRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	addr, cancel, done := startServeHTTP(t, h, 10*time.Second)
	reply := make(chan string, 1)
	go func() { reply <- fetch("http://" + addr + "/slow") }()

	<-entered
	cancel()
	waitRefused(t, addr)
	select {
	case err := <-done:
		t.Fatalf("serveHTTP returned with a request still running: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if got := <-reply; got != "200 finished" {
		t.Errorf("the running request got %q, want 200 finished", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serveHTTP did not return after the last request finished")
	}
}

// TestShutdownCutsOffAfterTimeout checks that a request still running when
// the grace period ends sees its context cancelled and that the shutdown
// reports it.
func TestShutdownCutsOffAfterTimeout(t *testing.T) {
	entered, cancelled := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
		close(cancelled)
	})
	addr, cancel, done := startServeHTTP(t, h, 200*time.Millisecond)
	go fetch("http://" + addr + "/stuck")
	<-entered
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "cut off") {
			t.Errorf("serveHTTP: got %v, want an error about cut-off requests", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serveHTTP did not give up after the grace period")
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the stuck request's context was not cancelled")
	}
}

func startServeHTTP(t *testing.T, h http.Handler, grace time.Duration) (string, context.CancelFunc, chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	log := slog.New(slog.DiscardHandler)
	go func() { done <- serveHTTP(ctx, log, ln, "http://"+ln.Addr().String()+"/", h, grace) }()
	t.Cleanup(cancel)
	return ln.Addr().String(), cancel, done
}

// fetch returns "status body" or the error.
func fetch(u string) string {
	resp, err := http.Get(u)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err.Error()
	}
	return resp.Status[:3] + " " + string(b)
}

// waitRefused waits until addr refuses new connections.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Logf("dial after shutdown: %v", err)
			}
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the server still accepts connections after shutdown began")
}

var setupLink = regexp.MustCompile(`http://\S+/setup\?token=(\S+)`)

// TestFirstAdminSetup starts on an empty database without demo data: no
// account exists and no default password works; the one-time link printed
// on the console creates the first admin, once.
func TestFirstAdminSetup(t *testing.T) {
	s := startServe(t, nil, "serve", "--addr", "127.0.0.1:0", "--database", dbtest.URL(t, "sqlite"))
	s.waitHealthy(t)
	m := setupLink.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no setup link on the console:\n%s", s.stdout)
	}
	if strings.Contains(s.stderr.String(), m[1]) {
		t.Error("the setup token must not appear in the logs")
	}
	form := url.Values{"token": {m[1]}, "user": {"chief"}, "password": {"a long enough password"}, "confirm": {"a long enough password"}}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, want := range []int{http.StatusSeeOther, http.StatusNotFound} { // the link works once
		resp, err := noFollow.PostForm(s.url+"/setup", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("setup: %d, want %d", resp.StatusCode, want)
		}
	}
	s.signIn(t, "chief", "a long enough password")
	if code, body := s.get(t, "/api/v1/services"); code != http.StatusOK {
		t.Errorf("the first admin reads the API: %d %s", code, body)
	}
}
