package report

import (
	"reflect"
	"testing"
	"time"
)

func TestNewAxisEndsOnRoundSteps(t *testing.T) {
	cases := []struct {
		peak, floor, ceiling float64
		want                 axis
	}{
		{7470, 1, 1e9, axis{top: 8000, step: 2000}},
		{60, 1, 100, axis{top: 60, step: 20}},
		{0, 1, 100, axis{top: 1, step: 0.2}},
		{430, 1, 100, axis{top: 100, step: 20}},
		{101, 1, 1e9, axis{top: 150, step: 50}},
	}
	for _, c := range cases {
		got := newAxis(c.peak, c.floor, c.ceiling)
		if abs(got.top-c.want.top) > 1e-9 || abs(got.step-c.want.step) > 1e-9 {
			t.Errorf("newAxis(%v) = %+v, want %+v", c.peak, got, c.want)
		}
	}
	if got := (axis{top: 60, step: 20}).ticks(); !reflect.DeepEqual(got, []float64{0, 20, 40, 60}) {
		t.Errorf("ticks %v", got)
	}
}

func abs(v float64) float64 { return max(v, -v) }

func TestTimeTicksAreRoundAndFew(t *testing.T) {
	cases := []struct {
		span  time.Duration
		step  time.Duration
		label string
	}{
		{10 * time.Minute, 2 * time.Minute, "14:02:00"},
		{45 * time.Second, 10 * time.Second, "14:00:10"},
		{3 * time.Hour, 30 * time.Minute, "14:30"},
	}
	for _, c := range cases {
		ticks := timeTicks(at(0), at(0).Add(c.span))
		if len(ticks) < 3 || len(ticks) > 9 {
			t.Errorf("%v: %d ticks", c.span, len(ticks))
			continue
		}
		if d := ticks[1].Sub(ticks[0]); d != c.step {
			t.Errorf("%v: step %v, want %v", c.span, d, c.step)
		}
		if l := timeLabel(ticks[1], c.span); l != c.label {
			t.Errorf("%v: label %q, want %q", c.span, l, c.label)
		}
	}
}
