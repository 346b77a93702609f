package app_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// The end-to-end test: a dead primary is rolled back to the
// fallback (L3) and restored (L0) while a local receiver stands in for
// Slack, PagerDuty and a webhook. The engine and the escalation chain run
// on the test's clock, so the chain's 15- and 30-minute tiers and the
// restore's hold-down pass in milliseconds while traffic, health checks,
// notifiers and the database stay real.
func TestIncidentE2EOutageThroughL3AndBack(t *testing.T) {
	r := newE2ERig(t)
	id := r.toL3()
	written := r.writeSession("e2e-during-outage", 5)
	inc := r.incident(id)
	verdict, _ := e2eFind(inc.Timeline, 0, e2eKind(level.KindRollback))
	r.recv.waitFor("slack", 1)
	r.recv.waitFor("pagerduty", 1)
	e2eCheckArtifacts(t, r.waitArtifacts(id, 2))

	ackedAt := e2eWalkChain(r, id, inc.OpenedAt)
	if _, err := r.cl.Tick(t.Context(), id, incident.EmergencyRollback, "Root cause analysis started", "alice"); err != nil {
		t.Fatal(err)
	}
	var apiErr *client.APIError
	if _, err := r.cl.Tick(t.Context(), id, incident.EmergencyRollback, "10", "bob"); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
		t.Fatalf("ticking a ticked item again: %v, want 409", err)
	}
	r.restoreToL0()
	r.checkPrimaryHolds("e2e-during-outage", written)

	r.recv.waitFor("slack", 6)
	r.recv.waitFor("pagerduty", 6)
	r.recv.waitFor("webhook", 7)
	closed := r.incident(id)
	if closed.Open || closed.Level != "L0" || closed.MaxLevel != "L3" || closed.AckedBy != "alice" || !closed.AckedAt.Equal(ackedAt) {
		t.Fatalf("after the restore: open %v level %s max %s acked by %q at %s", closed.Open, closed.Level, closed.MaxLevel, closed.AckedBy, closed.AckedAt)
	}
	e2eCheckDeliveries(t, r.recv, id, inc.OpenedAt, verdict.Message)
	e2eCheckTimeline(t, closed)
	r.waitHistoryPast(closed.ClosedAt)
	closed = r.incident(id)
	e2eCheckMetrics(t, r, closed)
	e2eCheckChecklists(t, closed)
	e2eCheckReports(t, r, closed)

	// The record survives Lifeboat: a new process on the same data
	// directory reads the closed incident back exactly.
	r.stop()
	r.start()
	r.waitStates("up", "up")
	if got, want := e2eJSON(t, r.incident(id)), e2eJSON(t, closed); got != want {
		t.Fatalf("after a restart the incident reads back differently:\n%s\nwant:\n%s", got, want)
	}
	if list, err := r.cl.Incidents(t.Context(), 0); err != nil || len(list) != 1 || list[0].ID != id || list[0].Open {
		t.Fatalf("incident list after restart: %+v, %v", list, err)
	}
}

// e2eWalkChain ticks the chain at injected times and acknowledges; it
// waits for each tick's deliveries so that the receiver sees them in
// order. It returns when the incident was acknowledged. The rollback
// verdict that followed the opening paged nobody: DevOps repeats on
// L3's 15 s cadence from its own page at the opening.
func e2eWalkChain(r *e2eRig, id string, opened time.Time) time.Time {
	r.t.Helper()
	r.a.TickAlerts(opened.Add(15*time.Second - time.Millisecond)) // L3's cadence is 15 s: not due yet
	r.a.TickAlerts(opened.Add(15 * time.Second))                  // DevOps again
	r.recv.waitFor("slack", 2)
	r.recv.waitFor("pagerduty", 2)
	r.a.TickAlerts(opened.Add(15*time.Minute - time.Second)) // DevOps again; the director not yet
	r.recv.waitFor("pagerduty", 3)
	r.a.TickAlerts(opened.Add(15 * time.Minute)) // the director
	r.recv.waitFor("webhook", 1)
	r.a.TickAlerts(opened.Add(30*time.Minute - time.Second)) // both again; the CTO not yet
	r.recv.waitFor("webhook", 2)
	r.a.TickAlerts(opened.Add(30 * time.Minute)) // the CTO
	r.recv.waitFor("webhook", 3)

	r.clock.jumpTo(opened.Add(30*time.Minute + time.Second))
	acked, err := r.cl.Ack(r.t.Context(), id, "alice")
	if err != nil || acked.AckedBy != "alice" || acked.AckedAt.Before(opened.Add(30*time.Minute)) {
		r.t.Fatalf("ack: %+v, %v", acked, err)
	}
	r.recv.waitFor("webhook", 5)
	// Acknowledged: neither the cadence nor the chain pages anyone until
	// the acknowledgement times out after 30 minutes.
	for _, at := range []time.Duration{30*time.Minute + 20*time.Second, 45 * time.Minute, 60 * time.Minute} {
		r.a.TickAlerts(opened.Add(at))
	}
	r.a.TickAlerts(acked.AckedAt.Add(30*time.Minute - time.Second))
	return acked.AckedAt
}

// Lifeboat restarted at L3 with the incident acknowledged: the same
// incident stays open and keeps recording, the acknowledgement still holds
// the chain until it times out, a failed restore step does not overwrite
// the state preserved before the restart, and the return to L0 closes it.
func TestIncidentE2ERestartMidIncidentKeepsRecording(t *testing.T) {
	r := newE2ERig(t)
	id := r.toL3()
	r.recv.waitFor("slack", 1)
	inc := r.waitArtifacts(id, 2)
	opened, hashes := inc.OpenedAt, e2eHashes(t, inc)
	r.a.TickAlerts(opened.Add(15 * time.Minute)) // the director, and DevOps again
	r.recv.waitFor("webhook", 1)
	r.clock.jumpTo(opened.Add(20 * time.Minute))
	acked, err := r.cl.Ack(t.Context(), id, "bob")
	if err != nil {
		t.Fatal(err)
	}
	r.recv.waitFor("webhook", 2)
	r.recv.waitFor("pagerduty", 3)
	before := r.incident(id)
	r.stop()

	r.start()
	r.waitStates("down", "up")
	if st := r.a.Engine().Status(r.clock.Now()); st.Level != level.L3 || st.Phase != level.OnFallback || st.Mode != "fallback" {
		t.Fatalf("after the restart: %s %s mode %s, want L3 on the fallback", st.Level, st.Phase, st.Mode)
	}
	after := r.incident(id)
	if !after.Open || after.Level != "L3" || after.AckedBy != "bob" || !after.AckedAt.Equal(acked.AckedAt) {
		t.Fatalf("after the restart: open %v level %s acked by %q at %s", after.Open, after.Level, after.AckedBy, after.AckedAt)
	}
	n := len(before.Timeline)
	if got, want := e2eJSON(t, after.Timeline[:n]), e2eJSON(t, before.Timeline); got != want {
		t.Fatalf("the timeline changed across the restart:\n%s\nwant:\n%s", got, want)
	}
	if e, i := e2eFind(after.Timeline, n, e2eKind(level.KindDecision)); i < 0 || !strings.Contains(e.Message, "resumed at L3") {
		t.Fatalf("the resume after the restart is not on the incident: %+v", after.Timeline[n:])
	}

	// The restart pages nobody: the paging state was kept, so DevOps and
	// the director, told of the opening and the acknowledgement, are not
	// told again. The CTO, due at 30 minutes, is not paged while bob's
	// acknowledgement holds; 30 minutes after it, the chain re-triggers
	// and resumes escalating from the unacknowledged age it had reached.
	r.a.TickAlerts(opened.Add(30 * time.Minute))
	r.a.TickAlerts(acked.AckedAt.Add(30 * time.Minute))
	if hook := r.recv.waitFor("webhook", 3); hook[2].String() != "trigger/director" || hook[2].Stamp != e2eStamp(acked.AckedAt.Add(30*time.Minute)) {
		t.Fatalf("after the acknowledgement timed out the webhook got %s stamped %s, want the director re-paged", hook[2], hook[2].Stamp)
	}

	// A restore step fails (the primary dies again), then the restore
	// completes: both on the same incident.
	r.healAndHold()
	r.fault(r.ov, sim.Fault{Down: true})
	eventually(t, "restore aborted", func() bool { return r.step(r.last.Add(100*time.Millisecond)).Phase != level.Restoring })
	r.restoreToL0()
	r.recv.waitFor("slack", 5)
	r.recv.waitFor("webhook", 4)
	final := r.incident(id)
	if final.Open || len(final.Artifacts) != 2 {
		t.Fatalf("after the restore: open %v, %d artifacts (want closed with the 2 preserved before the restart)", final.Open, len(final.Artifacts))
	}
	_, failed := e2eFind(final.Timeline, n, e2eKind(level.KindRestoreFailed))
	_, back := e2eFind(final.Timeline, failed, e2eKindTo(event.ModeChanged, "fallback"))
	if failed < 0 || back < 0 || !e2eKindTo(level.KindLevelChanged, "L0")(final.Timeline[len(final.Timeline)-1]) {
		t.Fatalf("the failed step, the return to the fallback and the close are not all recorded after the restart")
	}
	for _, name := range []string{"detection", "containment", "recovery"} {
		b, f := e2eMetric(before.Metrics, name), e2eMetric(final.Metrics, name)
		if b.Value != f.Value || !f.Pass {
			t.Errorf("%s changed across the restart: %s, then %s", name, b.Text, f.Text)
		}
	}
	if list, err := r.cl.Incidents(t.Context(), 0); err != nil || len(list) != 1 {
		t.Fatalf("incidents: %d, %v; want the one incident", len(list), err)
	}
	for n, seq := range map[string][]string{
		"slack":   {"trigger/devops", "trigger/devops/repeat", "acknowledge/devops/bob", "trigger/devops", "resolve/devops"},
		"webhook": {"trigger/director", "acknowledge/director/bob", "trigger/director", "resolve/director"},
	} {
		if got := r.recv.sequence(n); !slices.Equal(got, seq) {
			t.Errorf("%s received %q\nwant %q", n, got, seq)
		}
	}

	r.stop() // waits for any preservation still running
	for _, e := range r.a.Events().Recent(256) {
		if e.Kind == "incident.preserve" {
			t.Errorf("state was preserved again after the restart: %s", e.Message)
		}
	}
	if got := e2eHashes(t, final); e2eJSON(t, got) != e2eJSON(t, hashes) {
		t.Errorf("preserved files changed after the restart")
	}
}

func e2eMetric(m incident.Metrics, name string) incident.Metric {
	for _, x := range m.All() {
		if x.Name == name {
			return x
		}
	}
	return incident.Metric{}
}
