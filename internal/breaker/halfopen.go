package breaker

// probeDone records a probe's outcome. Probes are few, so they are counted
// under the lock.
func (b *Breaker) probeDone(t Ticket, success bool) {
	b.mu.Lock()
	defer b.unlockAndNotify()
	w := b.load()
	if w.gen() != t.gen {
		return // The breaker moved on while we waited for the lock.
	}
	b.probes--
	if !success {
		b.reopens++
		b.moveLocked(w, Open, 1)
		return
	}
	b.probeOK++
	if b.probeOK >= b.settings.SuccessesToClose {
		b.reopens = 0
		b.moveLocked(w, Closed, 0)
	}
}

// Cancel hands back a ticket whose request says nothing about the upstream,
// such as one whose client hung up or that a queue turned away. While
// closed it does nothing; while half-open it frees the probe slot, which a
// dropped ticket would hold forever and so keep the breaker from closing.
func (b *Breaker) Cancel(t Ticket) {
	w := b.load()
	if t.gen == 0 || w.gen() != t.gen || w.state() != HalfOpen {
		return
	}
	b.mu.Lock()
	defer b.unlockAndNotify()
	if b.load().gen() == t.gen && b.probes > 0 {
		b.probes--
	}
}
