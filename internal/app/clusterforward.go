package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/forward"
	"github.com/lifeboat-sre/lifeboat/internal/server"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// A follower's admin writes on incidents and levels go to the decider,
// the only replica that records incidents and saves the level; without
// this, an acknowledgement sent to a follower would be overwritten by the
// next mirrored import and a level command would fail its fenced save.

var _ forward.Decider = clusterDecider{}

// adminHandler is the admin API the listeners serve: in cluster mode, the
// forwarder in front of it.
func (a *App) adminHandler() (server.Admin, error) {
	if a.clu == nil {
		return a.admin, nil
	}
	tr, err := forwardTransport(a.cfg.Cluster.ForwardCAFile)
	if err != nil {
		return nil, err
	}
	return forward.New(forward.Options{Next: a.admin, Decider: clusterDecider{a}, Self: a.clu.member.Name(),
		Transport: tr}), nil
}

// forwardTransport carries forwarded admin writes, trusting the CAs in
// caFile for the decider's admin certificate; nil (the default transport,
// the system roots) without one. The admin listeners share no CA setting
// to reuse: admin.tls.client_ca_file vouches for clients, not servers.
func forwardTransport(caFile string) (http.RoundTripper, error) {
	if caFile == "" {
		return nil, nil
	}
	tc, _, err := tlsconf.Client(config.UpstreamTLS{CAFile: caFile}, nil)
	if err != nil {
		return nil, fmt.Errorf("app: cluster.forward_ca_file: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return tr, nil
}

// clusterDecider tells the forwarder who decides.
type clusterDecider struct{ a *App }

// Deciding is true while this replica runs a decider's term, the same
// test the incident records and the engine use.
func (d clusterDecider) Deciding() bool { return !d.a.follows() }

// DeciderAdmin reads the decider's name and advertised admin URL.
func (d clusterDecider) DeciderAdmin(ctx context.Context) (string, string, error) {
	r, err := d.a.clu.member.DeciderAdmin(ctx)
	return r.Name, r.Admin, err
}

// advertiseAdmin publishes the admin API's base URL with the replica's
// heartbeat once the listeners are bound: cluster.advertise_url when set,
// for a replica the others reach through NAT or by another name, or else
// the bound address, where one on every interface (0.0.0.0, [::]) is
// advertised under the host name, which the other replicas can resolve
// where an unspecified address means nothing.
func (a *App) advertiseAdmin() {
	if a.clu == nil {
		return
	}
	if u := a.cfg.Cluster.AdvertiseURL; u != "" {
		a.clu.member.Advertise(u)
		return
	}
	tls := a.cfg.TLS
	if a.cfg.Admin.Listen != "" {
		tls = a.cfg.Admin.TLS
	}
	scheme := "http"
	if tls.Enabled() {
		scheme = "https"
	}
	a.clu.member.Advertise(scheme + "://" + reachable(a.AdminAddr()))
}

// reachable replaces an unspecified host in addr with the host name.
func reachable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil && name != "" {
			return net.JoinHostPort(name, port)
		}
	}
	return addr
}
