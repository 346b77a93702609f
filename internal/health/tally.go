package health

// tally applies rise/fall hysteresis to a stream of probe outcomes. It is
// plain data, guarded by the Checker's mutex.
type tally struct {
	state    State
	passes   int
	failures int
}

// observe counts one outcome and returns the new state and whether it
// changed. The first pass decides Up at once, because an upstream that
// answers correctly is usable; leaving Down needs rise passes in a row, and
// reaching Down (from Up or Unknown) needs fall failures in a row.
func (t *tally) observe(ok bool, rise, fall int) (State, bool) {
	from := t.state
	if ok {
		t.passes++
		t.failures = 0
		if from == Unknown || (from == Down && t.passes >= rise) {
			t.state = Up
		}
	} else {
		t.failures++
		t.passes = 0
		if from != Down && t.failures >= fall {
			t.state = Down
		}
	}
	return t.state, t.state != from
}

// changing reports whether a streak is pulling against the current state,
// which is when the checker probes at the fast interval.
func (t *tally) changing() bool {
	if t.state == Down {
		return t.passes > 0
	}
	return t.failures > 0
}
