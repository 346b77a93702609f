package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// ErrPlaintextAdmin means the admin API would cross the network in clear
// text: its token, and every control that moves traffic.
var ErrPlaintextAdmin = errors.New("app: admin API on a non-loopback address over plain HTTP; " +
	"give it TLS (tls, or admin.tls with admin.listen), move it to a loopback admin.listen, or set admin.allow_plaintext: true")

// kindCertificate is the event of a certificate swapped or refused on
// disk.
const kindCertificate = "tls.certificate"

// server is one listener the app serves: clients', or the admin API's
// when it has an address of its own.
type server struct {
	name string
	addr string
	srv  *http.Server
	tls  *tls.Config // nil for plain HTTP
	ln   net.Listener
}

// buildServers makes the client server and, with admin.listen, the admin
// server, each with its TLS configuration and certificate reloader.
func (a *App) buildServers() error {
	c := a.cfg
	client, err := a.newServer("client", c.Listen, c.TLS, http.HandlerFunc(a.serveClient))
	if err != nil {
		return err
	}
	a.servers = []*server{client}
	if c.Admin.Listen == "" {
		return nil
	}
	adm, err := a.newServer("admin", adminAddr(c.Admin.Listen), c.Admin.TLS, a.admin)
	if err != nil {
		return err
	}
	a.servers = append(a.servers, adm)
	return nil
}

func (a *App) newServer(name, addr string, t config.ServerTLS, h http.Handler) (*server, error) {
	s := &server{name: name, addr: addr, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Failed handshakes (scanners, clients without a certificate) are
		// routine on an open port: debug, not the standard logger.
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelDebug),
	}}
	if !t.Enabled() {
		return s, nil
	}
	cfg, r, err := tlsconf.Server(t, a.certChanged(name+" listener", t.CertFile))
	if err != nil {
		return nil, fmt.Errorf("app: %s listener TLS: %w", name, err)
	}
	s.tls, s.srv.TLSConfig = cfg, cfg
	a.reloaders = append(a.reloaders, r)
	return s, nil
}

// adminAddr puts an admin address given without a host on loopback: the
// controls stay on the machine unless a host is named.
func adminAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// serveClient sends the control plane's paths to the admin API and
// everything else to the upstreams. With a separate admin listener only
// /health stays here: /status, /metrics and the operator's health reveal
// the topology, and /admin moves traffic.
func (a *App) serveClient(w http.ResponseWriter, r *http.Request) {
	if !a.admin.Owns(r.URL.Path) {
		a.gateway.ServeHTTP(w, r)
		return
	}
	if a.cfg.Admin.Listen != "" && r.URL.Path != "/health" {
		http.Error(w, "404 page not found: the admin API is on its own listener", http.StatusNotFound)
		return
	}
	a.admin.ServeHTTP(w, r)
}

// listen opens every server's address, closing those already open when
// one fails, so a failed Start leaves nothing bound.
func (a *App) listen(ctx context.Context) error {
	for i, s := range a.servers {
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.addr)
		if err != nil {
			for _, open := range a.servers[:i] {
				_ = open.ln.Close()
			}
			return fmt.Errorf("app: listen on %s (%s): %w", s.addr, s.name, err)
		}
		s.ln = ln
	}
	return nil
}

// serve runs one server until Shutdown; the caller owns the goroutine.
func (a *App) serve(s *server) {
	var err error
	if s.tls != nil {
		err = s.srv.ServeTLS(s.ln, "", "") // the certificate comes from TLSConfig.GetCertificate
	} else {
		err = s.srv.Serve(s.ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.log.Error("server stopped", "listener", s.name, "err", err)
	}
}

// shutdown drains every server until ctx ends, then closes what is left.
func (a *App) shutdown(ctx context.Context) error {
	var errs []error
	for _, s := range a.servers {
		if err := s.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("app: drain %s: %w", s.name, err))
			_ = s.srv.Close()
		}
	}
	return errors.Join(errs...)
}

// certChanged reports a certificate swapped on disk, or a rotation that
// could not be read (the old certificate is still served).
func (a *App) certChanged(what, file string) func(error) {
	return func(err error) {
		sev, msg := event.Info, "TLS certificate reloaded for the "+what+" from "+file
		if err != nil {
			sev, msg = event.Warning, "TLS certificate for the "+what+" not reloaded, the previous one is kept: "+err.Error()
		}
		a.sink.Emit(event.Event{Time: a.now(), Kind: kindCertificate, Source: "tls", Severity: sev, Message: msg,
			Fields: map[string]any{"listener": what, "file": file}})
	}
}

// addrOf is the address server i listens on, empty before Start.
func (a *App) addrOf(i int) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if i >= len(a.servers) || a.servers[i].ln == nil {
		return ""
	}
	return a.servers[i].ln.Addr().String()
}

// AdminAddr is the admin listener's address: Addr when the admin API
// shares the client listener, empty before Start.
func (a *App) AdminAddr() string {
	if a.cfg.Admin.Listen == "" {
		return a.Addr()
	}
	return a.addrOf(1)
}

// registerAdminMetrics exports the admin API's refused authentications.
func (a *App) registerAdminMetrics() error {
	return firstErr(
		metrics.Counter(a.reg, "lifeboat_admin_auth_failures_total", "Admin calls refused for a missing or wrong token.", nil,
			func() float64 { f, _ := a.admin.AuthFailures(); return float64(f) }),
		metrics.Counter(a.reg, "lifeboat_admin_auth_throttled_total",
			"Admin calls refused unchecked while their address was locked out after repeated failures.", nil,
			func() float64 { _, t := a.admin.AuthFailures(); return float64(t) }),
	)
}
