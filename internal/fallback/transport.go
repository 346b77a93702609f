// Package fallback is the gateway's fallback side as one piece: the
// journal in front of the translation in front of the fallback itself,
//
//	proxy ──► journal.Transport ──► translate.Translator ──► fault.Injector ──► LightRAG
//	          (session writes,      (OpenViking calls as      (drills' faults,
//	           held sessions' reads) LightRAG calls)           TLS per upstream)
//
// built from pieces already made (Transport), together with what runs
// around the journal (Journal): its binding to the primary it was
// written for, its drain loop, and the journals set aside for another
// primary, which a person replays or discards through the admin API
// (Held). Side bundles the two as their owner runs them: opened, run,
// woken, drained before a restore, closed.
package fallback

import (
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

// Options are the pieces of the fallback side, each already built.
type Options struct {
	// Next carries requests to the fallback itself: the fault injector in
	// front of the fallback's http.Transport. Required.
	Next http.RoundTripper
	// Translator answers OpenViking calls from the fallback's API,
	// sending its calls through Next. Default nil: requests pass to Next
	// untranslated.
	Translator *translate.Translator
	// Journal keeps the session writes and answers the reads of sessions
	// it holds. Default nil: the journal is off and nothing is pinned.
	Journal *journal.Journal
}

// Transport is the fallback side as the proxy sees it: one RoundTripper
// from the journal down to the fallback, and the pin that keeps a session
// with journaled writes on it.
type Transport struct {
	rt      http.RoundTripper // the outermost layer
	next    http.RoundTripper // what the journal passes on to: the translation, or Next
	journal *journal.Journal  // nil without a journal
}

var _ http.RoundTripper = (*Transport)(nil)

// New stacks the pieces into the fallback side's transport.
func New(o Options) *Transport {
	t := &Transport{next: o.Next, journal: o.Journal}
	if o.Translator != nil {
		t.next = o.Translator
	}
	t.rt = t.next
	if o.Journal != nil {
		t.rt = o.Journal.Transport(t.next)
	}
	return t
}

// RoundTrip sends r down the fallback side.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) { return t.rt.RoundTrip(r) }

// Pin is the proxy's pin: it reports whether a request must be served by
// the fallback side because its session has journaled writes the primary
// has not received. Nil without a journal, so the proxy pins nothing.
func (t *Transport) Pin() func(*http.Request) bool {
	if t.journal == nil {
		return nil
	}
	return t.journal.HoldsRequest
}

// Primary is the gateway's way to the primary given toPrimary, the fault
// injector in front of its http.Transport: with the journal on, past the
// journal's observer, which remembers what the primary says of each
// session so the journal can carry the session on during an outage, and
// which also gives a resource add naming a journaled upload to this
// side's translation, which indexes what clients uploaded.
func (t *Transport) Primary(toPrimary http.RoundTripper) http.RoundTripper {
	if t.journal == nil {
		return toPrimary
	}
	return t.journal.Observe(toPrimary, t.next)
}
