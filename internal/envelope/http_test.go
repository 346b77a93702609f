package envelope

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestWriteErrorOverLoopback answers a real client: the status, the
// caller's own header, Content-Type and a body that decodes.
func TestWriteErrorOverLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		WriteError(w, http.StatusServiceUnavailable, Unavailable, "breaker open", 0)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %v", resp.StatusCode, resp.Header)
	}
	if want := `{"status":"error","error":{"code":"UNAVAILABLE","message":"breaker open"},"time":0}`; string(raw) != want {
		t.Errorf("body %s, want %s", raw, want)
	}
}

func TestResponse(t *testing.T) {
	req := httptest.NewRequest("GET", "/api/v1/sessions/s1", nil)
	for status, line := range map[int]string{200: "200 OK", 404: "404 Not Found", 503: "503 Service Unavailable"} {
		body := ErrorBody(Code(status), "m", 0)
		resp := Response(req, status, body)
		raw, err := io.ReadAll(resp.Body)
		if err != nil || string(raw) != string(body) {
			t.Fatalf("%d: body %q %v", status, raw, err)
		}
		if resp.StatusCode != status || resp.Status != line || resp.Request != req || resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
			t.Errorf("%d: %+v", status, resp)
		}
		if resp.ContentLength != int64(len(body)) || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) ||
			resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%d: length %d, header %v", status, resp.ContentLength, resp.Header)
		}
	}
}

// TestResponseThroughClient: a RoundTripper answering with Response looks
// to an http.Client like any server's answer.
func TestResponseThroughClient(t *testing.T) {
	c := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return Response(r, http.StatusOK, AppendOK(nil, []byte(`{"total":0}`), 0.01)), nil
	})}
	resp, err := c.Get("http://primary.invalid/api/v1/search/find")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env Envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Status != "ok" || string(env.Result) != `{"total":0}` {
		t.Errorf("decoded %+v, %v", env, err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// discard is a ResponseWriter that keeps nothing, so the benchmark
// measures WriteError itself.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func BenchmarkWriteError(b *testing.B) {
	w := &discard{h: make(http.Header)}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		WriteError(w, http.StatusBadGateway, Unavailable, `primary: Get "http://127.0.0.1:1933/x": connection refused`, 0)
	}
}
