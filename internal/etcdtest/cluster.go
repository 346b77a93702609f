package etcdtest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"go.etcd.io/etcd/server/v3/embed"
)

// Cluster is n etcd members in this process, each with its own data
// directory and loopback ports, joined by raft over their peer ports. It
// measures what a quorum costs (a network round trip to a peer and the
// peers' fsyncs) and lets a test stop one member while the others keep a
// quorum. All members share this machine's disk and CPUs, so its
// latencies are a floor for a real cluster's, not a forecast. Close it.
type Cluster struct {
	mu      sync.Mutex
	members []*embed.Etcd
	stopped []bool
}

// StartCluster runs n members with their data in subdirectories of dir,
// which must be empty. n is at least one; three is the usual quorum.
func StartCluster(dir string, n int, o Options) (*Cluster, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: cluster of %d members: want at least 1", ErrStart, n)
	}
	cfgs, err := clusterConfigs(dir, n, o)
	if err != nil {
		return nil, err
	}
	c := &Cluster{members: make([]*embed.Etcd, n), stopped: make([]bool, n)}
	// The members start together: none is ready before a quorum of them
	// has elected a leader, so starting them one after another would wait
	// on the first alone.
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		wg.Go(func() { c.members[i], errs[i] = serve(cfg, o) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// clusterConfigs are the members' configurations. A member's peer URL is
// in every member's initial cluster before any starts, so the ports are
// picked here, by binding and releasing them, rather than by the kernel
// at start; another process could take one in between, which makes the
// start fail loudly rather than wrongly.
func clusterConfigs(dir string, n int, o Options) ([]*embed.Config, error) {
	cfgs := make([]*embed.Config, n)
	initial := make([]string, n)
	for i := range n {
		cfg, err := config(filepath.Join(dir, fmt.Sprintf("member-%d", i)), o)
		if err != nil {
			return nil, err
		}
		peer, client, err := freeURLs()
		if err != nil {
			return nil, err
		}
		cfg.Name = fmt.Sprintf("etcdtest-%d", i)
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
		cfgs[i], initial[i] = cfg, cfg.Name+"="+peer.String()
	}
	for _, cfg := range cfgs {
		cfg.InitialCluster = strings.Join(initial, ",")
		cfg.InitialClusterToken = "etcdtest-cluster"
	}
	return cfgs, nil
}

// freeURLs are a peer and a client URL on loopback ports free just now.
func freeURLs() (url.URL, url.URL, error) {
	var out [2]url.URL
	for i := range out {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return url.URL{}, url.URL{}, fmt.Errorf("%w: pick a port: %w", ErrStart, err)
		}
		out[i] = url.URL{Scheme: "http", Host: ln.Addr().String()}
		if err := ln.Close(); err != nil {
			return url.URL{}, url.URL{}, fmt.Errorf("%w: pick a port: %w", ErrStart, err)
		}
	}
	return out[0], out[1], nil
}

// Endpoints are every member's client address, to give clientv3, which
// moves to another member when one stops answering.
func (c *Cluster) Endpoints() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.members {
		out = append(out, endpoints(e)...)
	}
	return out
}

// Stop stops member i and waits for it: the others keep serving while a
// quorum of them is left. It is a clean stop, not a crash: etcd hands
// raft's leadership over first, and waits up to its request timeout
// (about five seconds) for the clients' open streams, such as watches,
// before cutting them.
func (c *Cluster) Stop(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i < 0 || i >= len(c.members) || c.stopped[i] || c.members[i] == nil {
		return
	}
	c.members[i].Close()
	c.stopped[i] = true
}

// Close stops every member still running and waits for them. It is safe
// to call twice.
func (c *Cluster) Close() {
	for i := range c.members {
		c.Stop(i)
	}
}

// Leader is the index of the running member that leads raft, or -1 while
// none does, so a test can stop the leader and make the rest elect one.
func (c *Cluster) Leader() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.members {
		if !c.stopped[i] && e.Server.MemberID() == e.Server.Leader() {
			return i
		}
	}
	return -1
}
