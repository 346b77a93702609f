// Package ui serves the operations page at /ui/: one live view of what the
// plan's automation is doing and why.
//
// The page and its script are embedded in the binary (gateways run in
// closed networks, so nothing comes from a CDN). The server pushes the
// /status document, the last 15 minutes of samples and the marks of level
// changes, rollbacks and restore steps over Server-Sent Events at
// /ui/stream. Everything it pushes is what /status and /metrics already
// show without a token; the page reads incidents and sends commands to the
// admin API itself, with the admin token in an Authorization header, so
// the page has no authority of its own and needs no CSRF defence.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
)

//go:embed assets
var assets embed.FS

// Options configures the page's data.
type Options struct {
	// Status returns the /status document at now. Required.
	Status func(now time.Time) map[string]any
	// Sample reads one point of the 15-minute history at now. Required.
	Sample func(now time.Time) Point
	// OpenIncident returns the open incident's ID, "" when none is open.
	// Nil means the gateway keeps no incidents.
	OpenIncident func() string
	// Drills returns the drill history, oldest first; the page lists the
	// last 50. Nil means none.
	Drills func() []drill.Record
	// TokenRequired tells the page that the admin calls need a token, so
	// it asks for one instead of calling them and being refused.
	TokenRequired bool
	// Every is how often a sample is taken and an update pushed. Zero
	// means one second, the page's promise.
	Every time.Duration
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Page is the /ui/ handler, its sampler and its live streams.
type Page struct {
	o      Options
	files  http.Handler
	series *series
	bell   *bell

	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by Close: every stream ends
}

// New builds the page.
func New(o Options) *Page {
	if o.Every <= 0 {
		o.Every = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	keep := int(15*time.Minute/o.Every) + 1
	return &Page{o: o, files: http.StripPrefix("/ui/", http.FileServerFS(sub)),
		series: newSeries(keep), bell: newBell(), done: make(chan struct{})}
}

// ServeHTTP serves the page, its assets and the stream.
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/ui":
		http.Redirect(w, r, "/ui/", http.StatusMovedPermanently)
	case "/ui/stream":
		p.stream(w, r)
	default:
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		p.files.ServeHTTP(w, r)
	}
}

// Mark records a moment the charts show as a line: a level change, a
// rollback, a restore step. It wakes the streams, so the change is on the
// page at once rather than at the next tick. Safe for concurrent use and
// quick, as an event sink must be.
func (p *Page) Mark(at time.Time, kind, text string) {
	p.series.mark(Mark{T: at.UnixMilli(), Kind: kind, Text: text})
	p.bell.ring()
}

// Changed wakes the streams without a mark, for changes the page shows
// but does not chart (a health check, an acknowledgement).
func (p *Page) Changed() { p.bell.ring() }

// Run samples every Every until ctx ends. The caller owns the goroutine.
func (p *Page) Run(ctxDone <-chan struct{}) {
	t := time.NewTicker(p.o.Every)
	defer t.Stop()
	p.series.add(p.o.Sample(p.o.Now()))
	for {
		select {
		case <-ctxDone:
			return
		case <-t.C:
			p.series.add(p.o.Sample(p.o.Now()))
		}
	}
}

// Close ends every stream, so a gateway that shuts down is not held open
// by pages that would otherwise listen forever. Safe to call twice.
func (p *Page) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
}

// bell wakes every waiting stream at once: ring closes the channel the
// waiters hold and hands out a fresh one.
type bell struct {
	mu sync.Mutex
	ch chan struct{}
}

func newBell() *bell { return &bell{ch: make(chan struct{})} }

func (b *bell) ring() {
	b.mu.Lock()
	close(b.ch)
	b.ch = make(chan struct{})
	b.mu.Unlock()
}

func (b *bell) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}
