package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
)

// builtins are the gateway operations the level engine's actions can call
// by name. The operations are the admin API's, parsed by the same code, so
// the plan's curl bodies can be pasted into the configuration; the
// preservation and restore built-ins are the app's own.
func (a *App) builtins() map[string]action.Builtin {
	out := map[string]action.Builtin{
		"restore_defaults": a.builtinDefaults,
		"export_config":    a.builtinExportConfig,
		"archive_events":   a.builtinArchiveEvents,
	}
	for name, op := range a.operations().Builtins() {
		out[name] = paramErrors(op)
	}
	return out
}

// operations are the gateway's operations with the configured settings as
// their defaults, the same defaults the admin API fills in.
func (a *App) operations() operation.Ops {
	c := a.cfg
	return operation.Ops{Gateway: a.gateway, Defaults: operation.Defaults{Breaker: breakerSettings(c.Breaker),
		Queue: queueSettings(c.Queue), AggressiveTTL: c.Cache.AggressiveTTL}}
}

// paramErrors marks a refused parameter with action.ErrParam, as the
// runner's callers test for.
func paramErrors(op operation.Builtin) action.Builtin {
	return func(ctx context.Context, params map[string]any) (string, error) {
		out, err := op(ctx, params)
		if errors.Is(err, operation.ErrInvalid) {
			err = fmt.Errorf("%w: %w", action.ErrParam, err)
		}
		return out, err
	}
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
