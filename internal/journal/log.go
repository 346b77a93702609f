package journal

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
	"sync/atomic"
)

// frameHeader is the length and the CRC-32C that precede each payload.
const frameHeader = 8

// file is the part of *os.File the log uses; tests wrap it to count or
// fail fsyncs.
type file interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Close() error
}

// wal is the append-only log with group commit. Writes happen under the
// Journal's lock, in the order the state changes; waiting for durability
// happens outside it, so one fsync covers every record written meanwhile.
// Positions count bytes ever written and never go back, not even when a
// reset truncates the file, so "synced >= pos" stays meaningful.
type wal struct {
	f     file
	table *crc32.Table
	buf   bytes.Buffer  // frame scratch, guarded by the Journal's lock
	enc   *json.Encoder // writes into buf
	// written is the position after the last complete write. It is
	// atomic so a syncer can read it without the Journal's lock.
	written atomic.Int64
	broken  atomic.Bool

	syncMu sync.Mutex // serializes fsyncs; guards synced and closed
	synced int64
	closed bool
}

func newWAL(f file) *wal {
	w := &wal{f: f, table: crc32.MakeTable(crc32.Castagnoli)}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	return w
}

// write frames rec and writes it in one call, so a crash leaves at most one
// torn frame at the tail. It returns the position a waiter must see synced.
// The caller holds the Journal's lock.
func (w *wal) write(rec *record) (int64, error) {
	if w.broken.Load() {
		return 0, ErrBroken
	}
	frame, err := w.frame(rec)
	if err != nil {
		return 0, err
	}
	if _, err := w.f.Write(frame); err != nil {
		w.broken.Store(true)
		return 0, fmt.Errorf("%w: write: %v", ErrBroken, err)
	}
	return w.written.Add(int64(len(frame))), nil
}

// frame encodes rec behind its length and checksum, reusing one buffer.
func (w *wal) frame(rec *record) ([]byte, error) {
	var room [frameHeader]byte
	w.buf.Reset()
	w.buf.Write(room[:])
	if err := w.enc.Encode(rec); err != nil {
		return nil, fmt.Errorf("journal: encoding a %s record: %w", rec.Kind, err)
	}
	b := w.buf.Bytes()
	b = b[:len(b)-1] // Encode ends with a newline that is not part of the payload
	payload := b[frameHeader:]
	binary.LittleEndian.PutUint32(b[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[4:8], crc32.Checksum(payload, w.table))
	return b, nil
}

// wait returns once an fsync that started after pos was written has
// finished. The first waiter syncs everything written so far; waiters that
// queued behind it usually find their record already covered, so one fsync
// serves a whole burst without any timer.
func (w *wal) wait(pos int64) error {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	if w.synced >= pos {
		return nil
	}
	if w.broken.Load() {
		return ErrBroken
	}
	if w.closed {
		return ErrClosed
	}
	target := w.written.Load()
	if err := w.f.Sync(); err != nil {
		w.broken.Store(true)
		return fmt.Errorf("%w: fsync: %v", ErrBroken, err)
	}
	w.synced = target
	return nil
}

// reset empties the file and starts it again with header, durably. The
// caller holds the Journal's lock, so nothing is written meanwhile. A crash
// between the truncate and the header's fsync leaves an empty file, which
// only restarts the sequence numbers of a journal that holds nothing.
func (w *wal) reset(header *record) error {
	if w.broken.Load() {
		return ErrBroken
	}
	if err := w.f.Truncate(0); err != nil {
		w.broken.Store(true)
		return fmt.Errorf("%w: truncate: %v", ErrBroken, err)
	}
	pos, err := w.write(header)
	if err != nil {
		return err
	}
	return w.wait(pos)
}

// close syncs what was written and closes the file; it is safe twice.
func (w *wal) close() error {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	var err error
	if !w.broken.Load() {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
