package drill

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Fault is what a drill does to the primary. Its fields and JSON names are
// the simulators' (internal/sim.Fault) and those of the gateway's own
// fault injector, so one spec drives either.
type Fault struct {
	LatencyMS     int     `json:"latency_ms,omitempty"`     // added before answering
	JitterMS      int     `json:"jitter_ms,omitempty"`      // uniform +/- jitter on the latency
	ErrorRate     float64 `json:"error_rate,omitempty"`     // 0..1 fraction answered with ErrorStatus
	ErrorStatus   int     `json:"error_status,omitempty"`   // default 503 when ErrorRate > 0
	Down          bool    `json:"down,omitempty"`           // connections refused
	Hang          bool    `json:"hang,omitempty"`           // no answer until the caller gives up
	CorruptSearch bool    `json:"corrupt_search,omitempty"` // searches find nothing, health stays green
	RAGFailure    bool    `json:"rag_failure,omitempty"`    // the fallback answers status "failure" with HTTP 200
	CPUPercent    float64 `json:"cpu_percent,omitempty"`    // resource pressure on the primary's /metrics
	MemoryPercent float64 `json:"memory_percent,omitempty"` // resource pressure on the primary's /metrics
	DurationMS    int     `json:"duration_ms,omitempty"`    // the fault reverts itself after this long
}

// String describes the fault for people, without its duration.
func (f Fault) String() string {
	var parts []string
	add := func(ok bool, format string, args ...any) {
		if ok {
			parts = append(parts, fmt.Sprintf(format, args...))
		}
	}
	add(f.Down, "outage (connections refused)")
	add(f.Hang, "hang (no answer)")
	add(f.LatencyMS > 0, "latency %dms ±%dms", f.LatencyMS, f.JitterMS)
	add(f.ErrorRate > 0, "%.0f%% errors (HTTP %d)", 100*f.ErrorRate, cmp.Or(f.ErrorStatus, http.StatusServiceUnavailable))
	add(f.CPUPercent > 0, "CPU %.0f%%", f.CPUPercent)
	add(f.MemoryPercent > 0, "memory %.0f%%", f.MemoryPercent)
	add(f.CorruptSearch, "corrupted search index (health stays green)")
	add(f.RAGFailure, `fallback answers "failure"`)
	if len(parts) == 0 {
		return "no fault"
	}
	return strings.Join(parts, ", ")
}

// Faults is where a drill's fault is injected and reverted: a simulator's
// knobs today, the gateway's admin fault API later. Set replaces any fault
// in force; Clear removes it and must succeed when none is in force.
// Implementations must be safe for concurrent use.
type Faults interface {
	Set(ctx context.Context, f Fault) error
	Clear(ctx context.Context) error
}

// SimFaults drives an in-process simulator's knobs.
type SimFaults struct {
	// Server is the simulator the fault is applied to. Required.
	Server *sim.Server
}

// Set applies f to the simulator.
func (s SimFaults) Set(_ context.Context, f Fault) error {
	if err := s.Server.SetFault(sim.Fault(f)); err != nil {
		return fmt.Errorf("%w: %w", ErrFault, err)
	}
	return nil
}

// Clear removes the simulator's fault.
func (s SimFaults) Clear(_ context.Context) error {
	if err := s.Server.SetFault(sim.Fault{}); err != nil {
		return fmt.Errorf("%w: %w", ErrFault, err)
	}
	return nil
}

// HTTPFaults drives a simulator in another process through its control
// API, POST /_sim/fault. Point URL at the simulator's --control listener
// when the drill may take it down: the main listener refuses connections
// during an outage, so only the fault's own duration could revert it.
type HTTPFaults struct {
	// URL is the simulator's base URL, such as "http://127.0.0.1:1933".
	// Required.
	URL string
	// Client sends the calls. Default nil: http.DefaultClient; the
	// caller's context bounds every call.
	Client *http.Client
}

// Set posts f to the simulator.
func (h HTTPFaults) Set(ctx context.Context, f Fault) error { return h.post(ctx, f) }

// Clear posts {} to the simulator.
func (h HTTPFaults) Clear(ctx context.Context) error { return h.post(ctx, Fault{}) }

func (h HTTPFaults) post(ctx context.Context, f Fault) error {
	body, _ := json.Marshal(f)
	url := strings.TrimRight(h.URL, "/") + "/_sim/fault"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrFault, err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := h.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w: POST %s: %w", ErrFault, url, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: POST %s answered %d: %s", ErrFault, url, resp.StatusCode, bytes.TrimSpace(answer))
	}
	return nil
}
