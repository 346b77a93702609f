package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Service is what both simulators implement: an http.Handler with a name
// used in stats and metrics.
type Service interface {
	http.Handler
	Name() string
}

// faultAware is implemented by this package's own services. A Server tells
// them about every fault change (some faults, like corrupt_search, change
// their answers rather than the transport) and lets them shape injected
// errors in their own dialect. Other Services get plain JSON errors.
type faultAware interface {
	observeFault(f Fault)
	writeInjectedError(w http.ResponseWriter, status int)
}

// readHeaderTimeout bounds slow clients so a stuck client cannot pin a
// connection forever; it does not limit hanging answers.
const readHeaderTimeout = 10 * time.Second

// Server runs one Service on a real listener and owns its faults. Its
// configuration is the Service it wraps; everything else is live state.
// A Server is also an http.Handler (the fault layer plus /_sim/*), which
// lets tests drive it in-process without a listener.
type Server struct {
	svc     Service
	state   atomic.Pointer[faultState]
	rnd     randSource
	counts  counters
	control http.Handler // serves /_sim/* only
	// controlOnly is set by StartControl: the fault knobs are then served
	// on the control listener alone, never on the data-plane address.
	controlOnly atomic.Bool
	stopCh      chan struct{} // closed by Stop: releases delayed and hung requests

	mu      sync.Mutex // guards the fields below
	addr    string     // the main listener's address, remembered while down
	main    *endpoint
	ctl     *endpoint
	ctlAddr string
	timer   *time.Timer // clears a fault with a duration
	gen     uint64      // bumped on every fault change so stale timers do nothing
	stopped bool
	lastErr string         // the last error of a timer-driven change, for Stats
	wg      sync.WaitGroup // serve goroutines and pending fault timers
}

// faultState is one fault as applied. It is replaced, never changed, so a
// request reads it without locks; changed is closed on replacement so hung
// requests can look again.
type faultState struct {
	f       Fault
	passive bool // no transport stage applies (corrupt_search and gauges are the service's business)
	changed chan struct{}
}

func newFaultState(f Fault) *faultState {
	passive := !f.delays() && f.ErrorRate == 0 && !f.Hang && !f.Down
	return &faultState{f: f, passive: passive, changed: make(chan struct{})}
}

// NewServer wraps svc; nothing listens until Start.
func NewServer(svc Service) *Server {
	s := &Server{svc: svc, stopCh: make(chan struct{})}
	s.state.Store(newFaultState(Fault{}))
	s.control = s.controlHandler()
	return s
}

// Service returns the wrapped service.
func (s *Server) Service() Service { return s.svc }

// SetRand replaces the random source behind error_rate and jitter with fn,
// which must return numbers in [0, 1). nil restores the default generator.
// An injected fn is never called concurrently.
func (s *Server) SetRand(fn func() float64) { s.rnd.set(fn) }

// Start listens on addr ("127.0.0.1:0" picks a free port) and returns once
// the listener is open. If the current fault is Down the address is
// resolved and remembered but nothing is served until the fault clears.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return ErrStopped
	}
	if s.addr != "" {
		return ErrStarted
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sim: listen %s: %w", addr, err)
	}
	s.addr = ln.Addr().String()
	if s.state.Load().f.Down {
		return ln.Close()
	}
	s.main = s.serve(ln, s)
	return nil
}

// StartControl opens a second listener that serves only /_sim/*. It is
// never subject to faults, so a "down" simulator can be revived over HTTP.
// From then on the main listener answers /_sim/* with 404: the fault
// knobs are not part of the service's API.
func (s *Server) StartControl(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return ErrStopped
	}
	if s.ctl != nil {
		return ErrStarted
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sim: listen control %s: %w", addr, err)
	}
	s.ctlAddr = ln.Addr().String()
	s.ctl = s.serve(ln, s.control)
	s.controlOnly.Store(true)
	return nil
}

// serve runs an http.Server on ln in a goroutine owned by s. The caller
// holds s.mu and has checked that s is not stopped, which keeps wg.Add
// from racing with Stop's wg.Wait.
func (s *Server) serve(ln net.Listener, h http.Handler) *endpoint {
	e := &endpoint{srv: &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout}, ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// Serve always returns an error; ErrServerClosed or a closed
		// listener is the normal end, and nothing useful can be done with
		// the others here.
		_ = e.srv.Serve(ln)
	}()
	return e
}

// endpoint is one serving listener. The listener is kept because an
// http.Server only learns about it once the Serve goroutine runs: closing
// the server before that would leave the socket accepting connections.
type endpoint struct {
	srv *http.Server
	ln  net.Listener
}

// close drops the listener and every live connection at once.
func (e *endpoint) close() {
	_ = e.ln.Close()
	_ = e.srv.Close()
}

// shutdown stops accepting, lets requests in flight finish until ctx ends,
// then closes whatever is left. The listener is closed after Shutdown, which
// reports an error for listeners closed behind its back.
func (e *endpoint) shutdown(ctx context.Context) error {
	err := e.srv.Shutdown(ctx)
	_ = e.ln.Close()
	if err != nil {
		return errors.Join(fmt.Errorf("sim: shutdown: %w", err), e.srv.Close())
	}
	return nil
}

// Addr is the main listener's address ("" before Start). It stays the same
// while the server is down.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL is "http://" + Addr(), or "" before Start.
func (s *Server) URL() string { return httpURL(s.Addr()) }

// ControlURL is the control listener's URL, or "" if StartControl was not called.
func (s *Server) ControlURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return httpURL(s.ctlAddr)
}

func httpURL(addr string) string {
	if addr == "" {
		return ""
	}
	return "http://" + addr
}

// Stop closes both listeners, cancels the fault timer, releases delayed and
// hanging requests (their connections are dropped), lets other requests
// finish until ctx ends, waits for every goroutine it started, and then
// closes the service if it has a Close method. It is
// safe to call twice; the second call returns nil.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.stopped = true
	close(s.stopCh)
	s.stopTimerLocked()
	endpoints := []*endpoint{s.main, s.ctl}
	s.main, s.ctl = nil, nil
	s.mu.Unlock()
	err := shutdownAll(ctx, endpoints)
	s.wg.Wait()
	if c, ok := s.svc.(closer); ok {
		c.Close()
	}
	return err
}

// closer is implemented by services that own goroutines (LightRAG's
// pipeline); Stop closes them once no request can reach them any more.
type closer interface{ Close() }

// shutdownAll shuts every started endpoint down.
func shutdownAll(ctx context.Context, endpoints []*endpoint) error {
	var errs []error
	for _, e := range endpoints {
		if e != nil {
			errs = append(errs, e.shutdown(ctx))
		}
	}
	return errors.Join(errs...)
}
