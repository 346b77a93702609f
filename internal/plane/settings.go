package plane

import (
	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// These functions translate the file's configuration into each engine's
// settings, so the engines never depend on the config package.

func breakerSettings(c config.Breaker) breaker.Settings {
	return breaker.Settings{
		FailureThreshold:   c.FailureThreshold,
		RecoveryTimeout:    c.RecoveryTimeout,
		MaxRecoveryTimeout: max(c.MaxRecoveryTimeout, c.RecoveryTimeout),
		HalfOpenProbes:     c.HalfOpenProbes,
	}
}

// Operations are the gateway's operations with the configured settings
// as their defaults, the same defaults the admin API fills in and the
// built-in actions restore.
func (p *Plane) Operations() operation.Ops {
	c := p.cfg
	return operation.Ops{Gateway: p.Gateway, Defaults: operation.Defaults{Breaker: breakerSettings(c.Breaker),
		Queue: queueSettings(c.Queue), AggressiveTTL: c.Cache.AggressiveTTL}}
}

func queueSettings(c config.Queue) queue.Settings {
	return queue.Settings{MaxConcurrent: c.MaxConcurrent, MaxQueueSize: c.MaxQueueSize, Timeout: c.Timeout}
}
