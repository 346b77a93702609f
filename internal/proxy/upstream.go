package proxy

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// upstream is one service's address, split once so building each outbound
// URL needs no parsing.
type upstream struct {
	name     string
	scheme   string
	host     string
	basePath string
}

func newUpstream(name string, u *url.URL) *upstream {
	return &upstream{name: name, scheme: u.Scheme, host: u.Host, basePath: strings.TrimSuffix(u.Path, "/")}
}

// url is the upstream address for the client's request URL.
func (u *upstream) url(in *url.URL) *url.URL {
	out := &url.URL{Scheme: u.scheme, Host: u.host, Path: in.Path, RawPath: in.RawPath, RawQuery: in.RawQuery}
	if u.basePath != "" {
		out.Path = u.basePath + in.Path
		if in.RawPath != "" {
			out.RawPath = u.basePath + in.RawPath
		}
	}
	return out
}

// TransportSettings tunes the connections to the upstreams and bounds the
// exchanges over them. It is also the configuration file's transport
// section, by its YAML and JSON names; settings read from the file go
// through FromFile, where a MaxConnsPerHost of 0 means no cap. Each default
// below is the one a zero field takes here and the one the file states.
type TransportSettings struct {
	// DialTimeout bounds a connection attempt. Default 2s.
	DialTimeout time.Duration `yaml:"dial_timeout" json:"dial_timeout"`
	// ResponseHeaderTimeout bounds the wait for an upstream's response
	// headers after the request is sent. Default 30s.
	ResponseHeaderTimeout time.Duration `yaml:"response_header_timeout" json:"response_header_timeout"`
	// RequestTimeout bounds a whole proxied exchange, body included, so no
	// request hangs forever; a streamed answer (server-sent events or
	// NDJSON) is bounded by it only until its headers arrive, then by the
	// two stream bounds below. The Gateway reads it, and the two stream
	// bounds, through Options; NewTransport does not. Default 60s in the
	// file; zero in Options means no bound.
	RequestTimeout time.Duration `yaml:"request_timeout" json:"request_timeout"`
	// StreamIdleTimeout ends a streamed answer that sends nothing for this
	// long: a live stream is never cut, a stalled one is. Default 60s.
	StreamIdleTimeout time.Duration `yaml:"stream_idle_timeout" json:"stream_idle_timeout"`
	// StreamMaxDuration ends any streamed answer after this long, however
	// lively. Default 1h.
	StreamMaxDuration time.Duration `yaml:"stream_max_duration" json:"stream_max_duration"`
	// MaxIdleConnsPerHost keeps warm connections per upstream; Go's default
	// of 2 halves a proxy's throughput. Default 512.
	MaxIdleConnsPerHost int `yaml:"max_idle_conns_per_host" json:"max_idle_conns_per_host"`
	// IdleConnTimeout closes idle connections. Default 90s.
	IdleConnTimeout time.Duration `yaml:"idle_conn_timeout" json:"idle_conn_timeout"`
	// MaxConnsPerHost caps the connections to each upstream, busy or
	// idle; a request beyond it waits for one to free up, within its
	// timeout. Every connection costs two goroutines and their buffers,
	// so a burst of a thousand clients must not become a thousand
	// upstream connections (the cap keeps it under 64 MB). Default 256,
	// the queue's default concurrency; negative means no cap, and so does
	// 0 in the configuration file (see FromFile).
	MaxConnsPerHost int `yaml:"max_conns_per_host" json:"max_conns_per_host"`
	// TLSFor returns the TLS configuration toward an upstream address
	// (host:port): its trusted CAs, client certificate and server name.
	// Nil, or a nil result, means Go's defaults: the system roots and the
	// address's host as the server name. It is not part of the file.
	TLSFor func(addr string) *tls.Config `yaml:"-" json:"-"`
}

// FromFile returns s as the configuration file means it. There, as in Go's
// own http.Transport, a MaxConnsPerHost of 0 lifts the cap; in code a zero
// field takes the 256 default, which the file's defaults state explicitly.
func (s TransportSettings) FromFile() TransportSettings {
	if s.MaxConnsPerHost == 0 {
		s.MaxConnsPerHost = -1
	}
	return s
}

// tlsHandshakeTimeout bounds a TLS handshake with an upstream, as Go's
// default transport does: a peer that accepts the connection but never
// answers the handshake must not hold a request until its own timeout.
const tlsHandshakeTimeout = 10 * time.Second

// NewTransport returns an http.Transport tuned for proxying to a few hosts.
// It does not ask for compression, so bodies pass through as the upstream
// encoded them, and it never uses a proxy from the environment: Lifeboat
// talks to its upstreams directly.
func NewTransport(s TransportSettings) *http.Transport {
	s = s.withDefaults()
	d := &net.Dialer{Timeout: s.DialTimeout, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		DialContext:           d.DialContext,
		MaxIdleConns:          4 * s.MaxIdleConnsPerHost,
		MaxIdleConnsPerHost:   s.MaxIdleConnsPerHost,
		MaxConnsPerHost:       max(s.MaxConnsPerHost, 0),
		IdleConnTimeout:       s.IdleConnTimeout,
		ResponseHeaderTimeout: s.ResponseHeaderTimeout,
		ExpectContinueTimeout: time.Second,
		// The default 4 KiB connection buffers: larger ones made idle
		// upstream connections the bulk of the heap at 1,000 clients.
		DisableCompression: true,
	}
	if s.TLSFor != nil {
		t.DialTLSContext = dialTLS(d, s.TLSFor)
	}
	return t
}

// dialTLS connects and completes the handshake with the address's own
// configuration, so each upstream gets its CAs, certificate and name
// through one shared connection pool.
func dialTLS(d *net.Dialer, tlsFor func(string) *tls.Config) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cfg := tlsFor(addr)
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		cfg = cfg.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName, _, _ = net.SplitHostPort(addr)
		}
		conn := tls.Client(raw, cfg)
		hctx, cancel := context.WithTimeout(ctx, tlsHandshakeTimeout)
		defer cancel()
		if err := conn.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("proxy: TLS handshake with %s: %w", addr, err)
		}
		return conn, nil
	}
}

func (s TransportSettings) withDefaults() TransportSettings {
	if s.DialTimeout <= 0 {
		s.DialTimeout = 2 * time.Second
	}
	if s.ResponseHeaderTimeout <= 0 {
		s.ResponseHeaderTimeout = 30 * time.Second
	}
	if s.MaxIdleConnsPerHost <= 0 {
		s.MaxIdleConnsPerHost = 512
	}
	if s.MaxConnsPerHost == 0 {
		s.MaxConnsPerHost = 256
	}
	if s.IdleConnTimeout <= 0 {
		s.IdleConnTimeout = 90 * time.Second
	}
	return s
}

// isInternal reports whether p is under an internal prefix. The path is
// cleaned first, so "//_sim/x" or "/a/../_sim/x" are caught too; the
// upstream would clean them the same way.
func (g *Gateway) isInternal(p string) bool {
	if len(g.internal) == 0 {
		return false
	}
	clean := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	for _, pre := range g.internal {
		if strings.HasPrefix(clean, pre) || clean+"/" == pre {
			return true
		}
	}
	return false
}
