package cluster

import (
	"testing"
	"time"
)

func TestStatsExpireWithLease(t *testing.T) {
	e := startEtcd(t)
	routes := func(n int) func() Routes {
		return func() Routes {
			var r RouteStats
			for range n {
				r.Observe(time.Millisecond, false)
			}
			return Routes{"search": r}
		}
	}
	a := join(t, e.Endpoints(), "a", Options{Stats: routes(1)})
	b := join(t, e.Endpoints(), "b", Options{Stats: routes(2)})
	waitFor(t, "both replicas' stats", func() bool {
		all, err := a.ClusterStats(ctx(t))
		return err == nil && Merge(all)["search"].Requests == 3
	})
	kill(b)
	took := waitFor(t, "b's stats expire", func() bool {
		all, err := a.ClusterStats(ctx(t))
		return err == nil && len(all) == 1 && all[0].Replica == "a"
	})
	t.Logf("dead replica's stats gone after %v", took)
	rs, err := a.Replicas(ctx(t))
	if err != nil || len(rs) != 1 || rs[0].Name != "a" || rs[0].Heartbeat.IsZero() {
		t.Fatalf("replicas %+v, %v", rs, err)
	}
}

func TestPrimaryDownNeedsAgreement(t *testing.T) {
	e := startEtcd(t)
	ms := []*Member{
		join(t, e.Endpoints(), "a", Options{}),
		join(t, e.Endpoints(), "b", Options{}),
		join(t, e.Endpoints(), "c", Options{}),
	}
	down := func(n int) func() bool {
		return func() bool {
			ag, err := ms[0].PrimaryDown(ctx(t))
			return err == nil && ag.Live == 3 && ag.Down == n
		}
	}
	ms[0].ReportHealth(Verdict{Down: true, At: time.Now(), Reason: "connect refused"})
	waitFor(t, "one vote", down(1))
	if ag, _ := ms[0].PrimaryDown(ctx(t)); ag.Agreed {
		t.Fatalf("one replica of three called the primary down: %+v", ag)
	}
	ms[1].ReportHealth(Verdict{Down: true, At: time.Now()})
	waitFor(t, "two votes", down(2))
	if ag, _ := ms[2].PrimaryDown(ctx(t)); !ag.Agreed || ag.Need != 2 {
		t.Fatalf("two of three must agree: %+v", ag)
	}
	rs, _ := ms[2].Replicas(ctx(t))
	deciders := 0
	for _, r := range rs {
		if r.Decider {
			deciders++
		}
	}
	if deciders > 1 {
		t.Fatalf("%d replicas say they decide", deciders)
	}
}
