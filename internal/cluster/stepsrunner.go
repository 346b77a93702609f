package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// StepUnrecorded is the kind of event a StepRunner emits when an action
// ran but its outcome could not be recorded: a later decider will find the
// step open and report it as interrupted rather than run it again.
const StepUnrecorded = "cluster.step_unrecorded"

// ErrInterrupted is the error of a result a StepRunner reports for an
// external action that a previous decider began and never finished: it
// may have happened, so it is not run again.
var ErrInterrupted = errors.New("interrupted by decider change; not repeated")

// StepRunner runs a level's actions at most once per incident across
// deciders, through the step log. Each action is a step keyed by its
// incident, level change, restore step and name (StepKey):
//
//   - a step with an outcome is skipped and its recorded result returned;
//   - a new step's intent is recorded (fenced) before the action runs and
//     its outcome after, so only the decider runs it;
//   - a step with an intent and no outcome was begun by a decider that
//     died: an external action (command, http) may have happened and is
//     not repeated but reported with ErrInterrupted, so the timeline shows
//     it.
//
// Built-in actions bypass the log and always run, on any replica: they
// change this replica's gateway, which a new decider does not share with
// the old one, and they are idempotent. Dry runs bypass it too, since
// they run nothing. External actions outside any incident run on the
// decider without the log: there is no incident to key them by.
type StepRunner struct {
	m       *Member
	next    level.ActionRunner
	settled Settle
}

// Settle names the incident an action is about once it is recorded and
// published (Mirror.Settled is one); closing is true for a return to L0,
// whose actions belong to the incident it closed.
type Settle func(ctx context.Context, closing bool) (string, error)

var _ level.ActionRunner = (*StepRunner)(nil)

// NewStepRunner wraps next. settled names the incident when an action's
// context does not, after it is recorded and published, so an incident's
// first actions never run before the incident and the level change that
// opened it are in etcd; nil means contexts always name it. Actions
// outside any incident run without the log.
func NewStepRunner(m *Member, next level.ActionRunner, settled Settle) *StepRunner {
	return &StepRunner{m: m, next: next, settled: settled}
}

// StepKey names the step of the action called name in context c: the
// level change, then the restore step if c is one, then the name.
func StepKey(c action.Context, name string) string {
	parts := []string{c.PreviousLevel + ">" + c.Level}
	if s := c.Extra[level.ExtraRestoreStep]; s != "" {
		parts = append(parts, "restore "+s)
	}
	return strings.Join(append(parts, name), "/")
}

// RunAll runs specs in order, each at most once per incident, and returns
// one result per spec. On a replica that does not decide, or when the
// step log cannot be read, no external action runs and its result says
// why.
func (r *StepRunner) RunAll(ctx context.Context, specs []action.Spec, c action.Context) []action.Result {
	if c.DryRun || len(specs) == 0 {
		return r.next.RunAll(ctx, specs, c)
	}
	inc, steps, err := r.log(ctx, specs, c)
	out := make([]action.Result, 0, len(specs))
	for _, s := range specs {
		switch {
		case s.Type == action.TypeBuiltin:
			out = append(out, r.run(ctx, s, c))
		case err != nil:
			out = append(out, notRun(s, err))
		case inc == "":
			out = append(out, r.run(ctx, s, c))
		default:
			out = append(out, r.step(ctx, inc, steps, s, c))
		}
	}
	return out
}

// log names the incident of c and reads its step log when specs hold an
// external action, and refuses them on a replica that does not decide or
// whose incident is not recorded and published.
func (r *StepRunner) log(ctx context.Context, specs []action.Spec, c action.Context) (string, Steps, error) {
	if !slices.ContainsFunc(specs, func(s action.Spec) bool { return s.Type != action.TypeBuiltin }) {
		return "", nil, nil
	}
	if !r.m.IsDecider() {
		return "", nil, ErrNotDecider
	}
	inc, err := r.incident(ctx, c)
	if err != nil || inc == "" {
		return "", nil, err
	}
	steps, err := r.m.Steps(ctx, inc)
	return inc, steps, err
}

// step runs one external action through the log.
func (r *StepRunner) step(ctx context.Context, inc string, steps Steps, s action.Spec, c action.Context) action.Result {
	key := StepKey(c, s.Name)
	if st, ok := steps.Find(key); ok {
		return r.resume(ctx, inc, st, s)
	}
	err := r.m.Intent(ctx, inc, key, intentOf(s, c))
	if errors.Is(err, ErrStepRecorded) {
		// Recorded since we read the log: read it again and obey it.
		if again, rerr := r.m.Steps(ctx, inc); rerr == nil {
			if st, ok := again.Find(key); ok {
				return r.resume(ctx, inc, st, s)
			}
		}
	}
	if err != nil {
		return notRun(s, err)
	}
	return r.finish(ctx, inc, key, r.run(ctx, s, c))
}

// resume handles a step some decider recorded: done, or begun and lost.
func (r *StepRunner) resume(ctx context.Context, inc string, st Step, s action.Spec) action.Result {
	if st.Outcome != nil {
		var res action.Result
		if json.Unmarshal(st.Outcome.Detail, &res) == nil {
			return res
		}
		return action.Result{Name: s.Name, Type: s.Type, Started: st.Intent.At, OK: true,
			Output: "done by " + st.Outcome.By + "; its result is unreadable"}
	}
	res := notRun(s, fmt.Errorf("%w (begun by %s at %s)", ErrInterrupted, st.Intent.By, st.Intent.At.Format(time.RFC3339)))
	return r.finish(ctx, inc, st.Key, res)
}

// finish records res as the step's outcome. A failure to record is told
// as an event; the result stands.
func (r *StepRunner) finish(ctx context.Context, inc, key string, res action.Result) action.Result {
	doc, err := json.Marshal(res)
	if err == nil {
		err = r.m.Outcome(ctx, inc, key, doc)
	}
	if err != nil {
		r.m.emit(StepUnrecorded, event.Warning, fmt.Sprintf("step %s of %s: outcome not recorded: %v", key, inc, err))
	}
	return res
}

func (r *StepRunner) run(ctx context.Context, s action.Spec, c action.Context) action.Result {
	return r.next.RunAll(ctx, []action.Spec{s}, c)[0]
}

// incident is the incident c belongs to, recorded and published, ""
// when there is none.
func (r *StepRunner) incident(ctx context.Context, c action.Context) (string, error) {
	if c.Incident != "" || r.settled == nil {
		return c.Incident, nil
	}
	return r.settled(ctx, c.Level == "L0" && c.PreviousLevel != "L0")
}

// intentOf notes what is about to run, for whoever reads the log.
func intentOf(s action.Spec, c action.Context) []byte {
	doc, _ := json.Marshal(struct { // Strings only: it always encodes.
		Type   action.Type `json:"type"`
		Reason string      `json:"reason,omitempty"`
	}{s.Type, c.Reason})
	return doc
}

// notRun is the result of an action that was not run because of err.
func notRun(s action.Spec, err error) action.Result {
	return action.Result{Name: s.Name, Type: s.Type, Started: time.Now(), Error: err.Error()}
}
