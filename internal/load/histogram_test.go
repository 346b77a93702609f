package load

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestBucketsAreContinuousAndPrecise(t *testing.T) {
	for v := uint64(1); v < 1<<16; v++ {
		if step := bucketOf(v) - bucketOf(v-1); step != 0 && step != 1 {
			t.Fatalf("bucket of %d jumps by %d", v, step)
		}
	}
	for v := uint64(0); v < 1<<maxBits; v += 1 + v/97 {
		b := bucketOf(v)
		if high := bucketHigh(b); high < v || high-v > v/subCount {
			t.Fatalf("value %d: bucket %d ends at %d, beyond 1/64", v, b, high)
		}
	}
	if b := bucketOf(1 << 62); b != numBuckets-1 {
		t.Errorf("huge values go to bucket %d, want the last (%d)", b, numBuckets-1)
	}
}

func TestQuantilesOfAUniformSpread(t *testing.T) {
	var h histogram
	for ms := 1; ms <= 1000; ms++ {
		h.record(time.Duration(ms) * time.Millisecond)
	}
	l := h.latency()
	for _, c := range []struct {
		got, want time.Duration
	}{{l.P50, 500 * time.Millisecond}, {l.P90, 900 * time.Millisecond}, {l.P99, 990 * time.Millisecond},
		{l.Max, time.Second}, {l.Mean, 500500 * time.Microsecond}} {
		if d := c.got - c.want; d < 0 || d > c.want/64 {
			t.Errorf("got %v, want %v within 1/64 above", c.got, c.want)
		}
	}
	var empty histogram
	if l := empty.latency(); l != (Latency{}) {
		t.Errorf("empty histogram: %+v", l)
	}
}

func TestClassify(t *testing.T) {
	refused := &url.Error{Op: "Get", URL: "http://x", Err: &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	for _, c := range []struct {
		err  error
		want ErrorClass
	}{
		{nil, ""},
		{fmt.Errorf("x: %w", os.ErrDeadlineExceeded), ClassTimeout},
		{&url.Error{Err: fmt.Errorf("w: %w", contextDeadline())}, ClassTimeout},
		{refused, ClassRefused},
		{&url.Error{Err: io.EOF}, ClassReset},
		{&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, ClassReset},
		{errors.New("no such host"), ClassOther},
	} {
		if got := Classify(c.err); got != c.want {
			t.Errorf("Classify(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func contextDeadline() error {
	ctx, cancel := contextWithPastDeadline()
	defer cancel()
	return ctx.Err()
}

func TestResultFailed(t *testing.T) {
	r := Result{Status: map[int]int64{200: 5, 302: 1, 404: 2, 503: 1}, Errors: map[ErrorClass]int64{ClassTimeout: 3}}
	if got := r.Failed(); got != 6 {
		t.Fatalf("Failed() = %d, want 6", got)
	}
}

func TestSmoothOrderSpreadsWeights(t *testing.T) {
	if got := fmt.Sprint(smoothOrder([]int{3, 1})); got != "[0 0 1 0]" {
		t.Errorf("weights 3,1: %s", got)
	}
	p := newPlan(Options{BaseURL: "http://x", Requests: []Request{{Path: "/a", Weight: 2}},
		Sessions: &SessionWrites{}, Header: map[string][]string{"X-Api-Key": {"k"}}})
	if fmt.Sprint(p.schedule) != "[0 -1 0]" || p.calls[0].header.Get("X-API-Key") != "k" || p.calls[0].url != "http://x/a" {
		t.Errorf("plan %+v", p)
	}
}

func BenchmarkRecord(b *testing.B) {
	r := newRecorder(time.Now(), time.Minute)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		now := time.Now()
		for i := 0; pb.Next(); i++ {
			r.record(now, time.Duration(i%5000)*time.Microsecond, 200, nil)
		}
	})
}

func BenchmarkSnapshot(b *testing.B) {
	r := newRecorder(time.Now(), time.Minute)
	for i := range 10000 {
		r.record(r.start, time.Duration(i)*time.Microsecond, 200, nil)
	}
	b.ReportAllocs()
	for b.Loop() {
		r.snapshot(time.Now())
	}
}

// BenchmarkExchange measures the client side of one request, without a
// network: the per-request cost the load generator adds.
func BenchmarkExchange(b *testing.B) {
	client := sleepy(0)
	c := compile(Options{BaseURL: "http://lifeboat.test", Header: map[string][]string{"X-Api-Key": {"k"}}},
		Request{Path: "/api/v1/search/find", Body: `{"query":"agent memory"}`})
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := exchange(b.Context(), client, time.Second, c); err != nil {
			b.Fatal(err)
		}
	}
}
