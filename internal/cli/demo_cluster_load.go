package cli

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/lab"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// fleetLoad is the cluster demo's clients: searches and session writes
// spread over the live replicas, as a load balancer that drops a dead
// replica would. Only requests in flight on a replica as it dies can fail.
type fleetLoad struct {
	c    *lab.Cluster
	hc   *http.Client
	next atomic.Uint64
	// sent and failed count every request; failed is any answer but 200.
	sent, failed atomic.Int64
	writers      []*demoWriter
	wg           sync.WaitGroup
}

// searchWorkers is how many clients search at once; writers how many
// sessions are written at once.
const searchWorkers, writers = 3, 3

func startFleetLoad(ctx context.Context, c *lab.Cluster) *fleetLoad {
	l := &fleetLoad{c: c, hc: &http.Client{Timeout: 5 * time.Second}}
	for range searchWorkers {
		l.wg.Go(func() { l.search(ctx) })
	}
	for i := range writers {
		w := &demoWriter{load: l, prefix: fmt.Sprintf("demo-%d", i)}
		l.writers = append(l.writers, w)
		l.wg.Go(func() { w.run(ctx) })
	}
	return l
}

// wait returns once every client stopped, which they do when ctx ends.
func (l *fleetLoad) wait() { l.wg.Wait() }

// post sends one request to the next live replica and tells whether it
// was acknowledged.
func (l *fleetLoad) post(ctx context.Context, path, body string) bool {
	live := l.c.Live()
	if len(live) == 0 {
		return false
	}
	r := live[int(l.next.Add(1)%uint64(len(live)))]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL()+path, strings.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.hc.Do(req)
	if ctx.Err() != nil {
		return false // the demo ended it: neither sent nor failed
	}
	l.sent.Add(1)
	if err != nil {
		l.failed.Add(1)
		return false
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		l.failed.Add(1)
		return false
	}
	return true
}

func (l *fleetLoad) search(ctx context.Context) {
	for pace(ctx, 20*time.Millisecond) {
		l.post(ctx, "/api/v1/search/find", `{"query":"lifeboat"}`)
	}
}

// pace waits d and tells whether to go on.
func pace(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// demoWriter adds numbered messages to one session at a time. A write
// that is not acknowledged may still have been journaled, so the writer
// leaves that session for a new one rather than retry and duplicate it.
type demoWriter struct {
	load   *fleetLoad
	prefix string
	mu     sync.Mutex
	// sessions are the sessions written, each with its acknowledged turns
	// in order and the one unacknowledged turn that ended it, if any.
	sessions []*demoSession
}

type demoSession struct {
	id       string
	acked    []string
	inflight string
}

func (w *demoWriter) run(ctx context.Context) {
	for n := 0; ctx.Err() == nil; n++ {
		s := &demoSession{id: fmt.Sprintf("%s-%d", w.prefix, n)}
		if !w.load.post(ctx, "/api/v1/sessions", `{"session_id":"`+s.id+`"}`) {
			pace(ctx, 50*time.Millisecond)
			continue
		}
		w.mu.Lock()
		w.sessions = append(w.sessions, s)
		w.mu.Unlock()
		w.fill(ctx, s)
	}
}

// fill writes turns to s until one is not acknowledged.
func (w *demoWriter) fill(ctx context.Context, s *demoSession) {
	for i := 0; pace(ctx, 30*time.Millisecond); i++ {
		turn := fmt.Sprintf("t%d", i)
		body := fmt.Sprintf(`{"role":"user","content":"message %d","turn_id":%q}`, i, turn)
		ok := w.load.post(ctx, "/api/v1/sessions/"+s.id+"/messages", body)
		w.mu.Lock()
		if ok {
			s.acked = append(s.acked, turn)
		} else {
			// Unacknowledged, even when the demo's own stop cut it off:
			// it may have reached the gateway and been journaled.
			s.inflight = turn
		}
		w.mu.Unlock()
		if !ok {
			return
		}
	}
}

// replayed checks what reached the primary: every session's acknowledged
// turns once each and in order, followed at most by its unacknowledged
// one. It returns the acknowledged writes counted and the first mismatch.
func (l *fleetLoad) replayed(ov *sim.OpenViking) (acked int, bad string) {
	for _, w := range l.writers {
		w.mu.Lock()
		for _, s := range w.sessions {
			acked += len(s.acked)
			if bad == "" {
				bad = s.check(ov)
			}
		}
		w.mu.Unlock()
	}
	return acked, bad
}

func (s *demoSession) check(ov *sim.OpenViking) string {
	v, _ := ov.Session(s.id)
	var got []string
	for _, m := range v.Messages {
		if m.TurnID != nil {
			got = append(got, *m.TurnID)
		}
	}
	want := strings.Join(s.acked, ",")
	have := strings.Join(got, ",")
	if have == want || (s.inflight != "" && have == strings.TrimPrefix(want+","+s.inflight, ",")) {
		return ""
	}
	return fmt.Sprintf("session %s: the primary holds [%s], acknowledged [%s]", s.id, have, want)
}
