package client

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
)

// ClusterStatus is /status's cluster section: what one replica knows of
// the replicas, who decides and the vote on the primary. The replicas and
// the vote are the cluster package's own types, so the client reads what
// the gateway writes without a copy of their fields.
type ClusterStatus struct {
	// Replica is the replica that answered, and Decides whether it decides.
	Replica string `json:"replica"`
	Decides bool   `json:"decides"`
	// Decider is the replica holding the election, "" when none does.
	Decider   string            `json:"decider"`
	Replicas  []cluster.Replica `json:"replicas"`
	Agreement cluster.Agreement `json:"agreement"`
	// State is where the decided level the replicas follow came from.
	State struct {
		Decider  string    `json:"decider"`
		At       time.Time `json:"at"`
		Revision int64     `json:"revision"`
	} `json:"decided_state"`
	// Error says why the replica could not read etcd: it shows what it
	// last knew.
	Error string `json:"error,omitempty"`
}

// Cluster returns /status's cluster section, nil when the gateway runs as
// a single process.
func (c *Client) Cluster(ctx context.Context) (*ClusterStatus, error) {
	raw, code, err := c.send(ctx, http.MethodGet, "/status", nil)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Cluster *ClusterStatus `json:"cluster"`
	}
	if code != http.StatusOK || json.Unmarshal(raw, &doc) != nil {
		return nil, notAPI(http.MethodGet, "/status", code, raw)
	}
	return doc.Cluster, nil
}
