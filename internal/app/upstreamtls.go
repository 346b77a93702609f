package app

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// kindInsecureUpstream is the start-up warning of an upstream whose
// certificate is not verified.
const kindInsecureUpstream = "tls.insecure_upstream"

// insecureWarning is what the start-up log, the event and /status say of an
// upstream reached with insecure_skip_verify.
const insecureWarning = "insecure_skip_verify: the upstream's certificate is not verified; anyone on the path can read and change this traffic"

// buildUpstreamTLS prepares each https upstream's TLS configuration. Every
// transport the app makes (client traffic, health checks, probes, journal
// replay, translation, verification) dials through tlsFor, so they all
// trust, present and expect the same.
func (a *App) buildUpstreamTLS(ups [2]config.Upstream, urls [2]*url.URL) error {
	a.upstreamTLS = make(map[string]*tls.Config, 2)
	for i, u := range ups {
		if !strings.EqualFold(urls[i].Scheme, "https") || u.TLS.IsZero() {
			continue
		}
		name := proxy.TargetNames[i]
		cfg, r, err := tlsconf.Client(u.TLS, a.certChanged(name+" client certificate", u.TLS.CertFile))
		if err != nil {
			return fmt.Errorf("app: upstreams.%s.tls: %w", name, err)
		}
		a.upstreamTLS[dialAddr(urls[i])] = cfg
		if r != nil {
			a.reloaders = append(a.reloaders, r)
		}
	}
	return nil
}

// tlsFor is proxy.TransportSettings.TLSFor: an upstream's configuration,
// nil for any other address (Go's defaults).
func (a *App) tlsFor(addr string) *tls.Config { return a.upstreamTLS[strings.ToLower(addr)] }

// dialAddr is the host:port http.Transport dials for u, lowercased.
func dialAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	return strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}

// insecureNotes are /status's warnings per upstream: non-empty for one
// reached with insecure_skip_verify.
func (a *App) insecureNotes() [2]string {
	var out [2]string
	for i, u := range []config.Upstream{a.cfg.Upstreams.Primary, a.cfg.Upstreams.Fallback} {
		if u.TLS.InsecureSkipVerify {
			out[i] = insecureWarning
		}
	}
	return out
}

// warnInsecure says loudly, at start, which upstream is not verified.
func (a *App) warnInsecure() {
	for i, note := range a.insecureNotes() {
		if note == "" {
			continue
		}
		name := proxy.TargetNames[i]
		a.sink.Emit(event.Event{Time: a.now(), Kind: kindInsecureUpstream, Source: "tls", Severity: event.Warning,
			Message: "upstream " + name + ": " + note, Fields: map[string]any{"upstream": name}})
	}
}
