package stats

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestOutcomeNamesAndFailure(t *testing.T) {
	cases := []struct {
		o       Outcome
		name    string
		failure bool
		judged  bool
	}{
		{OK, "ok", false, true},
		{ClientError, "client_error", false, true},
		{ServerError, "server_error", true, true},
		{ConnectError, "connect_error", true, true},
		{Timeout, "timeout", true, true},
		{ClientGone, "client_gone", false, false},
		{Rejected, "rejected", false, false},
	}
	if len(cases) != NumOutcomes {
		t.Fatalf("table covers %d outcomes, package defines %d", len(cases), NumOutcomes)
	}
	for _, c := range cases {
		if c.o.String() != c.name || c.o.Failure() != c.failure || c.o.judged() != c.judged {
			t.Errorf("%s: String=%q Failure=%v judged=%v", c.name, c.o, c.o.Failure(), c.o.judged())
		}
	}
	if s := Outcome(42).String(); s != "outcome(42)" {
		t.Errorf("Outcome(42).String() = %q", s)
	}
}

func TestWindowSettingsValidate(t *testing.T) {
	if err := (WindowSettings{}).Validate(); err != nil {
		t.Errorf("zero settings: %v", err)
	}
	s := WindowSettings{}.mustValid()
	if s.Buckets != 12 || s.BucketWidth != 5*time.Second || s.MinVolume != 20 {
		t.Errorf("defaults = %+v", s)
	}
	cases := []struct {
		s    WindowSettings
		want string
	}{
		{WindowSettings{Buckets: 1}, "Buckets must be 0 (default) or between 2 and 10000, got 1"},
		{WindowSettings{Buckets: -3}, "Buckets"},
		{WindowSettings{Buckets: 10001}, "Buckets"},
		{WindowSettings{BucketWidth: time.Microsecond}, "BucketWidth must be 0 (default) or at least 1ms"},
		{WindowSettings{MinVolume: -1}, "MinVolume"},
	}
	for _, c := range cases {
		err := c.s.Validate()
		if !errors.Is(err, ErrInvalidSettings) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalidSettings mentioning %q", c.s, err, c.want)
		}
	}
}

func TestConstructorsPanicOnInvalidSettings(t *testing.T) {
	for name, build := range map[string]func(){
		"NewWindow":   func() { NewWindow(WindowSettings{Buckets: 1}) },
		"NewRecorder": func() { NewRecorder([]string{"a"}, []string{"r"}, WindowSettings{MinVolume: -1}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if err, _ := recover().(error); !errors.Is(err, ErrInvalidSettings) {
					t.Errorf("recovered %v, want ErrInvalidSettings", err)
				}
			}()
			build()
		})
	}
}
