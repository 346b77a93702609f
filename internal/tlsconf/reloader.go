// Package tlsconf turns Lifeboat's TLS settings into crypto/tls
// configurations: a server's, whose certificate is re-read from disk while
// it runs, and a client's toward one upstream.
//
// Rotation is polling: every interval the reloader reads the certificate
// and key files and, when their bytes changed, parses them and swaps the
// certificate in for the next handshake. Polling, not file notifications,
// because cert-manager and Kubernetes secrets replace a directory of
// symlinks, which inotify watches on the files miss. A pair that does not
// parse (a rotation caught half written) keeps the certificate served
// until a later read succeeds, and is reported once.
package tlsconf

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrCertificate marks a certificate, key or CA file that cannot be read
// or parsed.
var ErrCertificate = errors.New("tlsconf: bad certificate")

// Reloader serves the certificate found in a pair of PEM files, read again
// every interval by Run.
type Reloader struct {
	certFile, keyFile string
	interval          time.Duration
	// onChange is told of each swap (err nil) and each failed read; it
	// must not block.
	onChange func(err error)

	cur atomic.Pointer[tls.Certificate]

	mu       sync.Mutex // guards the bytes last read and the last error reported
	certPEM  []byte
	keyPEM   []byte
	lastFail string
}

// NewReloader reads the pair once and fails when it does not parse, so a
// gateway never starts without a certificate. onChange may be nil.
func NewReloader(certFile, keyFile string, interval time.Duration, onChange func(err error)) (*Reloader, error) {
	if onChange == nil {
		onChange = func(error) {}
	}
	r := &Reloader{certFile: certFile, keyFile: keyFile, interval: interval, onChange: onChange}
	if _, err := r.reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Run re-reads the files every interval until ctx ends. The caller owns
// the goroutine and waits for it.
func (r *Reloader) Run(ctx context.Context) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.check()
		}
	}
}

// check reloads and reports a swap, or a failure once per distinct error.
func (r *Reloader) check() {
	changed, err := r.reload()
	r.mu.Lock()
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	repeat := err != nil && msg == r.lastFail
	r.lastFail = msg
	r.mu.Unlock()
	if changed || (err != nil && !repeat) {
		r.onChange(err)
	}
}

// reload reads both files and swaps the certificate when their bytes
// changed and parse; it reports whether it swapped.
func (r *Reloader) reload() (bool, error) {
	certPEM, err := os.ReadFile(r.certFile)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	keyPEM, err := os.ReadFile(r.keyFile)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	r.mu.Lock()
	same := bytes.Equal(certPEM, r.certPEM) && bytes.Equal(keyPEM, r.keyPEM)
	r.mu.Unlock()
	if same {
		return false, nil
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return false, fmt.Errorf("%w: %s with %s: %w", ErrCertificate, r.certFile, r.keyFile, err)
	}
	r.mu.Lock()
	r.certPEM, r.keyPEM = certPEM, keyPEM
	r.mu.Unlock()
	r.cur.Store(&cert)
	return true, nil
}

// GetCertificate is tls.Config.GetCertificate: the pair read last.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.cur.Load(), nil
}

// GetClientCertificate is tls.Config.GetClientCertificate: the pair read
// last, presented to an upstream that asks for one.
func (r *Reloader) GetClientCertificate(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	return r.cur.Load(), nil
}
