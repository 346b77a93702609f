package incident

import (
	"context"
	"errors"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// outage drives a full Level 3 rollback and restore, and returns the
// incident's ID. The ack lands between the alert and the restore.
func outage(t *testing.T, r running, clk *clock) string {
	t.Helper()
	before := []event.Event{
		ev(at(-5*time.Minute), event.HealthChanged, "health", event.Warning, "primary flapping", nil),
		fired(at(-2*time.Minute), "stale_trigger", at(-3*time.Minute)), // outside the lookback
	}
	during := []event.Event{
		fired(at(12*time.Second), "primary_down", t0),
		levelChange(at(12*time.Second), "L0", "L3", evidenceFor("primary_down", t0)),
		ev(at(13*time.Second), event.HealthChanged, "health", event.Warning, "primary unhealthy", map[string]any{"to": "unhealthy"}),
		simple(at(15*time.Second), fact.KindFallbackVerified, "fallback verified healthy"),
		routing(at(15*time.Second), "primary", "fallback"),
		ev(at(20*time.Second), KindArtifact, "app", event.Info, "redis snapshot", map[string]any{"name": "redis_bgsave", "location": "/data/dump.rdb"}),
		simple(at(40*time.Second), fact.KindRollback, string(fact.RollbackSuccessful)),
		ev(at(41*time.Second), KindNotifySent, "notify", event.Info, "alert sent to devops", map[string]any{"notifier": "slack"}),
	}
	for _, e := range append(before, during...) {
		r.Emit(e)
	}
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	clk.Set(at(50 * time.Second))
	if err := r.Ack(context.Background(), id, "bob"); err != nil {
		t.Fatal(err)
	}
	for _, e := range []event.Event{
		simple(at(3*time.Minute), "restore.waiting", "primary healthy; hold-down of 1m started"),
		simple(at(5*time.Minute), "restore.step", "restore step 1/1: 100% to the primary"),
		routing(at(5*time.Minute), "fallback", "split"),
		simple(at(6*time.Minute), "restore.completed", "restore completed"),
		levelChange(at(6*time.Minute), "L3", "L0"),
		simple(at(7*time.Minute), event.HealthChanged, "after the incident: not stored"),
	} {
		r.Emit(e)
	}
	flush(t, r.Recorder)
	return id
}

func TestOutageTimeline(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	var window [2]time.Time
	r := start(t, s, Options{Now: clk.Now, Downtime: func(a, b time.Time) (time.Duration, bool) {
		window = [2]time.Time{a, b}
		return 8 * time.Second, true
	}})
	id := outage(t, r, clk)
	if !strings.HasPrefix(id, "INC-20260203-140012-") || len(id) != len("INC-20260203-140012-ab12") {
		t.Fatalf("id = %q, want INC-20260203-140012-xxxx", id)
	}
	inc := get(t, r.Recorder, id)
	want := []string{fact.KindTriggerFired, fact.KindLevelChanged, event.HealthChanged, fact.KindFallbackVerified, event.ModeChanged,
		KindArtifact, fact.KindRollback, KindNotifySent, KindAcked, "restore.waiting", "restore.step", event.ModeChanged,
		"restore.completed", fact.KindLevelChanged}
	if got := kinds(inc.Timeline); !slices.Equal(got, want) {
		t.Fatalf("timeline kinds:\n got %v\nwant %v", got, want)
	}
	for i, e := range inc.Timeline {
		if e.Seq != i+1 {
			t.Fatalf("entry %d has seq %d", i, e.Seq)
		}
	}
	if e := inc.Timeline[0]; !e.Time.Equal(at(12*time.Second)) || e.Source != "level" || e.Severity != "critical" {
		t.Fatalf("first entry = %+v", e)
	}
	if ack := inc.Timeline[8]; !ack.Time.Equal(at(50*time.Second)) || ack.Fields["by"] != "bob" {
		t.Fatalf("ack entry = %+v", ack)
	}
	ev0 := inc.Timeline[1].Fields["evidence"].([]any)[0].(map[string]any)
	if ev0["trigger"] != "primary_down" || ev0["bad_since"] != t0.Format(time.RFC3339) {
		t.Fatalf("level change evidence read back as %v", ev0)
	}
	if window != [2]time.Time{t0, at(6 * time.Minute)} {
		t.Fatalf("downtime asked for %v, want [first bad signal, close]", window)
	}
}

func TestOutageSummary(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	var seen changes
	r := start(t, s, Options{Now: clk.Now, OnChange: seen.add})
	id := outage(t, r, clk)
	inc := get(t, r.Recorder, id)
	if inc.Open || !inc.OpenedAt.Equal(at(12*time.Second)) || !inc.ClosedAt.Equal(at(6*time.Minute)) {
		t.Fatalf("open=%v opened=%v closed=%v", inc.Open, inc.OpenedAt, inc.ClosedAt)
	}
	if inc.Level != "L0" || inc.MaxLevel != "L3" || inc.Trigger != "primary_down" || inc.Rollback != string(fact.RollbackSuccessful) || inc.Manual {
		t.Fatalf("summary = %+v", inc.Summary())
	}
	if inc.AckedBy != "bob" || !inc.AckedAt.Equal(at(50*time.Second)) {
		t.Fatalf("acked by %q at %v", inc.AckedBy, inc.AckedAt)
	}
	if len(inc.Artifacts) != 1 || inc.Artifacts[0] != (Artifact{Name: "redis_bgsave", Location: "/data/dump.rdb", Time: at(20 * time.Second), Seq: 6}) {
		t.Fatalf("artifacts = %+v", inc.Artifacts)
	}
	if got, want := seen.kinds(), []ChangeKind{Opened, Updated, Acked, Resolved}; !slices.Equal(got, want) {
		t.Fatalf("changes = %v, want %v", got, want)
	}
	last := seen.got[3]
	if last.Entry.Seq != 14 || last.Incident.Open || last.Incident.Timeline != nil || last.Incident.Metrics.Restore.Status != StatusPass {
		t.Fatalf("resolved change = %+v", last)
	}
	if _, ok := r.Current(); ok {
		t.Fatal("an incident is still current after the return to L0")
	}
	list, err := r.List(context.Background(), 10)
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Timeline != nil || list[0].MaxLevel != "L3" {
		t.Fatalf("List = %+v, %v", list, err)
	}
}

func TestOutageMetrics(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now, Downtime: func(time.Time, time.Time) (time.Duration, bool) { return 8 * time.Second, true }})
	m := get(t, r.Recorder, outage(t, r, clk)).Metrics
	for _, c := range []struct {
		m    Metric
		want time.Duration
	}{
		{m.Detection, 12 * time.Second}, {m.Containment, 15 * time.Second}, {m.Recovery, 40 * time.Second},
		{m.Restore, 6 * time.Minute}, {m.Downtime, 8 * time.Second},
	} {
		if !c.m.Measured || c.m.Duration() != c.want || !c.m.Pass || c.m.Status != StatusPass {
			t.Errorf("%s = %+v, want %s passing", c.m.Name, c.m, c.want)
		}
	}
	if m.Containment.Target != "< 2m" || m.Restore.Limit != 600 {
		t.Errorf("containment target %q, restore limit %v", m.Containment.Target, m.Restore.Limit)
	}
	if m.DataLoss.Measured || m.DataLoss.Pass || m.DataLoss.Status != StatusUnmeasured {
		t.Errorf("data loss = %+v, want not measured", m.DataLoss)
	}
	if !m.Manual.Measured || m.Manual.Text != "no" || !m.Manual.Pass {
		t.Errorf("manual = %+v, want no, passing", m.Manual)
	}
	if m.Passed() {
		t.Error("Passed() with data loss unmeasured")
	}
}

func TestOutageChecklists(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now})
	id := outage(t, r, clk)
	inc := get(t, r.Recorder, id)
	// Seq of the entry expected to tick each item, 0 for unticked.
	wantSeq := map[string][]int{
		EmergencyRollback:  {1, 4, 5, 6, 5, 7, 10, 2, 8, 0},
		PostRollbackReview: {14, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	for _, c := range inc.Checklists {
		if len(c.Items) != 10 {
			t.Fatalf("%s has %d items", c.Name, len(c.Items))
		}
		for i, it := range c.Items {
			seq := wantSeq[c.Name][i]
			if it.Done != (seq != 0) || it.Event != seq || (seq != 0 && (it.By != ByAutomation || !it.At.Equal(inc.Timeline[seq-1].Time))) {
				t.Errorf("%s #%d %q = %+v, want ticked by entry %d", c.Name, i+1, it.Text, it, seq)
			}
		}
	}
	if inc.Checklists[0].Items[9].Text != "Root cause analysis started" || inc.Checklists[1].Items[7].Text != "Re-deployment plan approved" {
		t.Fatal("checklist text differs from the plan")
	}
}

func TestPeopleTickAndAck(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now})
	id := outage(t, r, clk)
	ctx := context.Background()
	clk.Set(at(10 * time.Minute))
	if err := r.Tick(ctx, id, EmergencyRollback, "root cause ANALYSIS started", "alice"); err != nil {
		t.Fatal(err)
	}
	if err := r.Tick(ctx, id, PostRollbackReview, "2", "carol"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		checklist, item string
		want            error
	}{
		{PostRollbackReview, "2", ErrDone},
		{EmergencyRollback, "System status assessed", ErrDone},
		{EmergencyRollback, "Make coffee", ErrNotFound},
		{EmergencyRollback, "11", ErrNotFound},
		{"pre_flight", "1", ErrNotFound},
	} {
		if err := r.Tick(ctx, id, c.checklist, c.item, "dave"); !errors.Is(err, c.want) {
			t.Errorf("Tick(%s, %q) = %v, want %v", c.checklist, c.item, err, c.want)
		}
	}
	if err := r.Tick(ctx, "INC-nope", EmergencyRollback, "1", "dave"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Tick on unknown incident = %v", err)
	}
	if err := r.Ack(ctx, id, "bob"); !errors.Is(err, ErrClosed) {
		t.Errorf("Ack on a closed incident = %v, want ErrClosed", err)
	}
	if err := r.Tick(ctx, id, EmergencyRollback, "10", " "); !errors.Is(err, ErrNoName) {
		t.Errorf("Tick without a name = %v, want ErrNoName", err)
	}
	inc := get(t, r.Recorder, id)
	it := inc.Checklists[0].Items[9]
	if !it.Done || it.By != "alice" || it.Event != 0 || !it.At.Equal(at(10*time.Minute)) {
		t.Fatalf("person's tick = %+v", it)
	}
	if it := inc.Checklists[1].Items[1]; !it.Done || it.By != "carol" {
		t.Fatalf("tick by position = %+v", it)
	}
	tail := inc.Timeline[14:]
	if len(tail) != 2 || tail[0].Kind != KindTicked || tail[0].Fields["item"] != "Root cause analysis started" || tail[1].Fields["position"] != 2.0 {
		t.Fatalf("tick entries = %+v", tail)
	}
}

func TestArtifactOnClosedIncident(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now})
	id := outage(t, r, clk)
	clk.Set(at(8 * time.Minute))
	if err := r.AddArtifact(context.Background(), id, "diagnostics", "/tmp/diag.tar.gz"); err != nil {
		t.Fatal(err)
	}
	if err := r.AddArtifact(context.Background(), "INC-nope", "x", "y"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AddArtifact on unknown incident = %v", err)
	}
	inc := get(t, r.Recorder, id)
	if len(inc.Artifacts) != 2 || inc.Artifacts[1].Location != "/tmp/diag.tar.gz" || inc.Artifacts[1].Seq != 15 {
		t.Fatalf("artifacts = %+v", inc.Artifacts)
	}
	if inc.Checklists[0].Items[3].Event != 6 {
		t.Fatal("a later artifact re-ticked Current state preserved")
	}
}
