package cluster

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
)

// ttl is the tests' lease: etcdtest's floor, so a dead decider is replaced
// in about a second.
const ttl = time.Second

// wait bounds every wait for the cluster to converge: a lease, plus room
// for a loaded CI machine.
const wait = 10 * time.Second

func startEtcd(t testing.TB) *etcdtest.Server {
	t.Helper()
	s, err := etcdtest.Start(t.TempDir(), etcdtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func testSettings(endpoints []string, name string) Settings {
	return Settings{
		Etcd: Etcd{Endpoints: endpoints, DialTimeout: 5 * time.Second, RequestTimeout: 3 * time.Second},
		Name: name, Prefix: "/test/",
		LeaseTTL: ttl, Interval: 200 * time.Millisecond,
	}
}

func join(t testing.TB, endpoints []string, name string, o Options) *Member {
	t.Helper()
	return joinWith(t, testSettings(endpoints, name), o)
}

func joinWith(t testing.TB, s Settings, o Options) *Member {
	t.Helper()
	m, err := Join(t.Context(), s, o)
	if err != nil {
		t.Fatalf("join %s: %v", s.Name, err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// kill stops m the way kill -9 would: no resignation, no revocation; its
// lease runs out in etcd on its own.
func kill(m *Member) {
	_ = m.c.Close()
	m.stop()
	m.wg.Wait()
	m.closeOnce.Do(func() {})
}

// waitFor polls cond until it holds or wait passes.
func waitFor(t testing.TB, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > wait {
			t.Fatalf("%s: not after %v", what, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// decider waits for exactly one of ms to decide and returns it.
func decider(t testing.TB, ms ...*Member) *Member {
	t.Helper()
	var got *Member
	waitFor(t, "one decider", func() bool {
		got = nil
		n := 0
		for _, m := range ms {
			if m.IsDecider() {
				got, n = m, n+1
			}
		}
		return n == 1
	})
	return got
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(t.Context(), wait)
	t.Cleanup(cancel)
	return c
}

// leadership records OnLeadership calls.
type leadership struct {
	mu  sync.Mutex
	got []bool
}

func (l *leadership) on(d bool) {
	l.mu.Lock()
	l.got = append(l.got, d)
	l.mu.Unlock()
}

func (l *leadership) calls() []bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]bool(nil), l.got...)
}
