package trigger

import (
	"context"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// t0 is a fixed evaluation time; tests add offsets to it.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// scripted is a source whose next reading the test sets.
type scripted struct {
	mu sync.Mutex
	r  signal.Reading
}

func (s *scripted) set(r signal.Reading) {
	s.mu.Lock()
	s.r = r
	s.mu.Unlock()
}

func (s *scripted) Read(context.Context, time.Time) signal.Reading {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r
}

// val is a valid reading of v; none is an invalid one.
func val(v float64) signal.Reading {
	return signal.Reading{Value: v, Valid: true, Unit: "ms", Detail: "test reading"}
}

var none = signal.Reading{Unit: "ms", Detail: "below minimum volume"}

// sec is a shorthand for offsets from t0.
func sec(n int) time.Duration { return time.Duration(n) * time.Second }
