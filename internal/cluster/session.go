package cluster

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Kinds of events a Member emits.
const (
	LeadershipGained = "cluster.decider"
	LeadershipLost   = "cluster.follower"
	SessionLost      = "cluster.session_lost"
)

// errLeaseLost ends a session whose lease expired or may have.
var errLeaseLost = errors.New("cluster: lease lost")

// term is one won election: the key and revision every fenced write
// compares against, and the way to end the session that won it.
type term struct {
	election *concurrency.Election
	key      string
	rev      int64
	fenced   atomic.Bool // etcd refused a write: the key is gone.
	end      context.CancelFunc
}

// run keeps a session alive for the Member's whole life, starting a new one
// whenever etcd loses the old: after a partition heals, the replica
// registers again and campaigns again.
func (m *Member) run(ctx context.Context) {
	for {
		err := m.serveSession(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil { // A campaign or heartbeat ended without saying why.
			err = errLeaseLost
		}
		m.emit(SessionLost, event.Warning, "etcd session lost: "+err.Error())
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.s.Interval):
		}
	}
}

// serveSession runs one lease: heartbeat and campaign until the lease is
// lost or the Member closes, then gives up the decider's role.
func (m *Member) serveSession(ctx context.Context) error {
	sess, err := m.newSession(ctx)
	if err != nil {
		return err
	}
	sctx, end := context.WithCancel(ctx)
	defer end()
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Go(func() { errc <- m.campaign(sctx, sess, end) })
	wg.Go(func() { errc <- m.heartbeat(sctx, sess.Lease()) })
	select {
	case <-ctx.Done():
	case <-sess.Done():
		err = errLeaseLost
	case <-sctx.Done(): // Only fenced ends a session this way.
		err = ErrFenced
	case err = <-errc:
	}
	end()
	wg.Wait()
	m.endSession(sess, ctx.Err() != nil)
	m.lose()
	return err
}

// newSession grants a lease, noting from the grant's send time until when
// it surely lives, and registers the replica on it.
func (m *Member) newSession(ctx context.Context) (*concurrency.Session, error) {
	sent := time.Now()
	octx, cancel := m.op(ctx)
	defer cancel()
	lease, err := m.c.Grant(octx, int64(m.s.LeaseTTL/time.Second))
	if err != nil {
		return nil, unavailable("grant lease", err)
	}
	m.validUntil.Store(sent.Add(time.Duration(lease.TTL) * time.Second).UnixNano())
	sess, err := concurrency.NewSession(m.c, concurrency.WithLease(lease.ID), concurrency.WithContext(ctx))
	if err != nil {
		return nil, unavailable("session", err)
	}
	if err := m.publish(ctx, lease.ID); err != nil {
		sess.Orphan()
		return nil, err
	}
	return sess, nil
}

// endSession resigns and revokes the lease when the Member closes, so the
// next decider need not wait for the lease to expire. A session lost to
// etcd is let go without a word: its lease is gone or unreachable.
func (m *Member) endSession(sess *concurrency.Session, closing bool) {
	sess.Orphan()
	if !closing {
		return
	}
	ctx, cancel := m.op(context.Background())
	defer cancel()
	if t := m.term.Load(); t != nil {
		_ = t.election.Resign(ctx) // Revoking the lease below deletes the key anyway.
	}
	_, _ = m.c.Revoke(ctx, sess.Lease())
}

// campaign waits to win the election, then holds the term until the
// session ends.
func (m *Member) campaign(ctx context.Context, sess *concurrency.Session, end context.CancelFunc) error {
	e := concurrency.NewElection(sess, m.k.election())
	if err := e.Campaign(ctx, m.s.Name); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return unavailable("campaign", err)
	}
	m.term.Store(&term{election: e, key: e.Key(), rev: e.Rev(), end: end})
	m.emit(LeadershipGained, event.Info, m.s.Name+" is the decider")
	m.tell(true)
	<-ctx.Done()
	return nil
}

// lose ends the term, if any, and tells the app.
func (m *Member) lose() {
	if m.term.Swap(nil) == nil {
		return
	}
	m.emit(LeadershipLost, event.Warning, m.s.Name+" is no longer the decider")
	m.tell(false)
}

func (m *Member) tell(decider bool) {
	if m.o.OnLeadership != nil {
		m.o.OnLeadership(decider)
	}
}

// heartbeat renews the lease and publishes the replica's figures every
// Interval, until the lease is lost.
func (m *Member) heartbeat(ctx context.Context, lease clientv3.LeaseID) error {
	tick := time.NewTicker(m.s.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := m.renew(ctx, lease); err != nil {
			return err
		}
		_ = m.publish(ctx, lease) // A missed beat is made up by the next.
	}
}

// renew extends the lease. The lease surely lives until the renewal's send
// time plus its TTL: etcd renews it later than that. Past that time the
// lease may be gone and another replica may decide, so renew reports it.
func (m *Member) renew(ctx context.Context, lease clientv3.LeaseID) error {
	sent := time.Now()
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.KeepAliveOnce(octx, lease)
	switch {
	case err == nil:
		m.validUntil.Store(sent.Add(time.Duration(resp.TTL) * time.Second).UnixNano())
		return nil
	case ctx.Err() != nil:
		return nil
	case errors.Is(err, rpctypes.ErrLeaseNotFound):
		return errLeaseLost
	case time.Now().UnixNano() >= m.validUntil.Load():
		return unavailable("renew lease", err)
	}
	return nil // Try again next beat: the lease still lives.
}
