package config

import (
	"net/url"
	"strings"
	"time"
)

// ServerTLS serves HTTPS on a listener. With neither CertFile nor KeyFile
// set the listener speaks plain HTTP.
type ServerTLS struct {
	// CertFile is the PEM certificate chain presented to clients, leaf
	// first. Required with KeyFile. Default empty: plain HTTP.
	CertFile string `yaml:"cert_file" json:"cert_file"`
	// KeyFile is the PEM private key of CertFile. Default empty.
	KeyFile string `yaml:"key_file" json:"key_file"`
	// ClientCAFile, when set, is a PEM bundle of the certificate
	// authorities whose client certificates are accepted: every client
	// must present one (mutual TLS). Default empty: no client certificate
	// is asked for.
	ClientCAFile string `yaml:"client_ca_file" json:"client_ca_file"`
	// MinVersion is the oldest TLS version accepted, "1.2" or "1.3".
	// Default "1.2".
	MinVersion string `yaml:"min_version" json:"min_version"`
	// ReloadInterval is how often CertFile and KeyFile are read again, so
	// a rotated certificate (cert-manager, a renewal cron) is served
	// without a restart. Default 10s.
	ReloadInterval time.Duration `yaml:"reload_interval" json:"reload_interval"`
}

// Enabled reports whether the listener serves HTTPS.
func (t ServerTLS) Enabled() bool { return t.CertFile != "" || t.KeyFile != "" }

// UpstreamTLS is how Lifeboat speaks TLS to one https:// upstream. Health
// checks, probes, journal replay and translation calls use it too. It is
// ignored for an http:// upstream.
type UpstreamTLS struct {
	// CAFile is a PEM bundle of the certificate authorities trusted for
	// this upstream, in place of the system roots. Default empty: the
	// system roots.
	CAFile string `yaml:"ca_file" json:"ca_file"`
	// CertFile is the PEM client certificate presented to an upstream that
	// requires mutual TLS; required with KeyFile. Default empty: none.
	CertFile string `yaml:"cert_file" json:"cert_file"`
	// KeyFile is the PEM private key of CertFile. Default empty.
	KeyFile string `yaml:"key_file" json:"key_file"`
	// ServerName is the name sent in SNI and checked against the
	// upstream's certificate. Default empty: the URL's host.
	ServerName string `yaml:"server_name" json:"server_name"`
	// InsecureSkipVerify accepts any certificate the upstream presents.
	// It is for a test bench only: anyone on the path can read and change
	// the traffic. Lifeboat warns at start and in /status. Default false.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify" json:"insecure_skip_verify"`
}

// IsZero reports whether nothing is set, so the system defaults apply.
func (t UpstreamTLS) IsZero() bool { return t == UpstreamTLS{} }

// defaultServerTLS is plain HTTP with TLS 1.2 as the floor once enabled.
func defaultServerTLS() ServerTLS {
	return ServerTLS{MinVersion: "1.2", ReloadInterval: 10 * time.Second}
}

func (c *checker) serverTLS(field string, t ServerTLS) {
	for name, v := range map[string]string{"cert_file": t.CertFile, "key_file": t.KeyFile, "client_ca_file": t.ClientCAFile} {
		c.text(field+"."+name, v)
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		c.add(field, "cert_file and key_file must be set together")
	}
	if t.ClientCAFile != "" && !t.Enabled() {
		c.add(field+".client_ca_file", "needs cert_file and key_file: client certificates are only asked for over TLS")
	}
	c.oneOf(field+".min_version", t.MinVersion, "1.2", "1.3")
	c.durRange(field+".reload_interval", t.ReloadInterval, 10*time.Millisecond, 24*time.Hour)
}

func (c *checker) upstreamTLS(field string, t UpstreamTLS) {
	for name, v := range map[string]string{"ca_file": t.CAFile, "cert_file": t.CertFile, "key_file": t.KeyFile, "server_name": t.ServerName} {
		c.text(field+"."+name, v)
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		c.add(field, "cert_file and key_file must be set together")
	}
}

// sharedHostTLS refuses two upstreams on one host and port with different
// TLS settings: connections are pooled per host and port, so one of the
// two settings would silently apply to both.
func (c *checker) sharedHostTLS(u Upstreams) {
	p, errP := url.Parse(u.Primary.URL)
	f, errF := url.Parse(u.Fallback.URL)
	if errP != nil || errF != nil || !strings.EqualFold(p.Host, f.Host) || p.Scheme != f.Scheme {
		return
	}
	if u.Primary.TLS != u.Fallback.TLS {
		c.add("upstreams.fallback.tls", "must equal upstreams.primary.tls: both upstreams are on %s", p.Host)
	}
}
