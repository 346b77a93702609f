package level

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The incident: during the hold-down after an outage a person set L0, and
// the next evaluation went straight back to L3 on the outage's trigger,
// which was only resolving. A person's level holds until a trigger fires
// anew, and the command's event says who overrode what.
func TestOperatorsLevelHoldsThroughAResolvingTrigger(t *testing.T) {
	r := newRig(t, nil)
	r.imm.set(4)
	r.expect(0, L3, OnFallback, fallbackMode)
	r.imm.set(0) // the primary is back: the trigger resolves for its 30 s
	st := r.expect(10*time.Second, L3, OnFallback, fallbackMode)
	if st.Triggers[1].State != "resolving" {
		t.Fatalf("trigger %s, want resolving", st.Triggers[1].State)
	}
	if err := r.e.SetLevel(context.Background(), L0, "alice"); err != nil {
		t.Fatal(err)
	}
	r.expect(10*time.Second+26*time.Millisecond, L0, Normal, primaryMode)
	r.expect(20*time.Second, L0, Normal, primaryMode)
	found := false
	for _, e := range r.events.Recent(100) {
		if e.Kind == KindControl && strings.Contains(e.Message, "alice") &&
			strings.Contains(e.Message, "overrode L3") && strings.Contains(e.Message, "down") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no control event naming alice, L3 and the held trigger:\n%s", r.eventLog())
	}
	r.imm.set(4) // a fresh crossing after the command
	r.expect(25*time.Second, L3, OnFallback, fallbackMode)
}

// A trigger still firing when the person acted is held too, until it
// resolves and fires again.
func TestOperatorsLevelHoldsThroughAFiringTrigger(t *testing.T) {
	r := newRig(t, nil)
	r.imm.set(4)
	r.expect(0, L3, OnFallback, fallbackMode)
	if err := r.e.SetLevel(context.Background(), L0, "bob"); err != nil {
		t.Fatal(err)
	}
	r.expect(time.Second, L0, Normal, primaryMode)
	r.expect(time.Minute, L0, Normal, primaryMode)
	r.imm.set(0)
	r.expect(61*time.Second, L0, Normal, primaryMode)
	r.imm.set(4)
	r.expect(62*time.Second, L3, OnFallback, fallbackMode)
}

// Without any command, a resolving trigger does not start an escalation
// either: its condition no longer holds.
func TestResolvingTriggerNeverEscalates(t *testing.T) {
	r := newRig(t, nil)
	r.warn.set(2)
	r.expect(0, L0, Normal, primaryMode)
	r.expect(30*time.Second, L1, Degraded, primaryMode)
	r.warn.set(0) // resolving for its minute
	r.expect(5*time.Minute+30*time.Second, L1, Degraded, primaryMode)
}
