package tlsconf

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"

	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// Upstream is one upstream as Upstreams reads it.
type Upstream struct {
	// Name is the upstream's name in the configuration: primary or
	// fallback.
	Name string
	URL  *url.URL
	TLS  config.UpstreamTLS
}

// Upstreams is each https upstream's TLS configuration, by the address its
// transport dials. Every transport the gateway makes (client traffic,
// health checks, probes, journal replay, translation, verification) dials
// through For, so they all trust, present and expect the same.
type Upstreams struct {
	byAddr    map[string]*tls.Config
	reloaders []*Reloader
}

// NewUpstreams prepares the configuration of every https upstream with TLS
// settings; plain HTTP upstreams and those without settings keep Go's
// defaults. Client certificates are reloaded by Run, announced by an.
func NewUpstreams(ups []Upstream, an Announcer) (*Upstreams, error) {
	u := &Upstreams{byAddr: make(map[string]*tls.Config, len(ups))}
	for _, up := range ups {
		if !strings.EqualFold(up.URL.Scheme, "https") || up.TLS.IsZero() {
			continue
		}
		cfg, r, err := Client(up.TLS, an.Changed(up.Name+" client certificate", up.TLS.CertFile))
		if err != nil {
			return nil, fmt.Errorf("upstreams.%s.tls: %w", up.Name, err)
		}
		u.byAddr[dialAddr(up.URL)] = cfg
		if r != nil {
			u.reloaders = append(u.reloaders, r)
		}
	}
	return u, nil
}

// For is proxy.TransportSettings.TLSFor: an upstream's configuration, nil
// for any other address (Go's defaults).
func (u *Upstreams) For(addr string) *tls.Config { return u.byAddr[strings.ToLower(addr)] }

// Run keeps the client certificates current until ctx ends, and returns
// once every reloader has stopped.
func (u *Upstreams) Run(ctx context.Context) { RunAll(ctx, u.reloaders) }

// RunAll runs every reloader until ctx ends and waits for them all.
func RunAll(ctx context.Context, rs []*Reloader) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Go(func() { r.Run(ctx) })
	}
	wg.Wait()
}

// InsecureNotes are /status's warnings per upstream, in order: non-empty
// for one reached with insecure_skip_verify.
func InsecureNotes(ups ...config.UpstreamTLS) []string {
	out := make([]string, len(ups))
	for i, t := range ups {
		if t.InsecureSkipVerify {
			out[i] = InsecureWarning
		}
	}
	return out
}

// dialAddr is the host:port http.Transport dials for u, lowercased.
func dialAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	return strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}
