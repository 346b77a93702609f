package app

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// Cluster mode (cluster.etcd.endpoints set) makes this App one replica of
// several. Every replica serves traffic and journals writes into the one
// log in etcd; only the decider runs the level engine and the journal's
// replay. The others follow the decided state etcd delivers. Membership
// starts in New, not Start, because the shared journal appends its first
// record when it opens and the engine loads the decided state when it is
// built; Stop closes it last, after everything that uses it.

var (
	_ level.Store           = cluster.StateStore[level.State]{}
	_ journal.Shared        = (*cluster.JournalLog)(nil)
	_ signal.HealthStatuser = agreedHealth{}
	_ signal.Traffic        = (*cluster.Traffic)(nil)
	_ escalation.Fleet      = (*clusterMode)(nil)
)

// clusterMode is the App's membership, its roles and what the decider's
// term builds.
type clusterMode struct {
	member *cluster.Member
	// forwardCert reloads the client certificate the forwarder presents
	// to the decider's admin API; nil without cluster.forward_cert_file.
	forwardCert *tlsconf.Reloader
	roles       *cluster.Roles
	// mirror copies the incidents between replicas, nil without
	// escalation.
	mirror *cluster.Mirror
	// alerts is the decider's escalation chain, built each term, since a
	// chain reads its ledger only when made; nil while following.
	alerts atomic.Pointer[alert.Alerts]
	// applied is the revision of the last decided state this replica's
	// engine followed; only the roles' goroutine touches it.
	applied int64
	// started is set by Start: the Member's events reach the App's sink
	// only from then on, because the sink reads what build is still
	// writing while the Member already campaigns.
	started atomic.Bool
	// agreed is the cluster's latest vote that the primary is down, kept
	// by the decider's loop so the triggers read it without asking etcd.
	agreed atomic.Bool
	// traffic shares the primary's traffic with the cluster once the
	// triggers are built; nil until then, and nil without escalation, when
	// this replica publishes no statistics.
	traffic atomic.Pointer[cluster.Traffic]
}

// joinCluster joins the cluster when cluster mode is on.
func (a *App) joinCluster() error {
	s := a.cfg.Cluster
	if !s.Enabled() {
		return nil
	}
	c := &clusterMode{}
	c.roles = cluster.NewRoles(cluster.RoleHooks{Decide: a.beginTerm, Drain: a.drainTerm,
		Lead: a.refreshAgreement, Follow: a.followDecided})
	m, err := cluster.Join(context.Background(), s, cluster.Options{
		Events: event.SinkFunc(func(e event.Event) {
			if c.started.Load() {
				a.sink.Emit(e)
			}
		}),
		OnLeadership: func(bool) { c.roles.Poke() },
		OnState:      func(cluster.State) { c.roles.Poke() },
		Stats:        c.summarise,
		Buckets:      c.buckets,
	})
	if err != nil {
		return err
	}
	c.member, a.clu = m, c
	return nil
}

// closeCluster leaves the cluster: resigns, so another replica decides at
// once, and stops the membership's goroutines.
func (a *App) closeCluster() {
	if a.clu == nil {
		return
	}
	if err := a.clu.member.Close(); err != nil {
		a.log.Warn("leaving the cluster", "err", err)
	}
}

// follows tells whether this replica is in a cluster and is not running a
// decider's term: then it records no incident, pages nobody and preserves
// nothing; the mirror brings it the decider's incidents.
func (a *App) follows() bool { return a.clu != nil && a.clu.Follows() }

// Follows tells whether this replica is not running a decider's term.
func (c *clusterMode) Follows() bool { return !c.roles.Deciding() }

// store is the decided state in etcd, the level engine's store.
func (c *clusterMode) store() level.Store { return cluster.StateStore[level.State]{Member: c.member} }

// journalShared is the journal's shared log in cluster mode, nil (the
// local file) otherwise.
func (a *App) journalShared() journal.Shared {
	if a.clu == nil {
		return nil
	}
	return a.clu.member.JournalLog()
}

// startDeciding runs the level engine and the journal's replay: for the
// App's life in a single process, only while deciding in a cluster.
func (a *App) startDeciding(ctx context.Context) {
	if a.clu != nil {
		a.clu.started.Store(true)
		a.wg.Go(func() { a.clu.roles.Run(ctx, a.clu.member) })
		return
	}
	a.runDecider(ctx, &a.wg)
}

// runDecider starts the decider's loops under ctx, owned by wg.
func (a *App) runDecider(ctx context.Context, wg *sync.WaitGroup) {
	wg.Go(func() { a.side.Run(ctx) })
	a.esc.RunEngine(ctx, wg)
}

// followDecided applies the newest decided state to the engine.
func (a *App) followDecided(ctx context.Context) {
	c := a.clu
	st := c.member.LastState()
	eng := a.esc.Engine()
	if eng == nil || st.Revision <= c.applied {
		return
	}
	ls, err := cluster.Decode[level.State](st)
	if err != nil {
		a.log.Warn("cannot read the decided level", "err", err)
		c.applied = st.Revision
		return
	}
	if err := eng.Follow(ctx, ls); err == nil {
		c.applied = st.Revision
	}
}

// reportHealth publishes this replica's verdict on the primary with its
// next heartbeat.
func (a *App) reportHealth(ch health.Change) {
	if a.clu == nil || ch.Name != a.primary.check.Name() {
		return
	}
	a.clu.member.ReportHealth(cluster.Verdict{Down: ch.To == health.Down, At: ch.At, Reason: ch.Result.Reason})
}

// refreshAgreement asks the live replicas whether the primary is down,
// and reads the sum of their traffic for the triggers. Unreachable etcd
// keeps the last answers: the decider stops deciding then anyway.
func (a *App) refreshAgreement(ctx context.Context) {
	ag, err := a.clu.member.PrimaryDown(ctx)
	if err == nil {
		a.clu.agreed.Store(ag.Agreed)
	}
	if t := a.clu.traffic.Load(); t != nil {
		_ = t.Refresh(ctx) // the last sum stays, and goes stale with the lease
	}
}

// traffic is what the traffic signals and the latency baseline read: the
// recorder, or in a cluster the sum of every live replica's traffic, which
// this replica then starts publishing its own share of. It makes one
// cluster.Traffic and hands it out again, because only the stored one is
// refreshed by the decider's loop.
func (a *App) traffic() signal.Traffic {
	if a.clu == nil {
		return a.stats
	}
	if t := a.clu.traffic.Load(); t != nil {
		return t
	}
	t := a.clu.member.Traffic(a.stats, escalation.PrimaryUpstream)
	a.clu.traffic.Store(t)
	return t
}

// summarise is this replica's share of the traffic, nil before the
// triggers are built.
func (c *clusterMode) summarise() cluster.Routes {
	if t := c.traffic.Load(); t != nil {
		return t.Summarise()
	}
	return nil
}

// buckets are this replica's recent window buckets, from which the
// decider finds an incident's onset; nil before the triggers are built.
func (c *clusterMode) buckets() *cluster.WindowBuckets {
	if t := c.traffic.Load(); t != nil {
		return t.Buckets()
	}
	return nil
}

// primaryHealth is the primary's health as the triggers read it: this
// replica's checks, or in a cluster those checks only once the cluster
// agrees the primary is down, so one replica's network trouble cannot
// roll the fleet back.
func (a *App) primaryHealth() signal.HealthStatuser {
	if a.clu == nil {
		return a.primary.check
	}
	return agreedHealth{local: a.primary.check, agreed: &a.clu.agreed}
}

// agreedHealth hides a failure streak the cluster does not agree with.
type agreedHealth struct {
	local  *health.Checker
	agreed *atomic.Bool
}

// Status is the local status, with no failure streak while the live
// replicas do not agree that the primary is down.
func (h agreedHealth) Status() health.Status {
	st := h.local.Status()
	if st.ConsecutiveFailures > 0 && !h.agreed.Load() {
		st.ConsecutiveFailures, st.FailingSince = 0, time.Time{}
		st.Last.Reason += " (the cluster does not agree the primary is down)"
	}
	return st
}

// clusterStatus is /status's cluster section, nil when cluster mode is
// off.
func (a *App) clusterStatus() func() any {
	if a.clu == nil {
		return nil
	}
	return func() any { return a.clu.status(context.Background()) }
}

func (c *clusterMode) status(ctx context.Context) cluster.View { return c.member.View(ctx) }

// AbandonCluster drops this replica's etcd session as kill -9 would, for
// tests and the demo: no resignation, so another replica takes over only
// once the lease expires. Stop the App afterwards.
func (a *App) AbandonCluster() {
	if a.clu != nil {
		a.clu.member.Abandon()
	}
}
