package cluster

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// RoleHooks are what a replica does in each role. Every field may be nil.
type RoleHooks struct {
	// Decide begins a term as the decider: it prepares (such as importing
	// the incidents the last decider left) and starts the term's loops
	// under ctx, owned by wg. An error ends the attempt; the loops it
	// started are stopped and the next look tries again. Nil starts none.
	Decide func(ctx context.Context, wg *sync.WaitGroup) error
	// Drain is called when a term ends, before its context does, to
	// deliver what its loops still hold (such as queued notices) within a
	// bound of its own. Nil drains nothing.
	Drain func()
	// Lead is called at every look while this replica decides, after the
	// term began. Nil does nothing.
	Lead func(ctx context.Context)
	// Follow is called at every look while this replica follows, and
	// before a term begins, so the new decider resumes from the state the
	// last one stored. Nil does nothing.
	Follow func(ctx context.Context)
}

// Roles switches a replica between deciding and following: it begins a
// term when the Member wins the election and ends it, waiting for its
// loops, when the Member stops deciding, so no loop of an ended term runs
// while another replica decides. It looks every Look, and whenever poked,
// because a lease that may have expired ends the term before the Member
// says so.
type Roles struct {
	h    RoleHooks
	kick chan struct{}
	// deciding is true while a term runs, from the end of Decide to the
	// start of its end.
	deciding atomic.Bool
}

// RolesLook is how often Roles looks without being poked: well within the
// second a follower has to apply a change.
const RolesLook = 250 * time.Millisecond

// NewRoles returns Roles that call h. Wire Poke to the Member's
// OnLeadership and OnState, then Run it.
func NewRoles(h RoleHooks) *Roles {
	return &Roles{h: h, kick: make(chan struct{}, 1)}
}

// Poke asks Run to look now. It never blocks.
func (r *Roles) Poke() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Deciding reports whether a term is running: this replica decides and
// has finished taking over. Record and page only while it is true.
func (r *Roles) Deciding() bool { return r.deciding.Load() }

// Run switches roles as m's leadership changes until ctx ends, then ends
// any term and returns. The caller owns the goroutine.
func (r *Roles) Run(ctx context.Context, m *Member) {
	tick := time.NewTicker(RolesLook)
	defer tick.Stop()
	var t roleTerm
	defer r.end(&t)
	for {
		decides := m.IsDecider()
		switch {
		case decides && !t.running():
			r.call(r.h.Follow, ctx) // resume from what the last decider stored
			r.begin(ctx, &t)
		case !decides && t.running():
			r.end(&t)
		}
		if decides && t.running() {
			r.call(r.h.Lead, ctx)
		} else if !decides {
			r.call(r.h.Follow, ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		case <-tick.C:
		}
	}
}

// roleTerm is one stretch of deciding: its loops and their stop.
type roleTerm struct {
	cancel context.CancelFunc
	loops  sync.WaitGroup
}

func (t *roleTerm) running() bool { return t.cancel != nil }

// begin starts a term; a failed Decide leaves none running.
func (r *Roles) begin(ctx context.Context, t *roleTerm) {
	tctx, cancel := context.WithCancel(ctx)
	t.cancel = cancel
	if r.h.Decide == nil {
		r.deciding.Store(true)
		return
	}
	if err := r.h.Decide(tctx, &t.loops); err != nil {
		r.stop(t)
		return
	}
	r.deciding.Store(true)
}

// end stops the term's recording first, then drains and stops its loops.
func (r *Roles) end(t *roleTerm) {
	if !t.running() {
		return
	}
	r.deciding.Store(false)
	if r.h.Drain != nil {
		r.h.Drain()
	}
	r.stop(t)
}

func (r *Roles) stop(t *roleTerm) {
	t.cancel()
	t.loops.Wait()
	t.cancel = nil
}

func (r *Roles) call(f func(context.Context), ctx context.Context) {
	if f != nil {
		f(ctx)
	}
}
