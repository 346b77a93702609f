package escalation

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
// preservation and restore built-ins are the escalation's own.
func (e *Escalation) builtins() map[string]action.Builtin {
	out := map[string]action.Builtin{
		"restore_defaults": e.builtinDefaults,
		"export_config":    e.builtinExportConfig,
		"archive_events":   e.builtinArchiveEvents,
	}
	for name, op := range e.d.Ops.Builtins() {
		out[name] = paramErrors(op)
	}
	return out
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
func (e *Escalation) builtinDefaults(context.Context, map[string]any) (string, error) {
	c, g, def := e.cfg, e.d.Gateway, e.d.Ops.Defaults
	g.DisableBreaker()
	if c.Breaker.Enabled {
		if err := g.EnableBreaker(def.Breaker); err != nil {
			return "", err
		}
	}
	g.DisableQueue()
	if c.Queue.Enabled {
		if err := g.EnableQueue(def.Queue); err != nil {
			return "", err
		}
	}
	g.CacheStore().Resize(c.Cache.MaxEntries)
	g.SetAggressiveCache(c.Cache.Aggressive, c.Cache.AggressiveTTL)
	if !c.Cache.Enabled {
		g.DisableCache()
	}
	return "breaker, cache and queue back to their configured settings", nil
}
