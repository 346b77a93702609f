package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// A short outage in backup mode that never reaches a rollback: writes the
// primary refuses are journaled and answered, searches are answered by the
// fallback in OpenViking's shape, /status and /metrics show the journal,
// and once the primary is back the journal drains by itself.
func TestBackupOutageJournalsThenDrains(t *testing.T) {
	a, base, ov := startJournalApp(t)
	outage(t, a)

	want := []string{"first during the outage", "second during the outage"}
	if code, body := post(t, base+"/api/v1/sessions", `{"session_id":"blip"}`); code != 200 {
		t.Fatalf("create during the outage: %d %s", code, body)
	}
	for i, m := range want {
		code, body := post(t, base+"/api/v1/sessions/blip/messages", `{"role":"user","content":"`+m+`"}`)
		if code != 200 || !strings.Contains(body, `"message_count":`+string(rune('1'+i))) {
			t.Fatalf("message %d during the outage: %d %s", i, code, body)
		}
	}
	code, body := post(t, base+"/api/v1/search/find", `{"query":"lifeboat canary"}`)
	if code != 200 || !strings.Contains(body, `"uri":"`+sim.CanaryURI+`"`) || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("search during the outage: %d %s; want OpenViking's shape with the fallback's canary", code, body)
	}
	if p := journalStatus(t, base)["pending"]; p != 3.0 {
		t.Fatalf("/status journal pending %v, want 3", p)
	}
	if _, m := get(t, base+"/metrics"); !strings.Contains(m, "lifeboat_journal_pending 3") {
		t.Fatal("/metrics lacks lifeboat_journal_pending 3")
	}
	if _, held := ov.Session("blip"); held {
		t.Fatal("the primary holds the session during a refused-connection outage")
	}

	a.Faults().Clear("test")
	eventually(t, "the journal drained to the primary", func() bool { return journalStatus(t, base)["pending"] == 0.0 })
	v, ok := ov.Session("blip")
	var got []string
	for _, m := range v.Messages {
		got = append(got, m.Text())
	}
	if !ok || !slices.Equal(got, want) {
		t.Fatalf("the primary holds %q (found %v), want %q", got, ok, want)
	}
	if code, body := get(t, base+"/api/v1/sessions/blip"); code != 200 || !strings.Contains(body, `"message_count":2`) {
		t.Fatalf("reading the session after the drain: %d %s", code, body)
	}
}

// startJournalApp runs the gateway in backup mode, the journal on, in
// front of both simulators; it returns the primary's simulator.
func startJournalApp(t *testing.T) (*app.App, string, *sim.OpenViking) {
	t.Helper()
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(startSim(t, ov).URL(), lr.URL())
	c.Routing.Mode = "backup"
	c.Escalation.DataDir = t.TempDir()
	c.Journal.Enabled = true
	a := startApp(t, c)
	return a, "http://" + a.Addr(), ov
}

// outage refuses connections to the primary, as a dead one does, until
// the test clears it.
func outage(t *testing.T, a *app.App) {
	t.Helper()
	if _, err := a.Faults().Set(fault.Fault{Down: true, DurationMS: 60_000}, "test"); err != nil {
		t.Fatal(err)
	}
}

func journalStatus(t *testing.T, base string) map[string]any {
	t.Helper()
	_, body := get(t, base+"/status")
	var st struct {
		Journal map[string]any `json:"journal"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || st.Journal == nil {
		t.Fatalf("/status has no journal section: %v %s", err, body)
	}
	return st.Journal
}
