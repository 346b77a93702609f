package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// t0 is the start of every scripted incident.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// hit is one request a receiver saw.
type hit struct {
	Path   string
	Header http.Header
	Body   []byte
}

// receiver is a loopback HTTP server that records requests and answers
// with scripted statuses (the last one repeats; default 200).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	hits     []hit
	statuses []int
	body     string
	header   http.Header
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses, header: http.Header{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.hits = append(r.hits, hit{Path: req.URL.RequestURI(), Header: req.Header.Clone(), Body: b})
	code := http.StatusOK
	if len(r.statuses) > 0 {
		code = r.statuses[0]
		if len(r.statuses) > 1 {
			r.statuses = r.statuses[1:]
		}
	}
	body := r.body
	for k, v := range r.header {
		w.Header()[k] = v
	}
	r.mu.Unlock()
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func (r *receiver) got() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// jsonOf decodes a request body for comparison.
func jsonOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, b)
	}
	return m
}

// canon re-encodes JSON text so that key order and spacing do not matter.
func canon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON %v: %s", err, s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	if g, w := canon(t, string(got)), canon(t, want); g != w {
		t.Fatalf("body\n got %s\nwant %s", g, w)
	}
}

// sample is an L3 trigger with evidence.
func sample() Notice {
	return Notice{
		Action: Trigger, DedupKey: "inc-1", Severity: SeverityCritical, Level: "L3",
		Summary: "Lifeboat L3: ROLLBACK SUCCESSFUL (trigger error_rate 0.62 > 0.2)",
		Source:  "127.0.0.1:8080", Tier: "devops", Time: t0,
		Details: map[string]any{"mode": "fallback", "error_rate": 0.62},
	}
}

// recorder is an in-memory Notifier that records what it was told and
// fails with the scripted errors first.
type recorder struct {
	name  string
	mu    sync.Mutex
	seen  []Notice
	errs  []error
	block chan struct{} // when set, Notify waits for it or ctx
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Notify(ctx context.Context, n Notice) error {
	if r.block != nil {
		select {
		case <-r.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, n)
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		return err
	}
	return nil
}

func (r *recorder) notices() []Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Notice(nil), r.seen...)
}

// sent is one Send the chain made.
type sent struct {
	n  Notice
	to []string
}

// fakeSender records the chain's Sends synchronously.
type fakeSender struct {
	mu   sync.Mutex
	sent []sent
}

func (f *fakeSender) Send(n Notice, to []Notifier) {
	names := make([]string, len(to))
	for i, nf := range to {
		names[i] = nf.Name()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sent{n: n, to: names})
}

// take returns and forgets what was sent so far.
func (f *fakeSender) take() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.sent
	f.sent = nil
	return s
}
