package cluster

import (
	"context"
	"time"
)

// View is what one replica knows of the cluster, as /status shows it and
// its clients read it: one type for both, so the two cannot drift.
type View struct {
	// Replica is the replica that answered, and Decides whether it decides.
	Replica string `json:"replica"`
	// Decider is the replica holding the election, "" when none does.
	Decider   string    `json:"decider"`
	Decides   bool      `json:"decides"`
	Replicas  []Replica `json:"replicas"`
	Agreement Agreement `json:"agreement"`
	// Fleet is the live replicas' primary traffic summed, as the
	// decider's triggers judge it; nil when etcd could not be read.
	Fleet *PrimaryTraffic `json:"fleet_primary_traffic,omitempty"`
	// State is where the decided state the replicas follow came from; its
	// content is the escalation section of /status.
	State StateOrigin `json:"decided_state"`
	// Error says why the replica could not read etcd: it shows what it
	// last knew.
	Error string `json:"error,omitempty"`
}

// StateOrigin is who decided the state the replicas follow, when, and at
// which etcd revision.
type StateOrigin struct {
	Decider  string    `json:"decider"`
	At       time.Time `json:"at,omitzero"`
	Revision int64     `json:"revision"`
}

// View reads the cluster as this replica sees it. A replica cut off from
// etcd says so in Error and shows what it last knew.
func (m *Member) View(ctx context.Context) View {
	st := m.LastState()
	v := View{Replica: m.Name(), Decides: m.IsDecider(),
		State: StateOrigin{Decider: st.Decider, At: st.At, Revision: st.Revision}}
	var err error
	if v.Replicas, err = m.Replicas(ctx); err == nil {
		v.Agreement, err = m.PrimaryDown(ctx)
	}
	if err == nil {
		v.Decider, err = m.Decider(ctx)
	}
	if err == nil {
		err = m.addTraffic(ctx, &v)
	}
	if err != nil {
		v.Error = err.Error()
	}
	return v
}
