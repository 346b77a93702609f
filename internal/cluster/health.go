package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Verdict is one replica's active-check opinion of the primary.
type Verdict struct {
	Down   bool      `json:"down"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Replica is one live replica as /status shows it.
type Replica struct {
	Name      string    `json:"name"`
	Decider   bool      `json:"decider"`
	Heartbeat time.Time `json:"heartbeat"`
	Started   time.Time `json:"started"`
	Health    Verdict   `json:"health"`
	// Admin is the replica's admin API base URL, such as
	// "http://10.0.0.5:8080", which followers forward admin writes to.
	// Empty until the replica listens (see Member.Advertise).
	Admin string `json:"admin,omitempty"`
	// Primary is the replica's published traffic to the primary, nil
	// until it publishes; the view fills it in, heartbeats do not carry
	// it.
	Primary *PrimaryTraffic `json:"primary_traffic,omitempty"`
}

// Agreement is the cluster's vote on whether the primary is down.
type Agreement struct {
	Live int `json:"live"`
	Down int `json:"down"`
	Need int `json:"need"`
	// Agreed is Down >= Need: the decider may call the primary down.
	Agreed bool `json:"agreed"`
}

// Agree counts the live replicas that see the primary down. min is the
// votes needed; 0 means a majority of the live replicas. A replica that has
// not reported a verdict yet counts as not seeing it down, so one replica
// with network trouble cannot roll back the fleet.
func Agree(live []Replica, min int) Agreement {
	a := Agreement{Live: len(live), Need: min}
	if a.Need <= 0 {
		a.Need = len(live)/2 + 1
	}
	for _, r := range live {
		if r.Health.Down {
			a.Down++
		}
	}
	a.Agreed = a.Down >= a.Need
	return a
}

// ReportHealth sets this replica's verdict, published with the next
// heartbeat.
func (m *Member) ReportHealth(v Verdict) {
	m.mu.Lock()
	m.health = v
	m.mu.Unlock()
}

// Replicas reads every live replica's heartbeat, sorted by name.
func (m *Member) Replicas(ctx context.Context) ([]Replica, error) {
	return list[Replica](ctx, m, m.k.replicas(), "read replicas")
}

// PrimaryDown tells whether the live replicas agree the primary is down,
// needing Settings.Quorum votes.
func (m *Member) PrimaryDown(ctx context.Context) (Agreement, error) {
	rs, err := m.Replicas(ctx)
	if err != nil {
		return Agreement{}, err
	}
	return Agree(rs, m.s.Quorum), nil
}

// Decider names the replica that holds the election now, or "" if none.
func (m *Member) Decider(ctx context.Context) (string, error) {
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Get(octx, m.k.election(), clientv3.WithFirstCreate()...)
	if err != nil {
		return "", unavailable("read decider", err)
	}
	if len(resp.Kvs) == 0 {
		return "", nil
	}
	return string(resp.Kvs[0].Value), nil
}

// publish writes the replica's heartbeat and statistics on its lease.
func (m *Member) publish(ctx context.Context, lease clientv3.LeaseID) error {
	now := time.Now()
	m.mu.Lock()
	r := Replica{Name: m.s.Name, Decider: m.IsDecider(), Heartbeat: now, Started: m.started, Health: m.health,
		Admin: m.admin}
	m.mu.Unlock()
	ops := []clientv3.Op{putJSON(m.k.replica(m.s.Name), r, clientv3.WithLease(lease))}
	if m.o.Stats != nil {
		s := Stats{Replica: m.s.Name, At: now, Routes: m.o.Stats()}
		if m.o.Buckets != nil {
			s.Buckets = m.o.Buckets()
		}
		ops = append(ops, putJSON(m.k.statsOf(m.s.Name), s, clientv3.WithLease(lease)))
	}
	octx, cancel := m.op(ctx)
	defer cancel()
	if _, err := m.c.Txn(octx).Then(ops...).Commit(); err != nil {
		return unavailable("publish heartbeat", err)
	}
	return nil
}

// getPrefix reads every key under prefix in key order.
func (m *Member) getPrefix(ctx context.Context, prefix, what string, opts ...clientv3.OpOption) ([]*mvccpb.KeyValue, error) {
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Get(octx, prefix, append([]clientv3.OpOption{clientv3.WithPrefix()}, opts...)...)
	if err != nil {
		return nil, unavailable(what, err)
	}
	return resp.Kvs, nil
}

// putJSON is a put of v's JSON. The types given to it always encode.
func putJSON(key string, v any, opts ...clientv3.OpOption) clientv3.Op {
	doc, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("cluster: encode %s: %v", key, err))
	}
	return clientv3.OpPut(key, string(doc), opts...)
}
