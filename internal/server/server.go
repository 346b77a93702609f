// Package server runs Lifeboat's listeners: the client listener and, when
// the admin API has an address of its own (admin.listen), the admin API's.
// Each listener has its TLS configuration and the reloader that keeps its
// certificate current while it serves.
//
// The client listener sends the control plane's paths to the admin API and
// everything else to the gateway. With a separate admin listener only
// /health stays on the client listener: /status, /metrics and the
// operator's health reveal the topology, and /admin moves traffic.
//
// The caller owns the goroutines: New builds, Listen binds every address
// (or none), Serve blocks until Shutdown has drained the listeners and the
// context given to Serve has ended the reloaders.
package server

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// Admin is the admin API as the listeners need it: a handler, and which
// paths are its own rather than the upstreams'.
type Admin interface {
	http.Handler
	Owns(path string) bool
}

// Options configures the listeners.
type Options struct {
	// Listen is the client listener's address. Required.
	Listen string
	// TLS is the client listener's TLS. Default off: plain HTTP.
	TLS config.ServerTLS
	// AdminListen gives the admin API a listener of its own; an address
	// without a host is put on loopback (see Loopback). Default empty:
	// the admin API shares the client listener.
	AdminListen string
	// AdminTLS is the admin listener's TLS. Default off: plain HTTP.
	AdminTLS config.ServerTLS
	// Gateway serves client traffic. Required.
	Gateway http.Handler
	// Admin serves the control plane's paths. Required.
	Admin Admin
	// Log receives the listeners' errors; failed handshakes go at debug.
	// Nil discards them.
	Log *slog.Logger
	// Certificates announces certificate reloads. Required when either
	// listener has TLS.
	Certificates tlsconf.Announcer
}

// Set is the client listener and, with AdminListen, the admin listener,
// in that order.
type Set struct {
	o         Options
	list      []*listener
	reloaders []*tlsconf.Reloader

	mu sync.Mutex // guards each listener's ln, set by Listen
}

// listener is one address the set serves.
type listener struct {
	name string
	addr string
	srv  *http.Server
	tls  bool
	ln   net.Listener
}

// New builds the listeners, with their TLS configuration and certificate
// reloaders, without binding their addresses yet.
func New(o Options) (*Set, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Set{o: o}
	client, err := s.add("client", o.Listen, o.TLS, http.HandlerFunc(s.ServeClient))
	if err != nil {
		return nil, err
	}
	s.list = []*listener{client}
	if o.AdminListen == "" {
		return s, nil
	}
	adm, err := s.add("admin", Loopback(o.AdminListen), o.AdminTLS, o.Admin)
	if err != nil {
		return nil, err
	}
	s.list = append(s.list, adm)
	return s, nil
}

func (s *Set) add(name, addr string, t config.ServerTLS, h http.Handler) (*listener, error) {
	l := &listener{name: name, addr: addr, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Failed handshakes (scanners, clients without a certificate) are
		// routine on an open port: debug, not the standard logger.
		ErrorLog: slog.NewLogLogger(s.o.Log.Handler(), slog.LevelDebug),
	}}
	if !t.Enabled() {
		return l, nil
	}
	cfg, r, err := tlsconf.Server(t, s.o.Certificates.Changed(name+" listener", t.CertFile))
	if err != nil {
		return nil, fmt.Errorf("%s listener TLS: %w", name, err)
	}
	l.tls, l.srv.TLSConfig = true, cfg
	s.reloaders = append(s.reloaders, r)
	return l, nil
}

// Loopback puts an admin address given without a host on loopback: the
// controls stay on the machine unless a host is named.
func Loopback(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// ServeClient is the client listener's handler: the control plane's paths
// to the admin API, everything else to the gateway.
func (s *Set) ServeClient(w http.ResponseWriter, r *http.Request) {
	if !s.o.Admin.Owns(r.URL.Path) {
		s.o.Gateway.ServeHTTP(w, r)
		return
	}
	if s.o.AdminListen != "" && r.URL.Path != "/health" {
		http.Error(w, "404 page not found: the admin API is on its own listener", http.StatusNotFound)
		return
	}
	s.o.Admin.ServeHTTP(w, r)
}

// RegisterOnShutdown calls f when Shutdown begins on each listener, for
// handlers (such as the page's streams) that never go idle by themselves.
func (s *Set) RegisterOnShutdown(f func()) {
	for _, l := range s.list {
		l.srv.RegisterOnShutdown(f)
	}
}
