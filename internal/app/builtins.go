package app

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// builtins are the gateway operations the level engine's actions can call
// by name. Their parameters mirror the admin API's, so the plan's curl
// bodies can be pasted into the configuration.
func (a *App) builtins() map[string]action.Builtin {
	return map[string]action.Builtin{
		"enable_breaker":   a.builtinBreaker,
		"resize_cache":     a.builtinResize,
		"enable_queue":     a.builtinQueue,
		"aggressive_cache": a.builtinAggressive,
		"set_route":        a.builtinRoute,
		"restore_defaults": a.builtinDefaults,
		"export_config":    a.builtinExportConfig,
		"archive_events":   a.builtinArchiveEvents,
	}
}

func (a *App) builtinBreaker(_ context.Context, p map[string]any) (string, error) {
	if err := action.CheckKeys(p, "failure_threshold", "recovery_timeout", "max_recovery_timeout"); err != nil {
		return "", err
	}
	s := breakerSettings(a.cfg.Breaker)
	var err error
	if s.FailureThreshold, err = action.Int(p, "failure_threshold", s.FailureThreshold); err != nil {
		return "", err
	}
	if s.RecoveryTimeout, err = action.Duration(p, "recovery_timeout", s.RecoveryTimeout); err != nil {
		return "", err
	}
	if s.MaxRecoveryTimeout, err = action.Duration(p, "max_recovery_timeout", max(s.MaxRecoveryTimeout, s.RecoveryTimeout)); err != nil {
		return "", err
	}
	if err := a.gateway.EnableBreaker(s); err != nil {
		return "", err
	}
	return fmt.Sprintf("breaker on: %d failures, open %s", s.FailureThreshold, s.RecoveryTimeout), nil
}

func (a *App) builtinResize(_ context.Context, p map[string]any) (string, error) {
	if err := action.CheckKeys(p, "max_size"); err != nil {
		return "", err
	}
	n, err := action.Int(p, "max_size", 0)
	if err != nil || n < 1 {
		return "", fmt.Errorf("max_size: want a positive number (%v)", err)
	}
	a.gateway.CacheStore().Resize(n)
	return fmt.Sprintf("cache max_size %d", n), nil
}

func (a *App) builtinQueue(_ context.Context, p map[string]any) (string, error) {
	if err := action.CheckKeys(p, "max_queue_size", "timeout_ms", "max_concurrent"); err != nil {
		return "", err
	}
	s := queueSettings(a.cfg.Queue)
	var err error
	if s.MaxQueueSize, err = action.Int(p, "max_queue_size", s.MaxQueueSize); err != nil {
		return "", err
	}
	ms, err := action.Int(p, "timeout_ms", int(s.Timeout/time.Millisecond))
	if err != nil {
		return "", err
	}
	s.Timeout = time.Duration(ms) * time.Millisecond
	if s.MaxConcurrent, err = action.Int(p, "max_concurrent", s.MaxConcurrent); err != nil {
		return "", err
	}
	if err := a.gateway.EnableQueue(s); err != nil {
		return "", err
	}
	return fmt.Sprintf("queue on: %d waiting at most %s", s.MaxQueueSize, s.Timeout), nil
}

func (a *App) builtinAggressive(_ context.Context, p map[string]any) (string, error) {
	if err := action.CheckKeys(p, "cache_ttl_seconds", "force_cache"); err != nil {
		return "", err
	}
	secs, err := action.Int(p, "cache_ttl_seconds", int(a.cfg.Cache.AggressiveTTL/time.Second))
	if err != nil {
		return "", err
	}
	on, err := action.Bool(p, "force_cache", true)
	if err != nil {
		return "", err
	}
	a.gateway.SetAggressiveCache(on, time.Duration(secs)*time.Second)
	if on {
		a.gateway.EnableCache()
	}
	return fmt.Sprintf("aggressive cache %v, ttl %ds", on, secs), nil
}

func (a *App) builtinRoute(_ context.Context, p map[string]any) (string, error) {
	if err := action.CheckKeys(p, "mode", "primary_weight"); err != nil {
		return "", err
	}
	name, err := action.String(p, "mode", "")
	if err != nil {
		return "", err
	}
	mode, err := proxy.ParseMode(name)
	if err != nil {
		return "", err
	}
	w, err := action.Int(p, "primary_weight", 100)
	if err != nil {
		return "", err
	}
	return "routing " + mode.String(), a.gateway.SetRouting(proxy.Routing{Mode: mode, PrimaryWeight: w})
}

// builtinDefaults puts breaker, cache and queue back as the configuration
// has them, undoing the Level 1 and Level 2 changes on return to Level 0.
func (a *App) builtinDefaults(context.Context, map[string]any) (string, error) {
	c := a.cfg
	a.gateway.DisableBreaker()
	if c.Breaker.Enabled {
		if err := a.gateway.EnableBreaker(breakerSettings(c.Breaker)); err != nil {
			return "", err
		}
	}
	a.gateway.DisableQueue()
	if c.Queue.Enabled {
		if err := a.gateway.EnableQueue(queueSettings(c.Queue)); err != nil {
			return "", err
		}
	}
	a.gateway.CacheStore().Resize(c.Cache.MaxEntries)
	a.gateway.SetAggressiveCache(c.Cache.Aggressive, c.Cache.AggressiveTTL)
	if !c.Cache.Enabled {
		a.gateway.DisableCache()
	}
	return "breaker, cache and queue back to their configured settings", nil
}
