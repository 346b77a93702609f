package cluster

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
)

// startEtcdCluster runs n etcd members for t.
func startEtcdCluster(t testing.TB, n int, o etcdtest.Options) *etcdtest.Cluster {
	t.Helper()
	c, err := etcdtest.StartCluster(t.TempDir(), n, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// With one of three etcd members gone, two still make a quorum: the
// decider keeps appending to the journal's log and publishing its state.
// The member stopped is raft's leader, so leadership must move to one of
// the other two before any write commits, and the client must move off
// the stopped member if it was using it.
func TestClusterDecidesWithOneEtcdMemberDown(t *testing.T) {
	e := startEtcdCluster(t, 3, etcdtest.Options{})
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	log := a.JournalLog()
	if _, err := log.Append(ctx(t), []byte("before")); err != nil {
		t.Fatal(err)
	}
	var leader int
	waitFor(t, "an etcd leader", func() bool { leader = e.Leader(); return leader >= 0 })
	e.Stop(leader)
	waitFor(t, "a new etcd leader", func() bool { return e.Leader() >= 0 })
	if _, err := log.Append(ctx(t), []byte("after")); err != nil {
		t.Fatalf("journal append with two of three etcd members: %v", err)
	}
	st, err := a.PublishState(ctx(t), []byte(`{"level":"L1"}`))
	if err != nil {
		t.Fatalf("state write with two of three etcd members: %v", err)
	}
	if got, err := a.State(ctx(t)); err != nil || got.Revision != st.Revision {
		t.Fatalf("state read = %+v, %v; want revision %d", got, err, st.Revision)
	}
	if !a.IsDecider() {
		t.Fatal("a lost its term while etcd kept a quorum")
	}
}
