package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/field"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// The admin calls and the built-in actions are one set of operations: the
// same parameters are accepted or refused by both, a refusal names the
// same field, and an accepted call leaves both gateways alike. They once
// drifted: the built-in refused half_open_probes and checked no ranges.
func TestAdminAndBuiltinsAgree(t *testing.T) {
	cases := []struct {
		path, builtin, body string
		field               string // "" when accepted
	}{
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"failure_threshold": 5, "recovery_timeout": 30}`, ""},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"half_open_probes": 3}`, ""},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"half_open_probes": 0}`, "half_open_probes"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"half_open_probes": 1001}`, "half_open_probes"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"failure_threshold": -1}`, "failure_threshold"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"failure_threshold": 10001}`, "failure_threshold"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"recovery_timeout": 1e12}`, "recovery_timeout"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"recovery_timeout": 0}`, "recovery_timeout"},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"recovery_timeout": "45s", "max_recovery_timeout": 10}`, ""},
		{"/admin/circuit-breaker/enable", "enable_breaker", `{"failure_treshold": 5}`, "failure_treshold"},
		{"/admin/cache/resize", "resize_cache", `{"max_size": 2000}`, ""},
		{"/admin/cache/resize", "resize_cache", `{"max_bytes": 4096}`, ""},
		{"/admin/cache/resize", "resize_cache", `{"max_size": 0}`, "max_size"},
		{"/admin/cache/resize", "resize_cache", `{"max_size": 99999999999}`, "max_size"},
		{"/admin/cache/resize", "resize_cache", `{"max_bytes": 10}`, "max_bytes"},
		{"/admin/cache/resize", "resize_cache", `{}`, "max_size"},
		{"/admin/queue/enable", "enable_queue", `{"max_queue_size": 1000, "timeout_ms": 30000}`, ""},
		{"/admin/queue/enable", "enable_queue", `{"max_concurrent": 0}`, "max_concurrent"},
		{"/admin/queue/enable", "enable_queue", `{"timeout_ms": 3600001}`, "timeout_ms"},
		{"/admin/queue/enable", "enable_queue", `{"max_queue_size": true}`, "max_queue_size"},
		{"/admin/cache/aggressive", "aggressive_cache", `{"cache_ttl_seconds": 3600, "force_cache": true}`, ""},
		{"/admin/cache/aggressive", "aggressive_cache", `{"force_cache": false}`, ""},
		{"/admin/cache/aggressive", "aggressive_cache", `{"cache_ttl_seconds": 0}`, "cache_ttl_seconds"},
		{"/admin/cache/aggressive", "aggressive_cache", `{"force_cache": "yes"}`, "force_cache"},
		{"/admin/route", "set_route", `{"mode": "split", "primary_weight": 25}`, ""},
		{"/admin/route", "set_route", `{"mode": "backup"}`, ""},
		{"/admin/route", "set_route", `{"mode": "split", "primary_weight": 101}`, "primary_weight"},
		{"/admin/route", "set_route", `{"mode": "backup", "primary_weight": 50}`, "primary_weight"},
		{"/admin/route", "set_route", `{"mode": "split"}`, "primary_weight"},
		{"/admin/route", "set_route", `{"mode": "sideways"}`, "mode"},
		{"/admin/route", "set_route", `{}`, "mode"},
	}
	for _, c := range cases {
		srv, viaAdmin, _ := newAPI(t, "")
		code, out := call(t, srv, "POST", c.path, jsonCT, c.body)
		adminField := ""
		if code != 200 {
			e, _ := out["error"].(map[string]any)
			adminField, _ = e["field"].(string)
		}
		viaBuiltin, _ := newGateway(t)
		builtinField := runBuiltin(t, viaBuiltin, c.builtin, c.body)
		if adminField != c.field || builtinField != c.field {
			t.Errorf("%s %s: admin refused %q, built-in %q; want %q", c.builtin, c.body, adminField, builtinField, c.field)
		}
		if a, b := gatewayState(viaAdmin), gatewayState(viaBuiltin); !reflect.DeepEqual(a, b) {
			t.Errorf("%s %s: gateways differ:\n admin    %+v\n built-in %+v", c.builtin, c.body, a, b)
		}
	}
}

// runBuiltin runs a built-in over gw with the admin tests' defaults and
// returns the field it refused, or "".
func runBuiltin(t *testing.T, gw *proxy.Gateway, name, body string) string {
	t.Helper()
	var params map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		t.Fatal(err)
	}
	ops := operation.Ops{Gateway: gw, Defaults: testOptions(gw, "", event.NewRing(1)).Defaults}
	_, err := ops.Builtins()[name](context.Background(), params)
	var fe *field.Error
	if errors.As(err, &fe) {
		return fe.Field
	}
	if err != nil {
		t.Fatalf("%s %s: %v", name, body, err)
	}
	return ""
}

// fullState is what the admin tests' state snapshot leaves out.
type fullState struct {
	state
	breaker  breaker.Settings // without Rand, which is never compared
	maxBytes int64
	ttlNanos int64
	routing  proxy.Routing
}

func gatewayState(gw *proxy.Gateway) fullState {
	s := fullState{state: snapshotState(gw), routing: gw.Routing()}
	if b := gw.Breaker(); b != nil {
		s.breaker = b.Snapshot().Settings
		s.breaker.Rand = nil
	}
	cs := gw.CacheStore().Snapshot()
	s.maxBytes, s.ttlNanos = cs.MaxBytes, int64(cs.AggressiveTTL)
	return s
}
