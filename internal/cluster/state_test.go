package cluster

import (
	"errors"
	"fmt"
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
	waitFor(t, "three states delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) == 3
	})
	mu.Lock()
	defer mu.Unlock()
	for i, v := range seen {
		if want := fmt.Sprintf(`{"level":%d}`, i); v != want {
			t.Fatalf("state %d = %s, want %s", i, v, want)
		}
		if lag := at[i].Sub(sent[i]); lag > time.Second {
			t.Errorf("state %d reached the follower after %v, want under a second", i, lag)
		}
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
