package cluster

import (
	"context"
	"time"
)

// PrimaryTraffic is one replica's requests to the primary over its
// trigger window, summed over routes, as it last published them: what an
// operator compares across replicas to tell one replica's trouble from
// the primary's.
type PrimaryTraffic struct {
	Requests  int64   `json:"requests"`
	Judged    int64   `json:"judged"`
	Failures  int64   `json:"failures"`
	ErrorRate float64 `json:"error_rate"`
	// AvgMS is the judged requests' average latency in milliseconds.
	AvgMS float64 `json:"avg_ms"`
	// At is when the replica published them.
	At time.Time `json:"at,omitzero"`
}

// trafficOf sums one replica's published routes.
func trafficOf(s Stats) PrimaryTraffic {
	var sum RouteStats
	for _, r := range s.Routes {
		sum = sum.Add(r)
	}
	return PrimaryTraffic{Requests: sum.Requests, Judged: sum.Judged, Failures: sum.Failures,
		ErrorRate: sum.ErrorRate(), AvgMS: avgMS(sum), At: s.At}
}

func avgMS(r RouteStats) float64 {
	if r.Judged == 0 {
		return 0
	}
	return float64(r.LatencySum) / float64(r.Judged) / float64(time.Millisecond)
}

// addTraffic puts each live replica's published primary traffic on its
// row, and the fleet's sum, which the decider's triggers judge, on v. A
// replica that has published nothing yet has none.
func (m *Member) addTraffic(ctx context.Context, v *View) error {
	all, err := m.ClusterStats(ctx)
	if err != nil {
		return err
	}
	by := make(map[string]PrimaryTraffic, len(all))
	for _, s := range all {
		by[s.Replica] = trafficOf(s)
	}
	for i, r := range v.Replicas {
		if t, ok := by[r.Name]; ok {
			v.Replicas[i].Primary = &t
		}
	}
	fleet := trafficOf(Stats{Routes: Merge(all)})
	v.Fleet = &fleet
	return nil
}
