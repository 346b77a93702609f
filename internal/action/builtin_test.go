package action

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
)

// enableBreaker mimics the level engine's built-in: it reads its
// parameters with the operation package and rejects unknown ones.
func enableBreaker(ctx context.Context, p map[string]any) (string, error) {
	b, err := operation.ParseBreaker(p)
	if err != nil {
		return "", err
	}
	s := b.Settings(breaker.Settings{FailureThreshold: 5, RecoveryTimeout: 60 * time.Second})
	return fmt.Sprintf("breaker on: threshold %d, recovery %s", s.FailureThreshold, s.RecoveryTimeout), nil
}

func builtinRunner(extra map[string]Builtin) *Runner {
	b := map[string]Builtin{"enable_breaker": enableBreaker}
	for k, v := range extra {
		b[k] = v
	}
	return newTestRunner(Options{Builtins: b})
}

func builtinSpec(name string, params map[string]any) Spec {
	return Spec{Name: "b", Type: TypeBuiltin, Builtin: name, Params: params}
}

func TestBuiltinWithParams(t *testing.T) {
	r := builtinRunner(nil)
	res := r.Run(context.Background(), builtinSpec("enable_breaker", map[string]any{"failure_threshold": 3, "recovery_timeout": "30s"}), testContext())
	wantOK(t, res)
	if res.Output != "breaker on: threshold 3, recovery 30s" {
		t.Fatalf("Output = %q", res.Output)
	}
	res = r.Run(context.Background(), builtinSpec("enable_breaker", nil), testContext())
	if res.Output != "breaker on: threshold 5, recovery 1m0s" {
		t.Fatalf("defaults: Output = %q", res.Output)
	}
}

func TestBuiltinParamErrorsNameTheKey(t *testing.T) {
	r := builtinRunner(nil)
	cases := map[string]map[string]any{
		"failure_threshold: must be a whole number":     {"failure_threshold": "three"},
		"recovery_timeout: must be a number of seconds": {"recovery_timeout": "soon"},
		"failure_treshold: unknown field":               {"failure_treshold": 3},
	}
	for want, params := range cases {
		res := r.Run(context.Background(), builtinSpec("enable_breaker", params), testContext())
		wantFail(t, res, want)
		wantFail(t, res, ErrBuiltin.Error())
	}
}

func TestBuiltinUnknown(t *testing.T) {
	res := builtinRunner(nil).Run(context.Background(), builtinSpec("resize_cache", nil), testContext())
	wantFail(t, res, `unknown built-in "resize_cache" (registered: [enable_breaker])`)
}

func TestBuiltinPanicIsRecorded(t *testing.T) {
	r := builtinRunner(map[string]Builtin{"boom": func(context.Context, map[string]any) (string, error) {
		panic("nil map somewhere")
	}})
	res := r.Run(context.Background(), builtinSpec("boom", nil), testContext())
	wantFail(t, res, "action: panic: nil map somewhere")
}

func TestBuiltinTimeout(t *testing.T) {
	r := builtinRunner(map[string]Builtin{"slow": func(ctx context.Context, _ map[string]any) (string, error) {
		<-ctx.Done()
		return "gave up", ctx.Err()
	}})
	s := builtinSpec("slow", nil)
	s.Timeout = 50 * time.Millisecond
	res := r.Run(context.Background(), s, testContext())
	wantFail(t, res, "timed out after 50ms")
	if res.Output != "gave up" {
		t.Fatalf("Output = %q, want the built-in's output kept", res.Output)
	}
}

func TestBuiltinGetsACopyOfParams(t *testing.T) {
	r := builtinRunner(map[string]Builtin{"mutate": func(_ context.Context, p map[string]any) (string, error) {
		p["max_size"] = 1
		return "", errors.New("refused")
	}})
	s := builtinSpec("mutate", map[string]any{"max_size": 2000})
	res := r.Run(context.Background(), s, testContext())
	wantFail(t, res, "built-in failed: refused")
	if s.Params["max_size"] != 2000 {
		t.Fatalf("the Spec's params were changed: %v", s.Params)
	}
}
