package fallback

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// foreign is a level state found at start, kept for other upstreams when
// ok.
type foreign struct {
	was level.Upstreams
	ok  bool
}

func (f foreign) Foreign() (level.State, bool) { return level.State{Upstreams: f.was}, f.ok }

var here = level.Upstreams{Primary: "http://new", Fallback: "http://fb"}

// Without a journal, every part of the side is there and does nothing:
// its owner never asks whether the journal is on.
func TestSideWithoutAJournalDoesNothing(t *testing.T) {
	s, err := Open(SideOptions{Next: http.DefaultTransport})
	if err != nil {
		t.Fatal(err)
	}
	s.Wake()
	s.Run(context.Background()) // returns at once: there is no drain loop
	if err := s.BeforeRestore(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Pin() != nil || s.Stats() != nil || s.Held() != nil || s.DataLoss() != nil {
		t.Fatal("a side without a journal pins, reports, holds or measures")
	}
	if err := s.Register(prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	if reason, err := s.StaleReason("inc-1", foreign{}, here); err != nil || reason != "engine at L0 after restart" {
		t.Fatalf("stale reason %q, %v", reason, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// An incident left open for other upstreams is closed saying so, and the
// journal set aside at this start is tied to it.
func TestSideTiesTheHeldJournalToAStaleIncident(t *testing.T) {
	path := heldAt(t)
	s, err := Open(SideOptions{Next: http.DefaultTransport, Journal: &JournalOptions{Path: path, Primary: here.Primary,
		ToPrimary: http.DefaultTransport, Ready: func() bool { return false }}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if s.Stats() == nil || s.Held() == nil || s.DataLoss() == nil || s.Pin() == nil {
		t.Fatal("a side with a journal lacks its stats, held journals, data-loss source or pin")
	}
	reason, err := s.StaleReason("inc-1", foreign{was: level.Upstreams{Primary: "http://old", Fallback: "http://fb0"}, ok: true}, here)
	if err != nil || !strings.HasPrefix(reason, "upstreams changed: this incident was about primary http://old and fallback http://fb0;") {
		t.Fatalf("stale reason %q, %v", reason, err)
	}
	list, err := s.Held().Held(t.Context())
	if views, _ := list.([]heldView); err != nil || len(views) != 1 || views[0].Incident != "inc-1" {
		t.Fatalf("held: %+v %v; want one tied to inc-1", list, err)
	}
}
