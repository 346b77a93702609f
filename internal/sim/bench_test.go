package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so benchmarks
// measure the simulator rather than the recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkServerNoFault measures the fault layer when nothing is injected.
func BenchmarkServerNoFault(b *testing.B) {
	s := NewServer(plainService{})
	req := httptest.NewRequest("GET", "/health", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(w, req)
	}
}

func BenchmarkOpenVikingHealth(b *testing.B) {
	s := NewServer(NewOpenViking(OpenVikingOptions{}))
	req := httptest.NewRequest("GET", "/health", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(w, req)
	}
}

func BenchmarkOpenVikingFind(b *testing.B) {
	s := NewServer(NewOpenViking(OpenVikingOptions{}))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/search/find", strings.NewReader(`{"query":"context database","limit":5}`))
		s.ServeHTTP(w, req)
	}
}

func BenchmarkLightRAGQuery(b *testing.B) {
	s := NewServer(NewLightRAG(LightRAGOptions{}))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/query", strings.NewReader(`{"query":"agent memory"}`))
		s.ServeHTTP(w, req)
	}
}
