package cluster

import (
	"errors"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
)

// TestPartitionedDeciderStops cuts the decider off from etcd: it must stop
// deciding within its lease, keep its last state, refuse journaled writes
// with ErrUnavailable within RequestTimeout, and come back as a follower
// when the link heals.
func TestPartitionedDeciderStops(t *testing.T) {
	e := startEtcd(t)
	link, err := etcdtest.NewLink(e.Endpoints())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(link.Close)
	s := testSettings(link.Endpoints(), "a")
	s.RequestTimeout = 500 * time.Millisecond
	a := joinWith(t, s, Options{})
	waitFor(t, "a decides", a.IsDecider)
	want, err := a.PublishState(ctx(t), []byte(`{"level":"L1"}`))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a sees its own state", func() bool { return a.LastState().Revision == want.Revision })
	b := join(t, e.Endpoints(), "b", Options{})

	link.Cut()
	stopped := waitFor(t, "a stops deciding", func() bool { return !a.IsDecider() })
	took := waitFor(t, "b decides", b.IsDecider)
	t.Logf("cut decider stopped after %v; b took over after a further %v", stopped, took)
	if got := a.LastState(); got.Revision != want.Revision {
		t.Fatalf("partitioned replica forgot its state: %+v", got)
	}
	start := time.Now()
	if _, err := a.Append(ctx(t), "s", []byte("w")); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("append while cut off: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("append took %v to fail, want about RequestTimeout", d)
	}
	if _, err := a.PublishState(ctx(t), []byte(`{}`)); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("cut-off decider wrote: %v", err)
	}

	link.Restore()
	waitFor(t, "a registers again", func() bool {
		rs, err := b.Replicas(ctx(t))
		return err == nil && len(rs) == 2
	})
	if a.IsDecider() || !b.IsDecider() {
		t.Fatal("the healed replica took the decider's role back")
	}
	next, err := b.PublishState(ctx(t), []byte(`{"level":"L0"}`))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a follows b", func() bool { return a.LastState().Revision == next.Revision })
}
