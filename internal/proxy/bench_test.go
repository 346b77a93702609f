package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the gateway rather than a recorder's buffers.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

func benchFixture(b *testing.B, h http.HandlerFunc) *Gateway {
	f := newFixture(b, h, nil, ModeBackup)
	if err := f.gw.EnableBreaker(breaker.Settings{}); err != nil {
		b.Fatal(err)
	}
	if err := f.gw.EnableQueue(queue.Settings{MaxConcurrent: 1024, MaxQueueSize: 1024, Timeout: time.Second}); err != nil {
		b.Fatal(err)
	}
	return f.gw
}

func runBench(b *testing.B, gw *Gateway, method, path string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: make(http.Header)}
		for pb.Next() {
			r := httptest.NewRequest(method, path, nil)
			clear(w.h)
			gw.ServeHTTP(w, r)
		}
	})
}

// BenchmarkProxyAllFeatures is the hot path with every feature on: backup
// mode, breaker, queue, per-route stats, and a cache lookup that misses.
func BenchmarkProxyAllFeatures(b *testing.B) {
	gw := benchFixture(b, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"status":"ok","result":{"session_id":"s1"}}`)
	})
	runBench(b, gw, "GET", "/api/v1/sessions/s1")
}

// BenchmarkCacheHit answers from a fresh cache entry.
func BenchmarkCacheHit(b *testing.B) {
	gw := benchFixture(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, `{"status":"ok","result":{"session_id":"s1"}}`)
	})
	gw.ServeHTTP(&discardWriter{h: make(http.Header)}, httptest.NewRequest("GET", "/api/v1/sessions/s1", nil))
	runBench(b, gw, "GET", "/api/v1/sessions/s1")
}

// BenchmarkErrorEnvelope answers with an OpenViking error envelope: an
// upgrade request is refused before any upstream is tried.
func BenchmarkErrorEnvelope(b *testing.B) {
	gw := benchFixture(b, func(w http.ResponseWriter, r *http.Request) {})
	b.ReportAllocs()
	w := &discardWriter{h: make(http.Header)}
	r := httptest.NewRequest("GET", "/api/v1/sessions/s1", nil)
	r.Header.Set("Upgrade", "websocket")
	for b.Loop() {
		clear(w.h)
		gw.ServeHTTP(w, r)
	}
}
