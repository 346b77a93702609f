package fault

import (
	"errors"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		f     Fault
		field string
	}{
		{Fault{LatencyMS: -1, DurationMS: 1}, "latency_ms"},
		{Fault{LatencyMS: maxMS + 1, DurationMS: 1}, "latency_ms"},
		{Fault{JitterMS: -5, DurationMS: 1}, "jitter_ms"},
		{Fault{ErrorRate: 1.5, DurationMS: 1}, "error_rate"},
		{Fault{ErrorRate: -0.1, DurationMS: 1}, "error_rate"},
		{Fault{ErrorRate: 0.5, ErrorStatus: 200, DurationMS: 1}, "error_status"},
		{Fault{ErrorStatus: 503, Down: true, DurationMS: 1}, "error_status"},
		{Fault{Down: true}, "duration_ms"},
		{Fault{Down: true, DurationMS: maxMS + 1}, "duration_ms"},
		{Fault{DurationMS: 1000}, "body"},
	}
	for _, c := range cases {
		err := c.f.Validate()
		fe, ok := errors.AsType[*field.Error](err)
		if !ok || fe.Field != c.field || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v, want a field.Error on %s", c.f, err, c.field)
		}
	}
}

func TestValidateAcceptsEveryKnob(t *testing.T) {
	for _, f := range []Fault{
		{LatencyMS: 300, JitterMS: 50, DurationMS: 1},
		{JitterMS: 50, DurationMS: 1},
		{ErrorRate: 1, DurationMS: 1},
		{ErrorRate: 0.2, ErrorStatus: 429, DurationMS: 1},
		{Down: true, DurationMS: maxMS},
		{Hang: true, DurationMS: 1},
		{CorruptSearch: true, DurationMS: 1},
	} {
		if err := f.Validate(); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
}

func TestStringDescribesTheFault(t *testing.T) {
	f := Fault{LatencyMS: 300, JitterMS: 50, ErrorRate: 0.2, Down: true, Hang: true, CorruptSearch: true, DurationMS: 60_000}
	want := "latency 300ms ±50ms, errors 20% as 503, down, hang, corrupt search for 1m0s"
	if got := f.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
