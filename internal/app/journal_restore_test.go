package app_test

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/level"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/verify"
	"slices"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Writes made at Level 3 are replayed before the restore's first step; a
// session id that already existed on the primary with other messages is a
// conflict the incident records, and the journal's writes are added after
// the primary's, never dropped.
func TestRestoreReplaysTheJournalAndRecordsConflicts(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	ovURL := r.ov.URL()
	mustPost(t, ovURL+"/api/v1/sessions", `{"session_id":"shared"}`)
	mustPost(t, ovURL+"/api/v1/sessions/shared/messages", `{"role":"user","content":"before the outage"}`)
	r.toFallback()

	for _, call := range [][2]string{
		{"/api/v1/sessions", `{"session_id":"shared"}`},
		{"/api/v1/sessions/shared/messages", `{"role":"user","content":"during the outage"}`},
		{"/api/v1/sessions", `{"session_id":"fresh"}`},
		{"/api/v1/sessions/fresh/messages", `{"role":"user","content":"one"}`},
		{"/api/v1/sessions/fresh/messages", `{"role":"assistant","content":"two"}`},
	} {
		mustPost(t, r.base+call[0], call[1])
	}
	if p := journalStatus(t, r.base)["pending"]; p != 5.0 {
		t.Fatalf("journal pending %v at Level 3, want 5", p)
	}
	r.startRestore()

	if p := journalStatus(t, r.base)["pending"]; p != 0.0 {
		t.Fatalf("journal pending %v once the restore began, want 0", p)
	}
	ov := r.ovService()
	for id, want := range map[string][]string{
		"shared": {"before the outage", "during the outage"},
		"fresh":  {"one", "two"},
	} {
		v, _ := ov.Session(id)
		var got []string
		for _, m := range v.Messages {
			got = append(got, m.Text())
		}
		if !slices.Equal(got, want) {
			t.Errorf("session %s on the primary: %q, want %q", id, got, want)
		}
	}
	conflicts := r.events("journal.conflict")
	if len(conflicts) != 1 || conflicts[0].Fields["session_id"] != "shared" || conflicts[0].Fields["conflict"] != "session-exists" {
		t.Fatalf("journal.conflict events: %+v; want one session-exists on shared", conflicts)
	}
	replayed := r.events("journal.replayed")
	if len(replayed) == 0 || replayed[0].Fields["lost"] != 0 || replayed[0].Fields["replayed"] != 5 {
		t.Fatalf("journal.replayed events: %+v; want 5 replayed, none lost", replayed)
	}
}

func mustPost(t *testing.T, url, body string) {
	t.Helper()
	if code, out := post(t, url, body); code != 200 {
		t.Fatalf("POST %s: %d %s", url, code, out)
	}
}

// ovService is the OpenViking simulator behind the rig's primary.
func (r *rig) ovService() *sim.OpenViking {
	r.t.Helper()
	ov, ok := r.ov.Service().(*sim.OpenViking)
	if !ok {
		r.t.Fatal("the rig's primary is not an OpenViking simulator")
	}
	return ov
}

// The built-in verification suite, OpenViking's own calls, passes through
// the gateway while the fallback serves: sessions from the journal,
// searches and resources translated for LightRAG.
func TestVerifySuitePassesOnTheFallback(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	r.toFallback()
	rep := verify.Run(t.Context(), &http.Client{Timeout: 10 * time.Second}, r.base, verify.OpenViking())
	for _, st := range rep.Steps {
		t.Logf("%-16s %d passed=%v %s", st.Name, st.Status, st.Passed, st.Reason)
	}
	if !rep.OK() {
		t.Fatalf("the OpenViking suite through the gateway at Level 3: %d of %d steps failed: %+v", rep.Failed(), len(rep.Steps), rep.Steps)
	}
}

// With escalation.verify.suite set, Level 3's end-to-end check runs the
// suite through the gateway, and the restore runs it against the primary
// after the replay; a suite that cannot pass on the fallback makes the
// verdict MANUAL INTERVENTION REQUIRED.
func TestLevel3RunsTheVerificationSuite(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, func(c *config.Config) {
		c.Escalation.Verify.Suite = "openviking"
	})
	r.toFallback() // asserts ROLLBACK SUCCESSFUL
	r.startRestore()
	found := 0
	for _, id := range r.ovService().SessionIDs() {
		if strings.HasPrefix(id, "lifeboat-verify-") {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("%d verification sessions on the primary, want 2: one replayed from Level 3, one from the restore's own run", found)
	}

	suite := filepath.Join(t.TempDir(), "impossible.yaml")
	if err := os.WriteFile(suite, []byte("name: impossible\nsteps:\n  - {name: missing, path: /api/v1/sessions/no-such-session}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r2 := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, func(c *config.Config) { c.Escalation.Verify.Suite = suite })
	r2.fault(r2.ov, sim.Fault{Down: true})
	st := r2.stepUntil("L3 after the primary died", func(st level.Status) bool { return st.Level == level.L3 })
	if st.Rollback != level.RollbackFailed {
		t.Fatalf("verdict with a failing suite: %q, want %q", st.Rollback, level.RollbackFailed)
	}
}
