package drill

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// gatewayStatus is the part of GET /status a drill reads: one call gives
// the level, the routing, both upstreams and the recent events.
type gatewayStatus struct {
	Routing struct {
		Mode          string `json:"mode"`
		PrimaryWeight int    `json:"primary_weight"`
	} `json:"routing"`
	Upstreams  map[string]upstreamStatus `json:"upstreams"`
	Escalation *level.Status             `json:"escalation"`
	Events     []event.Event             `json:"recent_events"`
}

type upstreamStatus struct {
	URL     string         `json:"url"`
	State   string         `json:"state"`
	Traffic *trafficStatus `json:"traffic"`
}

// trafficStatus is an upstream's traffic over the statistics window.
type trafficStatus struct {
	Requests  int64   `json:"requests"`
	ErrorRate float64 `json:"error_rate"`
	Enough    bool    `json:"enough_volume"`
}

// readStatus reads /status through the admin client.
func readStatus(ctx context.Context, cl *client.Client) (gatewayStatus, error) {
	var st gatewayStatus
	doc, err := cl.Status(ctx)
	if err != nil {
		return st, err
	}
	raw, _ := json.Marshal(doc)
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("drill: reading /status: %w", err)
	}
	return st, nil
}

// level is the engine's level, L0 when escalation is off.
func (s gatewayStatus) level() level.Level {
	if s.Escalation == nil {
		return level.L0
	}
	return s.Escalation.Level
}

// trafficOnFallback reports routing that sends clients to the fallback.
func (s gatewayStatus) trafficOnFallback() bool {
	switch s.Routing.Mode {
	case "fallback", "backup":
		return true
	case "split":
		return s.Routing.PrimaryWeight < 100
	}
	return false
}

// notReady says why the gateway cannot be drilled now, "" when it can;
// lasting is set when waiting will not help.
func (s gatewayStatus) notReady(dryRun bool) (why string, lasting bool) {
	e := s.Escalation
	switch {
	case e == nil:
		return "escalation is off: nothing would act on the fault", true
	case e.Paused:
		return "automation is paused", true
	case e.DryRun != dryRun:
		return fmt.Sprintf("the gateway's escalation.dry_run is %v and the drill's %v", e.DryRun, dryRun), true
	case e.Level != level.L0:
		return fmt.Sprintf("the gateway is at %s, not L0", e.Level), false
	}
	for _, name := range []string{"primary", "fallback"} {
		if st := s.Upstreams[name].State; st != "up" {
			return fmt.Sprintf("the %s is %q, not up", name, st), false
		}
	}
	if slices.ContainsFunc(e.Triggers, func(ev trigger.Evidence) bool { return ev.Unit == "" }) {
		return "triggers have no reading yet", false
	}
	return "", false
}

// detects reports whether an immediate trigger reads one of the signal
// types.
func (s gatewayStatus) detects(types []string) bool {
	return s.Escalation != nil && slices.ContainsFunc(s.Escalation.Triggers, func(ev trigger.Evidence) bool {
		return ev.Kind == string(trigger.Immediate) && slices.Contains(types, ev.Signal)
	})
}
