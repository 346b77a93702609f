package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// backend is an httptest upstream that counts its requests.
type backend struct {
	*httptest.Server
	name string
	hits atomic.Int64
}

func newBackend(t testing.TB, name string, h http.HandlerFunc) *backend {
	t.Helper()
	b := &backend{name: name}
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"status":"ok","result":"`+name+`"}`)
		}
	}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// fixture is a gateway between two backends, served on loopback.
type fixture struct {
	gw                *Gateway
	front             *httptest.Server
	primary, fallback *backend
	stats             *stats.Recorder
}

func newFixture(t testing.TB, primary, fallback http.HandlerFunc, mode Mode, routes ...route.Spec) *fixture {
	t.Helper()
	return newFixtureWith(t, primary, fallback, mode, nil, routes...)
}

// newFixtureWith is newFixture with a last word on the gateway's options.
func newFixtureWith(t testing.TB, primary, fallback http.HandlerFunc, mode Mode, edit func(*Options), routes ...route.Spec) *fixture {
	t.Helper()
	f := &fixture{primary: newBackend(t, "primary", primary), fallback: newBackend(t, "fallback", fallback)}
	if routes == nil {
		routes = route.Defaults()
	}
	table := route.New(routes)
	f.stats = stats.NewRecorder(TargetNames, table.Names(), stats.WindowSettings{})
	o := Options{
		Primary:        mustURL(t, f.primary.URL),
		Fallback:       mustURL(t, f.fallback.URL),
		Transport:      NewTransport(TransportSettings{ResponseHeaderTimeout: 2 * time.Second}),
		Routes:         table,
		Stats:          f.stats,
		Routing:        Routing{Mode: mode, PrimaryWeight: 100},
		RequestTimeout: 5 * time.Second,
		RetryBodyLimit: 1 << 20,
		CacheEnabled:   true,
	}
	if edit != nil {
		edit(&o)
	}
	f.gw = New(o)
	f.front = httptest.NewServer(f.gw)
	t.Cleanup(f.front.Close)
	return f
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// do sends one request through the gateway and returns status, the
// upstream that served it and the body.
func (f *fixture) do(t *testing.T, method, path, body string, hdr ...string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.front.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get(upstreamHeaderKey), string(b)
}

func failWith(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, `{"status":"error"}`)
	}
}

// closedURL returns the address of a port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}
