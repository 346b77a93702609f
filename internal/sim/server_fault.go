package sim

import (
	"fmt"
	"net"
	"time"
)

// SetFault validates f and applies it to every request outside /_sim/.
// Down closes the main listener and its live connections but remembers the
// address; clearing Down listens again on the same address (ErrRelisten if
// the port was taken meanwhile, in which case nothing changes). A fault
// with DurationMS > 0 clears itself after that long; any SetFault cancels
// the previous fault's timer.
func (s *Server) SetFault(f Fault) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return ErrStopped
	}
	return s.applyLocked(f)
}

// Fault returns the fault in force.
func (s *Server) Fault() Fault { return s.state.Load().f }

// applyLocked moves the listener, swaps the fault state and schedules the
// automatic clear. The caller holds s.mu.
func (s *Server) applyLocked(f Fault) error {
	old := s.state.Load()
	ln, err := s.relistenLocked(old.f, f)
	if err != nil {
		s.lastErr = err.Error()
		return err
	}
	s.swapStateLocked(old, f)
	if f.Down && s.main != nil {
		// Live connections go too, which is what a dead process does.
		s.main.close()
		s.main = nil
	}
	if ln != nil {
		s.main = s.serve(ln, s)
	}
	s.scheduleClearLocked(f)
	return nil
}

// relistenLocked opens the remembered address when Down is being cleared
// on a started server; otherwise it returns a nil listener.
func (s *Server) relistenLocked(old, next Fault) (net.Listener, error) {
	if !old.Down || next.Down || s.addr == "" || s.main != nil {
		return nil, nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("%w on %s: %w", ErrRelisten, s.addr, err)
	}
	return ln, nil
}

// swapStateLocked publishes the new fault, wakes requests hung on the old
// one and tells the service.
func (s *Server) swapStateLocked(old *faultState, f Fault) {
	s.state.Store(newFaultState(f))
	close(old.changed)
	if fa, ok := s.svc.(faultAware); ok {
		fa.observeFault(f)
	}
}

// scheduleClearLocked replaces the fault timer. Every scheduled timer holds
// one wg count, released either by its callback or by a successful Stop,
// so Stop can wait for callbacks already running.
func (s *Server) scheduleClearLocked(f Fault) {
	s.stopTimerLocked()
	s.gen++
	if f.DurationMS <= 0 {
		return
	}
	gen := s.gen
	s.wg.Add(1)
	s.timer = time.AfterFunc(time.Duration(f.DurationMS)*time.Millisecond, func() {
		defer s.wg.Done()
		s.expire(gen)
	})
}

func (s *Server) stopTimerLocked() {
	if s.timer != nil && s.timer.Stop() {
		s.wg.Done()
	}
	s.timer = nil
}

// expire clears the fault set in generation gen, unless a later change or
// Stop came first.
func (s *Server) expire(gen uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || gen != s.gen {
		return
	}
	// A failure is kept in lastErr by applyLocked and shown in Stats; the
	// fault then stays as it was.
	_ = s.applyLocked(Fault{})
}
