package admin

import (
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

type upstreamJSON struct {
	URL                 string       `json:"url,omitempty"`
	Warning             string       `json:"warning,omitempty"`
	State               string       `json:"state"`
	Since               *time.Time   `json:"since,omitempty"`
	ConsecutiveFailures int          `json:"consecutive_failures"`
	LastCheck           *probeJSON   `json:"last_check,omitempty"`
	Checks              int64        `json:"checks,omitempty"`
	Failures            int64        `json:"failures,omitempty"`
	Traffic             *summaryJSON `json:"traffic,omitempty"`
}

type probeJSON struct {
	At        time.Time `json:"at"`
	OK        bool      `json:"ok"`
	Status    int       `json:"status_code,omitempty"`
	Reason    string    `json:"reason"`
	LatencyMS float64   `json:"latency_ms"`
}

type summaryJSON struct {
	WindowSeconds float64 `json:"window_seconds"`
	Requests      int64   `json:"requests"`
	OK            int64   `json:"ok"`
	ClientErrors  int64   `json:"client_errors"`
	ServerErrors  int64   `json:"server_errors"`
	ConnectErrors int64   `json:"connect_errors"`
	Timeouts      int64   `json:"timeouts"`
	ClientGone    int64   `json:"client_gone"`
	Rejected      int64   `json:"rejected"`
	ErrorRate     float64 `json:"error_rate"`
	AvgMS         float64 `json:"avg_ms"`
	P50MS         float64 `json:"p50_ms"`
	P95MS         float64 `json:"p95_ms"`
	P99MS         float64 `json:"p99_ms"`
	Enough        bool    `json:"enough_volume"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summaryView(s stats.Summary) *summaryJSON {
	return &summaryJSON{
		WindowSeconds: s.Window.Seconds(), Requests: s.Requests, OK: s.OK, ClientErrors: s.ClientErrors,
		ServerErrors: s.ServerErrors, ConnectErrors: s.ConnectErrors, Timeouts: s.Timeouts,
		ClientGone: s.ClientGone, Rejected: s.Rejected, ErrorRate: s.ErrorRate,
		AvgMS: ms(s.AvgLatency), P50MS: ms(s.P50), P95MS: ms(s.P95), P99MS: ms(s.P99), Enough: s.Enough,
	}
}

func healthView(st health.Status) upstreamJSON {
	v := upstreamJSON{State: st.State.String(), ConsecutiveFailures: st.ConsecutiveFailures,
		Checks: st.Checks, Failures: st.Failures}
	if !st.Since.IsZero() {
		since := st.Since
		v.Since = &since
	}
	if !st.Last.At.IsZero() {
		v.LastCheck = &probeJSON{At: st.Last.At, OK: st.Last.OK, Status: st.Last.StatusCode,
			Reason: st.Last.Reason, LatencyMS: ms(st.Last.Latency)}
	}
	return v
}

// upstreamsView shows each upstream's health and, in full, its traffic
// over the key routes.
func (s *Status) upstreamsView(full bool) map[string]upstreamJSON {
	out := make(map[string]upstreamJSON, 2)
	now := time.Now()
	for i, u := range s.Upstreams {
		v := healthView(u.Health.Status())
		v.Warning = u.Warning
		if full {
			v.URL = u.URL
			v.Traffic = summaryView(s.Stats.Upstream(i, s.KeyRoutes, now))
		}
		out[u.Name] = v
	}
	return out
}

// routesView shows each route class's traffic per target.
func (s *Status) routesView(now time.Time) map[string]map[string]*summaryJSON {
	out := make(map[string]map[string]*summaryJSON, len(s.Routes))
	for ri, name := range s.Routes {
		per := make(map[string]*summaryJSON, len(s.Targets))
		for ti, target := range s.Targets {
			if sum := s.Stats.Window(ti, ri, now); sum.Requests > 0 {
				per[target] = summaryView(sum)
			}
		}
		out[name] = per
	}
	return out
}

func (a *API) serveStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, a.statusDocument(time.Now()))
}

// StatusDocument is /status at now, for the operations page's stream.
func (a *API) StatusDocument(now time.Time) map[string]any { return a.statusDocument(now) }

// statusDocument is /status: the status view with the escalation engine's
// state added. The diagnostics bundle carries the same document.
func (a *API) statusDocument(now time.Time) map[string]any {
	v := a.o.Status.view(now)
	if a.o.Status.Journal != nil {
		v["journal"] = a.o.Status.Journal()
	}
	if a.o.Levels != nil {
		v["escalation"] = a.o.Levels.Status(now)
	}
	if a.o.Status.Cluster != nil {
		v["cluster"] = a.o.Status.Cluster()
	}
	return v
}

func (s *Status) view(now time.Time) map[string]any {
	rt := s.Gateway.Routing()
	routing := map[string]any{"mode": rt.Mode.String(), "primary_weight": rt.PrimaryWeight}
	var events []event.Event
	if s.Events != nil {
		events = s.Events.Recent(50)
	}
	return map[string]any{
		"status":          s.Verdict(),
		"version":         s.Version,
		"uptime_seconds":  now.Sub(s.Started).Seconds(),
		"routing":         routing,
		"upstreams":       s.upstreamsView(true),
		"circuit_breaker": breakerView(s.Gateway.Breaker()),
		"queue":           queueView(s.Gateway.Queue()),
		"cache":           cacheViewOf(s.Gateway),
		"routes":          s.routesView(now),
		"recent_events":   events,
	}
}
