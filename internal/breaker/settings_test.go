package breaker

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		s     Settings
		field string // Empty when valid.
	}{
		{Settings{}, ""},
		{Settings{FailureThreshold: 1, RecoveryTimeout: time.Second, MaxRecoveryTimeout: time.Second,
			HalfOpenProbes: 3, SuccessesToClose: 5, Jitter: 1}, ""},
		{Settings{FailureThreshold: -1}, "FailureThreshold"},
		{Settings{FailureThreshold: 1 << 30}, "FailureThreshold"},
		{Settings{RecoveryTimeout: -time.Second}, "RecoveryTimeout"},
		{Settings{MaxRecoveryTimeout: -1}, "MaxRecoveryTimeout"},
		{Settings{HalfOpenProbes: -1}, "HalfOpenProbes"},
		{Settings{HalfOpenProbes: maxProbes + 1}, "HalfOpenProbes"},
		{Settings{SuccessesToClose: -2}, "SuccessesToClose"},
		{Settings{Jitter: -0.1}, "Jitter"},
		{Settings{Jitter: 1.5}, "Jitter"},
		{Settings{Jitter: math.NaN()}, "Jitter"},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tt.s, err)
			}
			continue
		}
		if !errors.Is(err, ErrSettings) || !strings.Contains(err.Error(), tt.field+" ") {
			t.Errorf("Validate(%+v) = %v, want ErrSettings naming %s", tt.s, err, tt.field)
		}
	}
}

func TestDefaults(t *testing.T) {
	s := New(Settings{HalfOpenProbes: 3}, nil).Snapshot().Settings
	if s.FailureThreshold != 5 || s.RecoveryTimeout != 30*time.Second ||
		s.MaxRecoveryTimeout != 300*time.Second || s.SuccessesToClose != 3 || s.Rand == nil {
		t.Fatalf("defaults not applied: %+v", s)
	}
}

func TestNewPanicsOnInvalidSettings(t *testing.T) {
	defer func() {
		if err, _ := recover().(error); !errors.Is(err, ErrSettings) {
			t.Fatalf("recover() = %v, want ErrSettings", err)
		}
	}()
	New(Settings{FailureThreshold: -5}, nil)
}
