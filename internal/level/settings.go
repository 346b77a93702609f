package level

import (
	"errors"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
)

// Errors of this package.
var (
	// ErrBadLevel is an unknown level name.
	ErrBadLevel = errors.New("level: unknown level")
	// ErrSettings marks invalid Settings.
	ErrSettings = errors.New("level: invalid settings")
	// ErrState means a command does not apply in the current state, such as
	// starting a restore while not on the fallback.
	ErrState = errors.New("level: not possible now")
)

// Settings configure the engine. Zero durations take the plan's defaults.
type Settings struct {
	// Evaluate is how often triggers are evaluated. Default 500ms.
	Evaluate time.Duration
	// L1Window is how long an issue may last at L1 before L2. Default 5m.
	L1Window time.Duration
	// L3After is how long an issue may last since it began before L3.
	// Default 15m.
	L3After time.Duration
	// Settle is how long L1 or L2 must be free of firing triggers before
	// the engine returns to L0. Default 2m.
	Settle time.Duration
	// L2Scale multiplies scalable thresholds at L2 (the plan lowers alert
	// thresholds by 50%). Default 0.5.
	L2Scale float64
	// Actions run on entering each level; Normal runs on returning to L0.
	Actions Actions
	// Restore is the staged return to the primary after L3.
	Restore Restore
	// StartPeriod is how long after the first evaluation a primary that
	// has not yet been seen healthy is left alone (see start.go). It
	// applies only with Options.PrimaryUp. Default 0: none.
	StartPeriod time.Duration
	// DryRun evaluates and records every decision without moving traffic
	// or running actions. Default false.
	DryRun bool
}

// Actions are the actions of each level.
type Actions struct {
	L1, L2, L3, Normal []action.Spec
}

// For returns the actions run on entering l.
func (a Actions) For(l Level) []action.Spec {
	switch l {
	case L1:
		return a.L1
	case L2:
		return a.L2
	case L3:
		return a.L3
	}
	return a.Normal
}

// Restore configures the staged re-deployment.
type Restore struct {
	// HoldDown is how long the primary must stay healthy before traffic
	// steps back. Default 2m.
	HoldDown time.Duration
	// RequireAck makes a person approve the restore after the hold-down.
	// Default false.
	RequireAck bool
	// Steps are the traffic steps. Default 10, 25, 50, 75, 100 % held 60s each.
	Steps []Step
}

// Step is one stage of the restore. Its YAML and JSON names are those of
// the configuration file's escalation.restore.steps, which lists Steps.
type Step struct {
	// Weight is the percentage of traffic sent to the primary (1-100).
	// Required.
	Weight int `yaml:"weight" json:"weight"`
	// Hold is how long the step runs before it is judged. Required here;
	// the file's default steps hold 60s each.
	Hold time.Duration `yaml:"hold" json:"hold"`
	// Actions run when the step begins, such as the plan's replica steps.
	// Default none.
	Actions []action.Spec `yaml:"actions,omitempty" json:"actions,omitempty"`
}

// WithDefaults fills zero fields with the plan's values.
func (s Settings) WithDefaults() Settings {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&s.Evaluate, 500*time.Millisecond)
	def(&s.L1Window, 5*time.Minute)
	def(&s.L3After, 15*time.Minute)
	def(&s.Settle, 2*time.Minute)
	def(&s.Restore.HoldDown, 2*time.Minute)
	if s.L2Scale <= 0 {
		s.L2Scale = 0.5
	}
	if len(s.Restore.Steps) == 0 {
		for _, w := range []int{10, 25, 50, 75, 100} {
			s.Restore.Steps = append(s.Restore.Steps, Step{Weight: w, Hold: time.Minute})
		}
	}
	return s
}

// Validate reports settings the engine cannot run with.
func (s Settings) Validate() error {
	s = s.WithDefaults()
	if s.L2Scale > 1 {
		return fmt.Errorf("%w: l2_threshold_scale must be between 0 and 1, got %g", ErrSettings, s.L2Scale)
	}
	last := 0
	for i, st := range s.Restore.Steps {
		if st.Weight < 1 || st.Weight > 100 || st.Weight <= last {
			return fmt.Errorf("%w: restore.steps[%d].weight must rise from 1 to 100, got %d", ErrSettings, i, st.Weight)
		}
		if st.Hold <= 0 {
			return fmt.Errorf("%w: restore.steps[%d].hold must be positive", ErrSettings, i)
		}
		last = st.Weight
	}
	if last != 100 {
		return fmt.Errorf("%w: the last restore step must send 100%% to the primary, got %d", ErrSettings, last)
	}
	return nil
}
