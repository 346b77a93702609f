package client

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// The gateway calls: the operations plan's /admin calls. Breaker, cache and
// queue calls return the component's new state as the API reports it (see
// the README's Admin API section for the fields).

// Routing is where traffic goes.
type Routing struct {
	// Mode is primary, backup, fallback or split.
	Mode string `json:"mode"`
	// PrimaryWeight is the percentage sent to the primary first; only
	// sent with mode split.
	PrimaryWeight int `json:"primary_weight"`
}

// Route returns the current routing.
func (c *Client) Route(ctx context.Context) (Routing, error) {
	var rt Routing
	err := c.call(ctx, http.MethodGet, "/admin/route", nil, &rt)
	return rt, err
}

// SetRoute switches the routing mode live.
func (c *Client) SetRoute(ctx context.Context, rt Routing) (Routing, error) {
	in := map[string]any{"mode": rt.Mode}
	if rt.Mode == "split" {
		in["primary_weight"] = rt.PrimaryWeight
	}
	var out Routing
	err := c.call(ctx, http.MethodPost, "/admin/route", in, &out)
	return out, err
}

// BreakerSettings are the breaker's settings; zero fields take the
// gateway's defaults.
type BreakerSettings struct {
	FailureThreshold   int
	RecoveryTimeout    time.Duration
	MaxRecoveryTimeout time.Duration
	HalfOpenProbes     int
}

// EnableBreaker turns the primary's circuit breaker on (the plan's Level 1
// call).
func (c *Client) EnableBreaker(ctx context.Context, s BreakerSettings) (map[string]any, error) {
	in := map[string]any{}
	putInt(in, "failure_threshold", s.FailureThreshold)
	putSeconds(in, "recovery_timeout", s.RecoveryTimeout)
	putSeconds(in, "max_recovery_timeout", s.MaxRecoveryTimeout)
	putInt(in, "half_open_probes", s.HalfOpenProbes)
	return c.component(ctx, "/admin/circuit-breaker/enable", in)
}

// DisableBreaker turns the breaker off.
func (c *Client) DisableBreaker(ctx context.Context) (map[string]any, error) {
	return c.component(ctx, "/admin/circuit-breaker/disable", nil)
}

// ResizeCache sets the most entries the cache holds (the plan's Level 1
// call).
func (c *Client) ResizeCache(ctx context.Context, maxSize int) (map[string]any, error) {
	return c.component(ctx, "/admin/cache/resize", map[string]any{"max_size": maxSize})
}

// AggressiveCache turns aggressive caching on with ttl (zero: the gateway's
// default) or off (the plan's Level 2 call).
func (c *Client) AggressiveCache(ctx context.Context, on bool, ttl time.Duration) (map[string]any, error) {
	in := map[string]any{"force_cache": on}
	if ttl > 0 {
		in["cache_ttl_seconds"] = int(ttl.Round(time.Second) / time.Second)
	}
	return c.component(ctx, "/admin/cache/aggressive", in)
}

// QueueSettings are the request queue's settings; zero fields take the
// gateway's defaults.
type QueueSettings struct {
	MaxQueueSize  int
	Timeout       time.Duration
	MaxConcurrent int
}

// EnableQueue turns the request queue on (the plan's Level 1 call).
func (c *Client) EnableQueue(ctx context.Context, s QueueSettings) (map[string]any, error) {
	in := map[string]any{}
	putInt(in, "max_queue_size", s.MaxQueueSize)
	putInt(in, "timeout_ms", int(s.Timeout.Milliseconds()))
	putInt(in, "max_concurrent", s.MaxConcurrent)
	return c.component(ctx, "/admin/queue/enable", in)
}

// DisableQueue turns the request queue off.
func (c *Client) DisableQueue(ctx context.Context) (map[string]any, error) {
	return c.component(ctx, "/admin/queue/disable", nil)
}

// Status returns GET /status: the gateway's whole state, including the
// escalation engine's under "escalation" when it runs.
func (c *Client) Status(ctx context.Context) (map[string]any, error) {
	raw, code, err := c.send(ctx, http.MethodGet, "/status", nil)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if code != http.StatusOK || json.Unmarshal(raw, &out) != nil || out == nil {
		return nil, notAPI(http.MethodGet, "/status", code, raw)
	}
	return out, nil
}

func (c *Client) component(ctx context.Context, path string, in map[string]any) (map[string]any, error) {
	var out map[string]any
	err := c.call(ctx, http.MethodPost, path, in, &out)
	return out, err
}

func putInt(m map[string]any, key string, v int) {
	if v != 0 {
		m[key] = v
	}
}

func putSeconds(m map[string]any, key string, d time.Duration) {
	if d != 0 {
		m[key] = d.Seconds()
	}
}
