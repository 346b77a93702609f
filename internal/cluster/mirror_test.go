package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

var mirrorT0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// replicaRecord is one replica's incident record and its mirror, wired as
// the app wires them: the recorder's new entries go to the mirror.
type replicaRecord struct {
	rec    *incident.Recorder
	mirror *Mirror
}

func newReplicaRecord(t testing.TB, m *Member) *replicaRecord {
	t.Helper()
	db, err := incident.OpenDB(filepath.Join(t.TempDir(), "lifeboat.db"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := incident.NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	r := &replicaRecord{}
	r.rec = incident.NewRecorder(store, incident.Options{
		Now:     func() time.Time { return mirrorT0.Add(time.Hour) }, // Metrics must not differ by when each replica reads.
		OnEntry: func(id string) { r.mirror.Changed(id) },
	})
	r.mirror = NewMirror(m, r.rec)
	run, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.rec.Run(run) })
	wg.Go(func() { r.mirror.Run(run) })
	t.Cleanup(func() { stop(); wg.Wait(); _ = db.Close() })
	return r
}

func (r *replicaRecord) emit(t testing.TB, e event.Event) {
	t.Helper()
	r.rec.Emit(e)
	if err := r.rec.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

// read is the incident as `lifeboat incident show` would print it.
func (r *replicaRecord) read(id string) []byte {
	inc, err := r.rec.Get(context.Background(), id)
	if err != nil {
		return nil
	}
	raw, _ := json.Marshal(inc)
	return raw
}

func opened(at time.Time) event.Event {
	return event.Of(at, "level", event.Warning, "L0 -> L3", fact.LevelChanged{From: "L0", To: "L3", Reason: "primary down"})
}

func note(at time.Time, msg string) event.Event {
	return event.Event{Time: at, Kind: "test.note", Source: "test", Severity: event.Info, Message: msg}
}

// TestMirrorFollowerReadsTheSame records an incident on the decider and
// reads it on a follower, and on a replica that joins later: the same
// document, to the byte, after each change.
func TestMirrorFollowerReadsTheSame(t *testing.T) {
	e, a, b := deciderAndFollower(t)
	ra, rb := newReplicaRecord(t, a), newReplicaRecord(t, b)
	ra.emit(t, opened(mirrorT0))
	id, _ := ra.rec.Current()
	same := func(r *replicaRecord) func() bool {
		return func() bool { return bytes.Equal(r.read(id), ra.read(id)) }
	}
	waitFor(t, "the follower reads the opened incident", same(rb))
	if err := ra.rec.Ack(ctx(t), id, "bob"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the follower reads the acknowledgement", same(rb))
	ra.emit(t, note(mirrorT0.Add(time.Second), "between changes"))
	waitFor(t, "the follower reads an entry between changes", same(rb))
	if cur, ok := rb.rec.Current(); !ok || cur != id {
		t.Fatalf("follower's current incident %q, want %q", cur, id)
	}
	rc := newReplicaRecord(t, join(t, e.Endpoints(), "c", Options{}))
	waitFor(t, "a replica joining later reads it", same(rc))
}

// TestMirrorTakeOverContinues kills the decider mid-incident: the next one
// syncs, continues the same incident id and appends to its timeline, and
// its entries reach etcd for everyone else.
func TestMirrorTakeOverContinues(t *testing.T) {
	_, a, b := deciderAndFollower(t)
	ra, rb := newReplicaRecord(t, a), newReplicaRecord(t, b)
	ra.emit(t, opened(mirrorT0))
	ra.emit(t, note(mirrorT0.Add(time.Second), "paged devops"))
	id, _ := ra.rec.Current()
	waitFor(t, "the follower has the incident", func() bool { return bytes.Equal(rb.read(id), ra.read(id)) })
	kill(a)
	waitFor(t, "b decides", b.IsDecider)
	if err := rb.mirror.Sync(ctx(t)); err != nil {
		t.Fatal(err)
	}
	rb.emit(t, note(mirrorT0.Add(10*time.Second), "continued by b"))
	if cur, ok := rb.rec.Current(); !ok || cur != id {
		t.Fatalf("new decider's current incident %q, want %q", cur, id)
	}
	inc, err := rb.rec.Get(ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	last := inc.Timeline[len(inc.Timeline)-1]
	if len(inc.Timeline) != 3 || last.Message != "continued by b" || last.Seq != 3 || inc.Timeline[1].Message != "paged devops" {
		t.Fatalf("continued timeline %+v", inc.Timeline)
	}
	if list, _ := rb.rec.List(ctx(t), 0); len(list) != 1 {
		t.Fatalf("%d incidents on the new decider, want the one continued", len(list))
	}
	waitFor(t, "the continued incident published", func() bool {
		docs, err := b.Incidents(ctx(t))
		return err == nil && len(docs) == 1 && bytes.Contains(docs[0].Value, []byte("continued by b"))
	})
}

// TestMirrorPublishesEachEntry sets an Interval longer than the test's
// waits, so only the publish on each entry can bring the follower an
// entry that changes nothing; and a burst of entries is coalesced into
// fewer puts than entries, the pace that keeps a long timeline cheap.
func TestMirrorPublishesEachEntry(t *testing.T) {
	e := startEtcd(t)
	slow := func(name string) Settings {
		s := testSettings(e.Endpoints(), name)
		s.Interval, s.LeaseTTL = 30*time.Second, maxLeaseTTL
		return s
	}
	a := joinWith(t, slow("a"), Options{})
	waitFor(t, "a decides", a.IsDecider)
	ra, rb := newReplicaRecord(t, a), newReplicaRecord(t, joinWith(t, slow("b"), Options{}))
	ra.emit(t, opened(mirrorT0))
	id, _ := ra.rec.Current()
	const burst = 300
	for i := range burst {
		ra.rec.Emit(note(mirrorT0.Add(time.Duration(i+1)*time.Millisecond), fmt.Sprintf("entry %d", i)))
	}
	waitFor(t, "the follower reads every entry", func() bool { return bytes.Equal(rb.read(id), ra.read(id)) })
	resp, err := a.c.Get(ctx(t), a.k.incidents()+escape(id))
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("read the document: %v %v", err, resp)
	}
	puts := resp.Kvs[0].Version
	t.Logf("%d entries took %d puts", burst+1, puts)
	if puts >= burst {
		t.Errorf("%d puts for a burst of %d entries: not coalesced", puts, burst)
	}
}
