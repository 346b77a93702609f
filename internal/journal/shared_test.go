package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// replicaOn opens a journal of its own directory on the shared log sh.
func replicaOn(t testing.TB, sh *MemShared, opts ...func(*Options)) *Journal {
	t.Helper()
	return openAt(t, journalPath(t), nil, append([]func(*Options){func(o *Options) { o.Shared = sh }}, opts...)...)
}

// heldTexts is what replica j lists of session id (nil when not held).
func heldTexts(j *Journal, id string) []string {
	v, err := j.viewAs(tenant{}, id)
	if err != nil {
		return nil
	}
	return texts(v.Messages)
}

// seqs lists the sequence numbers of j's pending ops.
func seqs(j *Journal) []uint64 {
	j.mu.RLock()
	defer j.mu.RUnlock()
	var out []uint64
	for _, o := range j.st.ops {
		out = append(out, o.rec.Seq)
	}
	return out
}

// TestSharedOneSessionOnTwoReplicas: writers on two replicas write to one
// session at once; every write is kept, each writer's in order, under one
// sequence both replicas agree on, and each acknowledgement's count is
// its own.
func TestSharedOneSessionOnTwoReplicas(t *testing.T) {
	const writers, perWriter = 4, 15
	sh := NewMemShared(0)
	reps := []*Journal{replicaOn(t, sh), replicaOn(t, sh)}
	var wg sync.WaitGroup
	counts := make(chan int, writers*perWriter)
	for w := range writers {
		j := reps[w%2]
		wg.Go(func() {
			for i := range perWriter {
				res, err := j.addMessage(tenant{}, "shared", Message{Role: "user", Content: fmt.Sprintf("w%d %d", w, i)}, nil)
				if err != nil {
					t.Error(err)
					return
				}
				counts <- res.MessageCount
			}
		})
	}
	wg.Wait()
	close(counts)
	seen := map[int]bool{}
	for n := range counts {
		seen[n] = true
	}
	if len(seen) != writers*perWriter {
		t.Errorf("counts are not one sequence: %d distinct of %d", len(seen), writers*perWriter)
	}
	waitFor(t, func() bool { return len(heldTexts(reps[1], "shared")) == writers*perWriter })
	waitFor(t, func() bool { return len(heldTexts(reps[0], "shared")) == writers*perWriter })
	a, b := heldTexts(reps[0], "shared"), heldTexts(reps[1], "shared")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("the replicas disagree:\n%v\n%v", a, b)
	}
	checkWriterOrder(t, a, writers, perWriter)
	sa, sb := seqs(reps[0]), seqs(reps[1])
	if !reflect.DeepEqual(sa, sb) || !slices.IsSorted(sa) || len(slices.Compact(slices.Clone(sa))) != len(sa) {
		t.Errorf("sequence numbers differ or repeat:\n%v\n%v", sa, sb)
	}
}

// TestSharedReadsOnOtherReplica: what one replica acknowledged is read on
// the other once applied there, with the same answers.
func TestSharedReadsOnOtherReplica(t *testing.T) {
	sh := NewMemShared(0)
	a, b := replicaOn(t, sh), replicaOn(t, sh)
	mustCreate(t, a, tenant{}, "s1")
	for i := range 3 {
		mustOK(t, second(a.addMessage(tenant{}, "s1", Message{Role: "user", Content: msgText("s1", i)}, nil)))
	}
	waitFor(t, func() bool { return len(heldTexts(b, "s1")) == 3 })
	va, _ := a.viewAs(tenant{}, "s1")
	vb, err := b.viewAs(tenant{}, "s1")
	if err != nil || vb.MessageCount != 3 || !b.Holds("s1") || !reflect.DeepEqual(va.Messages, vb.Messages) {
		t.Fatalf("B reads %+v %v; A reads %+v", vb, err, va)
	}
	if _, appended, err := b.createAs(tenant{}, "s1"); appended || err != nil {
		t.Errorf("creating s1 again on B: appended %v, %v", appended, err)
	}
}

// TestSharedReplayOnOneReplica: a replay on A sends every op of both
// replicas exactly once, in each session's order, and B unpins the
// sessions as A's done markers apply.
func TestSharedReplayOnOneReplica(t *testing.T) {
	primary, ov := startOV(t)
	sh := NewMemShared(0)
	a, b := replicaOn(t, sh), replicaOn(t, sh)
	mustCreate(t, a, tenant{}, "both")
	for i := range 6 {
		j := []*Journal{a, b}[i%2]
		mustOK(t, second(j.addMessage(tenant{}, "both", Message{Role: "user", Content: msgText("both", i)}, nil)))
		mustOK(t, second(a.addMessage(tenant{}, "onA", Message{Role: "user", Content: msgText("onA", i)}, nil)))
		mustOK(t, second(b.addMessage(tenant{}, "onB", Message{Role: "user", Content: msgText("onB", i)}, nil)))
	}
	waitFor(t, func() bool { return a.Pending() == 19 && b.Pending() == 19 })
	rep, err := a.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil || rep.Replayed != 19 || rep.Remaining != 0 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	for _, id := range []string{"both", "onA", "onB"} {
		if got := contents(t, ov, id); !reflect.DeepEqual(got, wantMessages(id, 6)) {
			t.Errorf("%s on the primary: %v", id, got)
		}
	}
	waitFor(t, func() bool { return b.Pending() == 0 })
	if b.Holds("both") || b.Holds("onB") {
		t.Error("B still holds replayed sessions")
	}
}

// TestSharedSurvivesLosingAReplica: A is killed mid-burst and its
// directory deleted; a new replica C replays every write A acknowledged
// exactly once, in order.
func TestSharedSurvivesLosingAReplica(t *testing.T) {
	const writers = 4
	primary, ov := startOV(t)
	sh := NewMemShared(0)
	path := journalPath(t)
	a := openAt(t, path, nil, func(o *Options) { o.Shared = sh })
	acked := make([]atomic.Int64, writers)
	var wg sync.WaitGroup
	for w := range writers {
		id := fmt.Sprintf("k%d", w)
		wg.Go(func() {
			for i := 0; ; i++ {
				if _, err := a.addMessage(tenant{}, id, Message{Role: "user", Content: msgText(id, i)}, nil); err != nil {
					return
				}
				acked[w].Store(int64(i + 1))
			}
		})
	}
	waitFor(t, func() bool {
		for w := range acked {
			if acked[w].Load() < 5 {
				return false
			}
		}
		return true
	})
	mustOK(t, a.Close())
	mustOK(t, os.RemoveAll(filepath.Dir(path)))
	wg.Wait()
	c := replicaOn(t, sh)
	if _, err := c.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		id := fmt.Sprintf("k%d", w)
		n := int(acked[w].Load())
		got := contents(t, ov, id)
		// A write committed but not acknowledged when A died may be
		// there too: never twice, and never out of order.
		if len(got) < n || len(got) > n+1 || !reflect.DeepEqual(got, wantMessages(id, len(got))) {
			t.Errorf("%s: %d acknowledged, the primary holds %v", id, n, got)
		}
	}
}

// TestSharedAppendFailure: a write whose Append fails is not
// acknowledged (503 through the transport) and leaves nothing; a replay
// whose markers cannot be appended stops with that error and loses
// nothing.
func TestSharedAppendFailure(t *testing.T) {
	fenced := errors.New("fenced")
	primary, ov := startOV(t)
	fb, _ := startOV(t)
	sh := NewMemShared(0)
	a := replicaOn(t, sh)
	sh.FailAppends(fenced)
	if _, err := a.addMessage(tenant{}, "s", Message{Role: "user", Content: "lost"}, nil); !errors.Is(err, fenced) || !errors.Is(err, ErrShared) {
		t.Fatalf("write with appends failing: %v", err)
	}
	r := call(t, client(a), "POST", fb.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": "lost"})
	if r.status != 503 || a.Pending() != 0 || a.Holds("s") {
		t.Fatalf("answer %d %s; %d pending", r.status, r.raw, a.Pending())
	}
	sh.FailAppends(nil)
	mustOK(t, second(a.addMessage(tenant{}, "s", Message{Role: "user", Content: "kept"}, nil)))
	sh.FailAppends(fenced)
	if _, err := a.Replay(t.Context(), Target{BaseURL: primary.URL()}); !errors.Is(err, fenced) || a.Pending() != 1 {
		t.Fatalf("replay while fenced: %v, %d pending", err, a.Pending())
	}
	sh.FailAppends(nil)
	if rep, err := a.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil || rep.Remaining != 0 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	if got := contents(t, ov, "s"); !reflect.DeepEqual(got, []string{"kept"}) {
		t.Errorf("on the primary: %v", got)
	}
}

// TestSharedConflictInOrder: B accepts a commit on its own state while
// A's delete of the session is ahead of it in the shared order; the
// commit is refused as a local one would be, on both replicas, and B's
// client is never told it was taken.
func TestSharedConflictInOrder(t *testing.T) {
	sh := NewMemShared(0)
	a, b := replicaOn(t, sh), replicaOn(t, sh)
	mustCreate(t, a, tenant{}, "s")
	mustOK(t, second(a.addMessage(tenant{}, "s", Message{Role: "user", Content: "x"}, nil)))
	waitFor(t, func() bool { return len(heldTexts(b, "s")) == 1 })
	var hold atomic.Bool
	release := make(chan struct{})
	sh.OnDeliver(func(follower int, _ int64) {
		if follower == 1 && hold.Load() {
			<-release
		}
	})
	hold.Store(true)
	mustOK(t, second(a.remove(tenant{}, "s", nil)))
	before := sh.Len()
	done := make(chan error, 1)
	go func() { _, err := b.commitKeep(tenant{}, "s", 0, nil); done <- err }()
	waitFor(t, func() bool { return sh.Len() > before })
	hold.Store(false)
	close(release)
	if err := <-done; !errors.Is(err, ErrNotFound) {
		t.Fatalf("B's commit after A's delete: %v", err)
	}
	waitFor(t, func() bool { return a.Pending() == 3 && b.Pending() == 3 })
	for _, j := range []*Journal{a, b} {
		if snapshot(j).Ops[2].Kind != kindDelete {
			t.Errorf("ops: %+v", snapshot(j).Ops)
		}
	}
}
