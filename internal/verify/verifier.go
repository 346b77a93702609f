package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// ErrFailed marks a failed verification. Its text carries no package
// prefix because it opens the level engine's decision messages, which
// read as they always have.
var ErrFailed = errors.New("verification failed")

// Checker is an upstream's active health check; *health.Checker
// implements it.
type Checker interface {
	CheckNow(ctx context.Context) health.Result
	Status() health.Status
	State() health.State
}

// Triggers report every trigger's latest evidence; *trigger.Set
// implements it.
type Triggers interface {
	Status() []trigger.Evidence
}

// Traffic summarises an upstream's recent traffic on some routes;
// *stats.Recorder implements it.
type Traffic interface {
	Upstream(upstream int, routes []int, now time.Time) stats.Summary
}

// Baseline is the learned typical latency of each route;
// *signal.Baseline implements it.
type Baseline interface {
	Value(route int) (time.Duration, bool)
}

// Limits are what a restore step's traffic on the primary must stay
// within.
type Limits struct {
	// MaxErrorRate is the highest error rate, 0 to 1. Zero fails any error.
	MaxErrorRate float64
	// MaxLatencyRatio is the highest average latency as a multiple of the
	// learned baseline. Zero fails any latency once a baseline is known.
	MaxLatencyRatio float64
}

// Verifier proves the fallback before traffic moves to it, the gateway
// after, and the primary before traffic steps back (the plan's Level 3).
// Every field is required unless its comment says otherwise.
type Verifier struct {
	// Client sends the probes and the suite.
	Client *http.Client
	// PrimaryHealth and FallbackHealth are the upstreams' active health
	// checks.
	PrimaryHealth, FallbackHealth Checker
	// FallbackURL is the fallback's base URL.
	FallbackURL string
	// Gateway returns the gateway's client address (host:port), reached
	// over plain HTTP; the Client decides how that is carried.
	Gateway func() string
	// FallbackProbe speaks to the fallback directly before a move; its
	// zero value (no Path) skips it.
	FallbackProbe signal.Probe
	// GatewayProbe speaks OpenViking through the gateway after a move;
	// its zero value skips it.
	GatewayProbe signal.Probe
	// Suite runs after the gateway probe. Nil runs none.
	Suite *Suite
	// Triggers and Gate judge the primary's recovery; Direct names the
	// triggers whose signal reads the primary directly.
	Triggers Triggers
	Gate     *level.HoldGate
	Direct   map[string]bool
	// Traffic, Keys and Baseline judge a restore step: the primary's
	// traffic on the key routes against the learned latency.
	Traffic  Traffic
	Keys     []int
	Baseline Baseline
	// Limits bound a restore step's error rate and latency.
	Limits Limits
}

var _ level.Verifier = (*Verifier)(nil)

// Fallback passes when an immediate health check and the functional probe
// of the fallback both pass, and its active checks no longer say down. One
// good probe of a fallback coming back is not enough: until it has passed
// Rise checks the gateway still treats it as down and its /health answers
// unhealthy, so moving traffic then would fail the end-to-end check.
func (v *Verifier) Fallback(ctx context.Context) error {
	if r := v.FallbackHealth.CheckNow(ctx); !r.OK {
		return fmt.Errorf("%w: fallback health check: %s", ErrFailed, r.Reason)
	}
	if st := v.FallbackHealth.Status(); st.State == health.Down {
		return fmt.Errorf("%w: fallback recovering: %d passing checks so far, active checks still say down", ErrFailed, st.ConsecutivePasses)
	}
	return v.runProbe(ctx, v.FallbackURL, v.FallbackProbe)
}

// EndToEnd passes when the gateway reports itself serving and the gateway
// probe, in OpenViking's API, succeeds through it.
func (v *Verifier) EndToEnd(ctx context.Context) error {
	base := "http://" + v.Gateway()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health", nil)
	resp, err := v.Client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: gateway /health: %v", ErrFailed, err)
	}
	defer resp.Body.Close()
	var h struct{ Status string }
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: gateway /health answered %d (%s)", ErrFailed, resp.StatusCode, h.Status)
	}
	if err := v.runProbe(ctx, base, v.GatewayProbe); err != nil {
		return err
	}
	return v.RunSuite(ctx, base)
}

// RunSuite runs the configured suite against base; with none configured
// it passes.
func (v *Verifier) RunSuite(ctx context.Context, base string) error {
	if v.Suite == nil {
		return nil
	}
	rep := Run(ctx, v.Client, base, *v.Suite)
	if rep.OK() {
		return nil
	}
	for _, st := range rep.Steps {
		if !st.Passed {
			return fmt.Errorf("%w: suite %s via %s: step %q: %s (%d of %d steps failed)",
				ErrFailed, v.Suite.Name, base, st.Name, st.Reason, rep.Failed(), len(rep.Steps))
		}
	}
	return fmt.Errorf("%w: suite %s via %s ran no step", ErrFailed, v.Suite.Name, base)
}
