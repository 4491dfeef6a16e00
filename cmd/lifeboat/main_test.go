package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// result is what one call of run produced.
type result struct {
	stdout, stderr string
	err            error
}

// runLifeboat calls run as main would, with env as the whole environment.
// A command that should end by itself but serves instead is stopped after
// a while, and its test fails on the result rather than hanging.
func runLifeboat(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runLifeboatStdin(t, env, "", args...)
}

// runLifeboatStdin is runLifeboat with stdin.
func runLifeboatStdin(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	err := run(ctx, args, mapEnv(env), strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), err}
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test
// can use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestVersion(t *testing.T) {
	r := runLifeboat(t, nil, "version")
	if r.err != nil || r.stdout != "lifeboat "+version+"\n" {
		t.Fatalf("version: stdout %q, err %v", r.stdout, r.err)
	}
}

func TestHelp(t *testing.T) {
	r := runLifeboat(t, nil, "--help")
	if r.err != nil || !strings.Contains(r.stdout, "serve") || !strings.Contains(r.stdout, "$LIFEBOAT_LOG_LEVEL") {
		t.Fatalf("--help: err %v, stdout:\n%s", r.err, r.stdout)
	}
}

// TestUsageErrors checks that mistakes in the command line or the
// environment exit with 2 and say what is wrong, and that failures while
// running exit with 1 and never show a password.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	serve := []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir} // should it ever start
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		msg  string
	}{
		{"no command", nil, nil, exitUsage, "no command given"},
		{"typo", []string{"sevre"}, nil, exitUsage, `unknown command "sevre"; did you mean serve?`},
		{"argument", []string{"version", "now"}, nil, exitUsage, `version takes no arguments`},
		{"unknown flag", []string{"serve", "--bogus"}, nil, exitUsage, "unknown flag: --bogus"},
		{"unsupported database", []string{"serve", "--database", "mysql://root:hunter2@db/shop"}, nil, exitUsage,
			`lifeboat: --database: database URL "mysql://root:xxxxx@db/shop": only sqlite:// and postgres:// are supported`},
		{"relative sqlite URL", []string{"migrate", "--database", "sqlite://relative.db"}, nil, exitUsage, "lifeboat: --database: "},
		{"bad LIFEBOAT_DATABASE", []string{"migrate"}, map[string]string{"LIFEBOAT_DATABASE": "mysql://db/shop"}, exitUsage,
			"lifeboat: LIFEBOAT_DATABASE: "},
		{"empty data dir", []string{"migrate", "--data-dir", ""}, nil, exitUsage, "--data-dir: must not be empty"},
		{"bad log level", append(serve, "--log-level", "loud"), nil, exitUsage, `"loud" is not one of debug, info, warn, error`},
		{"bad LIFEBOAT_LOG_FORMAT", serve, map[string]string{"LIFEBOAT_LOG_FORMAT": "xml"}, exitUsage, "LIFEBOAT_LOG_FORMAT: "},
		{"bad LIFEBOAT_DEMO", serve, map[string]string{"LIFEBOAT_DEMO": "maybe"}, exitUsage, "LIFEBOAT_DEMO: "},
		{"bad timeout", append(serve, "--shutdown-timeout", "soon"), nil, exitUsage, "--shutdown-timeout"},
		{"database down", []string{"migrate", "--database", "postgres://lifeboat:hunter2@127.0.0.1:1/db?connect_timeout=5"}, nil,
			exitFailure, "database unavailable"},
		{"database folder is a file", []string{"migrate", "--database", filepath.Join(dir, "not-a-folder", "x.db")}, nil,
			exitFailure, "not-a-folder"},
	}
	// A file where the database folder should be makes opening fail.
	if err := os.WriteFile(filepath.Join(dir, "not-a-folder"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboat(t, tt.env, tt.args...)
			if code := exitCode(r.err); code != tt.code {
				t.Errorf("exit code %d, want %d (err %v)", code, tt.code, r.err)
			}
			if !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("stderr does not say %q:\n%s", tt.msg, r.stderr)
			}
			if tt.code == exitUsage && !strings.Contains(r.stderr, "--help' for usage.") {
				t.Errorf("stderr does not point to --help:\n%s", r.stderr)
			}
			if strings.Contains(r.stderr, "hunter2") {
				t.Errorf("stderr shows the password:\n%s", r.stderr)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	for err, want := range map[error]int{
		nil:                                   exitOK,
		fmt.Errorf("disk full"):               exitFailure,
		usageErrorf("bad flag"):               exitUsage,
		fmt.Errorf("x: %w", usageErrorf("y")): exitUsage,
		context.Canceled:                      exitFailure,
	} {
		if got := exitCode(err); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"postgres://app:s3cret@db:5432/lifeboat?sslmode=require": "postgres://app:xxxxx@db:5432/lifeboat?sslmode=require",
		"postgres://app@db/lifeboat?password=s3cret":             "postgres://app@db/lifeboat?password=xxxxx",
		"postgres://db/lifeboat":                                 "postgres://db/lifeboat",
		"sqlite:///var/lib/lifeboat/lifeboat.db":                 "sqlite:///var/lib/lifeboat/lifeboat.db",
		"./data/lifeboat.db":                                     "./data/lifeboat.db",
		"postgres://app:s3cret@db:port/x":                        "(database URL hidden: it may hold a password)",
	}
	for in, want := range tests {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	envDB := filepath.Join(dir, "env.db")
	flagDB := filepath.Join(dir, "flag.db")

	t.Run("LIFEBOAT_DATABASE is used without --database", func(t *testing.T) {
		r := runLifeboat(t, map[string]string{"LIFEBOAT_DATABASE": "sqlite://" + envDB}, "migrate")
		if r.err != nil {
			t.Fatalf("migrate: %v\n%s", r.err, r.stderr)
		}
		mustExist(t, envDB)
	})
	t.Run("--database wins over LIFEBOAT_DATABASE", func(t *testing.T) {
		r := runLifeboat(t, map[string]string{"LIFEBOAT_DATABASE": "mysql://not/used"}, "migrate", "--database", flagDB)
		if r.err != nil {
			t.Fatalf("migrate: %v\n%s", r.err, r.stderr)
		}
		mustExist(t, flagDB)
	})
	t.Run("LIFEBOAT_DATA_DIR holds the default database", func(t *testing.T) {
		data := filepath.Join(dir, "data")
		r := runLifeboat(t, map[string]string{"LIFEBOAT_DATA_DIR": data}, "migrate")
		if r.err != nil {
			t.Fatalf("migrate: %v\n%s", r.err, r.stderr)
		}
		mustExist(t, filepath.Join(data, "lifeboat.db"))
	})
	t.Run("LIFEBOAT_LOG_FORMAT and LIFEBOAT_LOG_LEVEL", func(t *testing.T) {
		env := map[string]string{"LIFEBOAT_DATABASE": "sqlite://" + filepath.Join(dir, "log.db"), "LIFEBOAT_LOG_FORMAT": "json"}
		r := runLifeboat(t, env, "migrate")
		if r.err != nil || !strings.HasPrefix(r.stderr, `{"time":`) {
			t.Fatalf("want JSON logs, err %v, stderr:\n%s", r.err, r.stderr)
		}
		env["LIFEBOAT_LOG_LEVEL"] = "warn"
		r = runLifeboat(t, env, "migrate")
		if r.err != nil || r.stderr != "" {
			t.Fatalf("want no info logs at level warn, err %v, stderr:\n%s", r.err, r.stderr)
		}
		r = runLifeboat(t, env, "migrate", "--log-level", "info")
		if r.err != nil || r.stderr == "" {
			t.Fatalf("--log-level info should win over LIFEBOAT_LOG_LEVEL, err %v, stderr:\n%s", r.err, r.stderr)
		}
	})
}

func mustExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}
