package app_test

import (
	"encoding/json"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// A plain HTTP health check (json_field "") once made the gateway panic
// at start, since the default healthy_values stayed set; it starts, and
// the check passes on the status alone.
func TestPlainHTTPHealthCheckStarts(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(ov.URL(), lr.URL())
	c.Upstreams.Primary.Health.JSONField = ""
	a := startApp(t, c)
	eventually(t, "the primary checked up", func() bool {
		_, body := get(t, "http://"+a.Addr()+"/lifeboat/health")
		var doc map[string]any
		return json.Unmarshal([]byte(body), &doc) == nil && field(doc, "upstreams", "primary", "state") == "up"
	})
}
