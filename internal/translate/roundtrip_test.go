package translate

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestUnmatchedIsUnavailable(t *testing.T) {
	l, tr := onSimulator(t)
	for _, c := range [][2]string{{"POST", "/api/v1/sessions"}, {"GET", "/api/v1/search/find"}, {"GET", "/health/"}} {
		r := do(t, tr, c[0], c[1], "")
		want := `{"status":"error","error":{"code":"UNAVAILABLE","message":"` + c[0] + " " + c[1] +
			` is not available while the primary is down"},"time":0}`
		if r.status != http.StatusServiceUnavailable || r.raw != want {
			t.Errorf("%s %s: %d %s", c[0], c[1], r.status, r.raw)
		}
		if _, ok := r.header[HeaderRule]; ok {
			t.Errorf("%s %s: unmatched reply names a rule", c[0], c[1])
		}
	}
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

// causes records what OnFallbackError reports.
type causes struct {
	mu   sync.Mutex
	seen []string // "rule cause: detail"
}

func (c *causes) record(rule, cause, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, rule+" "+cause+": "+detail)
}

func (c *causes) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) == 0 {
		return ""
	}
	return c.seen[len(c.seen)-1]
}

// wantUnavailable is the gateway's failure: 503 UNAVAILABLE with a
// Retry-After, whatever the fallback said, and the cause reported.
func wantUnavailable(t *testing.T, r reply, got *causes, cause string) {
	t.Helper()
	wantError(t, r, http.StatusServiceUnavailable, "UNAVAILABLE", "retry later")
	if r.header.Get("Retry-After") == "" {
		t.Errorf("no Retry-After: %v", r.header)
	}
	if !strings.Contains(got.last(), " "+cause+": ") {
		t.Errorf("reported %q, want cause %s", got.last(), cause)
	}
}

// Whatever the fallback answers that the gateway cannot use is the
// gateway's failure, never the client's: a wrong fallback_api_key (401,
// 403) would otherwise reach the SDK as PermissionDeniedError against its
// own, valid key. The fallback's body never leaks.
func TestFallbackErrorsAreTheGateways(t *testing.T) {
	cases := []struct {
		status int
		body   string
		cause  string
	}{
		{400, `{"detail":"bad mode"}`, CauseRefused},
		{422, `{"detail":[{"msg":"Field required","loc":["body","query"]},{"msg":"second"}]}`, CauseRefused},
		{401, `{"detail":"No credentials"}`, CauseRefused},
		{403, `{"detail":"Invalid API Key"}`, CauseRefused},
		{404, `{"detail":"Not Found"}`, CauseRefused},
		{429, `{}`, CauseRefused},
		{500, `{"detail":"boom"}`, CauseFailed},
		{502, `<html>proxy internals</html>`, CauseFailed},
		{409, `{"detail":{"nested":true}}`, CauseRefused},
		{301, ``, CauseRefused},
	}
	for _, c := range cases {
		got := &causes{}
		u := standIn(t, answer(c.status, c.body))
		r := do(t, newTranslator(t, Options{Fallback: u, OnFallbackError: got.record}), "GET", "/health", "")
		wantUnavailable(t, r, got, c.cause)
		if strings.Contains(r.raw, "internals") || strings.Contains(r.raw, "second") || strings.Contains(r.raw, "API Key") {
			t.Errorf("%d: the fallback's body leaked: %s", c.status, r.raw)
		}
	}
}

func TestTransportErrorIsUnavailable(t *testing.T) {
	got := &causes{}
	cut := newTranslator(t, Options{Fallback: standIn(t, answer(200, `{}`)), OnFallbackError: got.record,
		Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("wire cut") })})
	wantUnavailable(t, do(t, cut, "GET", "/health", ""), got, CauseUnreachable)
	refused := &url.URL{Scheme: "http", Host: "127.0.0.1:1"} // nothing listens on port 1
	wantUnavailable(t, do(t, newTranslator(t, Options{Fallback: refused, OnFallbackError: got.record}), "GET", "/health", ""), got, CauseUnreachable)
}

// A fallback that hangs is bounded by CallTimeout; the client waits no
// longer and gets UNAVAILABLE. The clock is synctest's, so the 10 s
// default passes at once.
func TestHangingFallbackIsUnavailable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		got := &causes{}
		hang := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		})
		tr := newTranslator(t, Options{Fallback: &url.URL{Scheme: "http", Host: "fallback"}, Transport: hang, OnFallbackError: got.record})
		start := time.Now()
		r := do(t, tr, "GET", "/health", "")
		wantUnavailable(t, r, got, CauseTimeout)
		if waited := time.Since(start); waited != defaultCallTimeout {
			t.Errorf("waited %v, want the call timeout %v", waited, defaultCallTimeout)
		}
	})
}

// A client that goes away is not the fallback's failure: its context's
// error comes back, and nothing is reported.
func TestClientGoneIsReturned(t *testing.T) {
	got := &causes{}
	ctx, cancel := context.WithCancel(t.Context())
	gone := roundTripFunc(func(r *http.Request) (*http.Response, error) { cancel(); return nil, r.Context().Err() })
	tr := newTranslator(t, Options{Fallback: &url.URL{Scheme: "http", Host: "fallback"}, Transport: gone, OnFallbackError: got.record})
	resp, err := tr.RoundTrip(request(ctx, "GET", "/health", ""))
	if resp != nil || !errors.Is(err, context.Canceled) || got.last() != "" {
		t.Fatalf("got %v, %v, reported %q; want the client's cancellation, unreported", resp, err, got.last())
	}
}

func TestBadJSONBodyIsInvalid(t *testing.T) {
	l, tr := onSimulator(t)
	r := do(t, tr, "POST", "/api/v1/search/find", `{"query": "agents"`)
	wantError(t, r, http.StatusBadRequest, "INVALID_ARGUMENT", "the request body is not valid JSON")
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

func TestMaxBody(t *testing.T) {
	l, u := startLightRAG(t, sim.LightRAGOptions{})
	tr := newTranslator(t, Options{Fallback: u, MaxBody: 64})
	r := do(t, tr, "POST", "/api/v1/search/find", `{"query":"`+strings.Repeat("agents ", 10)+`"}`)
	wantError(t, r, http.StatusBadRequest, "INVALID_ARGUMENT", "larger than 64 bytes")
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
	// The answer to this search is well over 64 bytes.
	r = do(t, tr, "POST", "/api/v1/search/find", `{"query":"agents"}`)
	wantError(t, r, http.StatusServiceUnavailable, "UNAVAILABLE", "retry later")
}

func TestFallbackAnswerNotJSONIsUnavailable(t *testing.T) {
	got := &causes{}
	u := standIn(t, answer(200, `<html>`))
	r := do(t, newTranslator(t, Options{Fallback: u, OnFallbackError: got.record}), "GET", "/health", "")
	wantUnavailable(t, r, got, CauseShape)
	if !strings.Contains(got.last(), `rule "health": the fallback's answer is not JSON`) {
		t.Errorf("reported %q", got.last())
	}
}

// The client's keys are OpenViking's; the fallback gets only the headers
// Options.Header names, plus JSON content negotiation.
func TestHeaders(t *testing.T) {
	var seen atomic.Pointer[http.Request]
	u := standIn(t, func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r)
		answer(200, `{"status":"success","data":{"chunks":[]}}`)(w, r)
	})
	tr := newTranslator(t, Options{Fallback: u, Header: http.Header{"x-api-key": {"lightrag-key"}}})
	do(t, tr, "POST", "/api/v1/search/find", `{"query":"agents"}`,
		"Authorization", "Bearer ov-key", "X-API-Key", "ov-key", "X-OpenViking-User", "alice", "Cookie", "c=1")
	h := seen.Load().Header
	if h.Values("X-Api-Key")[0] != "lightrag-key" || len(h.Values("X-Api-Key")) != 1 {
		t.Errorf("X-API-Key = %q", h.Values("X-Api-Key"))
	}
	for _, k := range []string{"Authorization", "X-Openviking-User", "Cookie"} {
		if h.Get(k) != "" {
			t.Errorf("%s forwarded: %q", k, h.Get(k))
		}
	}
	if h.Get("Content-Type") != "application/json" || h.Get("Accept") != "application/json" {
		t.Errorf("content negotiation: %v", h)
	}
}

func TestLightRAGKeyFromOptions(t *testing.T) {
	_, u := startLightRAG(t, sim.LightRAGOptions{APIKey: "lr-secret"})
	anonymous := newTranslator(t, Options{Fallback: u})
	wantError(t, do(t, anonymous, "POST", "/api/v1/search/find", `{"query":"agents"}`, "X-API-Key", "lr-secret"),
		http.StatusServiceUnavailable, "UNAVAILABLE", "retry later")
	keyed := newTranslator(t, Options{Fallback: u, Header: http.Header{"X-Api-Key": {"lr-secret"}}})
	if res := resources(t, do(t, keyed, "POST", "/api/v1/search/find", `{"query":"agents"}`)); len(res) == 0 {
		t.Error("no results with the fallback's key")
	}
}

// A client that goes away stops the fallback call.
func TestCancelStopsTheFallbackCall(t *testing.T) {
	arrived := make(chan struct{})
	u := standIn(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	tr := newTranslator(t, Options{Fallback: u})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := tr.RoundTrip(request(ctx, "GET", "/health", ""))
		done <- err
	}()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// A client that goes away stops a program that would run for ever. The
// context gives up after the program has polled it many times, so the run
// is cut short in the middle, without timers.
func TestCancelStopsAProgram(t *testing.T) {
	for _, rule := range []Rule{
		{Name: "spin", Paths: []string{"/spin"}, Path: "/x", Request: "reduce range(1e18) as $i (0; 0)", Response: "."},
		{Name: "spin", Paths: []string{"/spin"}, Response: "reduce range(1e18) as $i (0; 0)"},
	} {
		u := standIn(t, func(http.ResponseWriter, *http.Request) { t.Error("the fallback was called") })
		tr := newTranslator(t, Options{Fallback: u, Rules: []Rule{rule}})
		ctx := &patience{Context: t.Context(), left: 10000, done: make(chan struct{})}
		resp, err := tr.RoundTrip(request(ctx, "GET", "/spin", ""))
		if resp != nil || !errors.Is(err, context.Canceled) || ctx.left > 0 {
			t.Fatalf("%s: got %v, %v after %d polls left; want context.Canceled", rule.Request, resp, err, ctx.left)
		}
	}
}

// patience is a context that is cancelled once Done has been called left
// times.
type patience struct {
	context.Context
	left int
	done chan struct{}
}

func (p *patience) Done() <-chan struct{} {
	if p.left--; p.left == 0 {
		close(p.done)
	}
	return p.done
}

func (p *patience) Err() error {
	if p.left <= 0 {
		return context.Canceled
	}
	return nil
}

func TestRequestBodyIsClosed(t *testing.T) {
	_, tr := onSimulator(t)
	for _, path := range []string{"/health", "/nowhere"} {
		body := &closeCounter{Reader: strings.NewReader(`{}`)}
		r := request(t.Context(), "GET", path, "")
		r.Body = body
		resp, err := tr.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if body.closed.Load() != 1 {
			t.Errorf("%s: body closed %d times", path, body.closed.Load())
		}
	}
}

type closeCounter struct {
	io.Reader
	closed atomic.Int32
}

func (c *closeCounter) Close() error { c.closed.Add(1); return nil }
