package admin

import (
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/operation"
)

func (a *API) getBreaker(*http.Request) (any, error) {
	return breakerView(a.o.Gateway.Breaker()), nil
}

// enableBreaker is the plan's Level 1 call:
// {"failure_threshold": 5, "recovery_timeout": 30} (seconds).
func (a *API) enableBreaker(r *http.Request) (any, error) {
	p, err := params(r, a.o.MaxBodyBytes, operation.ParseBreaker)
	if err != nil {
		return nil, err
	}
	s, err := a.ops().EnableBreaker(p)
	if err != nil {
		return nil, bad("body", "%v", err)
	}
	a.changed(r, "circuit breaker enabled", map[string]any{"failure_threshold": s.FailureThreshold,
		"recovery_timeout": s.RecoveryTimeout.String()})
	return breakerView(a.o.Gateway.Breaker()), nil
}

func (a *API) disableBreaker(r *http.Request) (any, error) {
	return a.bodyless(r, "circuit breaker disabled", a.o.Gateway.DisableBreaker,
		func() any { return breakerView(nil) })
}

func (a *API) resetBreaker(r *http.Request) (any, error) {
	if err := decode(r, &struct{}{}, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	b := a.o.Gateway.Breaker()
	if b == nil {
		return nil, bad("breaker", "is disabled; enable it first")
	}
	b.Reset()
	a.changed(r, "circuit breaker reset", nil)
	return breakerView(b), nil
}
