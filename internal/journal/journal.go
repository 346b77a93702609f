// Package journal keeps the OpenViking session writes the primary cannot
// take in a durable, append-only log, answers them in OpenViking's API once
// they are on disk, and later replays them to the primary in order,
// idempotently, resuming after a crash without duplicates.
package journal

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Journal.
type Options struct {
	// Path is the journal file, created 0600 (its directory 0700) when
	// missing. Required.
	Path string
	// Now is the clock stamped on ops and envelopes. Default nil: time.Now.
	Now func() time.Time
	// OnConflict is called for every conflict a replay finds, from the
	// goroutine replaying the op's lane: lanes run concurrently, so it may
	// be called from several goroutines at once, not in op order, and must
	// be safe for concurrent use. Default nil: conflicts are only reported
	// in Report (in op order) and Stats.
	OnConflict func(Conflict)
	// ReplayWorkers is how many lanes a Replay runs at once. Each session
	// is a lane whose ops are sent in order, one at a time, and all
	// resource ops form one more lane; different lanes run concurrently,
	// so a primary that takes 5-20 ms per write is still drained quickly.
	// Default 0 (or less): 8.
	ReplayWorkers int
	// OnAppend is called after each op is durable and about to be
	// acknowledged, so the owner can start a replay at once rather than on
	// its next poll. It must not block. Default nil: none.
	OnAppend func()
	// Base is asked, with the client's request, for what the primary held
	// for a session when a write (message, commit, delete) arrives for a
	// session the journal does not hold, i.e. one it did not create; the
	// gateway answers from its copy of the primary's last GET of the
	// session. With a base the journal answers reads and counts over the
	// primary's messages followed by its own, as the primary would; the
	// base is kept in the log with the op (it survives restarts) and never
	// replayed. It is called outside the journal's lock, before the op is
	// appended, once per session taken (twice only when two writes race
	// for the same new session, and then the first to append wins), and
	// only for a request that passed validation.
	// Default nil: no base; such a session holds only the journal's
	// messages and reads say journal.complete false.
	Base func(r *http.Request, sessionID string) (Base, bool)
}

// Stats are the journal's counters since Open (recovered records included).
type Stats struct {
	Appended     int   `json:"appended"`      // acknowledged ops
	Replayed     int   `json:"replayed"`      // ops the primary took (with or without a conflict)
	Already      int   `json:"already"`       // ops a resumed replay found already on the primary
	Conflicts    int   `json:"conflicts"`     // conflicts found by replays, lost writes included
	Failed       int   `json:"failed"`        // ops the primary refused: those writes are lost
	Pending      int   `json:"pending"`       // ops not yet replayed
	DroppedBytes int64 `json:"dropped_bytes"` // torn tail truncated away by Open
	Broken       bool  `json:"broken"`        // a write or fsync failed: every append now fails
}

// Journal is the durable write journal. It is safe for concurrent use.
type Journal struct {
	o         Options
	log       *wal
	dropped   int64
	pending   atomic.Int64  // len(st.ops), readable without the lock
	replaying chan struct{} // single-flight token of Replay

	mu     sync.RWMutex // guards st and closed, and orders log writes
	st     state
	closed bool
}

// Open reads the journal file, drops a torn tail and rebuilds the state.
func Open(o Options) (*Journal, error) { return open(o, nil) }

// open is Open with the file layer wrapped by wrap (tests inject faults).
func open(o Options, wrap func(file) file) (*Journal, error) {
	if o.Path == "" {
		return nil, fmt.Errorf("%w: Options.Path is required", ErrInvalid)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	f, data, err := openFile(o.Path)
	if err != nil {
		return nil, err
	}
	var ff file = f
	if wrap != nil {
		ff = wrap(f)
	}
	j := &Journal{o: o, log: newWAL(ff), st: newState(), replaying: make(chan struct{}, 1)}
	if err := j.recover(data); err != nil {
		_ = ff.Close()
		return nil, err
	}
	return j, nil
}

// openFile opens path for appending and returns what it holds. A new
// file's directory entry is synced so the file itself survives a crash.
func openFile(path string) (*os.File, []byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	data, err := io.ReadAll(f)
	if err == nil && os.IsNotExist(statErr) {
		err = syncDir(dir)
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	return f, data, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// recover applies every complete record and truncates the torn tail.
func (j *Journal) recover(data []byte) error {
	valid, err := scan(data, j.log.table, func(rec *record) error {
		return j.st.apply(rec, 0)
	})
	if err != nil {
		return err
	}
	j.log.written.Store(int64(valid))
	j.log.synced = int64(valid)
	j.pending.Store(int64(len(j.st.ops)))
	if valid == len(data) {
		return nil
	}
	j.dropped = int64(len(data) - valid)
	if err := j.log.f.Truncate(int64(valid)); err != nil {
		return fmt.Errorf("journal: dropping a torn tail: %w", err)
	}
	return j.log.f.Sync()
}

// Close syncs and closes the file. Later appends fail with ErrClosed; a
// running Replay stops at its next write. Close is safe twice.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.closed = true
	return j.log.close()
}

// Holds reports whether session id has unreplayed ops, in which case every
// request for it must be served by the journal to keep the session's
// order. With nothing pending it is one atomic load.
func (j *Journal) Holds(sessionID string) bool {
	if j.pending.Load() == 0 {
		return false
	}
	j.mu.RLock()
	_, ok := j.st.sessions[sessionID]
	j.mu.RUnlock()
	return ok
}

// HoldsRequest is Holds for the session of a /api/v1/sessions/{id}[/...]
// request; other requests are never held.
func (j *Journal) HoldsRequest(r *http.Request) bool {
	if j.pending.Load() == 0 {
		return false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, sessionsPrefix)
	if !ok {
		return false
	}
	id, _, _ := strings.Cut(rest, "/")
	return id != "" && j.Holds(id)
}

// Pending is the number of ops not yet replayed.
func (j *Journal) Pending() int { return int(j.pending.Load()) }

// Stats returns the counters.
func (j *Journal) Stats() Stats {
	j.mu.RLock()
	defer j.mu.RUnlock()
	n := j.st.n
	return Stats{
		Appended: n.appended, Replayed: n.replayed, Already: n.already,
		Conflicts: n.conflicts, Failed: n.failed, Pending: len(j.st.ops),
		DroppedBytes: j.dropped, Broken: j.log.broken.Load(),
	}
}

// writableLocked refuses writes to a closed or broken journal.
func (j *Journal) writableLocked() error {
	if j.closed {
		return ErrClosed
	}
	if j.log.broken.Load() {
		return ErrBroken
	}
	return nil
}

// appendLocked writes rec and applies it to the state, in that order, so
// the state never holds what the log does not. It returns the position to
// wait for.
func (j *Journal) appendLocked(rec *record) (int64, error) {
	pos, err := j.writeLocked(rec)
	if err == nil {
		err = j.applyLocked(rec, pos)
	}
	return pos, err
}

// writeLocked writes rec; ops get their sequence number and time here.
func (j *Journal) writeLocked(rec *record) (int64, error) {
	if err := j.writableLocked(); err != nil {
		return 0, err
	}
	if rec.isOp() {
		rec.Seq = j.st.nextSeq
		rec.At = j.o.Now().UnixMilli()
	}
	return j.log.write(rec)
}

func (j *Journal) applyLocked(rec *record, pos int64) error {
	err := j.st.apply(rec, pos)
	j.pending.Store(int64(len(j.st.ops)))
	return err
}
