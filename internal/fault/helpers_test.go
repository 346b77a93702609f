package fault

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// upstream is a loopback service that counts its requests. Searches find
// three items and carry a field the corruption must keep.
type upstream struct {
	*httptest.Server
	hits atomic.Int64
}

const searchAnswer = `{"status":"ok","result":{"memories":[{"uri":"m"}],"resources":[{"uri":"r"}],` +
	`"skills":[{"uri":"s"}],"total":3,"query_plan":"kept"},"time":0.01}`

func newUpstream(t testing.TB, name string) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/api/v1/search/") {
			io.WriteString(w, searchAnswer)
			return
		}
		io.WriteString(w, `{"status":"ok","result":"`+name+`"}`)
	}))
	t.Cleanup(u.Close)
	return u
}

// pair is an Injector in front of a primary and a fallback on loopback.
type pair struct {
	inj               *Injector
	primary, fallback *upstream
	events            *sink
}

func newPair(t testing.TB, rnd func() float64) *pair {
	t.Helper()
	p := &pair{primary: newUpstream(t, "primary"), fallback: newUpstream(t, "fallback"), events: &sink{}}
	p.inj = New(Options{Primary: mustURL(t, p.primary.URL), Transport: &http.Transport{}, Events: p.events, Rand: rnd})
	t.Cleanup(p.inj.Stop)
	return p
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// do sends one request through rt and returns the status and body, or
// the transport's error.
func do(t testing.TB, rt http.RoundTripper, method, url, body string) (int, string, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// sink keeps the events it receives.
type sink struct {
	mu  sync.Mutex
	evs []event.Event
}

func (s *sink) Emit(e event.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evs = append(s.evs, e)
}

// trail lists the events as "kind" or "kind/reason".
func (s *sink) trail() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.evs {
		k := e.Kind
		if r, ok := e.Fields["reason"].(string); ok {
			k += "/" + r
		}
		out = append(out, k)
	}
	return out
}

// sequence returns the numbers in turn, for deterministic error rates.
func sequence(nums ...float64) func() float64 {
	var n atomic.Int64
	return func() float64 { return nums[int(n.Add(1)-1)%len(nums)] }
}

// stub is an in-memory primary for the tests that run on a fake clock.
type stub struct{ calls atomic.Int64 }

func (s *stub) RoundTrip(req *http.Request) (*http.Response, error) {
	s.calls.Add(1)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")),
		Request: req}, nil
}

const stubURL = "http://primary.test:1933"

func newStubbed(t testing.TB, next http.RoundTripper) (*Injector, *sink) {
	t.Helper()
	ev := &sink{}
	return New(Options{Primary: mustURL(t, stubURL), Transport: next, Events: ev, Rand: sequence(0.5)}), ev
}

func long(f Fault) Fault {
	if f.DurationMS == 0 {
		f.DurationMS = 60_000
	}
	return f
}
