package cluster

import (
	"errors"
	"fmt"
	"testing"
)

// TestJournalOrderAcrossReplicas appends one session's writes through two
// replicas in turn, kills the replica that accepted half of them, and
// expects the decider to find all of them in the order they were
// acknowledged.
func TestJournalOrderAcrossReplicas(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	b := join(t, e.Endpoints(), "b.with.dots", Options{})
	var want []string
	for i := range 10 {
		m := []*Member{a, b}[i%2]
		for _, session := range []string{"s/1", "s2"} {
			p := fmt.Sprintf("%s#%d", session, i)
			if _, err := m.Append(ctx(t), session, []byte(p)); err != nil {
				t.Fatal(err)
			}
			if session == "s/1" {
				want = append(want, p)
			}
		}
	}
	kill(b)
	pending, err := a.Pending(ctx(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 20 {
		t.Fatalf("%d pending, want 20", len(pending))
	}
	var got []string
	var last int64
	for _, en := range pending {
		if en.Seq <= last {
			t.Fatalf("entries out of order: %d after %d", en.Seq, last)
		}
		last = en.Seq
		if en.Session == "s/1" {
			got = append(got, string(en.Payload))
		}
		if en.Replica != "a" && en.Replica != "b.with.dots" {
			t.Fatalf("entry from %q", en.Replica)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("session order %v, want %v", got, want)
	}
	for _, en := range pending {
		if err := a.Done(ctx(t), en); err != nil {
			t.Fatal(err)
		}
	}
	if left, err := a.Pending(ctx(t), 0); err != nil || len(left) != 0 {
		t.Fatalf("after Done: %d left, %v", len(left), err)
	}
}

func TestJournalBounds(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	b := join(t, e.Endpoints(), "b", Options{})
	big := make([]byte, MaxEntryBytes)
	en, err := a.Append(ctx(t), "s", big)
	if err != nil {
		t.Fatalf("append of exactly MaxEntryBytes: %v", err)
	}
	if _, err := a.Append(ctx(t), "s", append(big, 0)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized append: %v", err)
	}
	if _, err := a.Append(ctx(t), "", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("append without a session: %v", err)
	}
	follower := decider(t, a, b) == a
	m := map[bool]*Member{true: b, false: a}[follower]
	if err := m.Done(ctx(t), en); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("follower's Done: %v", err)
	}
	if err := m.Done(ctx(t), Entry{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Done of a made-up entry: %v", err)
	}
}
