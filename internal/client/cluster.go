package client

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
)

// ClusterStatus is /status's cluster section: what one replica knows of
// the replicas, who decides and the vote on the primary. It is the cluster
// package's own view, so the client reads what the gateway writes.
type ClusterStatus = cluster.View

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
