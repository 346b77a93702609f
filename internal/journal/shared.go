package journal

import (
	"context"
	"errors"
	"time"
)

// Shared is a replicated log the journal can keep its records in instead
// of its local file, so acknowledged writes survive losing a replica for
// good. Every replica's journal then is a replicated state machine: each
// record (ops, replay markers, idle headers, upload chunks) is appended
// here and applied by every replica, the appending one included, in the
// one order the log gives. The journal defines it; a cluster package
// implements it (on etcd: Append is a put committed by a quorum, and the
// position its revision).
type Shared interface {
	// Append stores payload durably (for etcd: committed by a quorum) and
	// returns its position in the one total order all replicas see.
	// Positions are above 0 and increase; they need not be contiguous. An
	// error means the payload may or may not be stored: the journal never
	// acknowledges it, and applies it if Follow delivers it later.
	Append(ctx context.Context, payload []byte) (pos int64, err error)
	// Follow calls apply for every payload with position > after, in
	// order, then for each new one as it arrives, until ctx ends (it then
	// returns ctx's error) or apply fails (it returns that error). After
	// 0 asks for every payload still kept. When payloads above after
	// were trimmed before they were delivered, it returns an error
	// wrapping ErrTrimmed. apply must not keep or change payload.
	Follow(ctx context.Context, after int64, apply func(pos int64, payload []byte) error) error
	// Trim drops every payload at or below pos once nothing needs them
	// (all replayed).
	Trim(ctx context.Context, pos int64) error
	// MaxPayload is the largest payload Append takes.
	MaxPayload() int
}

// Errors of the shared mode; callers test them with errors.Is.
var (
	// ErrShared wraps a failure of the shared log (an Append refused,
	// for instance because this replica was fenced, or timed out): the
	// write is not acknowledged and the client is told to retry (503).
	ErrShared = errors.New("journal: the shared log failed")
	// ErrTrimmed is what Follow returns once payloads it had yet to
	// deliver were trimmed: the replica missed records, so it stops
	// taking writes (ErrBroken) until it is opened again.
	ErrTrimmed = errors.New("journal: shared log trimmed past this replica")
)

// Bounds of the shared mode.
const (
	// defaultSharedTimeout bounds one Append and the wait for its record
	// to apply when Options.SharedTimeout is 0.
	defaultSharedTimeout = 10 * time.Second
	// minSharedPayload is the smallest MaxPayload Open accepts: below it
	// ordinary writes, with their headers and base, would not fit.
	minSharedPayload = 16 << 10
	// chunkOverhead is room left in a payload for an upload chunk's
	// record around its data.
	chunkOverhead = 1 << 10
	// partialMemory is how long a replica keeps the chunks of an upload
	// whose op never came (its replica died mid-upload) before an idle
	// header drops them.
	partialMemory = time.Hour
)

// sharedTimeout is Options.SharedTimeout with its default.
func (j *Journal) sharedTimeout() time.Duration {
	if j.o.SharedTimeout <= 0 {
		return defaultSharedTimeout
	}
	return j.o.SharedTimeout
}

// isBroken tells whether the log, local or shared, takes no more writes.
func (j *Journal) isBroken() bool {
	if j.sh != nil {
		return j.sh.broken.Load()
	}
	return j.log.broken.Load()
}

// synced returns once the op at pos is durable: the replay never sends
// the primary a write its client was not told of. In the shared mode an
// op applies only once committed, so it already is.
func (j *Journal) synced(pos int64) error {
	if j.sh != nil {
		return nil
	}
	return j.log.wait(pos)
}
