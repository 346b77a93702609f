package level

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

const (
	primaryMode  = proxy.ModePrimary
	backupMode   = proxy.ModeBackup
	fallbackMode = proxy.ModeFallback
	splitMode    = proxy.ModeSplit
)

// The plan's whole warning timeline: L1 when the warning has held for its
// 30 s, L2 five minutes later, L3 fifteen minutes after the issue began.
func TestWarningWalksThePlansLevels(t *testing.T) {
	r := newRig(t, nil)
	r.warn.set(2)
	r.expect(0, L0, Normal, primaryMode)
	r.expect(29*time.Second, L0, Normal, primaryMode)
	st := r.expect(30*time.Second, L1, Degraded, primaryMode)
	if !st.IncidentStart.Equal(r.t0.Add(30 * time.Second)) {
		t.Fatalf("incident start %v, want t0+30s", st.IncidentStart)
	}
	r.expect(5*time.Minute+29*time.Second, L1, Degraded, primaryMode)
	r.expect(5*time.Minute+30*time.Second, L2, Isolated, backupMode)
	r.expect(15*time.Minute+29*time.Second, L2, Isolated, backupMode)
	st = r.expect(15*time.Minute+30*time.Second, L3, OnFallback, fallbackMode)
	if st.Rollback != RollbackSuccessful {
		t.Fatalf("rollback verdict %q, want %q", st.Rollback, RollbackSuccessful)
	}
	if got := r.calls(); !slices.Equal(got, []string{"enable_breaker", "aggressive_cache"}) {
		t.Fatalf("built-ins run: %v, want L1's then L2's", got)
	}
	k := r.kinds()
	if k[KindLevelChanged] != 3 || k[KindRollback] != 1 || k[KindAction] != 3 || k[KindTriggerFired] != 1 {
		t.Fatalf("events %v; want 3 level changes, 1 rollback, 3 actions (incl. the L3 command), 1 trigger fired", k)
	}
}

func TestImmediateTriggerGoesStraightToL3(t *testing.T) {
	r := newRig(t, nil)
	r.imm.set(4)
	r.expect(0, L3, OnFallback, fallbackMode)
	if len(r.calls()) != 0 {
		t.Fatalf("L1/L2 built-ins ran on a direct L3: %v", r.calls())
	}
	for _, e := range r.events.Recent(100) {
		if e.Kind == KindLevelChanged {
			ev, ok := e.Fields["evidence"]
			if !ok || ev == nil {
				t.Fatalf("level change without evidence: %+v", e)
			}
			return
		}
	}
	t.Fatal("no level.changed event")
}

func TestBlipsChangeNothing(t *testing.T) {
	r := newRig(t, nil)
	r.warn.set(2) // one slow reading...
	r.expect(0, L0, Normal, primaryMode)
	r.warn.set(0) // ...then normal again before its 30 s "for"
	r.expect(10*time.Second, L0, Normal, primaryMode)
	r.imm.set(1) // one failed check of the "more than 3" rule
	r.expect(40*time.Second, L0, Normal, primaryMode)
	r.expect(time.Hour, L0, Normal, primaryMode)
}

func TestSettlesBackToL0(t *testing.T) {
	r := newRig(t, nil)
	r.warn.set(2)
	r.at(0)
	r.expect(30*time.Second, L1, Degraded, primaryMode)
	r.warn.set(0)
	r.expect(time.Minute, L1, Degraded, primaryMode)   // resolving: still counts as an issue
	r.expect(2*time.Minute, L1, Degraded, primaryMode) // cleared; last seen active at +1m
	r.expect(2*time.Minute+59*time.Second, L1, Degraded, primaryMode)
	r.expect(3*time.Minute, L0, Normal, primaryMode)
	if got := r.calls(); !slices.Equal(got, []string{"enable_breaker", "restore_defaults"}) {
		t.Fatalf("built-ins: %v, want L1's then the return to normal's", got)
	}
}

func TestUnhealthyFallbackKeepsTrafficAndRaisesCritical(t *testing.T) {
	r := newRig(t, nil)
	r.verify.fallbackErr = errors.New("fallback /health: connect refused")
	r.imm.set(4)
	r.expect(0, L3, Verifying, backupMode)
	st := r.expect(time.Second, L3, Verifying, backupMode)
	if !st.Critical || r.kinds()[KindFallbackUnhealthy] != 1 {
		t.Fatalf("critical=%v, fallback-unhealthy events %d; want one critical event while it lasts", st.Critical, r.kinds()[KindFallbackUnhealthy])
	}
	r.verify.mu.Lock()
	r.verify.fallbackErr = nil
	r.verify.mu.Unlock()
	st = r.expect(2*time.Second, L3, OnFallback, fallbackMode)
	if st.Critical || st.Rollback != RollbackSuccessful {
		t.Fatalf("after the fallback recovered: critical=%v rollback=%q", st.Critical, st.Rollback)
	}
}

func TestFailedEndToEndCheckNeedsAPerson(t *testing.T) {
	r := newRig(t, nil)
	r.verify.endToEndErr = errors.New("gateway /health answered 503")
	r.imm.set(4)
	if st := r.expect(0, L3, OnFallback, fallbackMode); st.Rollback != RollbackFailed {
		t.Fatalf("rollback verdict %q, want %q", st.Rollback, RollbackFailed)
	}
}

func TestRestartDuringL2ComesBackInL2(t *testing.T) {
	r := newRig(t, nil)
	r.warn.set(2)
	r.at(0)
	r.at(30 * time.Second)
	r.expect(5*time.Minute+30*time.Second, L2, Isolated, backupMode)
	// A new process: routing and built-in changes lived in memory.
	r.gw.SetRouting(proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100})
	r.mu.Lock()
	r.builtins = nil
	r.mu.Unlock()
	r.e = r.newEngine(Settings{Actions: r.e.s.Actions})
	if st := r.e.Status(r.t0.Add(6 * time.Minute)); st.Level != L2 || r.gw.Routing().Mode != backupMode {
		t.Fatalf("after restart: %s, mode %s; want L2 in backup mode", st.Level, r.gw.Routing().Mode)
	}
	if got := r.calls(); !slices.Equal(got, []string{"enable_breaker", "aggressive_cache"}) {
		t.Fatalf("re-applied built-ins: %v, want L1's and L2's", got)
	}
}

func TestRestoreStepsBackToThePrimary(t *testing.T) {
	r := newRig(t, nil)
	r.imm.set(4)
	r.expect(0, L3, OnFallback, fallbackMode)
	r.imm.set(0)
	r.expect(time.Second, L3, OnFallback, fallbackMode) // hold-down starts
	r.expect(2*time.Minute, L3, OnFallback, fallbackMode)
	d := 2*time.Minute + time.Second
	for i, w := range []int{10, 25, 50, 75, 100} {
		st := r.expect(d, L3, Restoring, splitMode)
		if st.Step != i || r.gw.Routing().PrimaryWeight != w {
			t.Fatalf("step %d: state step %d weight %d, want weight %d", i, st.Step, r.gw.Routing().PrimaryWeight, w)
		}
		d += time.Minute
	}
	r.expect(d, L0, Normal, primaryMode)
	if r.kinds()[KindRestoreDone] != 1 || r.verify.judgedSteps != 5 {
		t.Fatalf("restore completed events %d, judged steps %d", r.kinds()[KindRestoreDone], r.verify.judgedSteps)
	}
}

func TestFailingRestoreStepReturnsToFallback(t *testing.T) {
	r := newRig(t, nil)
	r.imm.set(4)
	r.at(0)
	r.imm.set(0)
	r.at(time.Second)
	r.expect(2*time.Minute+time.Second, L3, Restoring, splitMode)
	r.verify.mu.Lock()
	r.verify.stepOK = false
	r.verify.mu.Unlock()
	r.expect(3*time.Minute, L3, Restoring, splitMode) // not yet judged
	r.expect(3*time.Minute+time.Second, L3, OnFallback, fallbackMode)
	if r.kinds()[KindRestoreFailed] != 1 {
		t.Fatalf("no restore.failed event:\n%s", r.eventLog())
	}
	// The primary falling over mid-step also aborts at once.
	r.verify.mu.Lock()
	r.verify.stepOK = true
	r.verify.mu.Unlock()
	r.at(3*time.Minute + 2*time.Second)
	r.expect(5*time.Minute+2*time.Second, L3, Restoring, splitMode)
	r.verify.setPrimary(false)
	r.expect(5*time.Minute+3*time.Second, L3, OnFallback, fallbackMode)
}

func TestRestoreWaitsForAnAcknowledgement(t *testing.T) {
	r := newRig(t, func(s *Settings) { s.Restore.RequireAck = true })
	r.imm.set(4)
	r.at(0)
	r.imm.set(0)
	r.at(time.Second)
	r.expect(2*time.Minute+time.Second, L3, AwaitAck, fallbackMode)
	r.expect(time.Hour, L3, AwaitAck, fallbackMode)
	if err := r.e.Ack(context.Background(), "alice"); err != nil {
		t.Fatal(err)
	}
	st := r.expect(time.Hour+time.Second, L3, Restoring, splitMode)
	if st.AckedBy != "alice" || !st.Manual {
		t.Fatalf("acked by %q manual %v", st.AckedBy, st.Manual)
	}
}

func TestDryRunDecidesButDoesNotAct(t *testing.T) {
	r := newRig(t, func(s *Settings) { s.DryRun = true })
	r.imm.set(4)
	st := r.at(0)
	if st.Level != L3 || r.gw.Routing().Mode != primaryMode || len(r.calls()) != 0 {
		t.Fatalf("dry run: level %s mode %s built-ins %v; want L3 decided, traffic and gateway untouched",
			st.Level, r.gw.Routing().Mode, r.calls())
	}
	if r.kinds()[KindDecision] == 0 {
		t.Fatal("dry run recorded no decision")
	}
}

func TestPausedAutomationOnlyWatches(t *testing.T) {
	r := newRig(t, nil)
	if err := r.e.Pause(context.Background(), "bob"); err != nil {
		t.Fatal(err)
	}
	r.imm.set(4)
	r.expect(0, L0, Normal, primaryMode)
	if err := r.e.Resume(context.Background(), "bob"); err != nil {
		t.Fatal(err)
	}
	r.expect(time.Second, L3, OnFallback, fallbackMode)
}

func TestPeopleCanForceAndStepDown(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	if err := r.e.SetLevel(ctx, L2, "carol"); err != nil {
		t.Fatal(err)
	}
	if st := r.e.Status(r.t0); st.Level != L2 || !st.Manual || r.gw.Routing().Mode != backupMode {
		t.Fatalf("set L2: %s manual=%v mode %s", st.Level, st.Manual, r.gw.Routing().Mode)
	}
	if err := r.e.StartRestore(ctx, "carol"); !errors.Is(err, ErrState) {
		t.Fatalf("restore from L2: %v, want ErrState", err)
	}
	if err := r.e.ForceRollback(ctx, "carol"); err != nil || r.gw.Routing().Mode != fallbackMode {
		t.Fatalf("force rollback: %v, mode %s", err, r.gw.Routing().Mode)
	}
	if err := r.e.StartRestore(ctx, "carol"); err != nil || r.gw.Routing().Mode != splitMode {
		t.Fatalf("start restore: %v, mode %s", err, r.gw.Routing().Mode)
	}
	if err := r.e.AbortRestore(ctx, "carol"); err != nil || r.gw.Routing().Mode != fallbackMode {
		t.Fatalf("abort restore: %v, mode %s", err, r.gw.Routing().Mode)
	}
	if err := r.e.SetLevel(ctx, L0, "carol"); err != nil || r.gw.Routing().Mode != primaryMode {
		t.Fatalf("set L0: %v, mode %s", err, r.gw.Routing().Mode)
	}
}

// Run evaluates on its ticker and at once when poked, so a health flip is
// acted on without waiting for the next tick.
func TestRunActsOnPoke(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, func(s *Settings) { s.Evaluate = time.Hour; s.Actions.L3 = nil })
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { r.e.Run(ctx); close(done) }()
		r.imm.set(4)
		r.e.Poke()
		synctest.Wait()
		if st := r.e.Status(time.Now()); st.Level != L3 {
			t.Fatalf("after poke: %s, want L3 without waiting for the hourly tick", st.Level)
		}
		cancel()
		<-done
	})
}

func TestFileStoreSurvivesReload(t *testing.T) {
	fs := FileStore{Path: t.TempDir() + "/sub/level.json"}
	if _, ok, err := fs.Load(); ok || err != nil {
		t.Fatalf("empty store: ok=%v err=%v", ok, err)
	}
	want := State{Level: L2, Phase: Isolated, Since: time.Unix(1000, 0).UTC(), Manual: true}
	if err := fs.Save(want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := fs.Load()
	if err != nil || !ok || got.Level != L2 || got.Phase != Isolated || !got.Since.Equal(want.Since) || !got.Manual {
		t.Fatalf("reloaded %+v ok=%v err=%v", got, ok, err)
	}
}

func TestSettingsValidation(t *testing.T) {
	bad := []Settings{
		{L2Scale: 2},
		{Restore: Restore{Steps: []Step{{Weight: 50, Hold: time.Second}, {Weight: 40, Hold: time.Second}}}},
		{Restore: Restore{Steps: []Step{{Weight: 50, Hold: time.Second}}}},
		{Restore: Restore{Steps: []Step{{Weight: 100}}}},
	}
	for i, s := range bad {
		if err := s.Validate(); !errors.Is(err, ErrSettings) {
			t.Errorf("case %d: %v, want ErrSettings", i, err)
		}
	}
	if _, err := ParseLevel("L4"); !errors.Is(err, ErrBadLevel) {
		t.Errorf("ParseLevel(L4): %v", err)
	}
}
