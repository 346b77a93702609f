package breaker

import "strconv"

// State is the position of a Breaker: Closed, Open or HalfOpen.
type State int32

const (
	// Closed lets every request through and counts consecutive failures.
	Closed State = iota
	// Open rejects every request with ErrOpen until the open period ends.
	Open
	// HalfOpen lets a limited number of probe requests through to test the upstream.
	HalfOpen
)

// String returns "closed", "open" or "half-open".
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// word packs the whole lock-free part of the breaker into one uint64 so that
// the closed path can read and update it with a single atomic operation:
//
//	bits 63..32  generation: bumped on every transition
//	bits 31..30  State
//	bits 29..0   consecutive failures (only meaningful while closed)
//
// Keeping the generation in the same word as the failure count is what makes
// a stale result harmless: a compare-and-swap from an older generation fails.
type word uint64

const (
	failureBits = 30
	failureMask = 1<<failureBits - 1
	genShift    = 32
)

func pack(gen uint32, s State, failures int) word {
	return word(uint64(gen)<<genShift | uint64(s)<<failureBits | uint64(failures)&failureMask)
}

func (w word) gen() uint32   { return uint32(w >> genShift) }
func (w word) state() State  { return State(w>>failureBits) & 3 }
func (w word) failures() int { return int(w & failureMask) }

// withFailures returns w with its failure count replaced by n.
func (w word) withFailures(n int) word {
	return w&^failureMask | word(n)&failureMask
}

// nextGen returns the generation after g. It skips zero because the zero
// Ticket (returned with an error) must never match a live generation.
func nextGen(g uint32) uint32 {
	if g+1 == 0 {
		return 1
	}
	return g + 1
}
