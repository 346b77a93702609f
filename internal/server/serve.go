package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"

	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// Listen opens every listener's address, closing those already open when
// one fails, so a failed Listen leaves nothing bound.
func (s *Set) Listen(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, l := range s.list {
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", l.addr)
		if err != nil {
			for _, open := range s.list[:i] {
				_ = open.ln.Close()
			}
			return fmt.Errorf("listen on %s (%s): %w", l.addr, l.name, err)
		}
		l.ln = ln
	}
	return nil
}

// Serve serves every listener opened by Listen and keeps their
// certificates current. It returns once Shutdown has stopped the
// listeners and ctx has stopped the reloaders; the caller owns the
// goroutine it runs on.
func (s *Set) Serve(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { tlsconf.RunAll(ctx, s.reloaders) })
	for _, l := range s.list {
		wg.Go(func() { s.serve(l) })
	}
	wg.Wait()
}

// serve runs one listener until Shutdown.
func (s *Set) serve(l *listener) {
	var err error
	if l.tls {
		err = l.srv.ServeTLS(l.ln, "", "") // the certificate comes from TLSConfig.GetCertificate
	} else {
		err = l.srv.Serve(l.ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.o.Log.Error("server stopped", "listener", l.name, "err", err)
	}
}

// Shutdown drains every listener until ctx ends, then closes what is left.
func (s *Set) Shutdown(ctx context.Context) error {
	var errs []error
	for _, l := range s.list {
		if err := l.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drain %s: %w", l.name, err))
			_ = l.srv.Close()
		}
	}
	return errors.Join(errs...)
}

// Addr is the address the client listener listens on, empty before
// Listen.
func (s *Set) Addr() string { return s.addrOf(0) }

// AdminAddr is the admin listener's address: Addr when the admin API
// shares the client listener, empty before Listen.
func (s *Set) AdminAddr() string {
	if s.o.AdminListen == "" {
		return s.Addr()
	}
	return s.addrOf(1)
}

func (s *Set) addrOf(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i >= len(s.list) || s.list[i].ln == nil {
		return ""
	}
	return s.list[i].ln.Addr().String()
}
