package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// State is the decided level, phase and routing, as the app encodes it:
// this package stores and delivers it without reading it.
type State struct {
	// Value is the app's encoding of the decided state.
	Value []byte `json:"value"`
	// Decider is the replica that wrote it.
	Decider string `json:"decider"`
	// At is when the decider wrote it, by the decider's clock.
	At time.Time `json:"at"`
	// Revision is etcd's revision of the write; later writes have larger
	// ones. Zero means no state was ever decided.
	Revision int64 `json:"revision"`
}

// PublishState records value as the decided state, fenced. Every replica's
// OnState receives it.
func (m *Member) PublishState(ctx context.Context, value []byte) (State, error) {
	st := State{Value: value, Decider: m.s.Name, At: time.Now()}
	doc, err := json.Marshal(st)
	if err != nil {
		return State{}, fmt.Errorf("cluster: encode state: %w", err)
	}
	resp, err := m.fenced(ctx, write{then: []clientv3.Op{clientv3.OpPut(m.k.state(), string(doc))}})
	if err != nil {
		return State{}, err
	}
	st.Revision = resp.Header.Revision
	return st, nil
}

// State reads the decided state from etcd; see LastState for the copy kept
// while etcd is out of reach.
func (m *Member) State(ctx context.Context) (State, error) {
	octx, cancel := m.op(ctx)
	defer cancel()
	resp, err := m.c.Get(octx, m.k.state())
	if err != nil {
		return State{}, unavailable("read state", err)
	}
	if len(resp.Kvs) == 0 {
		return State{}, nil
	}
	return decodeState(resp.Kvs[0].Value, resp.Kvs[0].ModRevision)
}

// LastState is the newest decided state this replica has seen. A replica
// cut off from etcd keeps serving with it.
func (m *Member) LastState() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last
}

// loadState reads the state and delivers it if it is new.
func (m *Member) loadState(ctx context.Context) error {
	st, err := m.State(ctx)
	if err != nil {
		return err
	}
	m.deliver(st)
	return nil
}

// watchState follows the state key for the Member's life. After any break
// it reads the key again, so a compacted or lost watch skips nothing but
// superseded values.
func (m *Member) watchState(ctx context.Context) {
	for ctx.Err() == nil {
		if err := m.loadState(ctx); err == nil {
			m.follow(ctx)
		}
		select {
		case <-ctx.Done():
		case <-time.After(m.s.Interval):
		}
	}
}

// follow delivers the state key's changes until the watch breaks.
func (m *Member) follow(ctx context.Context) {
	from := m.LastState().Revision + 1
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	for resp := range m.c.Watch(wctx, m.k.state(), clientv3.WithRev(from)) {
		if resp.Err() != nil {
			return
		}
		for _, ev := range resp.Events {
			if ev.Type != clientv3.EventTypePut {
				continue
			}
			if st, err := decodeState(ev.Kv.Value, ev.Kv.ModRevision); err == nil {
				m.deliver(st)
			}
		}
	}
}

// deliver keeps st and hands it to OnState if it is newer than the last.
// Only Join and the watch goroutine call it, one after the other, so
// OnState sees states in order.
func (m *Member) deliver(st State) {
	m.mu.Lock()
	if st.Revision <= m.last.Revision {
		m.mu.Unlock()
		return
	}
	m.last = st
	m.mu.Unlock()
	if m.o.OnState != nil {
		m.o.OnState(st)
	}
}

func decodeState(doc []byte, rev int64) (State, error) {
	var st State
	if err := json.Unmarshal(doc, &st); err != nil {
		return State{}, fmt.Errorf("cluster: decode state: %w", err)
	}
	st.Revision = rev
	return st, nil
}
