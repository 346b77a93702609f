package operation

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
)

// Breaker is enable_breaker's parameters, the plan's Level 1 call
// {"failure_threshold": 5, "recovery_timeout": 30}. A nil field keeps the
// configured value.
type Breaker struct {
	FailureThreshold   *int
	RecoveryTimeout    *time.Duration
	MaxRecoveryTimeout *time.Duration
	HalfOpenProbes     *int
}

// ParseBreaker reads and range-checks enable_breaker's parameters.
// Timeouts are seconds or duration strings.
func ParseBreaker(params map[string]any) (Breaker, error) {
	r := read(params, "failure_threshold", "recovery_timeout", "max_recovery_timeout", "half_open_probes")
	p := Breaker{
		FailureThreshold:   r.intIn("failure_threshold", 1, maxThreshold),
		RecoveryTimeout:    r.seconds("recovery_timeout", minSeconds, maxSeconds),
		MaxRecoveryTimeout: r.seconds("max_recovery_timeout", minSeconds, maxSeconds),
		HalfOpenProbes:     r.intIn("half_open_probes", 1, maxProbes),
	}
	return p, r.err
}

// Settings lays p over def. The longest recovery timeout is raised to the
// recovery timeout when it would be shorter, so a call that only lengthens
// the recovery timeout is not refused over the configured maximum.
func (p Breaker) Settings(def breaker.Settings) breaker.Settings {
	s := def
	set(&s.FailureThreshold, p.FailureThreshold)
	set(&s.RecoveryTimeout, p.RecoveryTimeout)
	set(&s.MaxRecoveryTimeout, p.MaxRecoveryTimeout)
	set(&s.HalfOpenProbes, p.HalfOpenProbes)
	s.MaxRecoveryTimeout = max(s.MaxRecoveryTimeout, s.RecoveryTimeout)
	return s
}

// EnableBreaker turns the breaker on with p over the defaults and returns
// the settings applied.
func (o Ops) EnableBreaker(p Breaker) (breaker.Settings, error) {
	s := p.Settings(o.Defaults.Breaker)
	return s, o.Gateway.EnableBreaker(s)
}

// set overwrites *dst when v is given.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
