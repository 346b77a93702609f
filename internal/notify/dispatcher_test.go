package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// results collects OnResult calls.
type results struct {
	mu  sync.Mutex
	all []Result
}

func (r *results) add(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, res)
}

func (r *results) get() []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Result(nil), r.all...)
}

func repeatOf(key string) Notice {
	n := sample()
	n.DedupKey, n.Repeat = key, true
	return n
}

// startDispatcher runs d until the test ends.
func startDispatcher(t *testing.T, d *Dispatcher) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestDispatcherDeliversAndReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var res results
		d := New(Options{OnResult: res.add})
		startDispatcher(t, d)
		a := &recorder{name: "a"}
		b := &recorder{name: "b", errs: []error{errFlaky, errFlaky}}
		rb := Retry(b, 3, time.Second, 0)
		d.Send(sample(), []Notifier{a, rb})
		synctest.Wait()
		time.Sleep(5 * time.Second)
		synctest.Wait()
		got := res.get()
		if len(got) != 2 {
			t.Fatalf("results = %+v", got)
		}
		for _, r := range got {
			if r.Err != nil || r.Notice.DedupKey != "inc-1" || (r.Notifier == "b") != (r.Attempts == 3) {
				t.Fatalf("result = %+v", r)
			}
		}
	})
}

// A receiver that never answers must not hold up Send, nor other
// notifiers; its own deliveries end at the Timeout with an error.
func TestDispatcherNeverBlocksOnHangingReceiver(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer hang.Close()
	defer close(release)
	ok := newReceiver(t)
	var res results
	got := make(chan Result, 100)
	d := New(Options{QueueSize: 4, Timeout: 100 * time.Millisecond, OnResult: func(r Result) { res.add(r); got <- r }})
	startDispatcher(t, d)
	slow := Webhook{URL: hang.URL + "/x", Label: "slow"}
	fast := Webhook{URL: ok.URL, Label: "fast"}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := range 50 {
			n := repeatOf("inc-1")
			n.Repeat = i > 0
			d.Send(n, []Notifier{slow, fast})
		}
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		t.Fatal("Send blocked")
	}
	failed := false
	for !failed || len(ok.got()) == 0 {
		select {
		case r := <-got:
			failed = failed || (r.Notifier == "slow" && errors.Is(r.Err, context.DeadlineExceeded))
		case <-time.After(10 * time.Second):
			t.Fatalf("no timeout result for the hanging receiver or nothing for the healthy one: %+v", res.get())
		}
	}
	if d.Dropped() == 0 {
		t.Fatal("repeats beyond the queue bound must be dropped")
	}
}

func TestQueueDropsRepeatsNeverFirstNotices(t *testing.T) {
	d := New(Options{QueueSize: 3}) // not running: everything stays queued
	rec := &recorder{name: "r"}
	first := sample()
	d.Send(first, []Notifier{rec})
	d.Send(repeatOf("inc-1"), []Notifier{rec})
	d.Send(repeatOf("inc-1"), []Notifier{rec}) // replaces the queued repeat
	if d.Dropped() != 1 || d.Pending() != 2 {
		t.Fatalf("dropped %d pending %d", d.Dropped(), d.Pending())
	}
	d.Send(repeatOf("inc-2"), []Notifier{rec})
	d.Send(repeatOf("inc-3"), []Notifier{rec}) // full: oldest repeat (inc-1) goes
	if d.Dropped() != 2 || d.Pending() != 3 || !d.lanes["r"].jobs[1].n.Repeat || d.lanes["r"].jobs[1].n.DedupKey != "inc-2" {
		t.Fatalf("dropped %d pending %d", d.Dropped(), d.Pending())
	}
	resolve := sample()
	resolve.Action = Resolve
	for range 3 {
		d.Send(resolve, []Notifier{rec}) // sheds repeats, then goes past the bound
	}
	l := d.lanes["r"]
	var keys []string
	for _, j := range l.jobs {
		keys = append(keys, fmt.Sprintf("%s/%s/%v", j.n.DedupKey, j.n.Action, j.n.Repeat))
	}
	want := "[inc-1/trigger/false inc-1/resolve/false inc-1/resolve/false inc-1/resolve/false]"
	if fmt.Sprint(keys) != want || d.Dropped() != 4 {
		t.Fatalf("queue %v, dropped %d", keys, d.Dropped())
	}
	d.Send(repeatOf("inc-4"), []Notifier{rec}) // full of first notices: the repeat itself goes
	if d.Dropped() != 5 || d.Pending() != 4 {
		t.Fatalf("dropped %d pending %d", d.Dropped(), d.Pending())
	}
}

func TestDispatcherKeepsOrderPerNotifier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := New(Options{})
		rec := &recorder{name: "r"}
		for _, a := range []Action{Trigger, Acknowledge, Resolve} {
			n := sample()
			n.Action = a
			d.Send(n, []Notifier{rec})
		}
		startDispatcher(t, d)
		synctest.Wait()
		var got []Action
		for _, n := range rec.notices() {
			got = append(got, n.Action)
		}
		if fmt.Sprint(got) != "[trigger acknowledge resolve]" {
			t.Fatalf("order %v", got)
		}
	})
}

func TestStopDrainsThenRefuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := New(Options{})
		rec := &recorder{name: "r", block: make(chan struct{})}
		go d.Run(context.Background())
		synctest.Wait() // Run has started: Stop before Run delivers nothing
		d.Send(sample(), []Notifier{rec})
		d.Send(sample(), []Notifier{rec})
		go func() { time.Sleep(time.Second); close(rec.block) }()
		if err := d.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(rec.notices()) != 2 {
			t.Fatalf("drained %d of 2", len(rec.notices()))
		}
		d.Send(sample(), []Notifier{rec})
		if d.Dropped() != 1 || d.Stop(context.Background()) != nil {
			t.Fatal("Send after Stop must be dropped and Stop must be safe twice")
		}
	})
}

func TestStopIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var res results
		d := New(Options{OnResult: res.add})
		rec := &recorder{name: "r", block: make(chan struct{})} // never released
		go d.Run(context.Background())
		synctest.Wait() // Run has started: Stop before Run delivers nothing
		for range 3 {
			d.Send(sample(), []Notifier{rec})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := d.Stop(ctx)
		if !errors.Is(err, ErrStopped) || time.Since(start) != 5*time.Second {
			t.Fatalf("err %v after %s", err, time.Since(start))
		}
		if r := res.get(); len(r) != 1 || !errors.Is(r[0].Err, context.Canceled) {
			t.Fatalf("the delivery in flight must be cancelled: %+v", r)
		}
	})
}

type panicky struct{}

func (panicky) Name() string                         { return "panicky" }
func (panicky) Notify(context.Context, Notice) error { panic("boom") }

func TestDispatcherSurvivesPanickingNotifier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var res results
		d := New(Options{OnResult: res.add})
		startDispatcher(t, d)
		d.Send(sample(), []Notifier{panicky{}})
		d.Send(sample(), []Notifier{panicky{}})
		synctest.Wait()
		r := res.get()
		if len(r) != 2 || !errors.Is(r[1].Err, ErrPanic) || r[1].Attempts != 1 {
			t.Fatalf("results %+v", r)
		}
	})
}

func TestRunAfterStopReturns(t *testing.T) {
	d := New(Options{})
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { d.Run(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run after Stop must return at once")
	}
}
