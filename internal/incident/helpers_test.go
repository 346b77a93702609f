package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// t0 is the first bad signal in the synthetic outages.
var t0 = time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func openTestDB(t *testing.T, path string) (*sql.DB, *Store) {
	t.Helper()
	db, err := OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, s
}

func tempDB(t *testing.T) (string, *sql.DB, *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lifeboat.db")
	db, s := openTestDB(t, path)
	t.Cleanup(func() { db.Close() })
	return path, db, s
}

// running is a Recorder with its writer goroutine.
type running struct {
	*Recorder
	stop func()
}

func start(t *testing.T, s *Store, o Options) running {
	t.Helper()
	r := NewRecorder(s, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return running{Recorder: r, stop: stop}
}

func flush(t *testing.T, r *Recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, r *Recorder, id string) Incident {
	t.Helper()
	inc, err := r.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func current(t *testing.T, r *Recorder) string {
	t.Helper()
	id, ok := r.Current()
	if !ok {
		t.Fatal("no incident open")
	}
	return id
}

// Events as the engines emit them.

func ev(when time.Time, kind, source string, sev event.Severity, msg string, f map[string]any) event.Event {
	return event.Event{Time: when, Kind: kind, Source: source, Severity: sev, Message: msg, Fields: f}
}

func evidenceFor(name string, badSince time.Time) trigger.Evidence {
	return trigger.Evidence{Trigger: name, Kind: "immediate", State: trigger.Firing, Value: 1, Threshold: 1,
		Op: ">=", Unit: "count", Valid: true, BadSince: badSince, Since: badSince}
}

func fired(when time.Time, name string, badSince time.Time) event.Event {
	return ev(when, fact.KindTriggerFired, "level", event.Critical, "trigger "+name+" fired",
		map[string]any{"evidence": evidenceFor(name, badSince), "paused": false, "level": "L0"})
}

func levelChange(when time.Time, from, to string, ev0 ...trigger.Evidence) event.Event {
	return ev(when, fact.KindLevelChanged, "level", event.Warning, from+" -> "+to,
		map[string]any{"from": from, "to": to, "reason": "test", "evidence": ev0, "level": to})
}

func routing(when time.Time, from, to string) event.Event {
	return ev(when, event.ModeChanged, "proxy", event.Info, "routing "+from+" -> "+to,
		map[string]any{"from": from, "to": to, "primary_weight": 0})
}

func simple(when time.Time, kind, msg string) event.Event {
	return ev(when, kind, "level", event.Info, msg, nil)
}

// norm gives fields the shape they have after a JSON round trip.
func norm(f map[string]any) map[string]any {
	raw, _ := json.Marshal(f)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

func kinds(tl []Entry) []string {
	out := make([]string, len(tl))
	for i, e := range tl {
		out[i] = e.Kind
	}
	return out
}

// collector gathers what a callback is told, safe for the recorder's
// goroutines.
type collector[T any] struct {
	mu  sync.Mutex
	got []T
}

func (c *collector[T]) add(v T) {
	c.mu.Lock()
	c.got = append(c.got, v)
	c.mu.Unlock()
}

// all is what was told so far, in order.
func (c *collector[T]) all() []T {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// changes collects OnChange reports.
type changes struct{ collector[Change] }

func (c *changes) kinds() []ChangeKind {
	var out []ChangeKind
	for _, ch := range c.all() {
		out = append(out, ch.Kind)
	}
	return out
}
