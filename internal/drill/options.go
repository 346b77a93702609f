package drill

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Defaults of Options.
const (
	DefaultDuration    = 300 * time.Second // the plan's drill: --duration=300
	DefaultConcurrency = 10
	DefaultWarmup      = 10 * time.Second
	DefaultMaxWait     = 15 * time.Minute
	DefaultPoll        = 250 * time.Millisecond
	DefaultHistoryWait = 2 * time.Second
	DefaultReadyWait   = 10 * time.Second
)

// Options configure one drill.
type Options struct {
	// Scenario is one of Scenarios(). Required.
	Scenario string
	// Duration is how long the fault lasts; it also reverts itself after
	// this long, should the drill die. Default 300s (the plan's drill).
	Duration time.Duration
	// Gateway is the gateway's base URL, such as "http://127.0.0.1:8002".
	// Required.
	Gateway string
	// Token is the admin API's bearer token. Default "": none.
	Token string
	// Faults injects and reverts the fault. Required.
	Faults Faults
	// Fault replaces the scenario's fault, for gateways whose thresholds
	// differ from the plan's. Default nil: the scenario's.
	Fault *Fault
	// PrimaryURL is where the data-loss check reads sessions back. Default
	// "": the gateway's primary upstream, as /status reports it.
	PrimaryURL string
	// Header is sent with the load and the data-loss check, such as an API
	// key. Default nil.
	Header http.Header
	// Concurrency is the number of load workers. Default 10: a drill needs
	// steady traffic, not the load test's 100.
	Concurrency int
	// Pace is how long each load worker waits before each request, which
	// caps the load at Concurrency/Pace requests per second: a drill needs
	// steady traffic, not saturation. The wait counts in the load's own
	// latencies, which the drill does not report. Default 0: none.
	Pace time.Duration
	// Warmup is how long steady load runs before the fault; the level must
	// stay at L0 meanwhile. Default 10s.
	Warmup time.Duration
	// MaxWait bounds the wait for Level 0 once the fault is reverted.
	// Default 15m, beyond the plan's 10 minute restore target.
	MaxWait time.Duration
	// ReadyWait bounds the wait for both upstreams to be up and every
	// trigger to have a reading before the drill starts. Default 10s.
	ReadyWait time.Duration
	// Poll is how often the drill reads the gateway's state. Default 250ms.
	Poll time.Duration
	// HistoryWait is how long after the incident closes the drill waits
	// for the gateway's metric history to cover it, so the incident's
	// downtime is complete. Default 2s (two of the default 1s samples).
	HistoryWait time.Duration
	// DryRun drills a gateway started with escalation.dry_run: decisions
	// are walked and judged, traffic never moves, so the figures that need
	// moved traffic are not judged. Run refuses a gateway whose setting
	// differs. Default false.
	DryRun bool
	// Guard is the steady-state guard.
	Guard Guard
	// Client makes the admin calls and the data-loss check. Default nil: a
	// client with a 10s timeout.
	Client *http.Client
	// OnNote receives the narration: the drill's own steps, the gateway's
	// events and the clients' view. It is called from one goroutine at a
	// time and must not block for long. Default nil: silent.
	OnNote func(Note)
	// Store keeps the result. Default nil: not kept.
	Store *Store
}

// Guard is the steady-state guard: the drill hurts the primary on
// purpose, and must stop if the fallback suffers too.
type Guard struct {
	// MaxFallbackErrorRate is the highest error rate the gateway may see
	// from the fallback (5xx, connect errors, timeouts over its statistics
	// window) while traffic is on it. Default 0.2, the plan's error-rate
	// trigger.
	MaxFallbackErrorRate float64
	// For is how long the fallback may be down or over the error rate
	// before the drill is aborted. Default 5s.
	For time.Duration
	// Off disables the guard. Default false.
	Off bool
}

// withDefaults fills the defaults documented on Options.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.Duration, DefaultDuration)
	def(&o.Warmup, DefaultWarmup)
	def(&o.MaxWait, DefaultMaxWait)
	def(&o.ReadyWait, DefaultReadyWait)
	def(&o.Poll, DefaultPoll)
	def(&o.HistoryWait, DefaultHistoryWait)
	def(&o.Guard.For, 5*time.Second)
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Guard.MaxFallbackErrorRate == 0 {
		o.Guard.MaxFallbackErrorRate = 0.2
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	return o
}

// validate reports the first problem with o, which has its defaults.
func (o Options) validate() error {
	u, err := url.Parse(o.Gateway)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%w: gateway URL %q must be absolute http or https", ErrOptions, o.Gateway)
	case o.Faults == nil:
		return fmt.Errorf("%w: no fault source", ErrOptions)
	case o.Duration < 0 || o.Warmup < 0 || o.MaxWait < 0 || o.Poll < 0 || o.Pace < 0 || o.Concurrency < 0:
		return fmt.Errorf("%w: durations and concurrency must not be negative", ErrOptions)
	case o.Guard.MaxFallbackErrorRate < 0 || o.Guard.MaxFallbackErrorRate > 1:
		return fmt.Errorf("%w: guard error rate %g must be between 0 and 1", ErrOptions, o.Guard.MaxFallbackErrorRate)
	}
	return nil
}

// fault is the fault this drill injects, with its duration.
func (o Options) fault(sc Scenario) Fault {
	f := sc.Fault
	if o.Fault != nil {
		f = *o.Fault
	}
	f.DurationMS = int(o.Duration / time.Millisecond)
	return f
}
