package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
	"github.com/lifeboat-sre/lifeboat/internal/verify"
)

// errVerify marks a failed verification.
var errVerify = errors.New("verification failed")

// verifier proves the fallback before traffic moves to it, the gateway
// after, and the primary before traffic steps back. It implements
// level.Verifier.
type verifier struct {
	a      *App
	client *http.Client
	probe  config.Probe
	// gatewayProbe speaks OpenViking through the gateway after a move.
	gatewayProbe config.Probe
	// suite runs after the gateway probe; nil when none is configured.
	suite    *verify.Suite
	triggers *trigger.Set
	gate     *holdGate
	keys     []int
	baseline *signal.Baseline
}

// Fallback passes when an immediate health check and the functional probe
// of the fallback both pass, and its active checks no longer say down. One
// good probe of a fallback coming back is not enough: until it has passed
// Rise checks the gateway still treats it as down and its /health answers
// unhealthy, so moving traffic then would fail the end-to-end check.
func (v *verifier) Fallback(ctx context.Context) error {
	c := v.a.checkers[1]
	if r := c.CheckNow(ctx); !r.OK {
		return fmt.Errorf("%w: fallback health check: %s", errVerify, r.Reason)
	}
	if st := c.Status(); st.State == health.Down {
		return fmt.Errorf("%w: fallback recovering: %d passing checks so far, active checks still say down", errVerify, st.ConsecutivePasses)
	}
	return v.runProbe(ctx, v.a.cfg.Upstreams.Fallback.URL, v.probe)
}

// EndToEnd passes when the gateway reports itself serving and the gateway
// probe, in OpenViking's API, succeeds through it.
func (v *verifier) EndToEnd(ctx context.Context) error {
	base := "http://" + v.a.Addr()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/health", nil)
	resp, err := v.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: gateway /health: %v", errVerify, err)
	}
	defer resp.Body.Close()
	var h struct{ Status string }
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: gateway /health answered %d (%s)", errVerify, resp.StatusCode, h.Status)
	}
	if err := v.runProbe(ctx, base, v.gatewayProbe); err != nil {
		return err
	}
	return v.runSuite(ctx, base)
}

// runSuite runs the configured verification suite against base.
func (v *verifier) runSuite(ctx context.Context, base string) error {
	if v.suite == nil {
		return nil
	}
	rep := verify.Run(ctx, v.client, base, *v.suite)
	if rep.OK() {
		return nil
	}
	for _, st := range rep.Steps {
		if !st.Passed {
			return fmt.Errorf("%w: suite %s via %s: step %q: %s (%d of %d steps failed)",
				errVerify, v.suite.Name, base, st.Name, st.Reason, rep.Failed(), len(rep.Steps))
		}
	}
	return fmt.Errorf("%w: suite %s via %s ran no step", errVerify, v.suite.Name, base)
}

// loadSuite resolves escalation.verify.suite: "openviking" is built in,
// anything else but "" is a suite file.
func loadSuite(name string) (*verify.Suite, error) {
	switch name {
	case "":
		return nil, nil
	case "openviking":
		s := verify.OpenViking()
		return &s, nil
	}
	s, err := verify.LoadSuite(name)
	if err != nil {
		return nil, fmt.Errorf("escalation.verify.suite: %w", err)
	}
	return &s, nil
}

func (v *verifier) runProbe(ctx context.Context, base string, p config.Probe) error {
	switch {
	case p.Path == "":
		return nil
	case p.Expect.Path == "":
		return v.statusProbe(ctx, base, p)
	}
	src, err := signal.FunctionalProbe(v.client, base, p.Method, p.Path, []byte(p.Body), probeHeader(p), probeExpect(p))
	if err != nil {
		return fmt.Errorf("%w: %v", errVerify, err)
	}
	r := src.Read(ctx, time.Now())
	if r.Value != 0 {
		return fmt.Errorf("%w: probe %s %s via %s: %v", errVerify, p.Method, p.Path, base, r.Err)
	}
	return nil
}

// statusProbe sends the probe and checks only its status.
func (v *verifier) statusProbe(ctx context.Context, base string, p config.Probe) error {
	req, err := http.NewRequestWithContext(ctx, cmp.Or(p.Method, http.MethodGet), base+p.Path, strings.NewReader(p.Body))
	if err != nil {
		return fmt.Errorf("%w: %v", errVerify, err)
	}
	req.Header = probeHeader(p)
	if p.Body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: probe %s %s via %s: %v", errVerify, req.Method, p.Path, base, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	want := p.ExpectStatus
	if len(want) == 0 {
		want = []int{http.StatusOK}
	}
	if !slices.Contains(want, resp.StatusCode) {
		return fmt.Errorf("%w: probe %s %s via %s answered %d, want %v", errVerify, req.Method, p.Path, base, resp.StatusCode, want)
	}
	return nil
}

// PrimaryHealthy holds while active checks say up and no trigger that
// reads the primary directly (health, resources, integrity) is firing.
// It guards a running restore step, whose traffic JudgeStep judges.
func (v *verifier) PrimaryHealthy(context.Context) (bool, string) {
	v.gate.forget()
	if st := v.a.checkers[0].State(); st != health.Up {
		return false, "active health checks say " + st.String()
	}
	for _, ev := range v.triggers.Status() {
		if v.gate.direct[ev.Trigger] && ev.State == trigger.Firing {
			return false, "trigger " + ev.Trigger + " is firing"
		}
	}
	return true, "healthy"
}

// PrimaryRecovered holds while the primary is healthy by every immediate
// trigger's signal, not only its health endpoint (see holdGate); the
// restore hold-down counts only while it does.
func (v *verifier) PrimaryRecovered(context.Context) (bool, string) {
	return v.gate.healthy(v.a.checkers[0].Status(), v.triggers.Status())
}

// JudgeStep compares the primary's traffic during a restore step with the
// configured limits. A step with too little traffic to judge passes: there
// is no evidence against the primary, and health checks still guard it.
func (v *verifier) JudgeStep(_ context.Context, since, now time.Time) (bool, string) {
	r := v.a.cfg.Escalation.Restore
	s := v.a.stats.Upstream(0, v.keys, now)
	if !s.Enough {
		return true, fmt.Sprintf("%d requests: too few to judge", s.Requests)
	}
	if s.ErrorRate > r.MaxErrorRate {
		return false, fmt.Sprintf("error rate %.1f%% above %.1f%%", 100*s.ErrorRate, 100*r.MaxErrorRate)
	}
	if ratio, ok := v.latencyRatio(s); ok && ratio > r.MaxLatencyRatio {
		return false, fmt.Sprintf("latency %.1fx the baseline, above %.1fx", ratio, r.MaxLatencyRatio)
	}
	return true, fmt.Sprintf("error rate %.1f%%, avg %s over %d requests", 100*s.ErrorRate, s.AvgLatency.Round(time.Millisecond), s.Requests)
}

// latencyRatio compares the step's average latency with the mean of the
// key routes' learned baselines.
func (v *verifier) latencyRatio(s stats.Summary) (float64, bool) {
	var sum time.Duration
	n := 0
	for _, r := range v.keys {
		if d, ok := v.baseline.Value(r); ok {
			sum += d
			n++
		}
	}
	if n == 0 || sum <= 0 {
		return 0, false
	}
	return float64(s.AvgLatency) / float64(sum/time.Duration(n)), true
}

func probeHeader(p config.Probe) http.Header {
	h := http.Header{}
	for k, v := range p.Headers {
		h.Set(k, v.Reveal())
	}
	return h
}

func probeExpect(p config.Probe) signal.Expect {
	e := signal.Expect{Path: p.Expect.Path, Contains: p.Expect.Contains}
	if len(p.ExpectStatus) == 1 {
		e.Status = p.ExpectStatus[0]
	}
	if p.Expect.Min != nil {
		e.Min = *p.Expect.Min
	}
	return e
}
