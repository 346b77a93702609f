package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/cli"
	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// moved is a gateway restarted in front of another primary after its
// predecessor journaled writes at Level 3.
type moved struct {
	a      *app.App
	c      *client.Client
	ov2    *sim.OpenViking
	oldURL string
	newURL string
}

// restartWithOtherPrimary takes a gateway to Level 3, journals three
// writes, stops it and starts it again on the same state directory with
// another primary.
func restartWithOtherPrimary(t *testing.T) moved {
	t.Helper()
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, nil)
	r.toFallback()
	mustPost(t, r.base+"/api/v1/sessions", `{"session_id":"fresh"}`)
	mustPost(t, r.base+"/api/v1/sessions/fresh/messages", `{"role":"user","content":"one"}`)
	mustPost(t, r.base+"/api/v1/sessions/fresh/messages", `{"role":"assistant","content":"two"}`)
	if p := journalStatus(t, r.base)["pending"]; p != 3.0 {
		t.Fatalf("journal pending %v at Level 3, want 3", p)
	}
	stopApp(t, r.a)

	ov2 := sim.NewOpenViking(sim.OpenVikingOptions{})
	srv2 := startSim(t, ov2)
	c := r.cfg
	c.Upstreams.Primary.URL = srv2.URL()
	a := startManual(t, c)
	m := moved{a: a, c: client.New("http://"+a.Addr(), "", nil), ov2: ov2, oldURL: r.cfg.Upstreams.Primary.URL, newURL: srv2.URL()}
	return m
}

// A restart in front of another primary starts at L0, closes the old
// incident saying why, keeps the old journal aside and reports it, and
// replays nothing to the new primary until a person names it.
func TestRestartWithOtherPrimaryStartsAtL0AndHoldsTheJournal(t *testing.T) {
	m := restartWithOtherPrimary(t)
	ctx := context.Background()
	if st := m.a.Engine().Status(time.Now()); st.Level != level.L0 || st.Mode == "fallback" {
		t.Fatalf("restarted in front of another primary at %s, mode %s; want L0 off the fallback", st.Level, st.Mode)
	}
	text := eventText(m.a)
	for _, want := range []string{"stored state L3 (on_fallback)", "belongs to primary " + m.oldURL,
		"the journal was written for primary " + m.oldURL + ", not " + m.newURL, "with 3 writes not replayed"} {
		if !strings.Contains(text, want) {
			t.Errorf("no event says %q in:\n%s", want, text)
		}
	}
	incs, err := m.c.Incidents(ctx, 10)
	if err != nil || len(incs) != 1 || incs[0].Open {
		t.Fatalf("incidents after the restart: %+v, %v; want the old one closed", incs, err)
	}
	inc, err := m.c.Incident(ctx, incs[0].ID)
	if err != nil || !strings.Contains(lastEntry(inc).Message, "upstreams changed: this incident was about primary "+m.oldURL) {
		t.Fatalf("the old incident's closing entry: %+v, %v", lastEntry(inc), err)
	}

	held, err := m.c.HeldJournals(ctx)
	if err != nil || len(held) != 1 || held[0].Pending != 3 || held[0].Primary != m.oldURL || held[0].Incident != inc.ID {
		t.Fatalf("held journals: %+v, %v; want one with 3 writes for %s tied to %s", held, err, m.oldURL, inc.ID)
	}
	if p := journalStatus(t, "http://"+m.a.Addr())["pending"]; p != 0.0 {
		t.Fatalf("the live journal has %v pending, want a fresh one", p)
	}
	if _, ok := m.ov2.Session("fresh"); ok {
		t.Fatal("the old primary's journaled session reached the new primary unasked")
	}

	var out, errs bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	args := []string{"journal", "replay", "--to", m.newURL, "--by", "alice", "--addr", m.a.Addr()}
	if code := cli.Run(ctx, args, env); code != 0 || !strings.Contains(out.String(), "replayed: 3\n") ||
		!strings.Contains(out.String(), "remaining: 0\n") {
		t.Fatalf("lifeboat journal replay --to the new primary exited %d: %s%s; want 3 replayed", code, out.String(), errs.String())
	}
	if s, ok := m.ov2.Session("fresh"); !ok || len(s.Messages) != 2 {
		t.Fatalf("session on the new primary after the replay: %+v, %v; want 2 messages", s, ok)
	}
	if held, err := m.c.HeldJournals(ctx); err != nil || len(held) != 0 {
		t.Fatalf("held journals after the replay: %+v, %v; want none", held, err)
	}
}

// A discard is a person's decision, recorded on the incident the writes
// belonged to, with who and why.
func TestDiscardHeldJournalIsRecordedOnTheIncident(t *testing.T) {
	m := restartWithOtherPrimary(t)
	ctx := context.Background()
	if _, err := m.c.DiscardHeld(ctx, "", "", "old deployment retired"); apiCode(err) != 400 {
		t.Fatalf("discard without a name: %v, want 400", err)
	}
	res, err := m.c.DiscardHeld(ctx, "", "alice", "old deployment retired")
	if err != nil || res["discarded"] != 3.0 {
		t.Fatalf("discard: %v, %v; want 3 discarded", res, err)
	}
	inc, err := m.c.Incident(ctx, res["incident"].(string))
	note := lastEntry(inc)
	if err != nil || note.Kind != incident.KindNote || !strings.Contains(note.Message, "discarded by alice: 3 writes for primary "+m.oldURL) ||
		!strings.Contains(note.Message, "old deployment retired") {
		t.Fatalf("the incident's last entry: %+v, %v; want alice's discard and reason", note, err)
	}
	if _, err := m.c.DiscardHeld(ctx, "", "alice", "again"); apiCode(err) != 404 {
		t.Fatalf("a second discard: %v, want 404 (nothing held)", err)
	}
	if _, ok := m.ov2.Session("fresh"); ok {
		t.Fatal("a discarded write reached the new primary")
	}
}

func lastEntry(inc incident.Incident) incident.Entry {
	if len(inc.Timeline) == 0 {
		return incident.Entry{}
	}
	return inc.Timeline[len(inc.Timeline)-1]
}

// apiCode is an admin API refusal's HTTP status, 0 for anything else.
func apiCode(err error) int {
	if ae, ok := err.(*client.APIError); ok {
		return ae.StatusCode
	}
	return 0
}
