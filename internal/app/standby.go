package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// standby is the journal of the gateway's fallback side, with its drain
// loop and the journals held aside. It exists only when the journal is
// on (App.standby is nil otherwise).
type standby struct{ *fallback.Journal }

// wake makes the drain loop look at once: the primary came back or the
// routing changed.
func (s *standby) wake() { s.Drainer.Wake() }

// buildStandby assembles the transport of the gateway's fallback side and
// what it pins, from configuration.
func (a *App) buildStandby(fb *url.URL) (http.RoundTripper, func(*http.Request) bool, error) {
	o := fallback.Options{Next: a.faults}
	if c := a.cfg.Translation; c.Enabled {
		tr, err := a.newTranslator(c, fb, a.faults)
		if err != nil {
			return nil, nil, err
		}
		o.Translator = tr
	}
	if a.cfg.Journal.Enabled {
		j, err := a.openJournal()
		if err != nil {
			return nil, nil, err
		}
		a.standby, o.Journal = &standby{j}, j.Log
	}
	a.side = fallback.New(o)
	return a.side, a.side.Pin(), nil
}

// openJournal opens the journal where configured, bound to the configured
// upstreams.
func (a *App) openJournal() (*fallback.Journal, error) {
	c := a.cfg
	path := c.Journal.Path
	if path == "" {
		path = filepath.Join(c.Escalation.DataDir, "journal.log")
	}
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	return fallback.OpenJournal(fallback.JournalOptions{
		Path: path, Primary: c.Upstreams.Primary.URL, Fallback: c.Upstreams.Fallback.URL,
		ToPrimary: a.faults, Ready: a.primaryReady,
		DrainEvery: c.Journal.DrainEvery, ReplayTimeout: c.Journal.ReplayTimeout, ReplayWorkers: c.Journal.ReplayWorkers,
		HeldClient: &http.Client{Timeout: 10 * time.Second, Transport: a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 8})},
		Note:       a.noteIncident, Events: a.sink, Now: a.now, Shared: a.journalShared(),
	})
}

// primaryReady holds when the primary's checks say it is usable and
// traffic is not isolated on the fallback: the journal may drain then.
func (a *App) primaryReady() bool {
	return a.checkers[0].State().Usable() && a.gateway.Routing().Mode != proxy.ModeFallback
}

// noteIncident records a person's note on an incident, when incidents are
// recorded.
func (a *App) noteIncident(ctx context.Context, id, by, msg string, fields map[string]any) error {
	if a.inc == nil {
		return nil
	}
	return a.inc.recorder.Note(ctx, id, by, msg, fields)
}

// beforeRestore replays the journal before traffic steps back to the
// primary; the restore waits for it and stops when it fails. The
// configured verification suite then runs against the primary itself: a
// primary that answers its health checks but not its API stops the
// restore too.
func (a *App) beforeRestore(ctx context.Context) error {
	if a.standby != nil {
		if err := a.standby.Drainer.BeforeRestore(ctx); err != nil {
			return err
		}
	}
	return a.verifier.RunSuite(ctx, a.cfg.Upstreams.Primary.URL)
}

// closeStandby closes the journal file.
func (a *App) closeStandby() {
	if a.standby == nil {
		return
	}
	if err := a.standby.Close(); err != nil {
		a.log.Warn("closing the journal", "err", err)
	}
}

// dataLoss is the incident's data-loss source: the journal's replays
// recorded on its timeline, or nil (not measured) without a journal.
func (a *App) dataLoss() func(incident.Incident) (lost, total int, ok bool) {
	if !a.cfg.Journal.Enabled {
		return nil
	}
	return fallback.DataLoss
}

// journalStats is /status's journal section, nil without a journal.
func (a *App) journalStats() func() any {
	if a.standby == nil {
		return nil
	}
	return a.standby.Stats
}

// registerJournalMetrics exports the journal's counters.
func (a *App) registerJournalMetrics() error {
	if a.standby == nil {
		return nil
	}
	return a.standby.Register(a.reg)
}

// primaryTransport is the gateway's way to the primary: through the fault
// injector, and, with the journal on, past its observer (see
// fallback.Transport.Primary).
func (a *App) primaryTransport() http.RoundTripper { return a.side.Primary(a.faults) }

// heldOption is the admin API's view of the held journals: nil, not a
// typed nil, when the journal is off.
func (a *App) heldOption() admin.HeldJournals {
	if a.standby == nil {
		return nil
	}
	return a.standby.Held
}

// staleIncidentReason is why an incident left open by the previous run is
// closed at start. When the stored state was another pair of upstreams',
// it says so, and a journal set aside from that run is tied to the
// incident, so that its discard is recorded there.
func (a *App) staleIncidentReason(id string) string {
	found, ok := a.engine.Foreign()
	if !ok {
		return "engine at L0 after restart"
	}
	if a.standby != nil {
		if err := a.standby.TieIncident(id); err != nil {
			a.log.Warn("cannot tie the held journal to its incident", "incident", id, "err", err)
		}
	}
	return fmt.Sprintf("upstreams changed: this incident was about primary %s and fallback %s; Lifeboat now fronts %s and %s",
		found.Upstreams.Primary, found.Upstreams.Fallback, a.cfg.Upstreams.Primary.URL, a.cfg.Upstreams.Fallback.URL)
}
