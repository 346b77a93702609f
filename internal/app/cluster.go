package app

import (
	"context"
	"sync"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/replica"
	"github.com/lifeboat-sre/lifeboat/internal/server"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// Cluster mode (cluster.etcd.endpoints set) makes this App one replica of
// several (see package replica). These are the points where the app
// hands its parts to the replica or asks it for the cluster's view.

// joinCluster joins the cluster when cluster mode is on.
func (a *App) joinCluster() error {
	if !a.cfg.Cluster.Enabled() {
		return nil
	}
	r, err := replica.Join(a.cfg, a.sink, a.log)
	if err != nil {
		return err
	}
	a.clu = r
	return nil
}

// closeCluster leaves the cluster, so another replica decides at once.
func (a *App) closeCluster() {
	if a.clu != nil {
		a.clu.Close()
	}
}

// journalShared is the journal's shared log in cluster mode, nil (the
// local file) otherwise.
func (a *App) journalShared() journal.Shared {
	if a.clu == nil {
		return nil
	}
	return a.clu.JournalLog()
}

// startDeciding runs the level engine and the journal's replay: for the
// App's life in a single process, only while deciding in a cluster.
func (a *App) startDeciding(ctx context.Context) {
	if a.clu != nil {
		a.clu.Start(ctx, &a.wg, replica.Term{Escalation: a.esc, Decide: a.runDecider})
		return
	}
	a.runDecider(ctx, &a.wg)
}

// runDecider starts the decider's loops under ctx, owned by wg.
func (a *App) runDecider(ctx context.Context, wg *sync.WaitGroup) {
	wg.Go(func() { a.plane.Side.Run(ctx) })
	a.esc.RunEngine(ctx, wg)
}

// reportHealth publishes this replica's verdict on the primary with its
// next heartbeat.
func (a *App) reportHealth(ch health.Change) {
	if a.clu != nil {
		a.clu.ReportHealth(a.plane.Primary.Check.Name(), ch)
	}
}

// traffic is what the traffic signals and the latency baseline read: the
// recorder, or in a cluster the sum of every live replica's traffic.
func (a *App) traffic() signal.Traffic {
	if a.clu == nil {
		return a.plane.Stats
	}
	return a.clu.Traffic(a.plane.Stats)
}

// primaryHealth is the primary's health as the triggers read it: this
// replica's checks, or in a cluster those checks once the cluster agrees.
func (a *App) primaryHealth() signal.HealthStatuser {
	if a.clu == nil {
		return a.plane.Primary.Check
	}
	return a.clu.PrimaryHealth(a.plane.Primary.Check)
}

// adminHandler is the admin API the listeners serve: in cluster mode, the
// forwarder in front of it.
func (a *App) adminHandler() (server.Admin, error) {
	if a.clu == nil {
		return a.admin, nil
	}
	return a.clu.Admin(a.admin, a.announcer())
}

// advertiseAdmin publishes the admin API's URL once the listeners are
// bound.
func (a *App) advertiseAdmin() {
	if a.clu != nil {
		a.clu.Advertise(a.AdminAddr())
	}
}

// clusterStatus is /status's cluster section, nil when cluster mode is
// off.
func (a *App) clusterStatus() func() any {
	if a.clu == nil {
		return nil
	}
	return func() any { return a.clu.Status(context.Background()) }
}

// AbandonCluster drops this replica's etcd session as kill -9 would, for
// tests and the demo: no resignation, so another replica takes over only
// once the lease expires. Stop the App afterwards.
func (a *App) AbandonCluster() {
	if a.clu != nil {
		a.clu.Abandon()
	}
}
