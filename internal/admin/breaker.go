package admin

import (
	"net/http"
)

type breakerRequest struct {
	FailureThreshold   *int     `json:"failure_threshold"`
	RecoveryTimeout    *float64 `json:"recovery_timeout"`
	MaxRecoveryTimeout *float64 `json:"max_recovery_timeout"`
	HalfOpenProbes     *int     `json:"half_open_probes"`
}

func (a *API) getBreaker(*http.Request) (any, error) {
	return breakerView(a.o.Gateway.Breaker()), nil
}

// enableBreaker is the plan's Level 1 call:
// {"failure_threshold": 5, "recovery_timeout": 30} (seconds).
func (a *API) enableBreaker(r *http.Request) (any, error) {
	var in breakerRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if err := firstErr(
		intIn("failure_threshold", in.FailureThreshold, 1, maxThreshold),
		secondsIn("recovery_timeout", in.RecoveryTimeout, 0.001, maxSeconds),
		secondsIn("max_recovery_timeout", in.MaxRecoveryTimeout, 0.001, maxSeconds),
		intIn("half_open_probes", in.HalfOpenProbes, 1, 1000),
	); err != nil {
		return nil, err
	}
	s := a.o.Defaults.Breaker
	if in.FailureThreshold != nil {
		s.FailureThreshold = *in.FailureThreshold
	}
	if in.RecoveryTimeout != nil {
		s.RecoveryTimeout = seconds(*in.RecoveryTimeout)
	}
	if in.MaxRecoveryTimeout != nil {
		s.MaxRecoveryTimeout = seconds(*in.MaxRecoveryTimeout)
	}
	if in.HalfOpenProbes != nil {
		s.HalfOpenProbes = *in.HalfOpenProbes
	}
	if s.MaxRecoveryTimeout < s.RecoveryTimeout {
		s.MaxRecoveryTimeout = s.RecoveryTimeout
	}
	if err := a.o.Gateway.EnableBreaker(s); err != nil {
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
