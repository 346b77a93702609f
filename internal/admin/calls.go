package admin

import (
	"math"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// Ranges for admin input: wide enough for any real deployment, narrow
// enough to refuse typos such as a timeout in milliseconds given as seconds.
const (
	maxThreshold   = 10_000
	maxSeconds     = 86_400
	maxCacheSize   = 10_000_000
	maxQueueSize   = 1_000_000
	maxConcurrency = 1_000_000
	maxTimeoutMS   = 3_600_000
	maxTTLSeconds  = 30 * 86_400
)

func intIn(field string, v *int, lo, hi int) error {
	if v != nil && (*v < lo || *v > hi) {
		return bad(field, "must be between %d and %d, got %d", lo, hi, *v)
	}
	return nil
}

func secondsIn(field string, v *float64, lo, hi float64) error {
	if v != nil && (math.IsNaN(*v) || *v < lo || *v > hi) {
		return bad(field, "must be between %g and %g seconds, got %g", lo, hi, *v)
	}
	return nil
}

func seconds(v float64) time.Duration { return time.Duration(v * float64(time.Second)) }

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

type routeRequest struct {
	Mode          *string `json:"mode"`
	PrimaryWeight *int    `json:"primary_weight"`
}

func (a *API) getRoute(*http.Request) (any, error) {
	return routeView(a.o.Gateway.Routing()), nil
}

func (a *API) setRoute(r *http.Request) (any, error) {
	var in routeRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if in.Mode == nil {
		return nil, bad("mode", "is required (primary, backup, fallback or split)")
	}
	mode, err := proxy.ParseMode(*in.Mode)
	if err != nil {
		return nil, bad("mode", "must be primary, backup, fallback or split, got %q", *in.Mode)
	}
	rt := proxy.Routing{Mode: mode, PrimaryWeight: 100}
	switch {
	case mode == proxy.ModeSplit && in.PrimaryWeight == nil:
		return nil, bad("primary_weight", "is required with mode split")
	case mode != proxy.ModeSplit && in.PrimaryWeight != nil:
		return nil, bad("primary_weight", "is only allowed with mode split")
	case in.PrimaryWeight != nil:
		if err := intIn("primary_weight", in.PrimaryWeight, 0, 100); err != nil {
			return nil, err
		}
		rt.PrimaryWeight = *in.PrimaryWeight
	}
	if err := a.o.Gateway.SetRouting(rt); err != nil {
		return nil, bad("body", "%v", err)
	}
	a.changed(r, "routing set to "+mode.String(), map[string]any{"mode": mode.String(), "primary_weight": rt.PrimaryWeight})
	return routeView(rt), nil
}

func routeView(rt proxy.Routing) map[string]any {
	return map[string]any{"mode": rt.Mode.String(), "primary_weight": rt.PrimaryWeight}
}

// bodyless runs a change that takes no parameters. A body is still checked,
// so a misdirected call with parameters is refused rather than ignored.
func (a *API) bodyless(r *http.Request, what string, change func(), view func() any) (any, error) {
	if err := decode(r, &struct{}{}, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	change()
	a.changed(r, what, nil)
	return view(), nil
}
