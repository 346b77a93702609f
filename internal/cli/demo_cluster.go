package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// errClusterDemo is returned when the cluster demo's figures do not hold.
var errClusterDemo = errors.New("the cluster demo's figures do not hold")

// clusterDemo is one run of `lifeboat demo --cluster`: three replicas on
// an embedded etcd, the primary taken down, the decider killed
// mid-incident, the hand-over narrated.
type clusterDemo struct {
	env   Env
	c     *lab.Cluster
	t     lab.Timings
	lease time.Duration
	say   func(tag, format string, args ...any)
	// seen is the last level and mode narrated.
	seen string
}

// demoLease is the replicas' lease: a killed decider is replaced within it.
const demoLease = 2 * time.Second

// runClusterDemo runs the cluster demo on timings and exits 0 when a new
// decider took over within the lease and its margin, only requests in
// flight on the killed replica failed, the restore completed, and every
// acknowledged write reached the primary once and in order.
func runClusterDemo(ctx context.Context, env Env, t lab.Timings) error {
	start := time.Now()
	c, err := lab.StartCluster(ctx, lab.ClusterOptions{Timings: t, LeaseTTL: demoLease})
	if err != nil {
		return err
	}
	defer stopCluster(env, c)
	n := newNarrator(env.Stdout, start)
	d := &clusterDemo{env: env, c: c, t: t, lease: demoLease, say: func(tag, format string, args ...any) {
		n.note(drill.Note{At: time.Now(), Tag: tag, Text: fmt.Sprintf(format, args...)})
	}}
	introduceCluster(env.Stdout, c, demoLease)
	f, err := d.run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "\n## Figures measured by the cluster demo")
	fmt.Fprintln(env.Stdout)
	f.print(env.Stdout, demoLease)
	fmt.Fprintf(env.Stdout, "\ndemo finished in %s; everything it started is stopped\n", short(time.Since(start)))
	if !f.hold(demoLease) {
		return errClusterDemo
	}
	return nil
}

func introduceCluster(w io.Writer, c *lab.Cluster, lease time.Duration) {
	fmt.Fprintf(w, "Lifeboat cluster demo: three replicas share one etcd; one decides, the others follow.\n\n")
	fmt.Fprintf(w, "  primary   OpenViking simulator  %s\n", c.Primary.URL())
	fmt.Fprintf(w, "  fallback  LightRAG simulator    %s\n", c.Fallback.URL())
	fmt.Fprintf(w, "  etcd      embedded, one node    %s\n", c.Etcd.Endpoints()[0])
	for _, r := range c.Replicas {
		fmt.Fprintf(w, "  replica   %-20s  %s\n", r.Name, r.URL())
	}
	fmt.Fprintf(w, "  lease     %s: a decider that dies is replaced within it\n\n", short(lease))
}

// run tells the story and measures it.
func (d *clusterDemo) run(ctx context.Context) (clusterFigures, error) {
	var f clusterFigures
	first, err := d.waitDecider(ctx, nil)
	if err != nil {
		return f, err
	}
	d.say("cluster", "%s decides; the others follow the state it decides", first.Name)
	lctx, stopLoad := context.WithCancel(ctx)
	load := startFleetLoad(lctx, d.c)
	defer func() { stopLoad(); load.wait() }()
	d.say("clients", "%d searching and %d writing sessions, spread over the live replicas", searchWorkers, writers)
	if !pace(ctx, d.t.Warmup) {
		return f, ctx.Err()
	}
	if err := d.c.Faults().Set(ctx, drill.Fault{Down: true}); err != nil {
		return f, err
	}
	d.say("fault", "the primary is DOWN (connections refused)")
	if err := d.waitLevel(ctx, level.L3, 10*time.Second+d.t.L3After); err != nil {
		return f, err
	}
	if f, err = d.handOver(ctx, first); err != nil {
		return f, err
	}
	if err := d.c.Faults().Clear(ctx); err != nil {
		return f, err
	}
	d.say("fault", "the primary is back")
	restore := d.t.HoldDown + 5*d.t.StepHold + 20*time.Second
	f.restored = d.waitLevel(ctx, level.L0, restore) == nil
	stopLoad()
	load.wait()
	f.sent, f.failed = load.sent.Load(), load.failed.Load()
	f.acked, f.bad = d.waitReplayed(ctx, load)
	return f, nil
}

// handOver kills the decider as kill -9 would and times its successor.
func (d *clusterDemo) handOver(ctx context.Context, old *lab.Replica) (clusterFigures, error) {
	var f clusterFigures
	d.say("kill", "kill -9 %s, the decider, mid-incident (its lease is not released)", old.Name)
	killed := time.Now()
	d.c.Kill(ctx, old)
	next, err := d.waitDecider(ctx, old)
	if err != nil {
		return f, err
	}
	f.takeOver = time.Since(killed)
	st, err := client.New(next.URL(), "", nil).Level(ctx)
	if err != nil {
		return f, apiError(err)
	}
	f.kept = st.Level == level.L3
	d.say("cluster", "%s decides now, %s after the kill; it kept %s (%s), routing %s",
		next.Name, short(f.takeOver), st.Level, st.Phase, st.Mode)
	return f, nil
}

// waitDecider waits for a live replica other than not to decide.
func (d *clusterDemo) waitDecider(ctx context.Context, not *lab.Replica) (*lab.Replica, error) {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if r := d.c.Decider(ctx); r != nil && r != not {
			return r, nil
		}
		if !pace(ctx, 20*time.Millisecond) {
			return nil, ctx.Err()
		}
	}
	return nil, fmt.Errorf("%w: no replica decides after 20s", errClusterDemo)
}

// waitLevel narrates the level as a live replica sees it until it is
// want, for at most limit.
func (d *clusterDemo) waitLevel(ctx context.Context, want level.Level, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		for _, r := range d.c.Live() {
			st, err := client.New(r.URL(), "", nil).Level(ctx)
			if err != nil {
				continue
			}
			if now := fmt.Sprintf("%s (%s), routing %s", st.Level, st.Phase, st.Mode); now != d.seen {
				d.say("level", "%s, seen from %s", now, r.Name)
				d.seen = now
			}
			if st.Level == want {
				return nil
			}
			break
		}
		if !pace(ctx, d.t.Poll) {
			return ctx.Err()
		}
	}
	return fmt.Errorf("%w: not at %s after %s", errClusterDemo, want, short(limit))
}

// waitReplayed waits for every acknowledged write to reach the primary.
func (d *clusterDemo) waitReplayed(ctx context.Context, load *fleetLoad) (int, string) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		acked, bad := load.replayed(d.c.OpenViking)
		if bad == "" || time.Now().After(deadline) || !pace(ctx, 100*time.Millisecond) {
			d.say("journal", "%d acknowledged writes checked on the primary", acked)
			return acked, bad
		}
	}
}

func stopCluster(env Env, c *lab.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "lifeboat: stopping the cluster: %v\n", err)
	}
}
