package app_test

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// The assertions of the incident end-to-end tests, one aspect of the
// issue's "Done when" each.

// e2eCheckDeliveries asserts what each stand-in received, in order, and
// when the notices say it happened.
func e2eCheckDeliveries(t *testing.T, recv *e2eReceiver, id string, opened time.Time, verdict string) {
	t.Helper()
	// One page per tier per state change: the rollback verdict 40 ms
	// after the opening is no second trigger.
	devops := []string{"trigger/devops", "trigger/devops/repeat", "trigger/devops/repeat", "trigger/devops/repeat"}
	want := map[string][]string{
		"slack":     append(slices.Clone(devops), "acknowledge/devops/alice", "resolve/devops"),
		"pagerduty": append(slices.Clone(devops), "acknowledge", "resolve"),
		"webhook": {"trigger/director", "trigger/director/repeat", "trigger/cto",
			"acknowledge/director/alice", "acknowledge/cto/alice", "resolve/director", "resolve/cto"},
	}
	for n, seq := range want {
		if got := recv.sequence(n); !slices.Equal(got, seq) {
			t.Errorf("%s received %q\nwant %q", n, got, seq)
		}
	}
	slack, pd, hook := recv.of("slack"), recv.of("pagerduty"), recv.of("webhook")
	stamps := []struct {
		d    e2eDelivery
		want time.Time
	}{{slack[0], opened}, {pd[0], opened}, {slack[1], opened.Add(15 * time.Second)},
		{hook[0], opened.Add(15 * time.Minute)}, {hook[2], opened.Add(30 * time.Minute)}}
	for _, s := range stamps {
		if s.d.Stamp != e2eStamp(s.want) {
			t.Errorf("%s %s is stamped %s, want %s", s.d.Notifier, s.d, s.d.Stamp, e2eStamp(s.want))
		}
	}
	// The webhook threads on the incident's state: the opening (1), the
	// acknowledgement (2), the resolution (3); a repeat keeps its state's.
	var states []int
	for _, d := range hook {
		states = append(states, d.State)
	}
	if !slices.Equal(states, []int{1, 1, 1, 2, 2, 3, 3}) {
		t.Errorf("webhook sequences %v, want 1 1 1 2 2 3 3", states)
	}
	if !strings.Contains(slack[1].Summary, verdict) {
		t.Errorf("DevOps's repeat says %q: the verdict it was not paged for must reach it in the next notice", slack[1].Summary)
	}
	var actions []string
	for _, d := range pd {
		if len(actions) == 0 || actions[len(actions)-1] != d.Action {
			actions = append(actions, d.Action)
		}
		if d.DedupKey != id || d.Secret != e2eRoutingKey {
			t.Errorf("pagerduty event with dedup_key %q, routing key %q", d.DedupKey, d.Secret)
		}
	}
	if !slices.Equal(actions, []string{"trigger", "acknowledge", "resolve"}) {
		t.Errorf("pagerduty actions %v, want trigger, acknowledge, resolve", actions)
	}
	for _, d := range append(slack, hook...) {
		if d.DedupKey != id || (d.Notifier == "webhook" && d.Secret != "Bearer "+e2eWebhookToken) {
			t.Errorf("%s delivery %s for %q with credentials %q", d.Notifier, d, d.DedupKey, d.Secret)
		}
	}
}

// e2eCheckTimeline asserts the stored timeline's story, in order.
func e2eCheckTimeline(t *testing.T, inc incident.Incident) {
	t.Helper()
	tl := inc.Timeline
	var kinds []string
	for _, e := range tl {
		kinds = append(kinds, e.Kind)
	}
	t.Logf("timeline of %s: %d entries: %s", inc.ID, len(tl), strings.Join(kinds, " "))
	if len(tl) < 2 || tl[0].Kind != level.KindTriggerFired || e2eDig(tl[0].Fields, "evidence", "trigger") != "health_checks" {
		t.Fatalf("the timeline does not start with the trigger that fired: %+v", tl[0])
	}
	if !e2eKindTo(level.KindLevelChanged, "L3")(tl[1]) || tl[1].Fields["from"] != "L0" {
		t.Fatalf("entry 2 is not the change L0 -> L3: %+v", tl[1])
	}
	at := 1
	for _, step := range []struct {
		what  string
		match func(incident.Entry) bool
	}{
		{"fallback verified", e2eKind(level.KindFallbackVerified)},
		{"routing to the fallback", e2eKindTo(event.ModeChanged, "fallback")},
		{"state preserved", e2eKind(incident.KindArtifact)},
		{"second artifact", e2eKind(incident.KindArtifact)},
		{"acknowledged by alice", func(e incident.Entry) bool { return e.Kind == incident.KindAcked && e.Fields["by"] == "alice" }},
		{"checklist ticked by alice", e2eKind(incident.KindTicked)},
		{"hold-down started", e2eKind(level.KindRestoreWaiting)},
		{"restore step 1", e2eKind(level.KindRestoreStep)},
		{"restore step 5", func(e incident.Entry) bool { return e.Kind == level.KindRestoreStep && e.Fields["weight"] == 100.0 }},
		{"restore completed", e2eKind(level.KindRestoreDone)},
		{"back to L0", e2eKindTo(level.KindLevelChanged, "L0")},
	} {
		_, i := e2eFind(tl, at+1, step.match)
		if i < 0 {
			t.Fatalf("no %q after entry %d (%s)", step.what, at+1, tl[at].Kind)
		}
		if step.what == "routing to the fallback" {
			if v, j := e2eFind(tl, i, e2eKind(level.KindRollback)); j < 0 || v.Message != level.RollbackSuccessful {
				t.Fatalf("no successful rollback result after the routing change: %+v", v)
			}
		}
		at = i
	}
	if at != len(tl)-1 || !tl[at].Time.Equal(inc.ClosedAt) {
		t.Fatalf("the return to L0 (entry %d of %d) does not close the incident at %s", at+1, len(tl), inc.ClosedAt)
	}
	e2eCheckAlertsOnTimeline(t, tl)
}

// e2eCheckAlertsOnTimeline asserts that every page and acknowledgement
// delivered while the incident was open is on its timeline.
func e2eCheckAlertsOnTimeline(t *testing.T, tl []incident.Entry) {
	t.Helper()
	got := map[string]bool{}
	for _, e := range tl {
		if e.Kind == "notify.failed" {
			t.Errorf("an alert failed: %s", e.Message)
		}
		if e.Kind == incident.KindNotifySent {
			got[e2eStr(e.Fields["action"])+"/"+e2eStr(e.Fields["tier"])+"/"+e2eStr(e.Fields["notifier"])] = true
		}
	}
	for _, want := range []string{"trigger/devops/slack", "trigger/devops/pagerduty", "trigger/director/webhook", "trigger/cto/webhook",
		"acknowledge/devops/slack", "acknowledge/devops/pagerduty", "acknowledge/director/webhook", "acknowledge/cto/webhook"} {
		if !got[want] {
			t.Errorf("no notify.sent %s on the timeline (have %v)", want, got)
		}
	}
}

// e2eCheckArtifacts asserts the preserved state: where it is, and that
// the exported configuration keeps the notifiers' secrets out.
func e2eCheckArtifacts(t *testing.T, inc incident.Incident) {
	t.Helper()
	names := map[string]string{}
	for _, a := range inc.Artifacts {
		names[a.Name] = a.Location
	}
	cfg, err := os.ReadFile(names["config"])
	if err != nil || !strings.Contains(string(cfg), "<redacted>") {
		t.Fatalf("exported configuration at %q: %v\n%s", names["config"], err, cfg)
	}
	for _, secret := range []string{e2eSlackSecret, e2eRoutingKey, e2eWebhookToken} {
		if strings.Contains(string(cfg), secret) {
			t.Errorf("the exported configuration shows the secret %q", secret)
		}
	}
	f, err := os.Open(names["events"])
	if err != nil {
		t.Fatalf("events archive: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("events archive is not gzip: %v", err)
	}
	var first event.Event
	if err := json.NewDecoder(zr).Decode(&first); err != nil || first.Kind == "" {
		t.Fatalf("events archive holds no event: %v", err)
	}
}

// e2eCheckMetrics recomputes every success metric from the timeline and
// the traffic history and compares it with what the incident measured.
func e2eCheckMetrics(t *testing.T, r *e2eRig, inc incident.Incident) {
	t.Helper()
	tl := inc.Timeline
	// Durations run from the onset: the first failed check of the streak
	// that fired health_checks, before the trigger's first bad reading.
	start, err := time.Parse(time.RFC3339Nano, e2eStr(e2eDig(tl[0].Fields, "evidence", "onset")))
	if err != nil {
		t.Fatalf("onset: %v", err)
	}
	if bad, _ := time.Parse(time.RFC3339Nano, e2eStr(e2eDig(tl[0].Fields, "evidence", "bad_since"))); !start.Before(bad) {
		t.Errorf("onset %s is not before the first bad reading %s", start, bad)
	}
	isolated, _ := e2eFind(tl, 0, e2eKindTo(event.ModeChanged, "fallback"))
	verified, _ := e2eFind(tl, 0, e2eKind(level.KindRollback))
	_, h := r.a.Incidents()
	samples, err := h.Range(t.Context(), start, inc.ClosedAt)
	if err != nil {
		t.Fatal(err)
	}
	down, ok := history.DowntimeOf(samples, start, inc.ClosedAt)
	if !ok {
		t.Fatal("the history does not cover the incident")
	}
	m := inc.Metrics
	for _, c := range []struct {
		m      incident.Metric
		d      time.Duration
		target string
	}{
		{m.Detection, tl[0].Time.Sub(start), "< 30s"}, {m.Containment, isolated.Time.Sub(start), "< 2m"},
		{m.Recovery, verified.Time.Sub(start), "< 5m"}, {m.Restore, inc.ClosedAt.Sub(start), "< 10m"},
		{m.Downtime, down, "< 30s"},
	} {
		if !c.m.Measured || c.m.Value != max(c.d, 0).Seconds() || c.m.Target != c.target || !c.m.Pass || c.m.Status != incident.StatusPass {
			t.Errorf("%s: %+v; want %s measured against %s, pass", c.m.Name, c.m, c.d, c.target)
		}
		t.Logf("%-12s %-12s target %-6s %s", c.m.Name, c.m.Text, c.m.Target, c.m.Status)
	}
	// The writes made during the outage, and the sessions toL3's client
	// created, were journaled and replayed before the restore.
	if d := m.DataLoss; !d.Measured || !d.Pass || d.Value != 0 || !strings.HasPrefix(d.Text, "0.00% (0 of ") || d.Text == "0.00% (0 of 0)" {
		t.Errorf("data loss with the journal: %+v, want 0 of the journaled writes", d)
	}
	t.Logf("%-12s %-12s target %-6s %s", "data loss", m.DataLoss.Text, m.DataLoss.Target, m.DataLoss.Status)
	if mi := m.Manual; mi.Text != "no" || !mi.Pass || mi.Target != "no" {
		t.Errorf("manual intervention after an ack and a checklist tick: %+v, want no", mi)
	}
	if !m.Passed() {
		t.Errorf("not every metric passed: %+v", m)
	}
}

// e2eCheckChecklists asserts which items automation ticked and the event
// each cites, and the item a person ticked through the admin API.
func e2eCheckChecklists(t *testing.T, inc incident.Incident) {
	t.Helper()
	tl := inc.Timeline
	_, iso := e2eFind(tl, 0, e2eKindTo(event.ModeChanged, "fallback"))
	monitoring := func(e incident.Entry) bool {
		return e.Kind == event.HealthChanged || strings.HasPrefix(e.Kind, "restore.")
	}
	cites := map[string]func(incident.Entry) bool{
		"System status assessed":       e2eKind(level.KindTriggerFired),
		"SMP availability confirmed":   e2eKind(level.KindFallbackVerified),
		"OpenViking traffic isolated":  e2eKindTo(event.ModeChanged, "fallback"),
		"Current state preserved":      e2eKind(incident.KindArtifact),
		"SMP routing activated":        e2eKindTo(event.ModeChanged, "fallback"),
		"End-to-end testing completed": e2eKind(level.KindRollback),
		"Incident report initiated":    e2eKindTo(level.KindLevelChanged, "L3"),
		"Stakeholders notified":        e2eKind(incident.KindNotifySent),
	}
	for text, match := range cites {
		want, _ := e2eFind(tl, 0, match)
		e2eAutoTicked(t, inc, incident.EmergencyRollback, text, want)
	}
	// The watch on the primary shows it runs again at the first health
	// verdict or restore step after the isolation.
	want, _ := e2eFind(tl, iso+1, monitoring)
	e2eAutoTicked(t, inc, incident.EmergencyRollback, "Monitoring re-enabled", want)
	e2eAutoTicked(t, inc, incident.PostRollbackReview, "Timeline documented", tl[len(tl)-1])
	if it := e2eItem(t, inc, incident.EmergencyRollback, "Root cause analysis started"); !it.Done || it.By != "alice" || it.Event != 0 {
		t.Errorf("the item alice ticked: %+v", it)
	}
	if it := e2eItem(t, inc, incident.PostRollbackReview, "Root cause identified"); it.Done {
		t.Errorf("automation ticked an item only people can: %+v", it)
	}
}

func e2eAutoTicked(t *testing.T, inc incident.Incident, checklist, text string, cited incident.Entry) {
	t.Helper()
	it := e2eItem(t, inc, checklist, text)
	if !it.Done || it.By != incident.ByAutomation || cited.Seq == 0 || it.Event != cited.Seq || !it.At.Equal(cited.Time) {
		t.Errorf("%q: %+v; want ticked by automation citing #%d (%s)", text, it, cited.Seq, cited.Kind)
	}
}

// e2eCheckReports renders the plan's incident report in both formats.
func e2eCheckReports(t *testing.T, r *e2eRig, inc incident.Incident) {
	t.Helper()
	md, err := r.cl.Report(t.Context(), inc.ID, "md")
	if err != nil {
		t.Fatal(err)
	}
	m := inc.Metrics
	for _, want := range []string{
		"# Incident report " + inc.ID, "| Trigger level | L3 |", "| First trigger | health_checks |",
		"| Verdict | ROLLBACK SUCCESSFUL |", "| Metric | Measured | Target | Result | Note |",
		"| Detection time | " + m.Detection.Text + " | < 30s | pass |",
		"| Containment time | " + m.Containment.Text + " | < 2m | pass |",
		"| Recovery time (fallback serving) | " + m.Recovery.Text + " | < 5m | pass |",
		"| Restore time (back to L0) | " + m.Restore.Text + " | < 10m | pass |",
		"| User-visible downtime | " + m.Downtime.Text + " | < 30s | pass |",
		"| Data loss | " + m.DataLoss.Text + " | < 1% | pass |", "| Manual intervention | no | no | pass |",
		"![latency and error rate](chart.svg)",
		"- [x] System status assessed — automation, ", "- [x] Root cause analysis started — alice, ",
		"- [ ] Root cause identified", "- [x] Timeline documented — automation, ",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
	raw, err := r.cl.Report(t.Context(), inc.ID, "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("the JSON report does not decode: %v", err)
	}
	iso, _ := e2eFind(inc.Timeline, 0, e2eKindTo(event.ModeChanged, "fallback"))
	if rep.ID != inc.ID || rep.TriggerLevel != "L3" || rep.FirstTrigger != "health_checks" || !rep.RollbackTime.Equal(iso.Time) ||
		rep.Verdict != level.RollbackSuccessful || len(rep.Timeline) != len(inc.Timeline) || len(rep.Samples) == 0 || len(rep.Marks) < 3 {
		t.Errorf("JSON report: id %s level %s trigger %s rollback %s verdict %s, %d entries, %d samples, %d marks",
			rep.ID, rep.TriggerLevel, rep.FirstTrigger, rep.RollbackTime, rep.Verdict, len(rep.Timeline), len(rep.Samples), len(rep.Marks))
	}
	if got, want := e2eJSON(t, rep.Metrics), e2eJSON(t, m.All()); got != want {
		t.Errorf("JSON report metrics differ from the incident's:\n%s\nwant:\n%s", got, want)
	}
	if svg, err := r.cl.Chart(t.Context(), inc.ID); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("the chart the report references: %v", err)
	}
	for _, secret := range []string{e2eSlackSecret, e2eRoutingKey, e2eWebhookToken} {
		if strings.Contains(string(md), secret) || strings.Contains(string(raw), secret) {
			t.Errorf("a report shows the secret %q", secret)
		}
	}
	t.Logf("Markdown report: %d bytes, JSON report: %d bytes with %d samples", len(md), len(raw), len(rep.Samples))
}
