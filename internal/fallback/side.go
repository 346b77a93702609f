package fallback

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

// SideOptions are what Open builds the fallback side from.
type SideOptions struct {
	// Next carries requests to the fallback itself: the fault injector in
	// front of the fallback's http.Transport. Required.
	Next http.RoundTripper
	// Translator answers OpenViking calls from the fallback's API.
	// Default nil: requests pass to Next untranslated.
	Translator *translate.Translator
	// Journal opens the write journal. Default nil: the journal is off.
	Journal *JournalOptions
}

// Side is the whole fallback side as its owner runs it: the Transport,
// and the Journal with its drain loop when the journal is on. Every
// method is safe without a journal, where it does nothing or returns
// nil, so the owner need not ask which.
type Side struct {
	*Transport
	journal *Journal // nil when the journal is off
}

var _ http.RoundTripper = (*Side)(nil)

// Open opens the journal, when it is on, and stacks the side's
// transport. Close closes the journal.
func Open(o SideOptions) (*Side, error) {
	s := &Side{}
	to := Options{Next: o.Next, Translator: o.Translator}
	if o.Journal != nil {
		j, err := OpenJournal(*o.Journal)
		if err != nil {
			return nil, err
		}
		s.journal, to.Journal = j, j.Log
	}
	s.Transport = New(to)
	return s, nil
}

// Run runs the journal's drain loop until ctx ends; without a journal it
// returns at once.
func (s *Side) Run(ctx context.Context) {
	if s.journal != nil {
		s.journal.Drainer.Run(ctx)
	}
}

// Wake makes the drain loop look at once: the primary came back or the
// routing changed.
func (s *Side) Wake() {
	if s.journal != nil {
		s.journal.Drainer.Wake()
	}
}

// BeforeRestore replays the journal before traffic steps back to the
// primary (see journal.Drainer.BeforeRestore).
func (s *Side) BeforeRestore(ctx context.Context) error {
	if s.journal == nil {
		return nil
	}
	return s.journal.Drainer.BeforeRestore(ctx)
}

// Close closes the journal file.
func (s *Side) Close() error {
	if s.journal == nil {
		return nil
	}
	return s.journal.Close()
}

// Stats is /status's journal section, nil without a journal.
func (s *Side) Stats() func() any {
	if s.journal == nil {
		return nil
	}
	return s.journal.Stats
}

// Register exports the journal's counters to reg.
func (s *Side) Register(reg prometheus.Registerer) error {
	if s.journal == nil {
		return nil
	}
	return s.journal.Register(reg)
}

// Held is the admin API's view of the held journals: nil, not a typed
// nil, without a journal.
func (s *Side) Held() admin.HeldJournals {
	if s.journal == nil {
		return nil
	}
	return s.journal.Held
}

// DataLoss is an incident's data-loss source: the journal's replays
// recorded on its timeline, or nil (not measured) without a journal.
func (s *Side) DataLoss() func(incident.Incident) (lost, total int, ok bool) {
	if s.journal == nil {
		return nil
	}
	return DataLoss
}

// Foreigner reports the level state found at start when it was kept for
// other upstreams, as level.Engine does.
type Foreigner interface {
	Foreign() (level.State, bool)
}

var _ Foreigner = (*level.Engine)(nil)

// StaleReason is why the incident id, left open by the previous run, is
// closed at start, when the gateway now fronts now. When the stored state
// was another pair of upstreams', it says so, and a journal this start
// set aside is tied to the incident, so that its discard is recorded
// there; an error says the tie failed, and the reason holds regardless.
func (s *Side) StaleReason(id string, f Foreigner, now level.Upstreams) (string, error) {
	found, ok := f.Foreign()
	if !ok {
		return "engine at L0 after restart", nil
	}
	var err error
	if s.journal != nil {
		err = s.journal.TieIncident(id)
	}
	return fmt.Sprintf("upstreams changed: this incident was about primary %s and fallback %s; Lifeboat now fronts %s and %s",
		found.Upstreams.Primary, found.Upstreams.Fallback, now.Primary, now.Fallback), err
}
