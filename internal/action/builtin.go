package action

import (
	"context"
	"fmt"
	"maps"
)

// Builtin is a gateway operation run as an action, such as enabling the
// breaker. It must honour ctx: the Runner calls it on the caller's goroutine
// and cannot stop it otherwise. Params come from the Spec (a copy, so the
// built-in may keep it), as YAML decoded them; a built-in should refuse a
// parameter it does not know, and mark a refused one with ErrParam. The
// output is shown in the Result.
type Builtin func(ctx context.Context, params map[string]any) (output string, err error)

func (r *Runner) runBuiltin(ctx context.Context, s Spec) outcome {
	if err := r.checkBuiltin(s); err != nil {
		return outcome{err: err}
	}
	out, err := callBuiltin(ctx, r.builtins[s.Builtin], maps.Clone(s.Params))
	o := outcome{output: r.clip(out)}
	if err != nil {
		if stop := stopErr(ctx, s.timeout()); stop != nil {
			err = fmt.Errorf("%w: %w", stop, err)
		}
		o.err = fmt.Errorf("%w: %w", ErrBuiltin, err)
	}
	return o
}

// callBuiltin turns a panic into an error, so one broken built-in cannot
// take the escalation down with it.
func callBuiltin(ctx context.Context, fn Builtin, params map[string]any) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrPanic, p)
		}
	}()
	if params == nil {
		params = map[string]any{}
	}
	return fn(ctx, params)
}
