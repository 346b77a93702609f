package action

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"time"
)

// Options configure a Runner.
type Options struct {
	// Builtins are the built-in actions by name. Default none: every
	// builtin action then fails with ErrUnknownBuiltin.
	Builtins map[string]Builtin
	// Client sends HTTP actions. Default: a client with dial and TLS
	// handshake timeouts; each request is also bounded by its action's
	// Timeout.
	Client *http.Client
	// Environ is the base environment of commands, before Spec.Env and the
	// LIFEBOAT_* context variables. Default os.Environ(), read by NewRunner.
	Environ []string
	// Redact lists secret values (tokens, passwords) replaced by
	// "<redacted>" in every Output and Error. Default none.
	Redact []string
	// Now tells the time for Result.Started, Duration and {{.Timestamp}}.
	// Default time.Now.
	Now func() time.Time
}

// Runner runs actions. It holds no live state besides its HTTP client's
// idle connections, and is safe for concurrent use.
type Runner struct {
	builtins map[string]Builtin
	client   *http.Client
	environ  []string
	redact   redactor
	now      func() time.Time
}

// NewRunner returns a Runner with o's zero fields set to their defaults.
func NewRunner(o Options) *Runner {
	r := &Runner{
		builtins: maps.Clone(o.Builtins),
		client:   o.Client,
		environ:  slices.Clone(o.Environ),
		redact:   newRedactor(o.Redact),
		now:      o.Now,
	}
	if r.client == nil {
		r.client = defaultClient()
	}
	if o.Environ == nil {
		r.environ = os.Environ()
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// Close releases the HTTP client's idle connections. The Runner remains
// usable; Close is safe to call more than once.
func (r *Runner) Close() { r.client.CloseIdleConnections() }

// Check validates specs as ValidateList does and also reports builtin
// actions naming no registered built-in, so configuration mistakes are
// found at load time rather than during an incident.
func (r *Runner) Check(specs []Spec) error {
	errs := []error{ValidateList(specs)}
	for _, s := range specs {
		if s.Type != TypeBuiltin || s.Builtin == "" {
			continue
		}
		if err := r.checkBuiltin(s); err != nil {
			errs = append(errs, fieldError(s.Name, "builtin", "%s", err.Error()))
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) checkBuiltin(s Spec) error {
	if _, ok := r.builtins[s.Builtin]; !ok {
		return fmt.Errorf("%w %q (registered: %v)", ErrUnknownBuiltin, s.Builtin, slices.Sorted(maps.Keys(r.builtins)))
	}
	return nil
}

// RunAll runs specs in order and returns one Result per Spec. A failure does
// not stop the rest; if ctx ends, the remaining actions are still recorded,
// each failing with ErrCanceled.
func (r *Runner) RunAll(ctx context.Context, specs []Spec, c Context) []Result {
	results := make([]Result, 0, len(specs))
	for _, s := range specs {
		results = append(results, r.Run(ctx, s, c))
	}
	return results
}

// Run runs one action within its Timeout and records what happened. It
// never panics. An invalid Spec fails without running. With c.DryRun set it
// runs nothing and returns OK with Output describing what would run.
func (r *Runner) Run(ctx context.Context, s Spec, c Context) (res Result) {
	start := r.now()
	res = Result{Name: s.Name, Type: s.Type, Started: start, DryRun: c.DryRun}
	defer func() {
		if p := recover(); p != nil {
			res.OK, res.Error = false, r.redact.apply(fmt.Sprintf("%v: %v", ErrPanic, p))
		}
		res.Duration = r.now().Sub(start)
	}()
	o := r.dispatch(ctx, s, newTemplateData(s.Name, c, start))
	res.Output, res.ExitCode, res.HTTPStatus = o.output, o.exitCode, o.status
	res.OK = o.err == nil
	if o.err != nil {
		res.Error = r.redact.apply(o.err.Error())
	}
	return res
}

func (r *Runner) dispatch(ctx context.Context, s Spec, d templateData) outcome {
	if err := s.Validate(); err != nil {
		return outcome{err: err}
	}
	if d.DryRun {
		return r.dryRun(s, d)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, s.timeout(), ErrTimeout)
	defer cancel()
	switch s.Type {
	case TypeCommand:
		return r.runCommand(ctx, s, d)
	case TypeHTTP:
		return r.runHTTP(ctx, s, d)
	default:
		return r.runBuiltin(ctx, s)
	}
}

// clip truncates and redacts output that did not come through a capture.
func (r *Runner) clip(s string) string {
	c := newCapture(r.redact.keep())
	c.Write([]byte(s))
	return c.text(r.redact)
}
