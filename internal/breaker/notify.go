package breaker

// Transitions are queued under the lock and delivered after it is released.
// Only one goroutine delivers at a time, draining the queue in order, so the
// callback sees transitions in the order they happened even when several
// goroutines cause them at once. This also lets a callback call back into
// the Breaker (Reset, say): its transition is queued and delivered by the
// loop already running.

// queueLocked records t for delivery. mu is held.
func (b *Breaker) queueLocked(t Transition) {
	if b.onChange != nil {
		b.pending = append(b.pending, t)
	}
}

// unlockAndNotify releases mu and, unless another goroutine is already
// delivering, delivers every queued transition.
func (b *Breaker) unlockAndNotify() {
	if b.delivering || len(b.pending) == 0 {
		b.mu.Unlock()
		return
	}
	b.delivering = true
	finished := false
	// If the callback panics, hand delivery back so later transitions are
	// still reported. The panic itself propagates to the caller.
	defer func() {
		if !finished {
			b.mu.Lock()
			b.delivering = false
			b.mu.Unlock()
		}
	}()
	for len(b.pending) > 0 {
		t := b.pending[0]
		b.pending = b.pending[1:]
		b.mu.Unlock()
		b.onChange(t)
		b.mu.Lock()
	}
	b.pending = nil
	b.delivering = false
	finished = true
	b.mu.Unlock()
}
