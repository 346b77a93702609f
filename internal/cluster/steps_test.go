package cluster

import (
	"errors"
	"testing"
)

// TestStepLogResume kills the decider between a step's intent and its
// outcome: the next decider must skip the finished step, resume the open
// one, and be refused a second intent for either.
func TestStepLogResume(t *testing.T) {
	e := startEtcd(t)
	a := join(t, e.Endpoints(), "a", Options{})
	waitFor(t, "a decides", a.IsDecider)
	b := join(t, e.Endpoints(), "b", Options{})
	const inc = "2026-01-01/primary-down"
	for _, step := range []string{"page/oncall", "restore/1"} {
		if err := a.Intent(ctx(t), inc, step, []byte(step)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Outcome(ctx(t), inc, "page/oncall", []byte("sent")); err != nil {
		t.Fatal(err)
	}
	if err := b.Intent(ctx(t), inc, "restore/2", nil); !errors.Is(err, ErrNotDecider) {
		t.Fatalf("follower recorded an intent: %v", err)
	}
	kill(a)
	waitFor(t, "b decides", b.IsDecider)

	steps, err := b.Steps(ctx(t), inc)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || !steps.Done("page/oncall") || steps.Done("restore/1") {
		t.Fatalf("steps %+v: want page done, restore/1 open", steps)
	}
	open := steps.Open()
	if len(open) != 1 || open[0].Key != "restore/1" || open[0].Intent.By != "a" || string(open[0].Intent.Detail) != "restore/1" {
		t.Fatalf("open steps %+v", open)
	}
	if err := b.Intent(ctx(t), inc, "page/oncall", nil); !errors.Is(err, ErrStepRecorded) {
		t.Fatalf("second intent for a done step: %v", err)
	}
	if err := b.Outcome(ctx(t), inc, "page/oncall", nil); !errors.Is(err, ErrStepRecorded) {
		t.Fatalf("second outcome: %v", err)
	}
	if err := b.Outcome(ctx(t), inc, "restore/1", []byte("resumed")); err != nil {
		t.Fatal(err)
	}
	if err := b.Outcome(ctx(t), inc, "restore/2", nil); !errors.Is(err, ErrNoIntent) {
		t.Fatalf("outcome without intent: %v", err)
	}
	steps, err = b.Steps(ctx(t), inc)
	if err != nil || len(steps.Open()) != 0 {
		t.Fatalf("after resume: %+v, %v", steps, err)
	}
	if st, _ := steps.Find("restore/1"); st.Outcome.By != "b" || st.Intent.By != "a" {
		t.Fatalf("restore/1 %+v: want intent by a, outcome by b", st)
	}
}
