package breaker

// The closed path runs on every request, so it uses only atomic operations
// on b.word. A compare-and-swap that carries the ticket's generation cannot
// land on a later generation, which is how late results are kept out.

// succeedClosed resets the consecutive failure count. It does not write
// when the count is already zero, so a healthy upstream's successes do not
// bounce the cache line between cores.
func (b *Breaker) succeedClosed(t Ticket) {
	for {
		w := b.load()
		if w.gen() != t.gen || w.failures() == 0 {
			return
		}
		if b.word.CompareAndSwap(uint64(w), uint64(w.withFailures(0))) {
			return
		}
	}
}

// failClosed counts a failure, and hands over to trip for the failure that
// reaches the threshold.
func (b *Breaker) failClosed(t Ticket) {
	for {
		w := b.load()
		if w.gen() != t.gen {
			return
		}
		if w.failures()+1 >= b.settings.FailureThreshold {
			b.trip(t)
			return
		}
		if b.word.CompareAndSwap(uint64(w), uint64(w+1)) {
			return
		}
	}
}

// trip opens the breaker under the lock. It re-checks the count because a
// success may have reset it since failClosed looked; in that case this
// failure is only counted.
func (b *Breaker) trip(t Ticket) {
	b.mu.Lock()
	defer b.unlockAndNotify()
	for {
		w := b.load()
		if w.gen() != t.gen {
			return
		}
		n := w.failures() + 1
		if n < b.settings.FailureThreshold {
			if b.word.CompareAndSwap(uint64(w), uint64(w+1)) {
				return
			}
			continue
		}
		if _, ok := b.tryMoveLocked(w, Open, n); ok {
			return
		}
	}
}
