package cluster

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Roles begin a term when the Member decides, retry a failed Decide, and
// end the term, waiting for its loops, when the Member stops deciding.
func TestRolesRunATermWhileDeciding(t *testing.T) {
	e := startEtcd(t)
	var begun, failed, drained, running atomic.Int32
	r := NewRoles(RoleHooks{
		Decide: func(ctx context.Context, wg *sync.WaitGroup) error {
			if failed.Add(1) == 1 {
				return errors.New("first attempt fails")
			}
			begun.Add(1)
			wg.Go(func() { running.Add(1); <-ctx.Done(); running.Add(-1) })
			return nil
		},
		Drain: func() { drained.Add(1) },
	})
	m := join(t, e.Endpoints(), "a", Options{OnLeadership: func(bool) { r.Poke() }})
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(rctx, m); close(done) }()
	waitFor(t, "a term runs", func() bool { return r.Deciding() && running.Load() == 1 })
	if failed.Load() < 2 {
		t.Fatalf("Decide called %d times, want a retry after the failure", failed.Load())
	}
	kill(m)
	waitFor(t, "the term ends", func() bool { return !r.Deciding() && running.Load() == 0 })
	cancel()
	<-done
	if begun.Load() != 1 || drained.Load() != 1 {
		t.Fatalf("begun %d, drained %d; want one term", begun.Load(), drained.Load())
	}
}
