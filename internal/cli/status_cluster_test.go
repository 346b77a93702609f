package cli

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
)

// startCluster runs three replicas on an embedded etcd and waits until
// one decides.
func startCluster(t *testing.T) (*lab.Cluster, *lab.Replica) {
	t.Helper()
	c, err := lab.StartCluster(t.Context(), lab.ClusterOptions{Timings: lab.TestTimings()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if d := c.Decider(t.Context()); d != nil {
			return c, d
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no replica decides after 20s")
	return nil, nil
}

// Against a replica of a real cluster, status adds who decides, the vote
// on the primary and every replica with its heartbeat; --watch too.
func TestStatusShowsTheCluster(t *testing.T) {
	c, d := startCluster(t)
	var follower *lab.Replica
	for _, r := range c.Replicas {
		if r != d {
			follower = r
		}
	}
	code, out, errs := run(t, []string{"status", "--addr", follower.URL()})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := []string{"L0 (normal) since", "\nnext: ", "cluster:", "3 live replicas; " + d.Name + " decides; " + follower.Name + " answered",
		"vote:", "0 of 3 live replicas see the primary down, 2 needed: not agreed",
		"REPLICA", "HEARTBEAT", follower.Name + "*", d.Name + " ", "decider", "follower", " ago", "up"}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("status lacks %q:\n%s", w, out)
		}
	}
	t.Log(out)
	code, out, _ = run(t, []string{"status", "--watch", "--interval", "10ms", "--count", "2", "--addr", d.URL()})
	if code != 0 || strings.Count(out, "cluster:") != 2 || !strings.Contains(out, d.Name+"*") {
		t.Fatalf("watch: exit %d:\n%s", code, out)
	}
	showsEachReplicasTraffic(t, d, follower)
}

// Only the follower serves requests: asked of the decider, status shows
// the follower's published traffic to the primary on its row, and the
// fleet's sum, both read from what the follower published to etcd.
func showsEachReplicasTraffic(t *testing.T, d, follower *lab.Replica) {
	t.Helper()
	const sent = 12
	for range sent {
		resp, err := http.Get(follower.URL() + "/api/v1/sessions")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	row := regexp.MustCompile(`(?m)^` + follower.Name + `\s.*\s(\d+) requests, 0\.0% failed`)
	var out string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, out, _ = run(t, []string{"status", "--addr", d.URL()})
		if m := row.FindStringSubmatch(out); m != nil && m[1] == strconv.Itoa(sent) &&
			strings.Contains(out, "fleet:    "+m[1]+" requests") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("status does not show the follower's %d requests to the primary and the fleet's sum:\n%s", sent, out)
}

// A single process shows no cluster section: its output is as before.
func TestStatusOfASingleProcessHasNoCluster(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{})
	_, out, _ := run(t, []string{"status", "--addr", s.URL})
	if strings.Contains(out, "cluster:") || strings.Contains(out, "REPLICA") {
		t.Fatalf("a single process shows a cluster:\n%s", out)
	}
}
