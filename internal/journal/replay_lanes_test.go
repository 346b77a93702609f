package journal

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// slowPrimary stands in front of the simulator like a real primary: every
// write takes delay. It counts the requests in flight and keeps the most
// seen at once; while failing is set it answers requests for session bad
// with a 503.
type slowPrimary struct {
	ov       *sim.OpenViking
	delay    time.Duration
	bad      string
	failing  atomic.Bool
	inFlight atomic.Int64
	most     atomic.Int64
}

func (p *slowPrimary) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	if p.bad != "" && p.failing.Load() && strings.Contains(r.URL.Path, "/sessions/"+p.bad) {
		http.Error(w, `{"status":"error","error":{"code":"UNAVAILABLE","message":"busy"}}`, http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodGet {
		time.Sleep(p.delay) // the primary's own latency, not a test wait
	}
	p.ov.ServeHTTP(w, r)
}

func startSlow(t *testing.T, delay time.Duration, bad string) (*slowPrimary, string) {
	p := &slowPrimary{ov: sim.NewOpenViking(sim.OpenVikingOptions{}), delay: delay, bad: bad}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL
}

// journalSessions journals n messages to each session, interleaved across
// sessions, after creating them when create is set.
func journalSessions(t *testing.T, j *Journal, ids []string, n int, create bool) {
	t.Helper()
	if create {
		for _, id := range ids {
			mustCreate(t, j, tenant{}, id)
		}
	}
	for i := range n {
		for _, id := range ids {
			mustOK(t, second(j.addMessage(tenant{}, id, Message{Role: "user", Content: msgText(id, i)}, nil)))
		}
	}
}

func sessionIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "s" + strconv.Itoa(i)
	}
	return ids
}

func wantMessages(id string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = msgText(id, i)
	}
	return out
}

// TestReplayInterleavedSessionsInOrder: sessions whose writes are
// interleaved in the journal reach the primary each exactly in order, with
// resources alongside, and conflicts found by concurrent lanes are
// reported in op order.
func TestReplayInterleavedSessionsInOrder(t *testing.T) {
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	srv := httptest.NewServer(strictPrimary(ov)) // a primary that answers 404: each session is a conflict
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var seen []Conflict
	j := openAt(t, journalPath(t), nil, func(o *Options) {
		o.OnConflict = func(c Conflict) { mu.Lock(); seen = append(seen, c); mu.Unlock() }
	})
	ids := sessionIDs(30)
	journalSessions(t, j, ids, 10, false) // not created: each is a session-missing conflict
	for _, path := range []string{"https://example.com/kb/one.md", "https://example.com/kb/two.md"} {
		mustOK(t, j.addResourceAs(tenant{}, `{"path":"`+path+`"}`))
	}
	rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL})
	if err != nil || rep.Replayed != 302 || rep.Sessions != 30 || rep.Conflicts != 30 || rep.Remaining != 0 {
		t.Fatalf("report %+v %v", rep, err)
	}
	for _, id := range ids {
		if got := contents(t, ov, id); !reflect.DeepEqual(got, wantMessages(id, 10)) {
			t.Errorf("session %s holds %v", id, got)
		}
		if j.Holds(id) {
			t.Errorf("session %s still held", id)
		}
	}
	if !slices.IsSortedFunc(rep.Conflicting, func(a, b Conflict) int { return int(a.Seq) - int(b.Seq) }) {
		t.Errorf("conflicts not in op order: %+v", rep.Conflicting)
	}
	slices.SortFunc(seen, func(a, b Conflict) int { return int(a.Seq) - int(b.Seq) })
	if !reflect.DeepEqual(seen, rep.Conflicting) {
		t.Errorf("OnConflict saw %d conflicts, the report has %d", len(seen), len(rep.Conflicting))
	}
}

// TestReplayRunsLanesConcurrently: with a primary taking 20 ms per write,
// sessions are replayed side by side, never more than ReplayWorkers at
// once, each still in order.
func TestReplayRunsLanesConcurrently(t *testing.T) {
	p, url := startSlow(t, 20*time.Millisecond, "")
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.ReplayWorkers = 3 })
	ids := sessionIDs(8)
	journalSessions(t, j, ids, 5, true)
	rep, err := j.Replay(t.Context(), Target{BaseURL: url})
	if err != nil || rep.Replayed != 48 || rep.Remaining != 0 {
		t.Fatalf("report %+v %v", rep, err)
	}
	if most := p.most.Load(); most <= 1 || most > 3 {
		t.Errorf("at most %d requests in flight at once, want 2..3", most)
	}
	for _, id := range ids {
		if got := contents(t, p.ov, id); !reflect.DeepEqual(got, wantMessages(id, 5)) {
			t.Errorf("session %s holds %v", id, got)
		}
	}
}

func TestReplayWorkersDefault(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	if s := newScheduler(j, primary{}); s.workers != defaultReplayWorkers || defaultReplayWorkers != 8 {
		t.Errorf("workers %d", s.workers)
	}
}

// TestReplayErrorStopsAllLanes: a 503 for one session stops the whole
// replay with ErrPrimary once the ops in flight are done; every op the
// primary took is retired, nothing is lost, and a later replay completes
// with no duplicate.
func TestReplayErrorStopsAllLanes(t *testing.T) {
	p, url := startSlow(t, 2*time.Millisecond, "s3")
	p.failing.Store(true)
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.ReplayWorkers = 4 })
	ids := sessionIDs(6)
	journalSessions(t, j, ids, 5, true)
	first, err := j.Replay(t.Context(), Target{BaseURL: url})
	if !errors.Is(err, ErrPrimary) || first.Remaining == 0 || !j.Holds("s3") || j.Pending() != first.Remaining {
		t.Fatalf("first replay: %+v %v", first, err)
	}
	onPrimary := 0
	for _, id := range ids {
		if v, ok := p.ov.Session(id); ok {
			got := contents(t, p.ov, id)
			if !reflect.DeepEqual(got, wantMessages(id, len(got))) {
				t.Errorf("session %s holds %v", id, got)
			}
			onPrimary += 1 + len(v.Messages)
		}
	}
	if onPrimary != first.Replayed || first.Replayed+first.Remaining != 36 {
		t.Errorf("primary took %d ops, the journal retired %d and keeps %d", onPrimary, first.Replayed, first.Remaining)
	}
	p.failing.Store(false)
	second, err := j.Replay(t.Context(), Target{BaseURL: url})
	if err != nil || second.Replayed != first.Remaining || second.Already != 0 || j.Pending() != 0 {
		t.Fatalf("second replay: %+v %v", second, err)
	}
	for _, id := range ids {
		if got := contents(t, p.ov, id); !reflect.DeepEqual(got, wantMessages(id, 5)) {
			t.Errorf("session %s holds %v", id, got)
		}
	}
}

// TestReplayCanceledMidway: a caller giving up while lanes run stops the
// replay with ctx's error; every op the primary took is retired.
func TestReplayCanceledMidway(t *testing.T) {
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	var writes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && writes.Add(1) == 10 {
			cancel()
		}
		ov.ServeHTTP(w, r)
	}))
	defer srv.Close()
	j := openAt(t, journalPath(t), nil)
	ids := sessionIDs(6)
	journalSessions(t, j, ids, 5, true)
	rep, err := j.Replay(ctx, Target{BaseURL: srv.URL})
	if !errors.Is(err, context.Canceled) || rep.Remaining == 0 || rep.Replayed+rep.Remaining != 36 {
		t.Fatalf("report %+v %v", rep, err)
	}
	onPrimary := 0
	for _, id := range ids {
		if v, ok := ov.Session(id); ok {
			onPrimary += 1 + len(v.Messages)
		}
	}
	if onPrimary < rep.Replayed || onPrimary > rep.Replayed+6 {
		t.Errorf("primary took %d ops, the journal retired %d", onPrimary, rep.Replayed)
	}
	if rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL}); err != nil || j.Pending() != 0 {
		t.Fatalf("resumed: %+v %v", rep, err)
	}
	for _, id := range ids {
		if got := contents(t, ov, id); !reflect.DeepEqual(got, wantMessages(id, 5)) {
			t.Errorf("session %s holds %v", id, got)
		}
	}
}
