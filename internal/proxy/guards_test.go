package proxy

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

func TestBreakerOpensAndRejectsWithRetryAfter(t *testing.T) {
	f := newFixture(t, failWith(500), nil, ModePrimary)
	if err := f.gw.EnableBreaker(breaker.Settings{FailureThreshold: 2, RecoveryTimeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if code, _, _ := f.do(t, "GET", "/api/v1/sessions/s1", ""); code != 500 {
			t.Fatalf("request %d: got %d, want the primary's 500", i, code)
		}
	}
	resp, err := http.Get(f.front.URL + "/api/v1/sessions/s1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "60" || !strings.Contains(string(body), "circuit open") {
		t.Fatalf("with breaker open: got %d Retry-After=%q %s; want 503, Retry-After 60", resp.StatusCode,
			resp.Header.Get("Retry-After"), body)
	}
	if got := f.primary.hits.Load(); got != 2 {
		t.Fatalf("primary hits = %d, want 2: an open breaker must not send requests", got)
	}
}

func TestOpenBreakerSendsBackupTrafficStraightToFallback(t *testing.T) {
	f := newFixture(t, failWith(500), nil, ModeBackup)
	f.gw.EnableBreaker(breaker.Settings{FailureThreshold: 1, RecoveryTimeout: time.Minute})
	f.do(t, "GET", "/a", "") // trips the breaker, served by the fallback
	before := f.primary.hits.Load()
	code, by, _ := f.do(t, "POST", "/api/v1/sessions", `{}`)
	if code != 200 || by != "fallback" || f.primary.hits.Load() != before {
		t.Fatalf("non-idempotent POST with breaker open: %d from %q, primary hits %d->%d; want fallback without touching primary",
			code, by, before, f.primary.hits.Load())
	}
}

func TestEnableBreakerTwiceKeepsState(t *testing.T) {
	f := newFixture(t, failWith(500), nil, ModePrimary)
	s := breaker.Settings{FailureThreshold: 1, RecoveryTimeout: time.Minute, MaxRecoveryTimeout: time.Minute, HalfOpenProbes: 1}
	f.gw.EnableBreaker(s)
	f.do(t, "GET", "/a", "")
	f.gw.EnableBreaker(s)
	if st := f.gw.Breaker().State(); st != breaker.Open {
		t.Fatalf("re-enabling with the same settings reset the breaker to %v", st)
	}
	s.FailureThreshold = 3
	f.gw.EnableBreaker(s)
	if st := f.gw.Breaker().State(); st != breaker.Closed {
		t.Fatalf("new settings should start a fresh breaker, got %v", st)
	}
}

func TestQueueFullAndTimeoutGet503(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}, nil, ModePrimary)
	if err := f.gw.EnableQueue(queue.Settings{MaxConcurrent: 1, MaxQueueSize: 1, Timeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	wg.Go(func() { c, _, _ := f.do(t, "GET", "/1", ""); codes <- c })
	<-entered
	wg.Go(func() { c, _, _ := f.do(t, "GET", "/2", ""); codes <- c })
	waitFor(t, func() bool { return f.gw.Queue().Snapshot().Waiting == 1 })
	code, _, body := f.do(t, "GET", "/3", "")
	if code != 503 || !strings.Contains(body, "UNAVAILABLE") {
		t.Fatalf("third request with queue full: got %d %s, want 503", code, body)
	}
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("queued request finished with %d, want 200", c)
		}
	}
	if s := f.gw.Queue().Snapshot(); s.InFlight != 0 || s.RejectedFull != 1 {
		t.Fatalf("queue after: %+v; want no slot held and one rejection", s)
	}
}

func TestQueueTimeoutFallsBackInBackupMode(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	f := newFixture(t, func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}, nil, ModeBackup)
	f.gw.EnableQueue(queue.Settings{MaxConcurrent: 1, MaxQueueSize: 10, Timeout: 20 * time.Millisecond})
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		if resp, err := http.Get(f.front.URL + "/hold"); err == nil {
			resp.Body.Close()
		}
	})
	<-entered
	code, by, _ := f.do(t, "POST", "/api/v1/sessions", `{}`)
	close(release)
	if code != 200 || by != "fallback" {
		t.Fatalf("queue timeout in backup mode: got %d from %q, want the fallback's 200", code, by)
	}
}
