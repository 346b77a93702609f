package admin

import (
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Upstream is one upstream as /status shows it.
type Upstream struct {
	Name   string
	URL    string
	Health interface{ Status() health.Status }
	// Warning is shown with the upstream while it holds, such as a
	// certificate that is not verified. Empty shows nothing.
	Warning string
}

// Status assembles /health and /status from the live engines.
type Status struct {
	Gateway   Gateway
	Upstreams [2]Upstream // primary, fallback
	Stats     *stats.Recorder
	Targets   []string // the Stats recorder's target names, in index order
	Routes    []string // route class names, in index order
	KeyRoutes []int
	Events    *event.Ring
	Started   time.Time
	Version   string
	// Journal reports the write journal's counters for /status. Nil: the
	// journal is off and /status has no "journal" section.
	Journal func() any
	// Cluster reports the replicas, who decides, their health verdicts
	// and heartbeats. Nil: cluster mode is off and /status has no
	// "cluster" section.
	Cluster func() any
}

// Verdicts of /health, in the services' own vocabulary.
const (
	Healthy   = "healthy"
	Degraded  = "degraded"
	Unhealthy = "unhealthy"
)

// Verdict says whether clients are being served as intended (healthy),
// served by a stand-in (degraded) or not served (unhealthy).
func (s *Status) Verdict() string {
	rt := s.Gateway.Routing()
	p, f := s.primaryServes(), s.Upstreams[1].Health.Status().State.Usable()
	switch rt.Mode {
	case proxy.ModePrimary:
		return pick(p, Healthy, Unhealthy)
	case proxy.ModeFallback:
		return pick(f, Degraded, Unhealthy)
	default: // backup and split: either upstream can serve
		if p && (f || rt.Mode == proxy.ModeBackup) {
			return Healthy
		}
		return pick(p || f, Degraded, Unhealthy)
	}
}

// primaryServes is false when active checks say down or the breaker is
// open: either way requests do not reach it.
func (s *Status) primaryServes() bool {
	if !s.Upstreams[0].Health.Status().State.Usable() {
		return false
	}
	b := s.Gateway.Breaker()
	return b == nil || b.State() != breaker.Open
}

func pick(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// OperatorHealthPath is the operator's health view: the verdict in the
// gateway's own words, the routing mode and both upstreams. /health
// itself belongs to OpenViking's clients.
const OperatorHealthPath = "/lifeboat/health"

// serveHealth answers /health as OpenViking does (system.py
// health_check), since clients reach the gateway where they used to reach
// OpenViking and their SDKs check status == "ok": ok while either side
// can serve OpenViking's API, 503 with a status that is not ok when
// neither can. The gateway's own verdict rides along under "lifeboat".
func (s *Status) serveHealth(w http.ResponseWriter, _ *http.Request) {
	v := s.Verdict()
	code, status := http.StatusOK, "ok"
	if v == Unhealthy {
		code, status = http.StatusServiceUnavailable, Unhealthy
	}
	writeJSON(w, code, map[string]any{
		"status": status, "healthy": v != Unhealthy, "version": s.Version,
		"lifeboat": map[string]any{"status": v, "mode": s.Gateway.Routing().Mode.String()},
	})
}

// serveOperatorHealth is OperatorHealthPath: healthy, degraded (a
// stand-in serves) or unhealthy (503), the mode and the upstreams, so the
// plan's `curl …/lifeboat/health | jq .status` check reads one word.
func (s *Status) serveOperatorHealth(w http.ResponseWriter, _ *http.Request) {
	v := s.Verdict()
	code := http.StatusOK
	if v == Unhealthy {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{
		"status":    v,
		"mode":      s.Gateway.Routing().Mode.String(),
		"upstreams": s.upstreamsView(false),
	})
}
