package health

import "testing"

// run feeds outcomes ("+" pass, "-" fail) and returns the state after each.
func runTally(outcomes string, rise, fall int) []State {
	var t tally
	var states []State
	for _, o := range outcomes {
		s, _ := t.observe(o == '+', rise, fall)
		states = append(states, s)
	}
	return states
}

func TestTallyHysteresis(t *testing.T) {
	U, D, N := Up, Down, Unknown
	cases := []struct {
		name     string
		outcomes string
		want     []State
	}{
		{"first pass decides up", "+", []State{U}},
		{"failures before first pass", "---+", []State{N, N, N, U}},
		{"fall failures from unknown", "----", []State{N, N, N, D}},
		{"three failures are not enough", "+---+", []State{U, U, U, U, U}},
		{"fourth failure takes it down", "+----", []State{U, U, U, U, D}},
		{"one pass does not bring it back", "----+-+", []State{N, N, N, D, D, D, D}},
		{"rise passes bring it back", "----++", []State{N, N, N, D, D, U}},
		{"a pass resets the failure streak", "+---+---", []State{U, U, U, U, U, U, U, U}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runTally(c.outcomes, 2, 4)
			for i := range c.want {
				if got[i] != c.want[i] {
					t.Fatalf("states = %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestTallyChanging(t *testing.T) {
	cases := []struct {
		outcomes string
		want     bool
	}{
		{"", false},
		{"-", true},     // unknown, failing
		{"+", false},    // up, stable
		{"+-", true},    // up, failing
		{"----", false}, // down, stable
		{"----+", true}, // down, recovering
		{"----++", false},
	}
	for _, c := range cases {
		var tl tally
		for _, o := range c.outcomes {
			tl.observe(o == '+', 2, 4)
		}
		if got := tl.changing(); got != c.want {
			t.Errorf("after %q changing() = %v, want %v", c.outcomes, got, c.want)
		}
	}
}

func TestStateStrings(t *testing.T) {
	for s, want := range map[State]string{Unknown: "unknown", Up: "up", Down: "down", State(7): "state(7)"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), want)
		}
	}
	if !Unknown.Usable() || !Up.Usable() || Down.Usable() {
		t.Error("Usable: want Unknown and Up usable, Down not")
	}
}
