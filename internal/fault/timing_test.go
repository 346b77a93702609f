package fault

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// roundTrip sends a GET to the stubbed primary with ctx and measures how
// long it took on the bubble's clock.
func roundTrip(ctx context.Context, rt http.RoundTripper) (time.Duration, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", stubURL+"/api/v1/sessions/x", nil)
	start := time.Now()
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return time.Since(start), err
}

func TestLatencyWithJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		next := &stub{}
		ev := &sink{}
		inj := New(Options{Primary: mustURL(t, stubURL), Transport: next, Events: ev, Rand: sequence(0, 0.5, 1)})
		defer inj.Stop()
		inj.Set(long(Fault{LatencyMS: 300, JitterMS: 100}), "test")
		var got []time.Duration
		for range 3 {
			d, err := roundTrip(t.Context(), inj)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, d)
		}
		want := []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond}
		if !slices.Equal(got, want) || next.calls.Load() != 3 {
			t.Fatalf("delays %v, want %v; calls %d", got, want, next.calls.Load())
		}
	})
}

func TestLatencyHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		next := &stub{}
		inj, _ := newStubbed(t, next)
		defer inj.Stop()
		inj.Set(long(Fault{LatencyMS: 5000}), "test")
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		d, err := roundTrip(ctx, inj)
		if d != time.Second || stats.Classify(0, err, false) != stats.Timeout || next.calls.Load() != 0 {
			t.Fatalf("after %v: %v, calls %d", d, err, next.calls.Load())
		}
	})
}

func TestHangLastsUntilTheCallerGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		next := &stub{}
		inj, _ := newStubbed(t, next)
		defer inj.Stop()
		inj.Set(long(Fault{Hang: true}), "test")
		ctx, cancel := context.WithTimeout(t.Context(), 7*time.Second)
		defer cancel()
		d, err := roundTrip(ctx, inj)
		if d != 7*time.Second || !errors.Is(err, context.DeadlineExceeded) || next.calls.Load() != 0 {
			t.Fatalf("after %v: %v, calls %d", d, err, next.calls.Load())
		}
	})
}

func TestHangEndsAtTheTransportsHeaderTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inj := New(Options{Primary: mustURL(t, stubURL), Transport: &http.Transport{ResponseHeaderTimeout: 2 * time.Second}})
		defer inj.Stop()
		inj.Set(long(Fault{Hang: true}), "test")
		d, err := roundTrip(t.Context(), inj)
		if d != 2*time.Second || !errors.Is(err, ErrHeaderTimeout) || stats.Classify(0, err, false) != stats.Timeout {
			t.Fatalf("after %v: %v", d, err)
		}
	})
}

func TestClearReleasesHungRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		next := &stub{}
		inj, _ := newStubbed(t, next)
		defer inj.Stop()
		inj.Set(long(Fault{Hang: true}), "test")
		done := make(chan error, 1)
		go func() {
			_, err := roundTrip(t.Context(), inj)
			done <- err
		}()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if next.calls.Load() != 0 {
			t.Fatal("a hung request reached the primary")
		}
		inj.Clear("test")
		if err := <-done; err != nil || next.calls.Load() != 1 {
			t.Fatalf("after clear: %v, calls %d", err, next.calls.Load())
		}
	})
}

func TestFaultRevertsByItself(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inj, ev := newStubbed(t, &stub{})
		defer inj.Stop()
		st, err := inj.Set(Fault{Down: true, DurationMS: 30_000}, "drill")
		if err != nil || !st.Active || st.Remaining() != 30*time.Second || st.By != "drill" {
			t.Fatalf("set: %+v %v", st, err)
		}
		time.Sleep(29 * time.Second)
		if st := inj.Status(); !st.Active || st.Remaining() != time.Second {
			t.Fatalf("after 29s: %+v", st)
		}
		if _, err := roundTrip(t.Context(), inj); stats.Classify(0, err, false) != stats.ConnectError {
			t.Fatalf("during the outage: %v", err)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if inj.Status().Active {
			t.Fatal("the fault outlived its duration")
		}
		if _, err := roundTrip(t.Context(), inj); err != nil {
			t.Fatalf("after expiry: %v", err)
		}
		if got := ev.trail(); !slices.Equal(got, []string{KindSet, KindCleared + "/" + ReasonExpired}) {
			t.Fatalf("events %v", got)
		}
	})
}

func TestSetReplacesAndClearEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inj, ev := newStubbed(t, &stub{})
		defer inj.Stop()
		inj.Set(Fault{LatencyMS: 100, DurationMS: 10_000}, "a")
		st, _ := inj.Set(Fault{Down: true, DurationMS: 60_000}, "b")
		if !st.Fault.Down || st.Fault.LatencyMS != 0 {
			t.Fatalf("replacement: %+v", st)
		}
		time.Sleep(30 * time.Second) // past the first fault's end: its timer must not clear the second
		synctest.Wait()
		if !inj.Status().Active {
			t.Fatal("the replaced fault's timer cleared its successor")
		}
		if !inj.Clear("c") || inj.Clear("c") {
			t.Fatal("Clear must report true once, then false")
		}
		want := []string{KindSet, KindCleared + "/" + ReasonReplaced, KindSet, KindCleared + "/" + ReasonCleared}
		if got := ev.trail(); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
	})
}

func TestStopClearsAndRefusesNewFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inj, ev := newStubbed(t, &stub{})
		inj.Set(Fault{Hang: true, DurationMS: 60_000}, "drill")
		inj.Stop()
		inj.Stop()
		if inj.Status().Active {
			t.Fatal("a fault survived Stop")
		}
		if _, err := inj.Set(long(Fault{Down: true}), "late"); !errors.Is(err, ErrStopped) {
			t.Fatalf("Set after Stop: %v", err)
		}
		if _, err := roundTrip(t.Context(), inj); err != nil {
			t.Fatalf("request after Stop: %v", err)
		}
		if got := ev.trail(); !slices.Equal(got, []string{KindSet, KindCleared + "/" + ReasonStopped}) {
			t.Fatalf("events %v", got)
		}
	})
}

func TestSetRefusesAnInvalidFault(t *testing.T) {
	inj, ev := newStubbed(t, &stub{})
	defer inj.Stop()
	inj.Set(long(Fault{Down: true}), "a")
	if _, err := inj.Set(Fault{Down: true}, "b"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("no duration: %v", err)
	}
	if st := inj.Status(); !st.Fault.Down || st.By != "a" || len(ev.trail()) != 1 {
		t.Fatalf("an invalid fault changed the state: %+v %v", st, ev.trail())
	}
}
