package sim

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// controlPrefix marks the simulator's own endpoints, never subject to faults.
const controlPrefix = "/_sim/"

// counters are the Server's request counts, read by Stats.
type counters struct {
	requests atomic.Int64 // every request outside /_sim/
	served   atomic.Int64 // handed to the service
	delayed  atomic.Int64 // passed through the latency stage
	errors   atomic.Int64 // answered with an injected error
	hung     atomic.Int64 // entered the hang stage
	dropped  atomic.Int64 // connection dropped by down or Stop
}

// ServeHTTP applies the fault in force, then hands the request to the
// service. The stages run in this order: latency (with jitter; a client
// that gives up gets nothing), error_rate (the service's own error shape),
// hang (until the client gives up, the hang is cleared or Stop), down (the
// connection is dropped). corrupt_search and the resource gauges are
// applied by the service itself. /_sim/* bypasses every stage.
//
// A dropped connection is a panic with http.ErrAbortHandler, which
// net/http turns into a closed connection; in-process callers (for example
// with httptest.ResponseRecorder) see the panic itself.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		if s.controlOnly.Load() {
			writeJSON(w, http.StatusNotFound, controlError{Error: "the fault knobs are served on the control listener only"})
			return
		}
		s.control.ServeHTTP(w, r)
		return
	}
	s.counts.requests.Add(1)
	if st := s.state.Load(); !st.passive && !s.applyStages(w, r, st) {
		return
	}
	s.counts.served.Add(1)
	s.svc.ServeHTTP(w, r)
}

// applyStages runs the transport stages of st and reports whether the
// request may go on to the service.
func (s *Server) applyStages(w http.ResponseWriter, r *http.Request, st *faultState) bool {
	if st.f.delays() && !s.delay(r, s.rnd.delay(st.f)) {
		return false
	}
	if st.f.ErrorRate > 0 && s.rnd.float64() < st.f.ErrorRate {
		s.counts.errors.Add(1)
		s.writeInjectedError(w, st.f.errorStatus())
		return false
	}
	if st.f.Hang && !s.hang(r, st) {
		return false
	}
	if s.state.Load().f.Down {
		s.drop()
	}
	return true
}

// delay waits d, or less if the client gives up (false) or the server
// stops (the connection is dropped).
func (s *Server) delay(r *http.Request, d time.Duration) bool {
	s.counts.delayed.Add(1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.stopCh:
		s.drop()
		return false
	}
}

// hang holds the request until the client gives up (false), the server
// stops (dropped) or a new fault without Hang is set (true: the request is
// answered normally, as by a process that recovered).
func (s *Server) hang(r *http.Request, st *faultState) bool {
	s.counts.hung.Add(1)
	for st.f.Hang {
		select {
		case <-r.Context().Done():
			return false
		case <-s.stopCh:
			s.drop()
		case <-st.changed:
			st = s.state.Load()
		}
	}
	return true
}

// drop ends the request without an answer: net/http closes the
// connection when a handler panics with http.ErrAbortHandler, and does not
// log it.
func (s *Server) drop() {
	s.counts.dropped.Add(1)
	panic(http.ErrAbortHandler)
}

// writeInjectedError answers in the service's dialect when it has one.
func (s *Server) writeInjectedError(w http.ResponseWriter, status int) {
	if fa, ok := s.svc.(faultAware); ok {
		fa.writeInjectedError(w, status)
		return
	}
	writeJSON(w, status, map[string]string{"error": injectedMessage(status)})
}

func injectedMessage(status int) string {
	return "simulated fault: " + strings.ToLower(http.StatusText(status))
}

// Requests counts requests received outside /_sim/.
func (s *Server) Requests() int64 { return s.counts.requests.Load() }
