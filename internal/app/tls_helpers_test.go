package app_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf/tlstest"
)

// mtlsUpstream is a simulator behind an httptest TLS server that requires
// a client certificate from ca and presents one issued to name.
type mtlsUpstream struct {
	srv *httptest.Server
	// verified counts requests that arrived with a verified client
	// certificate: the only ones the server lets through.
	verified atomic.Int64
}

func startMTLSUpstream(t *testing.T, ca *tlstest.CA, name string, svc sim.Service) *mtlsUpstream {
	t.Helper()
	u := &mtlsUpstream{}
	u.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
			u.verified.Add(1)
		}
		svc.ServeHTTP(w, r)
	}))
	u.srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{ca.Server(t, name, name).TLS(t)},
		ClientCAs:    ca.Pool(),
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
	}
	u.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what some tests want
	u.srv.StartTLS()
	t.Cleanup(u.srv.Close)
	return u
}

// httpsClient trusts pool and presents certs, speaking HTTP/2 when the
// server offers it.
func httpsClient(t *testing.T, pool *x509.CertPool, certs ...tls.Certificate) *http.Client {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: certs, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// fetch GETs url with c and returns the response, its body read.
func fetch(t *testing.T, c *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// serverTLS is a listener's TLS section serving pair from dir.
func serverTLS(t *testing.T, dir string, p tlstest.Pair) config.ServerTLS {
	t.Helper()
	s := config.Default().TLS
	s.CertFile, s.KeyFile = p.Write(t, dir, "gateway")
	return s
}

// upstreamStatus is one upstream's section of a /status document.
func upstreamStatus(t *testing.T, doc, name string) map[string]any {
	t.Helper()
	var st struct {
		Upstreams map[string]map[string]any `json:"upstreams"`
	}
	if err := json.Unmarshal([]byte(doc), &st); err != nil {
		t.Fatalf("/status: %v", err)
	}
	return st.Upstreams[name]
}
