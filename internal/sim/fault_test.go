package sim

import (
	"errors"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

func TestFaultValidate(t *testing.T) {
	cases := []struct {
		f     Fault
		field string // "" means valid
	}{
		{Fault{}, ""},
		{Fault{LatencyMS: 100, JitterMS: 20, ErrorRate: 1, ErrorStatus: 429, CPUPercent: 100, MemoryPercent: 0.5, DurationMS: 1}, ""},
		{Fault{ErrorStatus: 400}, ""},
		{Fault{ErrorStatus: 599}, ""},
		{Fault{LatencyMS: -1}, "latency_ms"},
		{Fault{JitterMS: -5}, "jitter_ms"},
		{Fault{ErrorRate: -0.1}, "error_rate"},
		{Fault{ErrorRate: 1.01}, "error_rate"},
		{Fault{ErrorStatus: 399}, "error_status"},
		{Fault{ErrorStatus: 600}, "error_status"},
		{Fault{CPUPercent: 101}, "cpu_percent"},
		{Fault{MemoryPercent: -1}, "memory_percent"},
		{Fault{DurationMS: -1}, "duration_ms"},
		{Fault{LatencyMS: -1, DurationMS: -1}, "latency_ms"},
	}
	for _, c := range cases {
		err := c.f.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: unexpected error %v", c.f, err)
			}
			continue
		}
		var fe *field.Error
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, ErrInvalidFault) {
			t.Errorf("%+v: got %v, want a field.Error on %s", c.f, err, c.field)
		}
	}
}

func TestFaultDefaults(t *testing.T) {
	if got := (Fault{ErrorRate: 0.5}).errorStatus(); got != 503 {
		t.Errorf("default error status %d, want 503", got)
	}
	if got := (Fault{ErrorRate: 0.5, ErrorStatus: 500}).errorStatus(); got != 500 {
		t.Errorf("error status %d, want 500", got)
	}
	if !(Fault{}).IsZero() || (Fault{Hang: true}).IsZero() {
		t.Error("IsZero is wrong")
	}
	if newFaultState(Fault{CorruptSearch: true, CPUPercent: 90}).passive != true {
		t.Error("service-side faults should not enter the transport stages")
	}
	if newFaultState(Fault{JitterMS: 1}).passive {
		t.Error("jitter alone must still delay")
	}
}

func TestRandDelay(t *testing.T) {
	var r randSource
	r.set(sequence(0, 0.5, 0.75))
	f := Fault{LatencyMS: 100, JitterMS: 40}
	for _, want := range []int64{60, 100, 120} {
		if got := r.delay(f).Milliseconds(); got != want {
			t.Errorf("delay %dms, want %dms", got, want)
		}
	}
	r.set(sequence(0))
	if got := r.delay(Fault{LatencyMS: 10, JitterMS: 50}); got != 0 {
		t.Errorf("negative delay not clamped: %v", got)
	}
	r.set(nil)
	if v := r.float64(); v < 0 || v >= 1 {
		t.Errorf("default source out of range: %v", v)
	}
}
