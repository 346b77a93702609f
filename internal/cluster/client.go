package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// dial builds the etcd client of s, which has its defaults. It does not
// wait for a connection: Join checks that with its first read.
func dial(s Settings) (*clientv3.Client, error) {
	cfg := clientv3.Config{
		Endpoints:   s.Endpoints,
		DialTimeout: s.DialTimeout,
		Username:    s.Username,
		Password:    s.Password.Reveal(),
		Logger:      zap.NewNop(), // Engines never log; failures come back as errors.
	}
	var err error
	if cfg.TLS, err = tlsConfig(s.TLS); err != nil {
		return nil, err
	}
	c, err := clientv3.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return c, nil
}

// tlsConfig loads t's files, or returns nil for plain connections.
func tlsConfig(t TLS) (*tls.Config, error) {
	if t == (TLS{}) {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: etcd.tls.ca_file: %w", ErrSettings, err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: etcd.tls.ca_file %s: no PEM certificate", ErrSettings, t.CAFile)
		}
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: etcd.tls.cert_file: %w", ErrSettings, err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}
