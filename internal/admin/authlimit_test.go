package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Repeated failures from one address lock it out, with Retry-After, even
// for the right token; the lockout doubles; a success afterwards resets
// the count. Each failure is an event naming the address, never the token.
func TestAuthFailuresSlowDownOneAddress(t *testing.T) {
	gw, _ := newGateway(t)
	ring := event.NewRing(64)
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	o := testOptions(gw, "right-token", ring)
	o.Now = clk.now
	api := New(o)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	wrong, right := []string{"Authorization", "Bearer wrong-guess"}, []string{"Authorization", "Bearer right-token"}
	for i := range freeFailures {
		if code, _ := call(t, srv, "GET", "/admin/route", "", "", wrong...); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	if code, _ := call(t, srv, "GET", "/admin/route", "", "", wrong...); code != http.StatusUnauthorized {
		t.Fatalf("failure %d: %d, want 401 that starts the lockout", freeFailures+1, code)
	}
	code, body := call(t, srv, "GET", "/admin/route", "", "", right...)
	if code != http.StatusTooManyRequests || !strings.Contains(errMessage(body), "retry after 1s") {
		t.Fatalf("the right token while locked out: %d %v, want 429 retry after 1s", code, body)
	}
	clk.advance(time.Second)
	if code, _ := call(t, srv, "GET", "/admin/route", "", "", wrong...); code != http.StatusUnauthorized {
		t.Fatalf("after the lockout: %d, want 401", code)
	}
	if code, body := call(t, srv, "GET", "/admin/route", "", "", right...); code != http.StatusTooManyRequests ||
		!strings.Contains(errMessage(body), "retry after 2s") {
		t.Fatalf("second lockout: %d %v, want 429 retry after 2s (doubled)", code, body)
	}
	clk.advance(2 * time.Second)
	if code, _ := call(t, srv, "GET", "/admin/route", "", "", right...); code != http.StatusOK {
		t.Fatalf("the right token after the lockout: %d, want 200", code)
	}
	if code, _ := call(t, srv, "GET", "/admin/route", "", "", wrong...); code != http.StatusUnauthorized {
		t.Fatalf("a failure after a success: %d, want 401 (count reset)", code)
	}
	var failures int
	for _, e := range ring.Recent(64) {
		if e.Kind != KindAuthFailed {
			continue
		}
		failures++
		if e.Fields["remote_addr"] != "127.0.0.1" || strings.Contains(e.Message, "wrong-guess") {
			t.Errorf("event %q fields %v: want the address and never the token", e.Message, e.Fields)
		}
	}
	if failures != freeFailures+3 {
		t.Errorf("%d failure events, want %d", failures, freeFailures+3)
	}
	if f, th := api.AuthFailures(); f != freeFailures+3 || th != 2 {
		t.Errorf("AuthFailures = %d, %d; want %d failed, 2 throttled", f, th, freeFailures+3)
	}
}

// errMessage is an error envelope's message.
func errMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}
