package cluster

import (
	"context"
	"encoding/json"
	"fmt"
)

// Advertise sets the admin API base URL this replica publishes with its
// next heartbeat, so followers can forward admin writes to it while it
// decides. It is set after Join because the admin listener binds its
// address only when the App starts.
func (m *Member) Advertise(adminURL string) {
	m.mu.Lock()
	m.admin = adminURL
	m.mu.Unlock()
}

// DeciderAdmin reads the replica that holds the election now and its
// registration. It fails with ErrNoDecider when nobody holds the election
// or the holder has not advertised an admin URL yet, and with
// ErrUnavailable when etcd cannot be read.
func (m *Member) DeciderAdmin(ctx context.Context) (Replica, error) {
	name, err := m.Decider(ctx)
	if err != nil {
		return Replica{}, err
	}
	if name == "" {
		return Replica{}, fmt.Errorf("%w: nobody holds the election", ErrNoDecider)
	}
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Get(octx, m.k.replica(name))
	if err != nil {
		return Replica{}, unavailable("read the decider's registration", err)
	}
	var r Replica
	if len(resp.Kvs) == 0 || json.Unmarshal(resp.Kvs[0].Value, &r) != nil || r.Admin == "" {
		return Replica{Name: name}, fmt.Errorf("%w: decider %s has not advertised its admin API", ErrNoDecider, name)
	}
	return r, nil
}
