package cluster

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestFollowerWatchesState(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	var mu sync.Mutex
	var seen []string
	var at []time.Time
	b := join(t, e.Endpoints(), "b", Options{OnState: func(s State) {
		mu.Lock()
		seen, at = append(seen, string(s.Value)), append(at, time.Now())
		mu.Unlock()
	}})
	if _, err := b.PublishState(ctx(t), []byte(`{}`)); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("follower wrote state: %v", err)
	}
	var sent []time.Time
	for i := range 3 {
		sent = append(sent, time.Now())
		if _, err := a.PublishState(ctx(t), fmt.Appendf(nil, `{"level":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the last state delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) > 0 && seen[len(seen)-1] == `{"level":2}`
	})
	mu.Lock()
	defer mu.Unlock()
	// A broken watch is followed by a fresh read, which skips superseded
	// values; whatever arrives must arrive in order.
	if !slices.IsSorted(seen) || len(seen) != len(slices.Compact(slices.Clone(seen))) {
		t.Fatalf("states out of order or repeated: %v", seen)
	}
	// The promise is a second; the bound leaves room for a loaded machine.
	if lag := at[len(at)-1].Sub(sent[2]); lag > 2*time.Second {
		t.Errorf("last state reached the follower after %v, want under a second", lag)
	}
	last := b.LastState()
	if string(last.Value) != `{"level":2}` || last.Decider != "a" || last.Revision == 0 {
		t.Fatalf("LastState = %+v", last)
	}
}

func TestJoinReadsState(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	want, err := a.PublishState(ctx(t), []byte(`{"level":"L2"}`))
	if err != nil {
		t.Fatal(err)
	}
	b := join(t, e.Endpoints(), "b", Options{})
	if got := b.LastState(); got.Revision != want.Revision || string(got.Value) != string(want.Value) {
		t.Fatalf("after Join: %+v, want %+v", got, want)
	}
}

func TestIncidentsFromAnyReplica(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	b := join(t, e.Endpoints(), "b", Options{})
	if err := a.PutIncident(ctx(t), "inc/1", []byte(`{"open":true}`)); err != nil {
		t.Fatal(err)
	}
	if err := b.PutIncident(ctx(t), "inc/2", nil); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("follower opened an incident: %v", err)
	}
	for _, m := range []*Member{a, b} {
		docs, err := m.Incidents(ctx(t))
		if err != nil || len(docs) != 1 || docs[0].ID != "inc/1" || string(docs[0].Value) != `{"open":true}` {
			t.Fatalf("%s reads %+v, %v", m.Name(), docs, err)
		}
	}
}
