package replica

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

var _ forward.Decider = decider{}

// Admin is the admin API the listeners serve in cluster mode: the
// forwarder in front of next. Start keeps its client certificate current.
func (r *Replica) Admin(next server.Admin, an tlsconf.Announcer) (server.Admin, error) {
	tr, reload, err := forwardTransport(r.cfg.Cluster, an)
	if err != nil {
		return nil, err
	}
	r.forwardCert = reload
	return forward.New(forward.Options{Next: next, Decider: decider{r}, Self: r.member.Name(),
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

// decider tells the forwarder who decides.
type decider struct{ r *Replica }

// Deciding is true while this replica runs a decider's term, the same
// test the incident records and the engine use.
func (d decider) Deciding() bool { return !d.r.Follows() }

// DeciderAdmin reads the decider's name and advertised admin URL.
func (d decider) DeciderAdmin(ctx context.Context) (string, string, error) {
	r, err := d.r.member.DeciderAdmin(ctx)
	return r.Name, r.Admin, err
}

// Advertise publishes the admin API's base URL with the replica's
// heartbeat once the listeners are bound, adminAddr being the admin
// listener's address: cluster.advertise_url when set, for a replica the
// others reach through NAT or by another name, or else the bound address,
// where one on every interface (0.0.0.0, [::]) is advertised under the
// host name, which the other replicas can resolve where an unspecified
// address means nothing.
func (r *Replica) Advertise(adminAddr string) {
	if u := r.cfg.Cluster.AdvertiseURL; u != "" {
		r.member.Advertise(u)
		return
	}
	tls := r.cfg.TLS
	if r.cfg.Admin.Listen != "" {
		tls = r.cfg.Admin.TLS
	}
	scheme := "http"
	if tls.Enabled() {
		scheme = "https"
	}
	r.member.Advertise(scheme + "://" + reachable(adminAddr))
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
