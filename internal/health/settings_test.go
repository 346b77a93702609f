package health

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestZeroSettingsGetDefaults(t *testing.T) {
	if err := (Settings{}).Validate(); err != nil {
		t.Fatalf("zero settings invalid: %v", err)
	}
	s := Settings{}.withDefaults()
	if s.Interval != time.Second || s.Timeout != time.Second || s.Rise != 2 || s.Fall != 4 {
		t.Errorf("defaults = %+v", s)
	}
	if s.FastInterval != 250*time.Millisecond {
		t.Errorf("FastInterval = %s, want Interval/4", s.FastInterval)
	}
	if len(s.ExpectStatus) != 1 || s.ExpectStatus[0] != 200 {
		t.Errorf("ExpectStatus = %v, want [200]", s.ExpectStatus)
	}
}

func TestFastIntervalDefaultIsBounded(t *testing.T) {
	cases := []struct{ interval, want time.Duration }{
		{2 * time.Second, 500 * time.Millisecond},
		{200 * time.Millisecond, 100 * time.Millisecond}, // floor of 100ms
		{50 * time.Millisecond, 50 * time.Millisecond},   // never above Interval
	}
	for _, c := range cases {
		got := Settings{Interval: c.interval}.withDefaults().FastInterval
		if got != c.want {
			t.Errorf("Interval %s: FastInterval = %s, want %s", c.interval, got, c.want)
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		name string
		s    Settings
		want string
	}{
		{"negative interval", Settings{Interval: -time.Second}, "Interval"},
		{"tiny interval", Settings{Interval: time.Millisecond}, "Interval must be"},
		{"fast above interval", Settings{Interval: time.Second, FastInterval: 2 * time.Second}, "FastInterval 2s must not exceed"},
		{"fast above default", Settings{FastInterval: 3 * time.Second}, "must not exceed Interval 1s"},
		{"negative timeout", Settings{Timeout: -1}, "Timeout"},
		{"rise", Settings{Rise: -1}, "Rise"},
		{"fall", Settings{Fall: 101}, "Fall must be between 0 (default) and 100, got 101"},
		{"status", Settings{ExpectStatus: []int{200, 42}}, "ExpectStatus entry 42"},
		{"values without field", Settings{HealthyValues: []string{"ok"}}, "JSONField is empty"},
		{"field without values", Settings{JSONField: "status"}, `JSONField "status" needs`},
		{"empty segment", Settings{JSONField: "checks..db", HealthyValues: []string{"ok"}}, "empty path segment"},
		{"leading dot", Settings{JSONField: ".db", HealthyValues: []string{"ok"}}, "empty path segment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Validate()
			if !errors.Is(err, ErrInvalidSettings) {
				t.Fatalf("err = %v, want ErrInvalidSettings", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Settings{Rise: -1, Fall: -1}.Validate()
	if err == nil || !strings.Contains(err.Error(), "Rise") || !strings.Contains(err.Error(), "Fall") {
		t.Errorf("err = %v, want both Rise and Fall named", err)
	}
}

func TestValidSettingsPass(t *testing.T) {
	s := Settings{Interval: 2 * time.Second, FastInterval: 500 * time.Millisecond, Rise: 1, Fall: 3,
		ExpectStatus: []int{200, 204}, JSONField: "checks.db", HealthyValues: []string{"ok"}}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
}

func TestConstructorsPanicOnInvalidSettings(t *testing.T) {
	for name, build := range map[string]func(){
		"NewChecker":    func() { NewChecker("x", nil, Settings{Fall: -1}, Hooks{}) },
		"NewHTTPProber": func() { NewHTTPProber(nil, "http://x", Settings{Rise: -1}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				err, _ := recover().(error)
				if !errors.Is(err, ErrInvalidSettings) {
					t.Errorf("recovered %v, want ErrInvalidSettings", err)
				}
			}()
			build()
		})
	}
}

// TestNormalizeDropsUnusedValues: a file that empties json_field keeps the
// defaults' healthy values, which only a JSON check reads.
func TestNormalizeDropsUnusedValues(t *testing.T) {
	plain := Settings{HealthyValues: []string{"ok"}}.Normalize()
	if plain.HealthyValues != nil || plain.Validate() != nil {
		t.Fatalf("plain check = %+v, Validate() = %v", plain, plain.Validate())
	}
	body := Settings{JSONField: "status", HealthyValues: []string{"ok"}}.Normalize()
	if len(body.HealthyValues) != 1 {
		t.Fatalf("JSON check lost its values: %+v", body)
	}
}
