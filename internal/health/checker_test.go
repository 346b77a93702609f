package health

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// scripted is a Prober whose outcomes follow a script of "+" (pass) and "-"
// (fail); past the end it repeats the last outcome. It records when each
// probe started, relative to its creation.
type scripted struct {
	mu     sync.Mutex
	script string
	start  time.Time
	calls  []time.Duration
}

func newScripted(script string) *scripted {
	return &scripted{script: script, start: time.Now()}
}

func (p *scripted) Probe(ctx context.Context) Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := min(len(p.calls), len(p.script)-1)
	p.calls = append(p.calls, time.Since(p.start))
	if p.script[n] == '+' {
		return Result{OK: true, StatusCode: 200, Reason: "ok"}
	}
	return Result{StatusCode: 503, Reason: "status 503"}
}

func (p *scripted) times() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls)
}

// events records hook calls in order as short strings.
type events struct {
	mu  sync.Mutex
	log []string
	at  time.Time
}

func (e *events) hooks() Hooks {
	e.at = time.Now()
	return Hooks{
		OnProbe: func(name string, r Result) { e.add(fmt.Sprintf("probe %s %v", name, r.OK)) },
		OnChange: func(c Change) {
			e.add(fmt.Sprintf("%s %s->%s at %s", c.Name, c.From, c.To, c.At.Sub(e.at)))
		},
	}
}

func (e *events) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, s)
}

func (e *events) changes() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, s := range e.log {
		if s[:5] != "probe" {
			out = append(out, s)
		}
	}
	return out
}

// runFor runs c for d of fake time and stops it, waiting for Run to return.
func runFor(c *Checker, d time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	time.Sleep(d)
	cancel()
	<-done
}

var fastSettings = Settings{Interval: time.Second, FastInterval: 250 * time.Millisecond, Rise: 2, Fall: 4}

func ms(values ...int) []time.Duration {
	var out []time.Duration
	for _, v := range values {
		out = append(out, time.Duration(v)*time.Millisecond)
	}
	return out
}

func TestScheduleRiseFallAndFastInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newScripted("++-----+++")
		var ev events
		c := NewChecker("primary", p, fastSettings, ev.hooks())
		runFor(c, 6500*time.Millisecond)

		// Up at 0; failures from 2s go fast until Down at 2.75s; Down and
		// stable probes slowly; the pass at 4.75s goes fast; Up at 5s.
		want := ms(0, 1000, 2000, 2250, 2500, 2750, 3750, 4750, 5000, 6000)
		if got := p.times(); !slices.Equal(got, want) {
			t.Errorf("probe times = %v, want %v", got, want)
		}
		wantChanges := []string{"primary unknown->up at 0s", "primary up->down at 2.75s", "primary down->up at 5s"}
		if got := ev.changes(); !slices.Equal(got, wantChanges) {
			t.Errorf("changes = %v, want %v", got, wantChanges)
		}
		if c.State() != Up {
			t.Errorf("State() = %s, want up", c.State())
		}
	})
}

func TestUnknownUntilFallFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newScripted("-")
		c := NewChecker("smp", p, fastSettings, Hooks{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { c.Run(ctx); close(done) }()

		time.Sleep(600 * time.Millisecond)
		if s := c.State(); s != Unknown || !s.Usable() {
			t.Errorf("after 3 failures State() = %s, want unknown (usable)", s)
		}
		time.Sleep(2 * time.Second)
		cancel()
		<-done
		if c.State() != Down {
			t.Errorf("State() = %s, want down", c.State())
		}
		want := ms(0, 250, 500, 750, 1750)
		if got := p.times()[:5]; !slices.Equal(got, want) {
			t.Errorf("probe times = %v, want %v", got, want)
		}
	})
}

func TestHooksRunInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ev events
		c := NewChecker("a", newScripted("+----"), fastSettings, ev.hooks())
		runFor(c, 2*time.Second)
		want := []string{"probe a true", "a unknown->up at 0s", "probe a false", "probe a false",
			"probe a false", "probe a false", "a up->down at 1.75s"}
		if got := ev.log[:len(want)]; !slices.Equal(got, want) {
			t.Errorf("hook calls = %v, want %v", got, want)
		}
	})
}

func TestStatusCountsProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		c := NewChecker("a", newScripted("+-----"), fastSettings, Hooks{})
		if s := c.Status(); s.State != Unknown || s.Checks != 0 || !s.Since.IsZero() {
			t.Errorf("initial status = %+v", s)
		}
		runFor(c, 2*time.Second) // Probes at 0, 1, 1.25, 1.5, 1.75.
		s := c.Status()
		if s.Name != "a" || s.State != Down || s.Checks != 5 || s.Failures != 4 {
			t.Errorf("status = %+v, want down after 5 checks, 4 failures", s)
		}
		if s.ConsecutiveFailures != 4 || s.ConsecutivePasses != 0 {
			t.Errorf("streaks = %d passes, %d failures", s.ConsecutivePasses, s.ConsecutiveFailures)
		}
		if s.Since.Sub(start) != 1750*time.Millisecond || s.Last.Reason != "status 503" {
			t.Errorf("Since=%v Last=%+v", s.Since.Sub(start), s.Last)
		}
		if !s.Last.At.Equal(s.Since) {
			t.Errorf("Last.At = %v, want it filled in by the checker (%v)", s.Last.At, s.Since)
		}
		// The outage began with the first failed probe, at 1s, not with
		// the fourth that made the checker call it down.
		if got := s.FailingSince.Sub(start); got != time.Second {
			t.Errorf("FailingSince = +%v, want +1s, the first failed probe", got)
		}
	})
}

func TestCheckNowFeedsCountersAndReschedules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newScripted("++-")
		c := NewChecker("a", p, fastSettings, Hooks{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { c.Run(ctx); close(done) }()

		time.Sleep(500 * time.Millisecond)
		if r := c.CheckNow(context.Background()); !r.OK {
			t.Errorf("CheckNow() = %+v, want a pass", r)
		}
		time.Sleep(1100 * time.Millisecond)
		cancel()
		<-done
		// The scheduled probe moves from 1s to 1.5s; it fails, so the next
		// one comes at the fast interval.
		if got, want := p.times(), ms(0, 500, 1500); !slices.Equal(got, want) {
			t.Errorf("probe times = %v, want %v", got, want)
		}
		if s := c.Status(); s.Checks != 3 || s.ConsecutiveFailures != 1 {
			t.Errorf("status = %+v, want 3 checks ending in 1 failure", s)
		}
	})
}

func TestCheckNowWithoutRun(t *testing.T) {
	c := NewChecker("a", newScripted("+"), Settings{}, Hooks{})
	if r := c.CheckNow(context.Background()); !r.OK || c.State() != Up {
		t.Errorf("CheckNow() = %+v, state %s; want a pass and up", r, c.State())
	}
	if r := c.CheckNow(context.Background()); !r.OK {
		t.Errorf("second CheckNow() = %+v; a pending wake-up must not block", r)
	}
}

// hanging is a Prober that answers only when its context ends.
func hanging(ctx context.Context) Result {
	<-ctx.Done()
	return Result{Reason: "timeout", Error: ctx.Err().Error()}
}

func TestCheckerAppliesTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewChecker("a", ProberFunc(hanging), Settings{Timeout: 300 * time.Millisecond}, Hooks{})
		start := time.Now()
		r := c.CheckNow(context.Background())
		if elapsed := time.Since(start); elapsed != 300*time.Millisecond {
			t.Errorf("probe took %s, want the 300ms timeout", elapsed)
		}
		if s := c.Status(); s.Failures != 1 || r.OK {
			t.Errorf("timed-out probe: result %+v, status %+v; want one counted failure", r, s)
		}
	})
}

func TestCancelledProbeIsNotCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ev events
		c := NewChecker("a", ProberFunc(hanging), Settings{Timeout: time.Second}, ev.hooks())
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		c.CheckNow(ctx)
		runFor(c, 100*time.Millisecond) // Stops in the middle of the first probe.
		if s := c.Status(); s.Checks != 0 || len(ev.log) != 0 {
			t.Errorf("status %+v, hooks %v; want nothing counted", s, ev.log)
		}
	})
}

func TestConcurrentCheckNowAndRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := NewChecker("a", newScripted("+-"), fastSettings, Hooks{})
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { c.Run(ctx) })
		synctest.Wait() // Run's first probe, a pass, is done.
		for range 4 {
			wg.Go(func() {
				for range 10 {
					c.CheckNow(ctx)
					_ = c.Status()
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
		// CheckNow calls end at 90ms; being Down, Run probes again 1s later.
		time.Sleep(1200 * time.Millisecond)
		cancel()
		wg.Wait()
		if s := c.Status(); s.Checks != 42 || s.State != Down {
			t.Errorf("status = %+v, want 40 CheckNow probes, two from Run, and down", s)
		}
	})
}
