package journal

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemShared is a Shared kept in memory, for tests of the shared mode
// (this package's and the app's): every Journal opened on the same
// MemShared is one replica. Its fault hooks fail appends and delay
// deliveries. It is safe for concurrent use.
type MemShared struct {
	max int

	mu       sync.Mutex
	entries  []memEntry    // kept payloads, in position order
	next     int64         // the last position given
	trimmed  int64         // every position at or below it is dropped
	changed  chan struct{} // closed and replaced on every append
	failWith error
	deliver  func(follower int, pos int64)
	follows  int
}

type memEntry struct {
	pos     int64
	payload []byte
}

// NewMemShared returns an empty log taking payloads up to maxPayload
// bytes (0 or less: 1.5 MiB, etcd's default request limit).
func NewMemShared(maxPayload int) *MemShared {
	if maxPayload <= 0 {
		maxPayload = 3 << 19
	}
	return &MemShared{max: maxPayload, changed: make(chan struct{})}
}

var _ Shared = (*MemShared)(nil)

// FailAppends makes every Append fail with err, storing nothing, as a
// fenced or partitioned replica's would; nil lets them succeed again.
func (m *MemShared) FailAppends(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failWith = err
}

// OnDeliver sets a hook called before each payload is delivered to a
// follower, numbered from 0 in the order Follow was called; it may block
// or sleep to deliver late. nil removes it.
func (m *MemShared) OnDeliver(hook func(follower int, pos int64)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliver = hook
}

// Len is how many payloads the log keeps.
func (m *MemShared) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Append stores a copy of payload.
func (m *MemShared) Append(ctx context.Context, payload []byte) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if len(payload) > m.max {
		return 0, fmt.Errorf("memshared: payload of %d bytes over %d", len(payload), m.max)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failWith != nil {
		return 0, m.failWith
	}
	m.next++
	m.entries = append(m.entries, memEntry{pos: m.next, payload: slices.Clone(payload)})
	close(m.changed)
	m.changed = make(chan struct{})
	return m.next, nil
}

// Follow delivers the kept payloads after after, then new ones.
func (m *MemShared) Follow(ctx context.Context, after int64, apply func(int64, []byte) error) error {
	m.mu.Lock()
	id := m.follows
	m.follows++
	m.mu.Unlock()
	for {
		batch, wake, err := m.since(after)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if hook := m.hook(); hook != nil {
				hook(id, e.pos)
			}
			if err := apply(e.pos, e.payload); err != nil {
				return err
			}
			after = e.pos
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

// since is what a follower that delivered up to after gets next, and a
// channel closed on the next append.
func (m *MemShared) since(after int64) ([]memEntry, <-chan struct{}, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if after > 0 && after < m.trimmed {
		return nil, nil, fmt.Errorf("%w: at %d, trimmed to %d", ErrTrimmed, after, m.trimmed)
	}
	i, _ := slices.BinarySearchFunc(m.entries, after+1, func(e memEntry, p int64) int { return int(e.pos - p) })
	return slices.Clone(m.entries[i:]), m.changed, nil
}

func (m *MemShared) hook() func(int, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.deliver
}

// Trim drops the payloads at or below pos.
func (m *MemShared) Trim(ctx context.Context, pos int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, _ := slices.BinarySearchFunc(m.entries, pos+1, func(e memEntry, p int64) int { return int(e.pos - p) })
	m.entries = slices.Clone(m.entries[i:])
	m.trimmed = max(m.trimmed, pos)
	return nil
}

// MaxPayload is the bound given to NewMemShared.
func (m *MemShared) MaxPayload() int { return m.max }
