package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/message"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Secrets the notifiers carry; no report or artifact may show them.
const (
	e2eSlackSecret  = "e2e-slack-hook-secret"
	e2eRoutingKey   = "e2e-pagerduty-routing-key"
	e2eWebhookToken = "e2e-webhook-token"
)

// e2eClock is the wall clock plus an offset the test only moves forward.
// The engine's steps, the chain's ticks and the app's own stamps
// (acknowledgements, alert results) all read it, so a jump of 30 minutes
// is seen by all of them alike.
type e2eClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *e2eClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// jumpTo moves the clock forward so that it reads at least t.
func (c *e2eClock) jumpTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := time.Until(t); d > c.off {
		c.off = d
	}
}

// e2eRig is the whole gateway in front of both simulators, with the three
// notifiers pointed at the receiver, the plan's three-tier chain, and the
// engine and the chain driven by the test's clock.
type e2eRig struct {
	t      *testing.T
	ov, lr *sim.Server
	recv   *e2eReceiver
	clock  *e2eClock
	cfg    config.Config
	a      *app.App
	cl     *client.Client
	last   time.Time // the latest time the engine was stepped at
}

func newE2ERig(t *testing.T) *e2eRig {
	t.Helper()
	r := &e2eRig{t: t, recv: newE2EReceiver(t), clock: &e2eClock{}}
	r.ov = startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{}))
	r.lr = startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	r.cfg = e2eConfig(t, r.ov.URL(), r.lr.URL(), r.recv.srv.URL)
	r.start()
	r.waitStates("up", "up")
	return r
}

// e2eConfig is the plan's health-check trigger, levels and restore, with
// every notifier type and the plan's escalation chain: DevOps at once,
// the engineering director after 15 minutes, the CTO after 30.
func e2eConfig(t *testing.T, primary, fallback, recv string) config.Config {
	c := testConfig(primary, fallback)
	c.Escalation.Enabled = true
	c.Escalation.DataDir = t.TempDir()
	c.Journal.Enabled = true
	c.Routing.Mode = "primary" // the plan's Level 0, as the escalation tests
	for _, tr := range config.DefaultTriggers() {
		if tr.Name == "health_checks" {
			c.Triggers = []config.Trigger{tr}
		}
	}
	c.Stats.MinVolume = 10
	c.Incidents.HistoryInterval = 100 * time.Millisecond
	c.Notify.Notifiers = []config.NotifierConfig{
		{Name: "slack", Type: "slack", URL: config.Secret(recv + "/slack/T000/B000/" + e2eSlackSecret)},
		{Name: "pagerduty", Type: "pagerduty", URL: config.Secret(recv + "/pagerduty"), RoutingKey: e2eRoutingKey},
		{Name: "webhook", Type: "webhook", URL: config.Secret(recv + "/webhook"),
			Headers: map[string]config.Secret{"Authorization": "Bearer " + e2eWebhookToken}},
	}
	c.Notify.Tiers = []config.Tier{
		{Name: "devops", After: 0, Notifiers: []string{"slack", "pagerduty"}},
		{Name: "director", After: 15 * time.Minute, Notifiers: []string{"webhook"}},
		{Name: "cto", After: 30 * time.Minute, Notifiers: []string{"webhook"}},
	}
	c.Notify.Backoff = 10 * time.Millisecond
	return c
}

// start runs a gateway on the rig's configuration and data directory.
func (r *e2eRig) start() {
	r.t.Helper()
	a, err := app.New(app.Options{Config: r.cfg, Version: "test", ManualEscalation: true, Now: r.clock.Now})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { r.stopApp(a) })
	r.a, r.cl = a, client.New("http://"+a.Addr(), "", nil)
}

// stop stops the running gateway and waits for all its goroutines.
func (r *e2eRig) stop() { r.t.Helper(); r.stopApp(r.a) }

func (r *e2eRig) stopApp(a *app.App) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Stop(ctx); err != nil {
		r.t.Errorf("stop: %v", err)
	}
}

// step evaluates at now, or just after the last step if now is earlier:
// trigger clocks never go back.
func (r *e2eRig) step(now time.Time) level.Status {
	r.t.Helper()
	if !now.After(r.last) {
		now = r.last.Add(time.Millisecond)
	}
	r.last = now
	if err := r.a.Engine().Step(context.Background(), now); err != nil {
		r.t.Fatalf("step: %v", err)
	}
	return r.a.Engine().Status(now)
}

func (r *e2eRig) waitStates(primary, fallback string) {
	r.t.Helper()
	eventually(r.t, "checks say primary "+primary+", fallback "+fallback, func() bool {
		_, body := get(r.t, "http://"+r.a.Addr()+"/lifeboat/health")
		var doc map[string]any
		_ = json.Unmarshal([]byte(body), &doc)
		return field(doc, "upstreams", "primary", "state") == primary && field(doc, "upstreams", "fallback", "state") == fallback
	})
}

func (r *e2eRig) fault(s *sim.Server, f sim.Fault) {
	r.t.Helper()
	if err := s.SetFault(f); err != nil {
		r.t.Fatal(err)
	}
}

// toL3 kills the primary while a client keeps calling, steps until the
// rollback is verified, and returns the open incident's id.
func (r *e2eRig) toL3() string {
	r.t.Helper()
	r.fault(r.ov, sim.Fault{Down: true})
	var st level.Status
	eventually(r.t, "L3 on the fallback", func() bool {
		if resp, err := http.Post("http://"+r.a.Addr()+"/api/v1/sessions", "application/json", strings.NewReader(`{}`)); err == nil {
			resp.Body.Close()
		}
		st = r.step(r.clock.Now())
		return st.Level == level.L3 && st.Phase == level.OnFallback
	})
	if st.Rollback != level.RollbackSuccessful || st.Mode != "fallback" {
		r.t.Fatalf("at L3: rollback %q, mode %s; want a verified rollback to the fallback", st.Rollback, st.Mode)
	}
	r.flush()
	rec, _ := r.a.Incidents()
	id, ok := rec.Current()
	if !ok {
		r.t.Fatal("no incident open at L3")
	}
	return id
}

// restoreToL0 heals the primary and steps through the plan's 2-minute
// hold-down and its five one-minute restore steps with injected times.
func (r *e2eRig) restoreToL0() {
	r.t.Helper()
	at := r.healAndHold()
	for _, w := range []int{25, 50, 75, 100} {
		at = at.Add(time.Minute)
		if st := r.step(at); st.Phase != level.Restoring || r.a.Gateway().Routing().PrimaryWeight != w {
			r.t.Fatalf("restore step to %d%%: %s at %d%%", w, st.Phase, r.a.Gateway().Routing().PrimaryWeight)
		}
	}
	if st := r.step(at.Add(time.Minute)); st.Level != level.L0 || st.Mode != "primary" {
		r.t.Fatalf("after the last restore step: %s mode %s, want L0 on the primary", st.Level, st.Mode)
	}
}

// healAndHold heals the primary, holds it healthy for the hold-down and
// returns when restore step 1 (10 %) began.
func (r *e2eRig) healAndHold() time.Time {
	r.t.Helper()
	r.fault(r.ov, sim.Fault{})
	r.waitStates("up", "up")
	t0 := r.step(r.clock.Now()).HealthySince
	if t0.IsZero() {
		r.t.Fatal("a healthy primary did not start the hold-down")
	}
	at := t0.Add(2 * time.Minute)
	if st := r.step(at); st.Phase != level.Restoring || r.a.Gateway().Routing().PrimaryWeight != 10 {
		r.t.Fatalf("after the hold-down: %s, primary weight %d; want restoring at 10%%", st.Phase, r.a.Gateway().Routing().PrimaryWeight)
	}
	return at
}

// flush waits until every event so far is on the incident timeline.
func (r *e2eRig) flush() {
	r.t.Helper()
	rec, _ := r.a.Incidents()
	if err := rec.Flush(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
}

// incident reads an incident through the admin API, as people do.
func (r *e2eRig) incident(id string) incident.Incident {
	r.t.Helper()
	r.flush()
	inc, err := r.cl.Incident(r.t.Context(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return inc
}

// e2eFind returns the first entry that matches, and its index; -1 when
// none does.
func e2eFind(tl []incident.Entry, from int, match func(incident.Entry) bool) (incident.Entry, int) {
	for i := max(from, 0); i < len(tl); i++ {
		if match(tl[i]) {
			return tl[i], i
		}
	}
	return incident.Entry{}, -1
}

func e2eKind(kind string) func(incident.Entry) bool {
	return func(e incident.Entry) bool { return e.Kind == kind }
}

// e2eKindTo matches an entry of kind whose "to" field is to, such as a
// level change to L3 or routing to the fallback.
func e2eKindTo(kind, to string) func(incident.Entry) bool {
	return func(e incident.Entry) bool { return e.Kind == kind && e.Fields["to"] == to }
}

// e2eItem returns a checklist item by its text.
func e2eItem(t *testing.T, inc incident.Incident, checklist, text string) incident.Item {
	t.Helper()
	for _, c := range inc.Checklists {
		for _, it := range c.Items {
			if c.Name == checklist && it.Text == text {
				return it
			}
		}
	}
	t.Fatalf("no item %q in %s", text, checklist)
	return incident.Item{}
}

// waitArtifacts waits until state preservation, which runs in the
// background, has recorded n artifacts.
func (r *e2eRig) waitArtifacts(id string, n int) incident.Incident {
	r.t.Helper()
	var inc incident.Incident
	eventually(r.t, "preserved state recorded", func() bool { inc = r.incident(id); return len(inc.Artifacts) >= n })
	return inc
}

// waitHistoryPast waits until the history holds the sample covering at,
// after which a downtime measured up to at no longer changes.
func (r *e2eRig) waitHistoryPast(at time.Time) {
	r.t.Helper()
	_, h := r.a.Incidents()
	eventually(r.t, "history sampled past the close", func() bool {
		s, err := h.Range(r.t.Context(), at, at.Add(time.Minute))
		return err == nil && len(s) > 0
	})
}

// e2eHashes fingerprints the preserved files, keyed by location.
func e2eHashes(t *testing.T, inc incident.Incident) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range inc.Artifacts {
		data, err := os.ReadFile(a.Location)
		if err != nil {
			t.Fatalf("artifact %s: %v", a.Name, err)
		}
		sum := sha256.Sum256(data)
		out[a.Location] = hex.EncodeToString(sum[:])
	}
	return out
}

// e2eJSON renders v for comparisons that must be exact.
func e2eJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeSession creates a session through the gateway and adds n messages,
// each of which must be acknowledged by the journal; it returns them.
func (r *e2eRig) writeSession(id string, n int) []string {
	r.t.Helper()
	base := "http://" + r.a.Addr()
	r.mustJournal(base+"/api/v1/sessions", `{"session_id":"`+id+`"}`)
	var sent []string
	for i := range n {
		content := fmt.Sprintf("written during the outage, message %d", i)
		r.mustJournal(base+"/api/v1/sessions/"+id+"/messages", `{"role":"user","content":"`+content+`"}`)
		sent = append(sent, content)
	}
	return sent
}

func (r *e2eRig) mustJournal(url, body string) {
	r.t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Lifeboat-Journal") != "appended" {
		r.t.Fatalf("POST %s: %d, journal %q; want 200 appended", url, resp.StatusCode, resp.Header.Get("X-Lifeboat-Journal"))
	}
}

// checkPrimaryHolds reads the session from the primary itself: it must
// hold exactly the messages sent, in order.
func (r *e2eRig) checkPrimaryHolds(id string, want []string) {
	r.t.Helper()
	code, body := get(r.t, r.ov.URL()+"/api/v1/sessions/"+id+"/context")
	var env struct {
		Result struct {
			Messages []message.Message `json:"messages"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || code != http.StatusOK {
		r.t.Fatalf("session %s on the primary: %d %s", id, code, body)
	}
	var got []string
	for _, m := range env.Result.Messages {
		got = append(got, m.Text())
	}
	if !slices.Equal(got, want) {
		r.t.Fatalf("session %s on the primary holds %q, want %q", id, got, want)
	}
}
