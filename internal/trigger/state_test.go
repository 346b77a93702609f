package trigger

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// step is one evaluation of a table test: the reading at t0+at, the state
// expected after it, and the transition expected from it ("" for none).
type step struct {
	at      time.Duration
	reading signal.Reading
	want    State
	from    State
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		name  string
		rule  Rule // Source is filled in
		scale float64
		steps []step
	}{
		{"for 0 fires on the first bad reading", Rule{Op: Above, Threshold: 100}, 1, []step{
			{0, val(50), Inactive, ""},
			{sec(15), val(150), Firing, Inactive},
			{sec(30), val(150), Firing, ""},
			{sec(45), val(50), Inactive, Firing}, // ClearFor 0 clears at once
		}},
		{"pending then firing after For", Rule{Op: Above, Threshold: 100, For: time.Minute}, 1, []step{
			{0, val(150), Pending, Inactive},
			{sec(30), val(150), Pending, ""},
			{sec(59), val(150), Pending, ""},
			{sec(60), val(150), Firing, Pending},
		}},
		{"a single bad reading never fires", Rule{Op: Above, Threshold: 100, For: time.Minute}, 1, []step{
			{0, val(150), Pending, Inactive},
			{sec(15), val(50), Inactive, Pending},
			{sec(90), val(50), Inactive, ""},
		}},
		{"a blip restarts the For clock", Rule{Op: Above, Threshold: 100, For: time.Minute}, 1, []step{
			{0, val(150), Pending, Inactive},
			{sec(15), val(50), Inactive, Pending},
			{sec(30), val(150), Pending, Inactive},
			{sec(75), val(150), Pending, ""}, // 45s into the new streak
			{sec(90), val(150), Firing, Pending},
		}},
		{"a single good reading does not clear", Rule{Op: Above, Threshold: 100, ClearFor: 2 * time.Minute}, 1, []step{
			{0, val(150), Firing, Inactive},
			{sec(15), val(50), Resolving, Firing},
			{sec(30), val(150), Firing, Resolving},
			{sec(45), val(50), Resolving, Firing},
			{sec(150), val(50), Resolving, ""}, // 105s of good readings
			{sec(165), val(50), Inactive, Resolving},
		}},
		{"invalid readings neither fire nor clear", Rule{Op: Above, Threshold: 100, For: sec(30), ClearFor: sec(30)}, 1, []step{
			{0, none, Inactive, ""},
			{sec(15), val(150), Pending, Inactive},
			{sec(30), none, Pending, ""},
			{sec(45), val(150), Firing, Pending}, // For counts from the last valid start
			{sec(60), val(50), Resolving, Firing},
			{sec(600), none, Resolving, ""}, // no clearing for lack of data
			{sec(900), none, Resolving, ""},
			{sec(915), val(50), Inactive, Resolving},
		}},
		{"firing stays firing through missing data", Rule{Op: Above, Threshold: 100}, 1, []step{
			{0, val(150), Firing, Inactive},
			{time.Hour, none, Firing, ""},
		}},
		{"below op", Rule{Op: Below, Threshold: 0.5}, 1, []step{
			{0, val(0.6), Inactive, ""},
			{sec(15), val(0.3), Firing, Inactive},
		}},
		{"equal to the threshold is not bad", Rule{Op: Above, Threshold: 100}, 1, []step{
			{0, val(100), Inactive, ""},
		}},
		{"scaled threshold fires earlier", Rule{Op: Above, Threshold: 5000, Scalable: true}, 0.5, []step{
			{0, val(2400), Inactive, ""},
			{sec(15), val(3000), Firing, Inactive},
		}},
		{"unscalable rule ignores scale", Rule{Op: Above, Threshold: 5000}, 0.5, []step{
			{0, val(3000), Inactive, ""},
		}},
		{"a non-positive scale means 1", Rule{Op: Above, Threshold: 5000, Scalable: true}, 0, []step{
			{0, val(3000), Inactive, ""},
		}},
		{"a NaN scale means 1", Rule{Op: Above, Threshold: 5000, Scalable: true}, math.NaN(), []step{
			{0, val(3000), Inactive, ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := &scripted{}
			rule := c.rule
			rule.Name, rule.Kind, rule.Source = "t", Immediate, src
			set, err := NewSet([]Rule{rule})
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range c.steps {
				src.set(st.reading)
				trs := set.Evaluate(context.Background(), t0.Add(st.at), c.scale)
				checkStep(t, i, set, trs, st)
			}
		})
	}
}

func checkStep(t *testing.T, i int, set *Set, trs []Transition, st step) {
	t.Helper()
	if got := set.Status()[0].State; got != st.want {
		t.Fatalf("step %d: state %s, want %s", i, got, st.want)
	}
	switch {
	case st.from == "" && len(trs) != 0:
		t.Fatalf("step %d: unexpected transition %+v", i, trs[0])
	case st.from != "" && (len(trs) != 1 || trs[0].From != st.from || trs[0].To != st.want):
		t.Fatalf("step %d: transitions %+v, want %s -> %s", i, trs, st.from, st.want)
	}
}
