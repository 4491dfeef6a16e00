package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/demo"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/web"
)

// serveConfig is what serve's flags set.
type serveConfig struct {
	addr     string
	database string
	dataDir  string
	demo     bool
	// grace is how long running requests may take to finish on shutdown.
	grace time.Duration
	// tlsCert and tlsKey serve HTTPS directly.
	tlsCert, tlsKey string
	// trustedProxies may name the client in X-Forwarded-For and HTTPS in
	// X-Forwarded-Proto.
	trustedProxies []string
	// oidc sets up single sign-on when oidc.issuer is set.
	oidc oidcFlags
}

// oidcFlags are the single sign-on flags as given.
type oidcFlags struct {
	issuer, clientID, clientSecret, redirectURL string
	roleClaim, roleMap, defaultRole             string
}

func (a *app) serveCommand() *cobra.Command {
	var c serveConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web server: UI, REST API and health checks",
		Long: `Run the web server: the web UI, the REST API under /api/v1 and the health
checks /healthz (the process is up) and /readyz (the database answers).

It opens the database, applies missing migrations and listens until it gets
SIGINT or SIGTERM; then it stops taking connections, lets running requests
finish within --shutdown-timeout and closes the database.`,
		Example: `  lifeboat serve --demo
  lifeboat serve --addr :9000 --database postgres://lifeboat@db.example.com/lifeboat`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dsn, err := a.databaseURL(c.database, c.dataDir)
			if err != nil {
				return err
			}
			return a.serve(cmd.Context(), c, dsn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.addr, "addr", ":8080", "address to listen on, host:port; port 0 picks a free one")
	addDatabaseFlags(f, &c.database, &c.dataDir)
	f.BoolVar(&c.demo, "demo", false, "load a sample organisation when the database has no services yet")
	f.DurationVar(&c.grace, "shutdown-timeout", 30*time.Second, "how long running requests may take to finish on shutdown")
	f.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate chain file: serve HTTPS directly (with --tls-key)")
	f.StringVar(&c.tlsKey, "tls-key", "", "PEM private key file for --tls-cert")
	f.StringSliceVar(&c.trustedProxies, "trusted-proxy", nil, "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated")
	f.StringVar(&c.oidc.issuer, "oidc-issuer", "", "OpenID Connect issuer URL: turns on single sign-on")
	f.StringVar(&c.oidc.clientID, "oidc-client-id", "", "client id registered with the OpenID Connect provider")
	f.StringVar(&c.oidc.clientSecret, "oidc-client-secret", "", "client secret for the OpenID Connect provider; better in the environment than on the command line")
	f.StringVar(&c.oidc.redirectURL, "oidc-redirect-url", "", "this server's callback as browsers reach it, such as https://lifeboat.example.com/login/oidc/callback")
	f.StringVar(&c.oidc.roleClaim, "oidc-role-claim", "groups", "ID token claim whose values --oidc-role-map maps to roles")
	f.StringVar(&c.oidc.roleMap, "oidc-role-map", "", "claim values and their roles, such as \"lifeboat-admins=admin,it-staff=viewer\"; the most powerful match wins")
	f.StringVar(&c.oidc.defaultRole, "oidc-default-role", "", "role when no value matches --oidc-role-map; empty refuses the sign-in")
	return cmd
}

// serve starts the database, the sample data and the HTTP server in that
// order, and stops them in the reverse order.
func (a *app) serve(ctx context.Context, c serveConfig, dsn string) error {
	log := a.logger()
	auth, err := a.authConfig(c)
	if err != nil {
		return err
	}
	log.Info("starting", "version", version, "database", redactURL(dsn))
	db, err := a.openDatabase(ctx, dsn, log)
	if err != nil {
		return err
	}
	defer closeDatabase(db, log)
	if c.demo {
		if err := loadDemo(ctx, db, log); err != nil {
			return err
		}
	}
	srv, err := web.New(web.Config{Services: db, Teams: db, People: db, Users: db, Sessions: db, Tokens: db,
		Throttle: db, Setup: db, Audit: db, Models: db, BIAs: db, Ready: db.Ping, Logger: log, Version: version, Auth: auth.web, OIDC: auth.oidc})
	if err != nil {
		return fmt.Errorf("web server: %w", err)
	}
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("%s: %w", a.source("addr"), err)
	}
	if auth.tls != nil {
		ln = tls.NewListener(ln, auth.tls)
	}
	url := browseURL(ln.Addr(), auth.tls != nil)
	if err := prepareAccounts(ctx, db, c.demo, url, a.stdout, log); err != nil {
		ln.Close()
		return err
	}
	go srv.FollowGraph(ctx, graphFollowInterval) // built while the first requests are served, then kept current
	return serveHTTP(ctx, log, ln, url, srv, c.grace)
}

// graphFollowInterval is how often the server looks for changes to the
// model that another instance made, to rebuild its dependency index before
// anyone asks.
const graphFollowInterval = 2 * time.Second

type authSettings struct {
	web  web.AuthConfig
	tls  *tls.Config     // nil for plain HTTP
	oidc *web.OIDCConfig // nil without single sign-on
}

// authConfig checks the TLS and proxy flags before anything starts.
func (a *app) authConfig(c serveConfig) (authSettings, error) {
	var out authSettings
	for _, p := range c.trustedProxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return out, &usageError{fmt.Errorf("%s: %q is neither an address nor a CIDR range", a.source("trusted-proxy"), p)}
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		out.web.TrustedProxies = append(out.web.TrustedProxies, prefix.Masked())
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return out, &usageError{fmt.Errorf("--tls-cert and --tls-key go together")}
	}
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return out, fmt.Errorf("%s: %w", a.source("tls-cert"), err)
		}
		out.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	oidc, err := a.oidcConfig(c.oidc)
	if err != nil {
		return out, err
	}
	out.oidc = oidc
	return out, nil
}

// oidcConfig checks the single sign-on flags; nil when --oidc-issuer is
// not set.
func (a *app) oidcConfig(f oidcFlags) (*web.OIDCConfig, error) {
	if f.issuer == "" {
		return nil, nil
	}
	if u, err := url.Parse(f.issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, usageErrorf("%s: %q is not an http or https URL", a.source("oidc-issuer"), f.issuer)
	}
	if f.clientID == "" {
		return nil, usageErrorf("%s is needed with %s", a.source("oidc-client-id"), a.source("oidc-issuer"))
	}
	if f.redirectURL == "" {
		return nil, usageErrorf("%s is needed with %s", a.source("oidc-redirect-url"), a.source("oidc-issuer"))
	}
	if u, err := url.Parse(f.redirectURL); err != nil || !u.IsAbs() || u.Path != "/login/oidc/callback" {
		return nil, usageErrorf("%s: %q must be an absolute URL ending in /login/oidc/callback", a.source("oidc-redirect-url"), f.redirectURL)
	}
	cfg := &web.OIDCConfig{Issuer: f.issuer, ClientID: f.clientID, ClientSecret: f.clientSecret, RedirectURL: f.redirectURL,
		RoleClaim: f.roleClaim, RoleMap: map[string]lifeboat.Role{}, DefaultRole: lifeboat.Role(f.defaultRole)}
	roleList := func() string {
		names := make([]string, len(lifeboat.Roles))
		for i, r := range lifeboat.Roles {
			names[i] = string(r)
		}
		return strings.Join(names, ", ")
	}
	if f.defaultRole != "" && !cfg.DefaultRole.Valid() {
		return nil, usageErrorf("%s: %q is not a role; use one of %s", a.source("oidc-default-role"), f.defaultRole, roleList())
	}
	for _, pair := range strings.Split(f.roleMap, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		value, role, ok := strings.Cut(pair, "=")
		value, role = strings.TrimSpace(value), strings.TrimSpace(role)
		if !ok || value == "" {
			return nil, usageErrorf("%s: %q is not VALUE=ROLE", a.source("oidc-role-map"), pair)
		}
		if !lifeboat.Role(role).Valid() {
			return nil, usageErrorf("%s: %q is not a role; use one of %s", a.source("oidc-role-map"), role, roleList())
		}
		cfg.RoleMap[value] = lifeboat.Role(role)
	}
	if len(cfg.RoleMap) == 0 && cfg.DefaultRole == "" {
		return nil, usageErrorf("%s or %s is needed with %s: without them nobody could sign in", a.source("oidc-role-map"), a.source("oidc-default-role"), a.source("oidc-issuer"))
	}
	return cfg, nil
}

// openDatabase opens and migrates the database.
func (a *app) openDatabase(ctx context.Context, dsn string, log *slog.Logger) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, a.databaseError(dsn, err)
	}
	if err := db.Migrate(ctx, log); err != nil {
		db.Close()
		return nil, err
	}
	log.Info("database ready", "dialect", db.Dialect())
	return db, nil
}

func closeDatabase(db *sqldb.DB, log *slog.Logger) {
	if err := db.Close(); err != nil {
		log.Error("closing the database", "err", err)
		return
	}
	log.Info("database closed")
}

// loadDemo loads the sample organisation into an empty catalog.
func loadDemo(ctx context.Context, db *sqldb.DB, log *slog.Logger) error {
	err := demo.Load(ctx, db, db)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		log.Info("demo data skipped: the database already has services")
	case err != nil:
		return fmt.Errorf("--demo: %w", err)
	default:
		log.Info("demo data loaded")
	}
	return nil
}

// serveHTTP serves h on ln until ctx ends, then shuts down gracefully: it
// stops accepting connections and waits up to grace for running requests.
// Requests still running then see their context cancelled and are cut off.
func serveHTTP(ctx context.Context, log *slog.Logger, ln net.Listener, url string, h http.Handler, grace time.Duration) error {
	// Requests outlive ctx: they get the grace period to finish.
	base, cutOff := context.WithCancel(context.WithoutCancel(ctx))
	defer cutOff()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second, // slow clients cannot hold connections open (Slowloris)
		ReadTimeout:       time.Minute,      // the whole request, body included
		WriteTimeout:      2 * time.Minute,  // long responses such as exports; streams extend it per write
		IdleTimeout:       2 * time.Minute,  // idle keep-alive connections
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "url", url)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", grace)
	sctx, cancel := context.WithTimeout(base, grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		cutOff()
		srv.Close()
		err = fmt.Errorf("shutdown: requests still running after %s were cut off", grace)
	}
	<-served // Serve returns http.ErrServerClosed once Shutdown has begun
	log.Info("server stopped")
	return err
}

// browseURL is the address to open in a browser for a listening address.
func browseURL(addr net.Addr, https bool) string {
	scheme := "http://"
	if https {
		scheme = "https://"
	}
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return scheme + addr.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return scheme + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
}
