package stats

import (
	"math"
	"runtime"
	"sync/atomic"
	"time"
)

// Epoch values that are not bucket indexes. Real indexes count bucket widths
// since the window's base time and stay far from these.
const (
	epochEmpty     = math.MinInt64     // never used
	epochResetting = math.MinInt64 + 1 // being cleared for a new index
)

// bucket counts what happened during one BucketWidth. Every field is atomic
// so that recorders never lock; epoch says which interval the counts
// belong to.
type bucket struct {
	epoch   atomic.Int64
	counts  [NumOutcomes]atomic.Int64
	latency atomic.Int64 // sum of judged latencies, in nanoseconds
	hist    [histBuckets]atomic.Int64
}

// add counts one request. Only judged outcomes carry a meaningful latency.
func (b *bucket) add(o Outcome, d time.Duration) {
	b.counts[o].Add(1)
	if o.judged() {
		b.latency.Add(int64(d))
		b.hist[histIndex(d)].Add(1)
	}
}

// clear zeroes the counts; the caller holds the bucket in epochResetting.
func (b *bucket) clear() {
	for i := range b.counts {
		b.counts[i].Store(0)
	}
	b.latency.Store(0)
	for i := range b.hist {
		b.hist[i].Store(0)
	}
}

// claim returns b ready to count for interval idx, clearing it first when
// it still holds an older interval, or nil when it already holds a newer
// one (the sample is older than the whole window).
//
// Clearing marks the bucket epochResetting while the counters are zeroed,
// and recorders arriving meanwhile wait for the new epoch, so no count is
// lost at a rotation. A recorder that checked the epoch and is then paused
// for a whole window length (Buckets x BucketWidth) before adding could
// still add into a reused bucket; that needs a stall of a minute by default
// and is accepted.
func (b *bucket) claim(idx int64) *bucket {
	for {
		e := b.epoch.Load()
		switch {
		case e == idx:
			return b
		case e == epochResetting:
			spinWait()
		case e > idx:
			return nil
		case b.epoch.CompareAndSwap(e, epochResetting):
			b.clear()
			b.epoch.Store(idx)
			return b
		}
	}
}

// readInto adds the bucket's counts to a when it holds interval idx. The
// epoch is checked again afterwards so that a bucket recycled during the
// read is skipped rather than half counted.
func (b *bucket) readInto(a *aggregate, idx int64) {
	if b.epoch.Load() != idx {
		return
	}
	var part aggregate
	for i := range b.counts {
		part.counts[i] = b.counts[i].Load()
	}
	part.latency = b.latency.Load()
	for i := range b.hist {
		part.hist[i] = b.hist[i].Load()
	}
	if b.epoch.Load() == idx {
		a.merge(&part)
	}
}

// spinWait yields while another goroutine clears a bucket, which takes
// about fifty atomic stores; yielding lets that goroutine finish even on a
// single processor.
func spinWait() { runtime.Gosched() }
