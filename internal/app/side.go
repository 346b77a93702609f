package app

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// buildStandby opens the gateway's fallback side, journal to fallback,
// from configuration, and returns its transport and what it pins.
func (a *App) buildStandby(fb *url.URL) (http.RoundTripper, func(*http.Request) bool, error) {
	o := fallback.SideOptions{Next: a.faults}
	if c := a.cfg.Translation; c.Enabled {
		tr, err := a.newTranslator(c, fb, a.faults)
		if err != nil {
			return nil, nil, err
		}
		o.Translator = tr
	}
	if a.cfg.Journal.Enabled {
		jo, err := a.journalOptions()
		if err != nil {
			return nil, nil, err
		}
		o.Journal = &jo
	}
	side, err := fallback.Open(o)
	if err != nil {
		return nil, nil, err
	}
	a.side = side
	return side, side.Pin(), nil
}

// journalOptions place the journal where configured, bound to the
// configured upstreams.
func (a *App) journalOptions() (fallback.JournalOptions, error) {
	c := a.cfg
	path := c.Journal.Path
	if path == "" {
		path = filepath.Join(c.Escalation.DataDir, "journal.log")
	}
	if err := escalation.EnsureDataDir(filepath.Dir(path)); err != nil {
		return fallback.JournalOptions{}, err
	}
	return fallback.JournalOptions{
		Path: path, Primary: c.Upstreams.Primary.URL, Fallback: c.Upstreams.Fallback.URL,
		ToPrimary: a.faults, Ready: a.primaryReady,
		DrainEvery: c.Journal.DrainEvery, ReplayTimeout: c.Journal.ReplayTimeout, ReplayWorkers: c.Journal.ReplayWorkers,
		HeldClient: &http.Client{Timeout: 10 * time.Second, Transport: a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 8})},
		Note:       a.noteIncident, Events: a.sink, Now: a.now, Shared: a.journalShared(),
	}, nil
}

// primaryReady holds when the primary's checks say it is usable and
// traffic is not isolated on the fallback: the journal may drain then.
func (a *App) primaryReady() bool {
	return a.primary.check.State().Usable() && a.gateway.Routing().Mode != proxy.ModeFallback
}

// noteIncident records a person's note on an incident, when incidents are
// recorded; the journal is built before the escalation.
func (a *App) noteIncident(ctx context.Context, id, by, msg string, fields map[string]any) error {
	return a.esc.Note(ctx, id, by, msg, fields)
}
