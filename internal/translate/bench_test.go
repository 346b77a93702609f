package translate

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// BenchmarkSearch measures one search translation without the network:
// the fallback's answer is a canned /query/data answer of the simulator.
func BenchmarkSearch(b *testing.B) {
	const query = `{"query":"agent context database memory","limit":10}`
	canned := lightRAGAnswer(b, "/query/data", `{"query":"agent context database memory","mode":"mix","top_k":10}`)
	tr := newTranslator(b, Options{Fallback: &url.URL{Scheme: "http", Host: "lightrag"},
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(canned))}, nil
		})})
	body := strings.NewReader(query)
	r := request(b.Context(), "POST", "/api/v1/search/find", "")
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(query)
		r.Body = io.NopCloser(body)
		resp, err := tr.RoundTrip(r)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode, err)
		}
	}
}

// BenchmarkSearchLoopback adds the simulator on a loopback connection.
func BenchmarkSearchLoopback(b *testing.B) {
	const query = `{"query":"agent context database memory","limit":10}`
	_, u := startLightRAG(b, sim.LightRAGOptions{})
	tr := newTranslator(b, Options{Fallback: u})
	b.ReportAllocs()
	for b.Loop() {
		resp, err := tr.RoundTrip(request(b.Context(), "POST", "/api/v1/search/find", query))
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmatched(b *testing.B) {
	tr := newTranslator(b, Options{Fallback: &url.URL{Scheme: "http", Host: "lightrag"}})
	r := request(b.Context(), "GET", "/api/v1/sessions/s1", "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.RoundTrip(r); err != nil {
			b.Fatal(err)
		}
	}
}

// lightRAGAnswer asks the simulator directly, without a listener.
func lightRAGAnswer(b *testing.B, path, body string) []byte {
	rec := httptest.NewRecorder()
	sim.NewLightRAG(sim.LightRAGOptions{}).ServeHTTP(rec, httptest.NewRequest("POST", path, strings.NewReader(body)))
	if rec.Code != http.StatusOK {
		b.Fatalf("simulator: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}
