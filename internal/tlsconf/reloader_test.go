package tlsconf

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// served is the leaf certificate the reloader hands to the next handshake.
func served(t *testing.T, r *Reloader) []byte {
	t.Helper()
	c, err := r.GetCertificate(nil)
	if err != nil || c == nil {
		t.Fatalf("GetCertificate: %v, %v", c, err)
	}
	return c.Certificate[0]
}

func leaf(t *testing.T, p tlstest.Pair) []byte { return p.TLS(t).Certificate[0] }

// recorder keeps what the reloader reports.
type recorder struct {
	mu   sync.Mutex
	errs []error
}

func (r *recorder) add(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }
func (r *recorder) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

// A certificate rotated on disk is served from the next poll on, and a
// rotation caught half written keeps the old one, reported once.
func TestReloaderPicksUpRotation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ca, dir := tlstest.NewCA(t, "ca"), t.TempDir()
		first, second := ca.Server(t, "one", "127.0.0.1"), ca.Server(t, "two", "127.0.0.1")
		certFile, keyFile := first.Write(t, dir, "srv")
		var rec recorder
		r, err := NewReloader(certFile, keyFile, 10*time.Second, rec.add)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()

		tlstest.WriteFile(t, certFile, second.CertPEM) // the key is not there yet
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if !bytes.Equal(served(t, r), leaf(t, first)) {
			t.Fatal("a half-written rotation replaced the served certificate")
		}
		time.Sleep(10 * time.Second) // the same failure again is not reported again
		synctest.Wait()
		second.Write(t, dir, "srv")
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if !bytes.Equal(served(t, r), leaf(t, second)) {
			t.Fatal("the rotated certificate is not served")
		}
		cancel()
		<-done
		errs := rec.all()
		if len(errs) != 2 || !errors.Is(errs[0], ErrCertificate) || errs[1] != nil {
			t.Fatalf("reports = %v, want one ErrCertificate then one swap", errs)
		}
	})
}

func TestServerRefusesMissingFiles(t *testing.T) {
	dir := t.TempDir()
	s := config.ServerTLS{CertFile: filepath.Join(dir, "no.crt"), KeyFile: filepath.Join(dir, "no.key"), MinVersion: "1.2", ReloadInterval: time.Second}
	if _, _, err := Server(s, nil); !errors.Is(err, ErrCertificate) {
		t.Fatalf("Server with missing files: %v, want ErrCertificate", err)
	}
	p := tlstest.NewCA(t, "ca").Server(t, "srv")
	s.CertFile, s.KeyFile = p.Write(t, dir, "srv")
	s.ClientCAFile = s.KeyFile // a key is no CA bundle
	if _, _, err := Server(s, nil); !errors.Is(err, ErrCertificate) {
		t.Fatalf("Server with a key as client CA: %v, want ErrCertificate", err)
	}
}
