// Package etcdtest runs a real etcd server inside the process, on loopback
// ports the kernel picks, with its data in a directory the caller owns.
//
// Tests and benchmarks of cluster mode use it so they exercise etcd itself,
// not a fake; `lifeboat demo --cluster` uses it so the demo needs nothing
// installed. Start runs one node: a quorum of one, so "durable in the
// cluster" means fsynced to this node's write-ahead log. StartCluster runs
// several members, for what a quorum costs and survives.
package etcdtest

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// ErrStart is wrapped by every error from Start.
var ErrStart = errors.New("etcdtest: start")

// Options tune the server. The zero value is a fast server for tests.
type Options struct {
	// Fsync makes the server fsync its log as production etcd does. Default
	// false: tests do not need durability across a machine crash, and fsync
	// on a loaded CI disk makes them slow. Benchmarks of write latency set it.
	Fsync bool
	// Tick is the raft heartbeat; the election timeout is ten ticks. Default
	// 10 ms, so the smallest lease etcd grants is one second (etcd's floor
	// is one and a half election timeouts, rounded up to whole seconds) and
	// tests of lease expiry stay fast.
	Tick time.Duration
	// StartTimeout bounds the wait for the server to serve. Default 20 s.
	StartTimeout time.Duration
}

// Server is a running one-node etcd. Close it.
type Server struct {
	etcd *embed.Etcd
}

// Start runs etcd with its data in dir, which must be empty or hold an
// earlier Server's data.
func Start(dir string, o Options) (*Server, error) {
	cfg, err := config(dir, o)
	if err != nil {
		return nil, err
	}
	e, err := serve(cfg, o)
	if err != nil {
		return nil, err
	}
	return &Server{etcd: e}, nil
}

// serve starts etcd with cfg and waits until it serves: for a member of a
// cluster, until a quorum has elected a leader.
func serve(cfg *embed.Config, o Options) (*embed.Etcd, error) {
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStart, err)
	}
	wait := o.StartTimeout
	if wait <= 0 {
		wait = 20 * time.Second
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case err := <-e.Err():
		e.Close()
		return nil, fmt.Errorf("%w: %w", ErrStart, err)
	case <-time.After(wait):
		e.Close()
		return nil, fmt.Errorf("%w: not ready after %v", ErrStart, wait)
	}
}

// config is the embedded server's configuration: loopback on ports the
// kernel picks, and a logger that says nothing, because engines never log.
func config(dir string, o Options) (*embed.Config, error) {
	tick := o.Tick
	if tick <= 0 {
		tick = 10 * time.Millisecond
	}
	local, err := url.Parse("http://127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStart, err)
	}
	cfg := embed.NewConfig()
	cfg.Name = "etcdtest"
	cfg.Dir = dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*local}, []url.URL{*local}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*local}, []url.URL{*local}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.TickMs = uint(tick.Milliseconds())
	cfg.ElectionMs = 10 * cfg.TickMs
	cfg.UnsafeNoFsync = !o.Fsync
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	return cfg, nil
}

// Endpoints are the client addresses to give clientv3.
func (s *Server) Endpoints() []string { return endpoints(s.etcd) }

// endpoints are e's client addresses.
func endpoints(e *embed.Etcd) []string {
	out := make([]string, 0, len(e.Clients))
	for _, l := range e.Clients {
		out = append(out, "http://"+l.Addr().String())
	}
	return out
}

// Close stops the server and waits for it. It is safe to call twice.
func (s *Server) Close() { s.etcd.Close() }
