package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
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
	tr, r, err := forwardTransport(a.cfg.Cluster, a.announcer())
	if err != nil {
		return nil, err
	}
	a.clu.forwardCert = r
	return forward.New(forward.Options{Next: a.admin, Decider: clusterDecider{a}, Self: a.clu.member.Name(),
		Transport: tr}), nil
}

// forwardTransport carries forwarded admin writes: trusting the CAs in
// cluster.forward_ca_file for the decider's admin certificate (the system
// roots without one), and presenting cluster.forward_cert_file to an
// admin listener that requires client certificates. The admin listeners
// share no CA setting to reuse: admin.tls.client_ca_file vouches for
// clients, not servers. The reloader keeps the client certificate
// current; it is nil without one.
func forwardTransport(s cluster.Settings, an tlsconf.Announcer) (http.RoundTripper, *tlsconf.Reloader, error) {
	if s.ForwardCAFile != "" {
		if _, _, err := tlsconf.Client(config.UpstreamTLS{CAFile: s.ForwardCAFile}, nil); err != nil {
			return nil, nil, fmt.Errorf("app: cluster.forward_ca_file: %w", err)
		}
	}
	u := config.UpstreamTLS{CAFile: s.ForwardCAFile, CertFile: s.ForwardCertFile, KeyFile: s.ForwardKeyFile}
	tc, r, err := tlsconf.Client(u, an.Changed("cluster forward client certificate", s.ForwardCertFile))
	if err != nil {
		return nil, nil, fmt.Errorf("app: cluster.forward_cert_file and cluster.forward_key_file: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return tlsRefusal{next: tr, cert: s.ForwardCertFile}, r, nil
}

// runForwardCert keeps the forwarder's client certificate current until
// ctx ends, as the listeners' and the upstreams' are.
func (a *App) runForwardCert(ctx context.Context) {
	if a.clu != nil && a.clu.forwardCert != nil {
		a.wg.Go(func() { a.clu.forwardCert.Run(ctx) })
	}
}

// tlsRefusal names the setting to look at when the decider's admin
// listener refuses this replica's TLS connection: without it the operator
// reads only "remote error: tls: certificate required" in a 503, with no
// hint that the follower needs a client certificate of its own.
type tlsRefusal struct {
	next http.RoundTripper
	cert string
}

func (t tlsRefusal) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	var op *net.OpError
	if err == nil || !errors.As(err, &op) || op.Op != "remote error" {
		return resp, err
	}
	if t.cert == "" {
		return nil, fmt.Errorf("%w (the decider's admin listener may require a client certificate: "+
			"set cluster.forward_cert_file and cluster.forward_key_file)", err)
	}
	return nil, fmt.Errorf("%w (the decider's admin listener refused the client certificate in "+
		"cluster.forward_cert_file %s: check it is issued by admin.tls.client_ca_file's CA)", err, t.cert)
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
