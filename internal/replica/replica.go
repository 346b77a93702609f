// Package replica runs one gateway as a replica of several when cluster
// mode is on (cluster.etcd.endpoints set). Every replica serves traffic
// and journals writes into the one log in etcd; only the decider runs the
// level engine and the journal's replay. The others follow the decided
// state etcd delivers. A Replica joins in the app's New, not Start,
// because the shared journal appends its first record when it opens and
// the engine loads the decided state when it is built; the app closes it
// last, after everything that uses it.
package replica

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

var (
	_ level.Store           = cluster.StateStore[level.State]{}
	_ journal.Shared        = (*cluster.JournalLog)(nil)
	_ signal.HealthStatuser = agreedHealth{}
	_ signal.Traffic        = (*cluster.Traffic)(nil)
	_ escalation.Fleet      = (*Replica)(nil)
)

// Replica is this gateway's membership, its roles and what the decider's
// term builds.
type Replica struct {
	cfg    config.Config
	log    *slog.Logger
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
	// started is set by Start: the Member's events reach the app's sink
	// only from then on, because the sink reads what the app's build is
	// still writing while the Member already campaigns.
	started atomic.Bool
	// agreed is the cluster's latest vote that the primary is down, kept
	// by the decider's loop so the triggers read it without asking etcd.
	agreed atomic.Bool
	// traffic shares the primary's traffic with the cluster once the
	// triggers are built; nil until then, and nil without escalation, when
	// this replica publishes no statistics.
	traffic atomic.Pointer[cluster.Traffic]
	// term is what a decider's term runs, set by Start.
	term Term
}

// Term is what a decider's term runs besides the incidents: Escalation
// (nil without escalation) picks up the open incident on the term's
// chain and follows the decided state while not deciding; Decide starts
// the decider's loops (the engine's and the journal's replay) under ctx,
// owned by wg.
type Term struct {
	Escalation *escalation.Escalation
	Decide     func(ctx context.Context, wg *sync.WaitGroup)
}

// Join joins the cluster c.Cluster describes; events reach events once
// Start has run.
func Join(c config.Config, events event.Sink, log *slog.Logger) (*Replica, error) {
	r := &Replica{cfg: c, log: log}
	r.roles = cluster.NewRoles(cluster.RoleHooks{Decide: r.beginTerm, Drain: r.drainTerm,
		Lead: r.refreshAgreement, Follow: r.followDecided})
	m, err := cluster.Join(context.Background(), c.Cluster, cluster.Options{
		Events: event.SinkFunc(func(e event.Event) {
			if r.started.Load() {
				events.Emit(e)
			}
		}),
		OnLeadership: func(bool) { r.roles.Poke() },
		OnState:      func(cluster.State) { r.roles.Poke() },
		Stats:        r.summarise,
		Buckets:      r.buckets,
	})
	if err != nil {
		return nil, err
	}
	r.member = m
	return r, nil
}

// Start runs the forwarder's certificate reloads, the incidents' mirror
// and the roles under ctx, owned by wg: the roles begin decider's terms
// that run t, or follow the decided state.
func (r *Replica) Start(ctx context.Context, wg *sync.WaitGroup, t Term) {
	r.term = t
	if r.forwardCert != nil {
		wg.Go(func() { r.forwardCert.Run(ctx) })
	}
	if r.mirror != nil {
		wg.Go(func() { r.mirror.Run(ctx) }) // the decider's term takes over what is open
	}
	r.started.Store(true)
	wg.Go(func() { r.roles.Run(ctx, r.member) })
}

// Close leaves the cluster: resigns, so another replica decides at once,
// and stops the membership's goroutines.
func (r *Replica) Close() {
	if err := r.member.Close(); err != nil {
		r.log.Warn("leaving the cluster", "err", err)
	}
}

// Abandon drops this replica's etcd session as kill -9 would: no
// resignation, so another replica takes over only once the lease expires.
func (r *Replica) Abandon() { r.member.Abandon() }

// Follows tells whether this replica is not running a decider's term:
// then it records no incident, pages nobody and preserves nothing; the
// mirror brings it the decider's incidents.
func (r *Replica) Follows() bool { return !r.roles.Deciding() }

// Store is the decided state in etcd, the level engine's store.
func (r *Replica) Store() level.Store { return cluster.StateStore[level.State]{Member: r.member} }

// JournalLog is the journal's shared log in etcd.
func (r *Replica) JournalLog() journal.Shared { return r.member.JournalLog() }

// Alerts is the decider's escalation chain, nil while following.
func (r *Replica) Alerts() *alert.Alerts { return r.alerts.Load() }

// Status is /status's cluster section.
func (r *Replica) Status(ctx context.Context) any { return r.member.View(ctx) }

// followDecided applies the newest decided state to the engine.
func (r *Replica) followDecided(ctx context.Context) {
	st := r.member.LastState()
	eng := r.term.Escalation.Engine()
	if eng == nil || st.Revision <= r.applied {
		return
	}
	ls, err := cluster.Decode[level.State](st)
	if err != nil {
		r.log.Warn("cannot read the decided level", "err", err)
		r.applied = st.Revision
		return
	}
	if err := eng.Follow(ctx, ls); err == nil {
		r.applied = st.Revision
	}
}

// ReportHealth publishes this replica's verdict on the primary, the
// upstream named primary, with its next heartbeat.
func (r *Replica) ReportHealth(primary string, ch health.Change) {
	if ch.Name != primary {
		return
	}
	r.member.ReportHealth(cluster.Verdict{Down: ch.To == health.Down, At: ch.At, Reason: ch.Result.Reason})
}

// refreshAgreement asks the live replicas whether the primary is down,
// and reads the sum of their traffic for the triggers. Unreachable etcd
// keeps the last answers: the decider stops deciding then anyway.
func (r *Replica) refreshAgreement(ctx context.Context) {
	ag, err := r.member.PrimaryDown(ctx)
	if err == nil {
		r.agreed.Store(ag.Agreed)
	}
	if t := r.traffic.Load(); t != nil {
		_ = t.Refresh(ctx) // the last sum stays, and goes stale with the lease
	}
}

// Traffic is what the traffic signals and the latency baseline read in a
// cluster: the sum of every live replica's traffic, which this replica
// then starts publishing its own share of, from local. It makes one
// cluster.Traffic and hands it out again, because only the stored one is
// refreshed by the decider's loop.
func (r *Replica) Traffic(local *stats.Recorder) signal.Traffic {
	if t := r.traffic.Load(); t != nil {
		return t
	}
	t := r.member.Traffic(local, escalation.PrimaryUpstream)
	r.traffic.Store(t)
	return t
}

// summarise is this replica's share of the traffic, nil before the
// triggers are built.
func (r *Replica) summarise() cluster.Routes {
	if t := r.traffic.Load(); t != nil {
		return t.Summarise()
	}
	return nil
}

// buckets are this replica's recent window buckets, from which the
// decider finds an incident's onset; nil before the triggers are built.
func (r *Replica) buckets() *cluster.WindowBuckets {
	if t := r.traffic.Load(); t != nil {
		return t.Buckets()
	}
	return nil
}

// PrimaryHealth is the primary's health as the triggers read it in a
// cluster: local's checks only once the cluster agrees the primary is
// down, so one replica's network trouble cannot roll the fleet back.
func (r *Replica) PrimaryHealth(local *health.Checker) signal.HealthStatuser {
	return agreedHealth{local: local, agreed: &r.agreed}
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
