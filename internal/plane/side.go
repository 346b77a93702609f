package plane

import (
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// buildStandby opens the gateway's fallback side, journal to fallback,
// from configuration, and returns its transport and what it pins.
func (p *Plane) buildStandby(fb *url.URL) (http.RoundTripper, func(*http.Request) bool, error) {
	o := fallback.SideOptions{Next: p.Faults}
	if c := p.cfg.Translation; c.Enabled {
		tr, err := p.newTranslator(c, fb, p.Faults)
		if err != nil {
			return nil, nil, err
		}
		o.Translator = tr
	}
	if p.cfg.Journal.Enabled {
		jo, err := p.journalOptions()
		if err != nil {
			return nil, nil, err
		}
		o.Journal = &jo
	}
	side, err := fallback.Open(o)
	if err != nil {
		return nil, nil, err
	}
	p.Side = side
	return side, side.Pin(), nil
}

// journalOptions place the journal where configured, bound to the
// configured upstreams.
func (p *Plane) journalOptions() (fallback.JournalOptions, error) {
	c := p.cfg
	path := c.Journal.Path
	if path == "" {
		path = filepath.Join(c.Escalation.DataDir, "journal.log")
	}
	if err := p.d.DataDir(filepath.Dir(path)); err != nil {
		return fallback.JournalOptions{}, err
	}
	return fallback.JournalOptions{
		Path: path, Primary: c.Upstreams.Primary.URL, Fallback: c.Upstreams.Fallback.URL,
		ToPrimary: p.Faults, Ready: p.primaryReady,
		DrainEvery: c.Journal.DrainEvery, ReplayTimeout: c.Journal.ReplayTimeout, ReplayWorkers: c.Journal.ReplayWorkers,
		HeldClient: &http.Client{Timeout: 10 * time.Second, Transport: p.Transport(proxy.TransportSettings{MaxIdleConnsPerHost: 8})},
		Note:       p.d.Note, Events: p.d.Events, Now: p.d.Now, Shared: p.d.Shared,
	}, nil
}

// primaryReady holds when the primary's checks say it is usable and
// traffic is not isolated on the fallback: the journal may drain then.
func (p *Plane) primaryReady() bool {
	return p.Primary.Check.State().Usable() && p.Gateway.Routing().Mode != proxy.ModeFallback
}
