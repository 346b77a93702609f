package history

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// finalFlushTimeout bounds the flush Run makes after its context ends.
const finalFlushTimeout = 5 * time.Second

// Options are what a Sampler works with, apart from its Settings.
type Options struct {
	// DB holds the history tables, created if missing. Required. It is
	// normally the database incident.OpenDB opens, whose busy timeout lets
	// this package and the incident store write to one file.
	DB *sql.DB
	// Source is read every Interval. Nil makes a read-only Sampler whose
	// Run only prunes, for tools that analyse a stopped gateway's history.
	Source Source
	// OnError receives every failure to write or prune, from Run's
	// goroutine. Nil means errors are dropped; samples that failed to be
	// written stay pending and are retried at the next flush.
	OnError func(error)
}

// Sampler records samples and answers queries over them. Queries are safe
// for concurrent use with Run and see samples not yet written.
type Sampler struct {
	set     Settings
	store   store
	src     Source
	onError func(error)
	deltas  deltas // Run's goroutine only

	writing sync.Mutex // serialises writes: Run's flushes and Flush calls
	mu      sync.Mutex // guards pending
	pending []Sample   // in time order, not yet written
}

// New validates s, creates the tables and returns a Sampler.
func New(ctx context.Context, o Options, s Settings) (*Sampler, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if o.DB == nil {
		return nil, ErrNoDB
	}
	sm := &Sampler{set: s.withDefaults(), store: store{o.DB}, src: o.Source, onError: o.OnError}
	if err := sm.store.create(ctx); err != nil {
		return nil, err
	}
	return sm, nil
}

// Settings returns the settings in force, defaults filled in.
func (s *Sampler) Settings() Settings { return s.set }

// Run samples, writes and prunes on schedule until ctx is done, then writes
// what is pending and returns. The first sample is taken one Interval after
// Run starts, since an interval needs two readings. The caller owns the
// goroutine and must not run two Runs of one Sampler at a time.
func (s *Sampler) Run(ctx context.Context) {
	s.prune(ctx, time.Now())
	tick, flush, prune := time.NewTicker(s.set.Interval), time.NewTicker(s.set.FlushEvery), time.NewTicker(s.set.PruneEvery)
	defer tick.Stop()
	defer flush.Stop()
	defer prune.Stop()
	if s.src != nil {
		s.take(ctx, time.Now())
	}
	for {
		select {
		case <-ctx.Done():
			s.finalFlush(ctx)
			return
		case now := <-tick.C:
			s.take(ctx, now)
		case <-flush.C:
			s.flushReport(ctx)
		case now := <-prune.C:
			s.prune(ctx, now)
		}
	}
}

// take reads the source and queues the interval's sample, writing the
// batch once it is full.
func (s *Sampler) take(ctx context.Context, now time.Time) {
	if s.src == nil {
		return
	}
	smp, ok := s.deltas.next(now, s.src.Read(now))
	if !ok {
		return
	}
	s.mu.Lock()
	s.pending = append(s.pending, smp)
	if over := len(s.pending) - s.set.MaxPending; over > 0 {
		s.pending = append(s.pending[:0], s.pending[over:]...)
	}
	full := len(s.pending) >= s.set.BatchSize
	s.mu.Unlock()
	if full {
		s.flushReport(ctx)
	}
}

// Flush writes every pending sample in one transaction. Samples that fail
// to be written stay pending.
func (s *Sampler) Flush(ctx context.Context) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	batch := s.snapshot()
	if len(batch) == 0 {
		return nil
	}
	if err := s.store.write(ctx, batch); err != nil {
		return err
	}
	s.forget(batch[len(batch)-1].Time)
	return nil
}

// snapshot copies the pending samples.
func (s *Sampler) snapshot() []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sample(nil), s.pending...)
}

// forget drops pending samples up to and including last, which are
// written. Samples queued meanwhile are later and stay; samples dropped
// meanwhile for MaxPending are simply gone.
func (s *Sampler) forget(last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := 0
	for i < len(s.pending) && !s.pending[i].Time.After(last) {
		i++
	}
	s.pending = append(s.pending[:0], s.pending[i:]...)
}

func (s *Sampler) flushReport(ctx context.Context) {
	s.report(s.Flush(ctx))
}

// finalFlush writes what is pending after ctx ended, within a bound.
func (s *Sampler) finalFlush(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalFlushTimeout)
	defer cancel()
	s.flushReport(ctx)
}

func (s *Sampler) prune(ctx context.Context, now time.Time) {
	s.report(s.Prune(ctx, now))
}

// Prune deletes samples that ended more than Retention before now.
func (s *Sampler) Prune(ctx context.Context, now time.Time) error {
	return s.store.prune(ctx, now.Add(-s.set.Retention))
}

func (s *Sampler) report(err error) {
	if err != nil && s.onError != nil {
		s.onError(err)
	}
}
