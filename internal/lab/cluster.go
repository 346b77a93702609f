package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// ClusterOptions configure a Cluster.
type ClusterOptions struct {
	// Timings compress the plan's timeline, as for a Lab. Required.
	Timings Timings
	// Replicas is how many gateways share the etcd. Default 3.
	Replicas int
	// LeaseTTL is every replica's cluster.lease_ttl: how long a killed
	// decider goes unnoticed. Default 1 s, the least etcd grants.
	LeaseTTL time.Duration
	// Pager adds the lab's webhook notifier to every replica, as for a
	// Lab. Default false.
	Pager bool
	// Logger receives every replica's log. Default nil: discarded.
	Logger *slog.Logger
	// Edit adjusts each replica's configuration before it starts. Default
	// nil: the timings' configuration with the journal on.
	Edit func(*config.Config)
}

// Cluster is both simulators, an embedded etcd and several gateway
// replicas in cluster mode sharing it, in one process on free loopback
// ports: what `lifeboat demo --cluster` and cluster tests run.
type Cluster struct {
	// Primary is the OpenViking simulator and OpenViking its store, which
	// tells what reached the primary; Fallback is the LightRAG one.
	Primary, Fallback *sim.Server
	OpenViking        *sim.OpenViking
	// Etcd is the embedded one-node etcd every replica joins.
	Etcd *etcdtest.Server
	// Replicas are the gateways, in the order they started.
	Replicas []*Replica

	pager *pager
	tmp   string // removed by Stop
}

// Replica is one gateway of a Cluster.
type Replica struct {
	// Name is its cluster.name, App the gateway, Config its configuration.
	Name   string
	App    *app.App
	Config config.Config
	// dead is set by Kill: the replica no longer serves.
	dead atomic.Bool
}

// URL is the replica's base URL.
func (r *Replica) URL() string { return "http://" + r.App.Addr() }

// Alive tells whether the replica still serves, that is was not killed.
func (r *Replica) Alive() bool { return !r.dead.Load() }

// StartCluster starts the simulators, etcd, the pager when asked, and the
// replicas one after the other, so the first one usually decides. On
// error everything started is stopped again.
func StartCluster(ctx context.Context, o ClusterOptions) (_ *Cluster, err error) {
	c := &Cluster{}
	defer func() {
		if err != nil {
			_ = c.Stop(context.WithoutCancel(ctx))
		}
	}()
	if c.tmp, err = os.MkdirTemp("", "lifeboat-cluster-"); err != nil {
		return nil, fmt.Errorf("lab: data directory: %w", err)
	}
	if c.Primary, c.Fallback, c.OpenViking, err = startSims(); err != nil {
		return nil, err
	}
	if c.Etcd, err = etcdtest.Start(filepath.Join(c.tmp, "etcd"), etcdtest.Options{}); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	if o.Pager {
		if c.pager, err = startPager(); err != nil {
			return nil, err
		}
	}
	n := o.Replicas
	if n <= 0 {
		n = 3
	}
	for i := range n {
		if err = c.startReplica(ctx, o, fmt.Sprintf("gw-%c", 'a'+i)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// startReplica starts one gateway with its own data directory.
func (c *Cluster) startReplica(ctx context.Context, o ClusterOptions, name string) error {
	cfg := o.Timings.Config(c.Primary.URL(), c.Fallback.URL(), filepath.Join(c.tmp, name))
	cfg.Journal.Enabled = true
	cfg.Cluster = cluster.Settings{
		Etcd: cluster.Etcd{Endpoints: c.Etcd.Endpoints(), RequestTimeout: time.Second},
		Name: name, LeaseTTL: max(o.LeaseTTL, time.Second), Interval: 200 * time.Millisecond,
	}
	if c.pager != nil {
		c.pager.configure(&cfg, o.Timings)
	}
	if o.Edit != nil {
		o.Edit(&cfg)
	}
	a, err := app.New(app.Options{Config: cfg, Logger: o.Logger, Version: "lab"})
	if err != nil {
		return fmt.Errorf("lab: replica %s: %w", name, err)
	}
	if err := a.Start(ctx); err != nil {
		return fmt.Errorf("lab: replica %s: %w", name, err)
	}
	c.Replicas = append(c.Replicas, &Replica{Name: name, App: a, Config: cfg})
	return nil
}

// Faults injects into the primary simulator.
func (c *Cluster) Faults() drill.Faults { return drill.SimFaults{Server: c.Primary} }

// Pages are the deliveries the lab's pager received, in order; nil
// without one.
func (c *Cluster) Pages() []Page {
	if c.pager == nil {
		return nil
	}
	return c.pager.all()
}

// Live are the replicas not killed.
func (c *Cluster) Live() []*Replica {
	var out []*Replica
	for _, r := range c.Replicas {
		if r.Alive() {
			out = append(out, r)
		}
	}
	return out
}

// Decider is the live replica that says it decides, nil while none does
// (an election is under way) or while two say so (the old decider has not
// yet noticed its lease expired).
func (c *Cluster) Decider(ctx context.Context) *Replica {
	var found *Replica
	for _, r := range c.Live() {
		cs, err := client.New(r.URL(), "", nil).Cluster(ctx)
		if err != nil || cs == nil || !cs.Decides {
			continue
		}
		if found != nil {
			return nil
		}
		found = r
	}
	return found
}

// Kill stops r as kill -9 would as far as the cluster can tell: its etcd
// session is dropped without resigning, so another replica decides only
// once the lease expires, and then it stops serving. Its Stop's error is
// not reported: a killed replica is not expected to drain.
func (c *Cluster) Kill(ctx context.Context, r *Replica) {
	if r.dead.Swap(true) {
		return
	}
	r.App.AbandonCluster()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_ = r.App.Stop(ctx)
}

// Stop stops the live replicas, etcd, the simulators and the pager within
// ctx's bound, and removes the data directories. It is safe to call more
// than once.
func (c *Cluster) Stop(ctx context.Context) error {
	var errs []error
	for _, r := range c.Replicas {
		if !r.dead.Swap(true) {
			errs = append(errs, r.App.Stop(ctx))
		}
	}
	if c.Etcd != nil {
		c.Etcd.Close()
	}
	errs = append(errs, stopRest(ctx, c.Primary, c.Fallback, c.pager, &c.tmp))
	return errors.Join(errs...)
}
