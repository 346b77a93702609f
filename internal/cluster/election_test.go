package cluster

import (
	"errors"
	"slices"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestTakeOverAfterKill(t *testing.T) {
	e := startEtcd(t)
	var la, lb leadership
	a := join(t, e.Endpoints(), "a", Options{OnLeadership: la.on})
	b := join(t, e.Endpoints(), "b", Options{OnLeadership: lb.on})
	first := decider(t, a, b)
	if name, err := a.Decider(ctx(t)); err != nil || name != first.Name() {
		t.Fatalf("Decider() = %q, %v; want %q", name, err, first.Name())
	}
	other, otherCalls := b, &lb
	if first == b {
		other, otherCalls = a, &la
	}
	kill(first)
	took := waitFor(t, "a new decider", other.IsDecider)
	t.Logf("new decider after %v (lease %v)", took, ttl)
	if name, err := other.Decider(ctx(t)); err != nil || name != other.Name() {
		t.Fatalf("Decider() = %q, %v; want %q", name, err, other.Name())
	}
	if got := otherCalls.calls(); !slices.Equal(got, []bool{true}) {
		t.Fatalf("OnLeadership calls %v, want [true]", got)
	}
}

func TestResignOnClose(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	b := join(t, e.Endpoints(), "b", Options{})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	waitFor(t, "b decides", b.IsDecider)
	if _, err := a.PublishState(ctx(t), []byte(`{}`)); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("closed member wrote: %v", err)
	}
}

func TestFencedAfterLosingKey(t *testing.T) {
	e := startEtcd(t)
	var la leadership
	a := join(t, e.Endpoints(), "a", Options{OnLeadership: la.on})
	waitFor(t, "a decides", a.IsDecider)
	b := join(t, e.Endpoints(), "b", Options{})
	// Delete a's election key behind its back: a still believes it decides,
	// as a decider does in the moment before it notices a lost lease.
	key := a.term.Load().key
	if _, err := b.c.Delete(ctx(t), key); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b decides", b.IsDecider)
	_, err := a.PublishState(ctx(t), []byte(`{"level":"L3"}`))
	if !errors.Is(err, ErrFenced) || !errors.Is(err, ErrNotDecider) {
		t.Fatalf("old decider's write: %v, want ErrFenced", err)
	}
	if a.IsDecider() {
		t.Fatal("a still decides after etcd fenced it")
	}
	if st, err := b.State(ctx(t)); err != nil || st.Revision != 0 {
		t.Fatalf("fenced write landed: %+v, %v", st, err)
	}
	waitFor(t, "a told it lost", func() bool { return slices.Equal(la.calls(), []bool{true, false}) })
	waitFor(t, "a registered again", func() bool {
		rs, err := b.Replicas(ctx(t))
		return err == nil && len(rs) == 2
	})
	if _, err := b.c.Get(ctx(t), key, clientv3.WithCountOnly()); err != nil {
		t.Fatal(err)
	}
}
