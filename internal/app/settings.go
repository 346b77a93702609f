package app

import (
	"cmp"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
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

func queueSettings(c config.Queue) queue.Settings {
	return queue.Settings{MaxConcurrent: c.MaxConcurrent, MaxQueueSize: c.MaxQueueSize, Timeout: c.Timeout}
}

func transportSettings(c config.Transport) proxy.TransportSettings {
	return proxy.TransportSettings{
		DialTimeout:           c.DialTimeout,
		ResponseHeaderTimeout: c.ResponseHeaderTimeout,
		MaxIdleConnsPerHost:   c.MaxIdleConnsPerHost,
		IdleConnTimeout:       c.IdleConnTimeout,
		MaxConnsPerHost:       cmp.Or(c.MaxConnsPerHost, -1), // config's 0 is "no cap"
	}
}
