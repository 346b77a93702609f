package sim

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// randSource draws the numbers behind error_rate and jitter. By default it
// uses math/rand/v2's goroutine-safe generator without any lock; tests inject
// a deterministic function, which is then called under a mutex because such
// functions are rarely safe for concurrent use.
type randSource struct {
	fn atomic.Pointer[func() float64] // nil means math/rand/v2.Float64
	mu sync.Mutex                     // serialises calls to an injected fn
}

// set installs fn; nil restores the default generator.
func (r *randSource) set(fn func() float64) {
	if fn == nil {
		r.fn.Store(nil)
		return
	}
	r.fn.Store(&fn)
}

// float64 returns a number in [0, 1).
func (r *randSource) float64() float64 {
	fn := r.fn.Load()
	if fn == nil {
		return rand.Float64()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return (*fn)()
}

// delay is the latency of one request: the fault's latency moved by a
// uniform jitter in [-JitterMS, +JitterMS], never below zero.
func (r *randSource) delay(f Fault) time.Duration {
	ms := float64(f.LatencyMS)
	if f.JitterMS > 0 {
		ms += (r.float64()*2 - 1) * float64(f.JitterMS)
	}
	if ms <= 0 {
		return 0
	}
	return time.Duration(ms * float64(time.Millisecond))
}
