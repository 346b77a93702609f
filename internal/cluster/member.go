package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Options are a Member's hooks. Every field may be nil.
type Options struct {
	// Events receives leadership changes and lost sessions. Nil drops them.
	Events event.Sink
	// OnLeadership is told true when this replica becomes the decider and
	// false when it stops, in order, from the Member's own goroutines. The
	// false may come up to one Interval after IsDecider turned false: act
	// on IsDecider, use this to start and stop the decider's loops. It may
	// call the Member's methods. Nil means nobody is told.
	OnLeadership func(decider bool)
	// OnState receives each new decided state, in revision order, within
	// about a second of its write, on every replica including the decider.
	// It must not block for long. Nil means the state is only kept for
	// LastState.
	OnState func(State)
	// Stats returns this replica's per-route summary, published every
	// Interval. Nil publishes no statistics.
	Stats func() Routes
	// Buckets returns this replica's recent window buckets, published
	// with the summary so the decider can find when a problem began.
	// Nil, or a nil result, publishes none; it is called only with Stats.
	Buckets func() *WindowBuckets
}

// Member is one replica's membership of the cluster: its etcd client, its
// lease, its campaign for decider and its published figures. Create it with
// Join and Close it.
type Member struct {
	s    Settings
	k    keys
	o    Options
	c    *clientv3.Client
	boot string // Tells this process's journal keys from an earlier run's.

	term       atomic.Pointer[term]
	validUntil atomic.Int64 // Unix nanoseconds until which our lease surely lives.
	seq        atomic.Uint64
	started    time.Time

	mu     sync.Mutex
	health Verdict
	admin  string // The admin API's base URL, published with the heartbeat.
	last   State

	stop      context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// Join connects to etcd, reads the decided state, and starts the replica's
// session: registration, heartbeat, statistics, campaign and state watch.
// It fails with ErrUnavailable when etcd cannot be read within DialTimeout.
func Join(ctx context.Context, s Settings, o Options) (*Member, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !s.Enabled() {
		return nil, fmt.Errorf("%w: endpoints: none, cluster mode is off", ErrSettings)
	}
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	c, err := dial(s)
	if err != nil {
		return nil, err
	}
	m := &Member{s: s, k: keys{s.Prefix}, o: o, c: c, boot: bootID(), started: time.Now()}
	first, cancel := context.WithTimeout(ctx, s.DialTimeout)
	defer cancel()
	if err := m.loadState(first); err != nil {
		_ = c.Close()
		return nil, err
	}
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stop = stop
	m.wg.Go(func() { m.run(run) })
	m.wg.Go(func() { m.watchState(run) })
	return m, nil
}

// Name is this replica's name.
func (m *Member) Name() string { return m.s.Name }

// IsDecider reports whether this replica holds the election and its lease
// is surely still alive. Gate every external action on it.
func (m *Member) IsDecider() bool {
	t := m.term.Load()
	return t != nil && !t.fenced.Load() && time.Now().UnixNano() < m.validUntil.Load()
}

// Close resigns the election, so another replica takes over at once rather
// than after the lease, revokes the lease, and waits for the Member's
// goroutines. It is safe to call twice.
func (m *Member) Close() error {
	var err error
	m.closeOnce.Do(func() {
		m.stop()
		m.wg.Wait()
		err = m.c.Close()
	})
	return err
}

// op bounds one request to etcd by RequestTimeout.
func (m *Member) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, m.s.RequestTimeout)
}

// emit sends an event if anyone listens.
func (m *Member) emit(kind string, sev event.Severity, msg string) {
	if m.o.Events == nil {
		return
	}
	m.o.Events.Emit(event.Event{
		Time: time.Now(), Kind: kind, Source: "cluster", Severity: sev, Message: msg,
		Fields: map[string]any{"replica": m.s.Name},
	})
}

// unavailable wraps an etcd failure, keeping a closed member's own error.
func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, what, err)
}

func bootID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms.
	return hex.EncodeToString(b[:])
}

// Abandon drops the Member the way kill -9 would: it closes the etcd
// client without resigning or revoking, so the lease runs out in etcd on
// its own and the other replicas see a dead decider, not a polite one.
// For tests and the demo. Close after it does nothing.
func (m *Member) Abandon() {
	m.closeOnce.Do(func() {
		_ = m.c.Close()
		m.stop()
		m.wg.Wait()
	})
}
