package trigger

import (
	"context"
	"testing"
	"time"
)

// windowed is a scripted source that also says when, inside its window,
// the figure first went bad, and records the threshold it was asked with.
type windowed struct {
	scripted
	onset time.Time
	asked []bool // bad(5001), bad(4999) as the trigger judged them
}

func (w *windowed) Onset(_ time.Time, bad func(float64) bool) time.Time {
	w.asked = []bool{bad(5001), bad(4999)}
	return w.onset
}

// A window-based trigger's onset is where the window says the slow
// requests began, earlier than its first bad reading; the evidence
// carries it and the first evidence (BadSince) apart.
func TestOnsetFromWindow(t *testing.T) {
	src := &windowed{onset: t0.Add(-12 * time.Second)}
	set, err := NewSet([]Rule{{Name: "latency", Kind: Immediate, Source: src, Op: Above, Threshold: 5000, For: sec(10)}})
	if err != nil {
		t.Fatal(err)
	}
	src.set(val(6000))
	set.Evaluate(context.Background(), t0, 1)
	tr := set.Evaluate(context.Background(), t0.Add(sec(10)), 1)
	if len(tr) != 1 || !tr[0].Fired() {
		t.Fatalf("transitions = %+v, want the firing", tr)
	}
	ev := tr[0].Evidence
	if !ev.Onset.Equal(t0.Add(-12*time.Second)) || !ev.BadSince.Equal(t0) {
		t.Errorf("onset %v, bad since %v; want -12s and 0s", ev.Onset.Sub(t0), ev.BadSince.Sub(t0))
	}
	if len(src.asked) != 2 || !src.asked[0] || src.asked[1] {
		t.Errorf("onset judged with %v, want the rule's threshold (5001 bad, 4999 good)", src.asked)
	}
	src.set(val(10))
	set.Evaluate(context.Background(), t0.Add(sec(20)), 1)
	if st := set.Status()[0]; !st.Onset.IsZero() {
		t.Errorf("onset after clearing = %v, want zero", st.Onset)
	}
}

// A reading that knows its onset (the first failed check of a streak)
// sets it; a later onset never replaces the first bad reading.
func TestOnsetFromReading(t *testing.T) {
	src := &scripted{}
	set, _ := NewSet([]Rule{{Name: "health", Kind: Immediate, Source: src, Op: Above, Threshold: 3}})
	r := val(4)
	r.Onset = t0.Add(-3 * time.Second)
	src.set(r)
	ev := set.Evaluate(context.Background(), t0, 1)[0].Evidence
	if !ev.Onset.Equal(r.Onset) {
		t.Errorf("onset = %v, want the reading's -3s", ev.Onset.Sub(t0))
	}
	set.Reset()
	r.Onset = t0.Add(time.Hour)
	src.set(r)
	ev = set.Evaluate(context.Background(), t0, 1)[0].Evidence
	if !ev.Onset.Equal(t0) {
		t.Errorf("onset = %v, want the first bad reading when the source says later", ev.Onset.Sub(t0))
	}
}
