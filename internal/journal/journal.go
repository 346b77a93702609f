// Package journal keeps the OpenViking session writes the primary cannot
// take in a durable, append-only log, answers them in OpenViking's API once
// they are on disk, and later replays them to the primary in order,
// idempotently, resuming after a crash without duplicates.
package journal

import (
	"errors"
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
	// MaxUploadBytes bounds one temp_upload the journal keeps. Default 0
	// (or less): 32 MiB.
	MaxUploadBytes int64
	// UploadBytes bounds all kept uploads together; past it uploads are
	// refused with 503 until a replay empties them. Default 0 (or less):
	// 512 MiB.
	UploadBytes int64
	// SeenPath is the file where what the primary last reported of each
	// session (see Observe) is saved, at most once a second and on
	// Close. Default "": beside Path, as Path + ".sessions".
	SeenPath string
	// SeenSessions bounds how many sessions are remembered, the least
	// recently used forgotten first. Default 0 (or less): 4,096.
	SeenSessions int
	// Shared, when set, keeps every record in this replicated log instead
	// of the file at Path, so acknowledged writes survive losing this
	// replica for good (see Shared): a write is acknowledged once it is
	// committed there and applied here, sequence numbers are positions in
	// it, OnAppend is called for every op applied (any replica's), and an
	// idle Replay trims it. Path then only places the seen file and the
	// local copies of uploads, which are rebuilt from the log. Uploads go
	// through the log in chunks of at most its MaxPayload (at least 16
	// KiB, or Open refuses it), within MaxUploadBytes and UploadBytes as
	// in local mode: past UploadBytes, counted over every replica's kept
	// uploads, an upload gets the same retryable 503. Default nil: the
	// local file at Path, written and fsynced by this process alone.
	Shared Shared
	// SharedTimeout bounds one Append to Shared and the wait for its
	// record to apply here; past it the write is not acknowledged (503),
	// though it may still apply later. Default 0 (or less): 10 s.
	SharedTimeout time.Duration
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

	upMu     sync.Mutex      // guards inflight
	inflight map[string]bool // uploads whose files are written but whose ops are not appended yet

	sh *replica // the shared mode's engine; nil: the local file

	seen   *seen
	saving atomic.Bool    // a save of seen is scheduled
	stop   chan struct{}  // closed by Close: a scheduled save runs at once
	saves  sync.WaitGroup // the scheduled save, which Close waits for
	once   sync.Once
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
	if o.Shared != nil {
		return openShared(o)
	}
	f, data, err := openFile(o.Path)
	if err != nil {
		return nil, err
	}
	var ff file = f
	if wrap != nil {
		ff = wrap(f)
	}
	j := &Journal{o: o, log: newWAL(ff), st: newState(), replaying: make(chan struct{}, 1), stop: make(chan struct{})}
	if o.SeenPath == "" {
		o.SeenPath = o.Path + seenSuffix
	}
	if j.seen, err = newSeen(o.SeenPath, o.SeenSessions); err == nil {
		err = j.recover(data)
	}
	if err != nil {
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
	j.once.Do(func() { close(j.stop) })
	j.saves.Wait()
	saveErr := j.seen.save()
	if j.sh != nil {
		return errors.Join(j.sh.close(), saveErr)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.closed = true
	return errors.Join(j.log.close(), saveErr)
}

// seenSaveEvery is how often what the observer learnt is saved.
const seenSaveEvery = time.Second

// seenChanged schedules a save of what the observer learnt, at most one
// at a time and once a second, so the request path never writes a file.
func (j *Journal) seenChanged() {
	if !j.saving.CompareAndSwap(false, true) {
		return
	}
	j.saves.Add(1)
	go func() {
		defer j.saves.Done()
		t := time.NewTimer(seenSaveEvery)
		defer t.Stop()
		select {
		case <-t.C:
		case <-j.stop:
		}
		j.saving.Store(false)
		_ = j.seen.save() // a failed save is retried with the next change and on Close, which reports it
	}()
}

// Holds reports whether session id has unreplayed ops for some tenant.
// With nothing pending it is one atomic load.
func (j *Journal) Holds(sessionID string) bool {
	if j.pending.Load() == 0 {
		return false
	}
	j.mu.RLock()
	ok := j.st.ids[sessionID] > 0
	j.mu.RUnlock()
	return ok
}

// holds is Holds for one tenant's session.
func (j *Journal) holds(k sessionKey) bool {
	if j.pending.Load() == 0 {
		return false
	}
	j.mu.RLock()
	_, ok := j.st.sessions[k]
	j.mu.RUnlock()
	return ok
}

// HoldsRequest reports whether the session of a /api/v1/sessions/{id}[/...]
// request, in its caller's space, has unreplayed ops, in which case every
// request for it must be served by the journal to keep the session's
// order; other requests are never held. With nothing pending it is one
// atomic load.
func (j *Journal) HoldsRequest(r *http.Request) bool {
	if j.pending.Load() == 0 {
		return false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, sessionsPrefix)
	if !ok {
		return false
	}
	id, _, _ := strings.Cut(rest, "/")
	if id == "" {
		return false
	}
	return j.holds(sessionKey{account: headerOr(r.Header, canonAccount), user: headerOr(r.Header, canonUser), id: id})
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
		DroppedBytes: j.dropped, Broken: j.isBroken(),
	}
}

// writableLocked refuses writes to a closed or broken journal.
func (j *Journal) writableLocked() error {
	if j.closed {
		return ErrClosed
	}
	if j.isBroken() {
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

// The tenant headers' canonical names, so the hot path reads them without
// canonicalizing (which allocates).
var (
	canonAccount = http.CanonicalHeaderKey(headerAccount)
	canonUser    = http.CanonicalHeaderKey(headerUser)
)

// headerOr is a tenant header of h by its canonical name, or OpenViking's
// default.
func headerOr(h http.Header, canonical string) string {
	if v := h[canonical]; len(v) > 0 && v[0] != "" {
		return v[0]
	}
	return defaultUser
}
