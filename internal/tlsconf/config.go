package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// Server builds the tls.Config of a listener and the reloader that keeps
// its certificate current; the caller runs the reloader. HTTP/2 is offered
// first, as browsers and gRPC-era clients expect over TLS.
func Server(s config.ServerTLS, onChange func(error)) (*tls.Config, *Reloader, error) {
	r, err := NewReloader(s.CertFile, s.KeyFile, s.ReloadInterval, onChange)
	if err != nil {
		return nil, nil, err
	}
	c := &tls.Config{
		MinVersion:     version(s.MinVersion),
		GetCertificate: r.GetCertificate,
		NextProtos:     []string{"h2", "http/1.1"},
	}
	if s.ClientCAFile != "" {
		if c.ClientCAs, err = pool(s.ClientCAFile); err != nil {
			return nil, nil, err
		}
		c.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return c, r, nil
}

// Client builds the tls.Config toward one upstream, and the reloader of
// its client certificate when it presents one (nil otherwise).
func Client(u config.UpstreamTLS, onChange func(error)) (*tls.Config, *Reloader, error) {
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: u.ServerName, InsecureSkipVerify: u.InsecureSkipVerify} //nolint:gosec // the operator's explicit, warned-about choice
	var err error
	if u.CAFile != "" {
		if c.RootCAs, err = pool(u.CAFile); err != nil {
			return nil, nil, err
		}
	}
	if u.CertFile == "" {
		return c, nil, nil
	}
	r, err := NewReloader(u.CertFile, u.KeyFile, defaultClientReload, onChange)
	if err != nil {
		return nil, nil, err
	}
	c.GetClientCertificate = r.GetClientCertificate
	return c, r, nil
}

// version maps a validated "1.2" or "1.3" to its constant.
func version(v string) uint16 {
	if v == "1.3" {
		return tls.VersionTLS13
	}
	return tls.VersionTLS12
}

// pool reads a PEM bundle of CA certificates.
func pool(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%w: %s holds no PEM certificate", ErrCertificate, file)
	}
	return p, nil
}

// defaultClientReload is how often an upstream client certificate is read
// again, as a listener's is by default.
const defaultClientReload = 10 * time.Second
