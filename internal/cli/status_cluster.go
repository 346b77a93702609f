package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
)

// clusterOf is the answering replica's view of its cluster, nil for a
// single process. A /status that cannot be read is treated as no cluster:
// the level, which the person asked for, is already printed, and an older
// gateway without /status must not turn the command into a failure.
func clusterOf(ctx context.Context, r *remote) *client.ClusterStatus {
	cs, err := r.client().Cluster(ctx)
	if err != nil {
		return nil
	}
	return cs
}

// printCluster writes who decides, the vote on the primary and one row
// per live replica; nothing for a single process, so its output is as it
// always was.
func printCluster(w io.Writer, cs *client.ClusterStatus, now time.Time) {
	if cs == nil {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "cluster:\t%s\n", deciderLine(cs))
	if cs.State.Revision > 0 {
		fmt.Fprintf(tw, "decided:\trevision %d by %s, %s\n", cs.State.Revision, cs.State.Decider, when(cs.State.At, now))
	}
	fmt.Fprintf(tw, "vote:\t%s\n", vote(cs.Agreement))
	if cs.Fleet != nil {
		fmt.Fprintf(tw, "fleet:\t%s to the primary, every live replica's window summed (what the decider judges)\n", traffic(cs.Fleet))
	}
	if cs.Error != "" {
		fmt.Fprintf(tw, "etcd:\tUNREACHABLE from %s, showing what it last knew: %s\n", cs.Replica, cs.Error)
	}
	tw.Flush()
	fmt.Fprintln(w)
	printReplicas(w, cs, now)
}

func deciderLine(cs *client.ClusterStatus) string {
	who := cs.Decider + " decides"
	if cs.Decider == "" {
		who = "NO replica decides (an election is under way)"
	}
	return fmt.Sprintf("%d live replicas; %s; %s answered", len(cs.Replicas), who, cs.Replica)
}

// vote words the cluster's agreement that the primary is down, which the
// decider needs before calling it down.
func vote(a cluster.Agreement) string {
	verdict := "not agreed, the primary counts as up"
	if a.Agreed {
		verdict = "AGREED, the primary counts as down"
	}
	return fmt.Sprintf("%d of %d live replicas see the primary down, %d needed: %s", a.Down, a.Live, a.Need, verdict)
}

// printReplicas writes one row per live replica; the one that answered
// is marked with *.
func printReplicas(w io.Writer, cs *client.ClusterStatus, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REPLICA\tROLE\tHEARTBEAT\tPRIMARY\tITS TRAFFIC TO THE PRIMARY")
	for _, r := range cs.Replicas {
		name, role := r.Name, "follower"
		if name == cs.Replica {
			name += "*"
		}
		// The election names the decider; a replica's own flag is as old
		// as its last heartbeat, so it lags a hand-over by up to an interval.
		if r.Name == cs.Decider {
			role = "decider"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, role, age(r.Heartbeat, now), verdict(r.Health), traffic(r.Primary))
	}
	tw.Flush()
}

// traffic words one replica's (or the fleet's) requests to the primary;
// "-" before a replica has published any.
func traffic(t *cluster.PrimaryTraffic) string {
	if t == nil {
		return "-"
	}
	if t.Judged == 0 {
		return fmt.Sprintf("%d requests", t.Requests)
	}
	return fmt.Sprintf("%d requests, %.1f%% failed, avg %.1f ms", t.Requests, 100*t.ErrorRate, t.AvgMS)
}

func age(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Round(100*time.Millisecond).String() + " ago"
}

func verdict(v cluster.Verdict) string {
	switch {
	case v.At.IsZero():
		return "no verdict yet"
	case !v.Down:
		return "up"
	case v.Reason != "":
		return "DOWN: " + v.Reason
	}
	return "DOWN"
}
