package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// A wrong fallback_api_key makes LightRAG answer 401. The client, whose
// own OpenViking key is fine, gets OpenViking's UNAVAILABLE with a
// Retry-After, never a permission error, and the gateway counts the cause.
func TestWrongFallbackKeyIsTheGatewaysFailure(t *testing.T) {
	ov := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{APIKey: "the-right-key"}))
	c := testConfig(ov.URL(), lr.URL())
	c.Routing.Mode = "fallback"
	c.Upstreams.Fallback.Health.Path = "/health" // LightRAG's health needs no key
	a := startApp(t, c)
	base := "http://" + a.Addr()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/search/find", strings.NewReader(`{"query":"agents"}`))
	req.Header.Set("X-API-Key", "a-valid-openviking-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("got %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	_, metrics := get(t, base+"/metrics")
	if !strings.Contains(metrics, `lifeboat_fallback_errors_total{cause="refused",rule="search"} 1`) {
		t.Fatalf("the cause is not counted:\n%s", grepLines(metrics, "lifeboat_fallback_errors"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
