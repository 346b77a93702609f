package fallback

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startOV runs a fresh OpenViking simulator.
func startOV(t *testing.T) (*httptest.Server, *sim.OpenViking) {
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	s := httptest.NewServer(ov)
	t.Cleanup(s.Close)
	return s, ov
}

// ofKind are the events of one kind a ring holds.
func ofKind(r *event.Ring, kind string) []event.Event {
	return slices.DeleteFunc(r.Recent(64), func(e event.Event) bool { return e.Kind != kind })
}

func post(t *testing.T, rt http.RoundTripper, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// Without a journal the side is its next hop: nothing pinned, the primary
// reached directly. With one, a session write stops at the journal and
// pins its session.
func TestTransportStacksTheJournalOverNext(t *testing.T) {
	var reached int
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	fb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++; ov.ServeHTTP(w, r) }))
	t.Cleanup(fb.Close)
	next := http.DefaultTransport
	bare := New(Options{Next: next})
	if bare.Pin() != nil {
		t.Fatal("a side without a journal pins requests")
	}
	if bare.Primary(next) != next {
		t.Fatal("a side without a journal wraps the way to the primary")
	}
	post(t, bare, fb.URL+"/api/v1/sessions", `{"session_id":"a"}`)
	if reached != 1 {
		t.Fatalf("next reached %d times, want 1", reached)
	}

	j, err := journal.Open(journal.Options{Path: filepath.Join(t.TempDir(), "journal.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	side := New(Options{Next: next, Journal: j})
	if resp := post(t, side, fb.URL+"/api/v1/sessions", `{"session_id":"b"}`); resp.Header.Get("X-Lifeboat-Journal") != "appended" {
		t.Fatalf("a session create through the side: %d, journal %q; want appended", resp.StatusCode, resp.Header.Get("X-Lifeboat-Journal"))
	}
	req, _ := http.NewRequest(http.MethodGet, fb.URL+"/api/v1/sessions/b", nil)
	if pin := side.Pin(); pin == nil || !pin(req) || reached != 1 {
		t.Fatalf("the journaled session is not pinned (or the write reached next: %d)", reached)
	}
}

// heldAt journals one session write for primary http://old and returns
// the journal's path, closed.
func heldAt(t *testing.T) string {
	t.Helper()
	fb, _ := startOV(t)
	path := filepath.Join(t.TempDir(), "journal.log")
	j, err := OpenJournal(JournalOptions{Path: path, Primary: "http://old", ToPrimary: http.DefaultTransport, Ready: func() bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	post(t, New(Options{Next: http.DefaultTransport, Journal: j.Log}), fb.URL+"/api/v1/sessions", `{"session_id":"a"}`)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A journal written for another primary is set aside and reported; a
// discard is recorded on the incident it was tied to, and then nothing
// is held any more.
func TestHeldJournalIsReportedThenDiscarded(t *testing.T) {
	path := heldAt(t)
	evs := event.NewRing(64)
	var noted []string
	j, err := OpenJournal(JournalOptions{Path: path, Primary: "http://new", ToPrimary: http.DefaultTransport,
		Ready: func() bool { return false }, Events: evs,
		Note: func(_ context.Context, id, by, msg string, _ map[string]any) error {
			noted = append(noted, id+" "+by+": "+msg)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	if held := ofKind(evs, KindHeld); len(held) != 1 || held[0].Fields["pending"] != 1 || held[0].Fields["found_primary"] != "http://old" {
		t.Fatalf("journal.held events: %+v; want one with 1 pending write for http://old", held)
	}
	if j.Log.Pending() != 0 {
		t.Fatalf("the live journal has %d writes, want a fresh one", j.Log.Pending())
	}
	if err := j.TieIncident("inc-1"); err != nil {
		t.Fatal(err)
	}
	list, err := j.Held.Held(t.Context())
	if views, _ := list.([]heldView); err != nil || len(views) != 1 || views[0].Incident != "inc-1" || views[0].Pending != 1 {
		t.Fatalf("held: %+v %v; want one tied to inc-1 with 1 write", list, err)
	}
	res, err := j.Held.DiscardHeld(t.Context(), "", "alice", "retired")
	if err != nil || len(noted) != 1 || !strings.HasPrefix(noted[0], "inc-1 alice: held journal") || len(ofKind(evs, KindHeldDiscarded)) != 1 {
		t.Fatalf("discard: %v %v; notes %q", res, err, noted)
	}
	if _, err := j.Held.DiscardHeld(t.Context(), "", "alice", "again"); !errors.Is(err, admin.ErrNoHeldJournal) {
		t.Fatalf("a second discard: %v, want ErrNoHeldJournal", err)
	}
}

// A person replays a held journal to the primary they name; it is then
// resolved.
func TestHeldJournalReplaysToTheNamedPrimary(t *testing.T) {
	path := heldAt(t)
	primary, ov := startOV(t)
	j, err := OpenJournal(JournalOptions{Path: path, Primary: "http://new", ToPrimary: http.DefaultTransport,
		Ready: func() bool { return false }, ReplayTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	if _, err := j.Held.ReplayHeld(t.Context(), "/no/such", primary.URL, "alice"); !errors.Is(err, admin.ErrNoHeldJournal) {
		t.Fatalf("replay of an unknown path: %v, want ErrNoHeldJournal", err)
	}
	res, err := j.Held.ReplayHeld(t.Context(), "", primary.URL, "alice")
	if m, _ := res.(map[string]any); err != nil || m["replayed"] != 1 || m["remaining"] != 0 {
		t.Fatalf("replay: %v %v; want 1 replayed", res, err)
	}
	if _, ok := ov.Session("a"); !ok {
		t.Fatal("the named primary lacks the held session")
	}
	if list, err := j.Held.Held(t.Context()); err != nil || len(list.([]heldView)) != 0 {
		t.Fatalf("held after the replay: %+v %v; want none", list, err)
	}
}

// The data-loss figure sums the replays on an incident's timeline, as
// recorded (int) and as read back from the database (float64).
func TestDataLossSumsReplays(t *testing.T) {
	inc := incident.Incident{Timeline: []incident.Entry{
		{Kind: journal.KindReplayed, Fields: map[string]any{"replayed": 3, "already": 1, "lost": 1}},
		{Kind: "journal.conflict", Fields: map[string]any{"lost": true}},
		{Kind: journal.KindReplayed, Fields: map[string]any{"replayed": 2.0, "already": 0.0, "lost": 0.0}},
	}}
	if lost, total, ok := DataLoss(inc); lost != 1 || total != 7 || !ok {
		t.Fatalf("data loss %d of %d (%v), want 1 of 7", lost, total, ok)
	}
}
