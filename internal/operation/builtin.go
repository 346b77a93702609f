package operation

import (
	"context"
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// Builtin is an operation as the escalation runs it: loose parameters in,
// a line for the action's result out. Its type matches action.Builtin, so
// the wiring can register it without this package knowing the runner.
type Builtin = func(ctx context.Context, params map[string]any) (output string, err error)

// Builtins are the operations the level engine's actions can call by name,
// with the admin API's parameters, so the plan's curl bodies can be pasted
// into the configuration.
func (o Ops) Builtins() map[string]Builtin {
	return map[string]Builtin{
		"enable_breaker":   builtin(ParseBreaker, o.enableBreaker),
		"resize_cache":     builtin(ParseResize, o.resize),
		"enable_queue":     builtin(ParseQueue, o.enableQueue),
		"aggressive_cache": builtin(ParseAggressive, o.aggressive),
		"set_route":        builtin(ParseRoute, o.setRoute),
	}
}

// builtin joins an operation's parser to the step that applies it.
func builtin[P any](parse func(map[string]any) (P, error), apply func(P) (string, error)) Builtin {
	return func(_ context.Context, params map[string]any) (string, error) {
		p, err := parse(params)
		if err != nil {
			return "", err
		}
		return apply(p)
	}
}

func (o Ops) enableBreaker(p Breaker) (string, error) {
	s, err := o.EnableBreaker(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("breaker on: %d failures, open %s", s.FailureThreshold, s.RecoveryTimeout), nil
}

func (o Ops) resize(p Resize) (string, error) {
	o.Resize(p)
	if p.MaxSize == nil {
		return fmt.Sprintf("cache max_bytes %d", *p.MaxBytes), nil
	}
	return fmt.Sprintf("cache max_size %d", *p.MaxSize), nil
}

func (o Ops) enableQueue(p Queue) (string, error) {
	s, err := o.EnableQueue(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("queue on: %d waiting at most %s", s.MaxQueueSize, s.Timeout), nil
}

func (o Ops) aggressive(p Aggressive) (string, error) {
	on, ttl := o.SetAggressive(p)
	return fmt.Sprintf("aggressive cache %v, ttl %ds", on, int(ttl.Seconds())), nil
}

func (o Ops) setRoute(rt proxy.Routing) (string, error) {
	return "routing " + rt.Mode.String(), o.SetRoute(rt)
}
