package journal

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"
)

// snap is the journal's state without log positions, for comparisons.
type snap struct {
	Sessions map[sessionKey]session
	Ops      []record
	Begun    map[uint64]pre
	NextSeq  uint64
	Counters counters
}

func snapshot(j *Journal) snap {
	j.mu.RLock()
	defer j.mu.RUnlock()
	s := snap{Sessions: map[sessionKey]session{}, Begun: map[uint64]pre{}, NextSeq: j.st.nextSeq, Counters: j.st.n}
	for id, v := range j.st.sessions {
		s.Sessions[id] = *v
	}
	for _, o := range j.st.ops {
		s.Ops = append(s.Ops, *o.rec)
		if o.begun != nil {
			s.Begun[o.rec.Seq] = *o.begun
		}
	}
	return s
}

// fill journals a mix of every op kind.
func fill(t *testing.T, j *Journal) {
	t.Helper()
	var tn tenant
	bob := tenant{User: "bob", APIKey: "k1", Agent: "a"}
	mustCreate(t, j, tn, "s1")
	for i := range 4 {
		mustOK(t, second(j.addMessage(tn, "s1", Message{Role: "user", Content: msgText("s1", i)}, nil)))
	}
	mustOK(t, second(j.commitKeep(tn, "s1", 1, nil)))
	mustOK(t, second(j.addMessage(bob, "old", Message{Role: "user", Content: "bob"}, nil)))
	mustOK(t, second(j.remove(tn, "gone", nil)))
	mustOK(t, j.addResourceAs(tn, `{"path":"https://example.com/x.md"}`))
}

func mustCreate(t *testing.T, j *Journal, tn tenant, id string) {
	t.Helper()
	if _, _, err := j.createAs(tn, id); err != nil {
		t.Fatal(err)
	}
}

func second[T any](_ T, err error) error { return err }

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestReopenRebuildsSameState(t *testing.T) {
	path := journalPath(t)
	j := openAt(t, path, nil)
	fill(t, j)
	o, _ := j.head()
	mustOK(t, j.begin(o, pre{Count: 3}))
	mustOK(t, j.finish(o, result{outcome: outcomeApplied}))
	want := snapshot(j)
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil)
	if got := snapshot(j2); !reflect.DeepEqual(got, want) {
		t.Errorf("reopened state differs:\n got %+v\nwant %+v", got, want)
	}
	if st := j2.Stats(); st.Appended != 9 || st.Pending != 8 || st.Replayed != 1 || st.DroppedBytes != 0 {
		t.Errorf("stats %+v", st)
	}
	if !j2.Holds("s1") || !j2.Holds("old") || !j2.Holds("gone") || j2.Holds("nope") {
		t.Error("held sessions not rebuilt")
	}
}

// TestTornTailDropped: whatever mangles the tail, every complete record
// survives, the damage is truncated away and counted, and the journal
// keeps working.
func TestTornTailDropped(t *testing.T) {
	cases := map[string]func(t *testing.T, path string) int{
		"short frame": func(t *testing.T, path string) int {
			mustOK(t, os.Truncate(path, fileSize(t, path)-3))
			return 8 // the last record is gone
		},
		"garbage": func(t *testing.T, path string) int {
			appendBytes(t, path, []byte("\x05\x00\x00\x00garbage!!"))
			return 9
		},
		"bad crc": func(t *testing.T, path string) int {
			b, err := os.ReadFile(path)
			mustOK(t, err)
			b[len(b)-2] ^= 0xff
			mustOK(t, os.WriteFile(path, b, 0o600))
			return 8
		},
		"not json": func(t *testing.T, path string) int {
			payload := []byte("nope")
			frame := binary.LittleEndian.AppendUint32(nil, uint32(len(payload)))
			frame = binary.LittleEndian.AppendUint32(frame, crc32.Checksum(payload, crc32.MakeTable(crc32.Castagnoli)))
			appendBytes(t, path, append(frame, payload...))
			return 9
		},
		"huge length": func(t *testing.T, path string) int {
			appendBytes(t, path, []byte{0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4})
			return 9
		},
	}
	for name, mangle := range cases {
		t.Run(name, func(t *testing.T) {
			path := journalPath(t)
			j := openAt(t, path, nil)
			fill(t, j)
			mustOK(t, j.Close())
			clean := fileSize(t, path)
			wantOps := mangle(t, path)
			mangled := fileSize(t, path)
			j2 := openAt(t, path, nil)
			st := j2.Stats()
			if st.Pending != wantOps || st.DroppedBytes <= 0 || fileSize(t, path) > clean {
				t.Fatalf("stats %+v, size %d (clean %d)", st, fileSize(t, path), clean)
			}
			if fileSize(t, path) != mangled-st.DroppedBytes {
				t.Errorf("file is %d bytes, want %d", fileSize(t, path), mangled-st.DroppedBytes)
			}
			mustOK(t, second(j2.addMessage(tenant{}, "s1", Message{Role: "user", Content: "after"}, nil)))
			mustOK(t, j2.Close())
			j3 := openAt(t, path, nil)
			if st := j3.Stats(); st.Pending != wantOps+1 || st.DroppedBytes != 0 {
				t.Errorf("after repair: %+v", st)
			}
		})
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	mustOK(t, err)
	_, err = f.Write(b)
	mustOK(t, errors.Join(err, f.Close()))
}

func TestFileModes(t *testing.T) {
	path := journalPath(t)
	openAt(t, path, nil)
	fi, err := os.Stat(path)
	mustOK(t, err)
	di, err := os.Stat(path[:len(path)-len("/journal.log")])
	mustOK(t, err)
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("modes %v %v", fi.Mode(), di.Mode())
	}
	if _, err := Open(Options{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("no path: %v", err)
	}
}

// TestSyncErrorBreaks: a failed fsync fails that append with ErrBroken and
// nothing is acknowledged after it, even once the disk recovers.
func TestSyncErrorBreaks(t *testing.T) {
	ff := &faultyFile{}
	j := openAt(t, journalPath(t), wrapWith(ff))
	mustCreate(t, j, tenant{}, "s1")
	ff.failSync.Store(true)
	if _, err := j.addMessage(tenant{}, "s1", Message{Role: "user", Content: "lost"}, nil); !errors.Is(err, ErrBroken) {
		t.Fatalf("append with failing fsync: %v", err)
	}
	ff.failSync.Store(false)
	if _, err := j.addMessage(tenant{}, "s1", Message{Role: "user", Content: "later"}, nil); !errors.Is(err, ErrBroken) {
		t.Fatalf("append after a failed fsync: %v", err)
	}
	if _, err := j.Replay(t.Context(), Target{BaseURL: "http://127.0.0.1:1"}); !errors.Is(err, ErrBroken) {
		t.Errorf("replay of a broken journal: %v", err)
	}
	if !j.Stats().Broken {
		t.Error("Stats.Broken is false")
	}
	fb, _ := startOV(t)
	r := call(t, client(j), "POST", fb.URL()+"/api/v1/sessions/s1/messages", map[string]any{"role": "user", "content": "x"})
	if r.status != 503 || r.code() != "UNAVAILABLE" {
		t.Errorf("client got %d %s", r.status, r.raw)
	}
}

func TestWriteErrorBreaks(t *testing.T) {
	ff := &faultyFile{}
	j := openAt(t, journalPath(t), wrapWith(ff))
	ff.failWrite.Store(true)
	if _, _, err := j.createAs(tenant{}, "s1"); !errors.Is(err, ErrBroken) {
		t.Fatalf("create with failing write: %v", err)
	}
	ff.failWrite.Store(false)
	if _, _, err := j.createAs(tenant{}, "s2"); !errors.Is(err, ErrBroken) {
		t.Fatalf("create after a failed write: %v", err)
	}
	if j.Pending() != 0 || j.Holds("s1") {
		t.Error("a failed write changed the state")
	}
}

// TestGroupCommit: while one fsync is in progress, N appends queue up; one
// more fsync then covers them all.
func TestGroupCommit(t *testing.T) {
	const n = 64
	ff := &faultyFile{gate: make(chan struct{})}
	j := openAt(t, journalPath(t), wrapWith(ff))
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := j.addMessage(tenant{}, "s", Message{Role: "user", Content: msgText("s", i)}, nil)
			errs <- err
		})
	}
	waitFor(t, func() bool { return j.Pending() == n && ff.syncs.Load() == 1 })
	close(ff.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		mustOK(t, err)
	}
	if got := ff.syncs.Load(); got > 2 {
		t.Errorf("%d appends took %d fsyncs, want at most 2", n, got)
	}
}

// TestAckOnlyAfterFsync: the client's answer waits for the fsync of its
// record.
func TestAckOnlyAfterFsync(t *testing.T) {
	fb, _ := startOV(t)
	ff := &faultyFile{gate: make(chan struct{})}
	j := openAt(t, journalPath(t), wrapWith(ff))
	answered := make(chan httpReply, 1)
	go func() {
		answered <- call(t, client(j), "POST", fb.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": "x"})
	}()
	waitFor(t, func() bool { return j.Pending() == 1 && ff.syncs.Load() == 1 })
	select {
	case r := <-answered:
		t.Fatalf("answered %d before the fsync finished", r.status)
	default:
	}
	close(ff.gate)
	if r := <-answered; r.status != 200 || r.header.Get(headerJournal) != markAppended {
		t.Errorf("answer %d %s", r.status, r.raw)
	}
}

// waitFor polls cond, yielding, until it holds; goroutines that block on
// channels and locks cannot be observed any other way here.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		runtime.Gosched()
	}
}

func TestCloseTwiceAndAfter(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	mustOK(t, j.Close())
	mustOK(t, j.Close())
	if _, _, err := j.createAs(tenant{}, "s1"); !errors.Is(err, ErrClosed) {
		t.Errorf("create after Close: %v", err)
	}
}
