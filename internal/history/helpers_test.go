package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// openDB opens a real SQLite file in a temporary directory. Inside a
// synctest bubble it must be opened and closed within the bubble, because
// database/sql starts a goroutine per DB.
func openDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "history.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func newSampler(t *testing.T, db *sql.DB, src Source, s Settings) *Sampler {
	t.Helper()
	sm, err := New(context.Background(), Options{DB: db, Source: src}, s)
	if err != nil {
		t.Fatal(err)
	}
	return sm
}

// step is what happens to one target between two readings.
type step struct {
	ok, fail int64
	latency  time.Duration
}

// scripted is a Source whose totals grow by what script returns for each
// reading after the first.
type scripted struct {
	mu     sync.Mutex
	calls  int
	totals map[string]stats.Counts
	lat    map[string]time.Duration
	script func(call int) map[string]step
	cpu    *float64
}

func newScripted(script func(call int) map[string]step) *scripted {
	return &scripted{totals: map[string]stats.Counts{}, lat: map[string]time.Duration{}, script: script}
}

func (s *scripted) Read(time.Time) Reading {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls > 0 {
		for name, st := range s.script(s.calls) {
			c := s.totals[name]
			c.Requests += st.ok + st.fail
			c.OK += st.ok
			c.ServerErrors += st.fail
			s.totals[name] = c
			s.lat[name] = st.latency
		}
	}
	s.calls++
	var r Reading
	for name, c := range s.totals {
		l := s.lat[name]
		r.Targets = append(r.Targets, TargetReading{Name: name, Totals: c, AvgLatency: l, P95: 2 * l, P99: 3 * l})
	}
	sort.Slice(r.Targets, func(i, j int) bool { return r.Targets[i].Name < r.Targets[j].Name })
	r.CPU = s.cpu
	return r
}

// steady serves ten client requests a reading, failing the readings listed.
func steady(failing ...int) func(int) map[string]step {
	bad := map[int]bool{}
	for _, c := range failing {
		bad[c] = true
	}
	return func(call int) map[string]step {
		if bad[call] {
			return map[string]step{Client: {ok: 6, fail: 4, latency: 300 * time.Millisecond}}
		}
		return map[string]step{Client: {ok: 10, latency: 50 * time.Millisecond}}
	}
}

// runFor runs sm for d of bubble time, then stops it and waits for Run to
// return.
func runFor(sm *Sampler, d time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); sm.Run(ctx) }()
	time.Sleep(d)
	cancel()
	<-done
}

// stored reads what is in the database, ignoring any Sampler's pending
// samples, through a fresh read-only Sampler.
func stored(t *testing.T, db *sql.DB) []Sample {
	t.Helper()
	got, err := newSampler(t, db, nil, Settings{}).Range(context.Background(), time.Unix(0, 0), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return got
}
