package forward_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/forward"
)

// local is an admin API that says who served the call and what
// Authorization it saw.
type local struct{ name string }

func (l local) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, l.name+" "+r.Header.Get("Authorization")+" "+r.Header.Get(forward.ForwardedByHeader))
}

func (local) Owns(path string) bool { return strings.HasPrefix(path, "/admin/") }

// decider is a fixed answer to who decides.
type decider struct {
	deciding  bool
	name, url string
	err       error
}

func (d decider) Deciding() bool { return d.deciding }

func (d decider) DeciderAdmin(context.Context) (string, string, error) { return d.name, d.url, d.err }

func call(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(`{"by":"alice"}`))
	r.Header.Set("Authorization", "Bearer s3cret")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestFollowerForwardsWritesKeepingAuthorization(t *testing.T) {
	srv := httptest.NewServer(local{name: "decider"})
	defer srv.Close()
	h := forward.New(forward.Options{Next: local{name: "follower"}, Self: "r1",
		Decider: decider{name: "r0", url: srv.URL}})
	w := call(t, h, http.MethodPost, "/admin/incidents/i-1/ack")
	if got := w.Body.String(); w.Code != http.StatusOK || got != "decider Bearer s3cret r1" {
		t.Fatalf("forwarded ack: %d %q", w.Code, got)
	}
	if got := w.Header().Get(forward.ForwardedToHeader); got != "r0" {
		t.Fatalf("%s: %q, want r0", forward.ForwardedToHeader, got)
	}
	if w := call(t, h, http.MethodGet, "/admin/incidents/i-1"); !strings.HasPrefix(w.Body.String(), "follower") {
		t.Fatalf("a read was not served locally: %q", w.Body.String())
	}
	if w := call(t, h, http.MethodPost, "/admin/circuit-breaker/reset"); !strings.HasPrefix(w.Body.String(), "follower") {
		t.Fatalf("a gateway-local call was not served locally: %q", w.Body.String())
	}
}

func TestDeciderServesWritesItself(t *testing.T) {
	h := forward.New(forward.Options{Next: local{name: "decider"}, Decider: decider{deciding: true}})
	if w := call(t, h, http.MethodPost, "/admin/level"); !strings.HasPrefix(w.Body.String(), "decider") {
		t.Fatalf("the decider forwarded its own write: %q", w.Body.String())
	}
}

func TestRefusedWritesAreRetryable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cases := map[string]struct {
		d    decider
		by   string
		want string
	}{
		"no decider":  {d: decider{err: errors.New("nobody holds the election")}, want: "nobody holds the election"},
		"unreachable": {d: decider{name: "r0", url: dead.URL}, want: "decider r0 at " + dead.URL + " unreachable"},
		"loop":        {d: decider{name: "r0", url: dead.URL}, by: "r2", want: "forwarded by r2"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := forward.New(forward.Options{Next: local{name: "follower"}, Decider: c.d})
			r := httptest.NewRequest(http.MethodPost, "/admin/restore/start", nil)
			if c.by != "" {
				r.Header.Set(forward.ForwardedByHeader, c.by)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
				!strings.Contains(w.Body.String(), c.want) {
				t.Fatalf("%d Retry-After %q %s, want 503 naming %q", w.Code, w.Header().Get("Retry-After"), w.Body.String(), c.want)
			}
		})
	}
}

func TestForwardsOnlyTheDecidersWrites(t *testing.T) {
	for _, c := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/admin/incidents/x/ack", true},
		{"POST", "/admin/incidents/x/checklist", true},
		{"POST", "/admin/level", true},
		{"POST", "/admin/rollback", true},
		{"POST", "/admin/restore/abort", true},
		{"POST", "/admin/automation/resume", true},
		{"GET", "/admin/incidents/x", false},
		{"GET", "/admin/level", false},
		{"POST", "/admin/faults", false},
		{"POST", "/admin/route", false},
		{"POST", "/admin/journal/held/replay", false},
	} {
		if got := forward.Forwards(c.method, c.path); got != c.want {
			t.Errorf("Forwards(%s %s) = %v, want %v", c.method, c.path, got, c.want)
		}
	}
}
