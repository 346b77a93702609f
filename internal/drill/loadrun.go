package drill

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// loadSession is the session the drill's read traffic reads; creating it
// is idempotent, so drills share it.
const loadSession = "lifeboat-drill"

// loadForever outlasts any drill: the drill stops its load itself.
const loadForever = 24 * time.Hour

// loadRun is the drill's steady load, running in a goroutine the drill
// owns: stop cancels it and waits for it.
type loadRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	res    load.Result
	err    error
}

// loadOptions are what OpenViking clients do, searches, session reads and
// session writes, with every acknowledged write recorded.
func (d *run) loadOptions() load.Options {
	return load.Options{
		BaseURL:     d.o.Gateway,
		Requests:    load.OpenVikingMix(loadSession),
		Setup:       load.OpenVikingSetup(loadSession),
		Sessions:    &load.SessionWrites{Prefix: "lbdrill-" + strconv.FormatInt(time.Now().UnixNano(), 36)},
		Header:      d.o.Header,
		Concurrency: d.o.Concurrency,
		Duration:    loadForever,
		Progress:    d.clients.observe,
		Client:      pacedClient(d.o.Pace, d.o.Concurrency),
	}
}

// pacedClient is the load's HTTP client: nil (the load's own) without a
// pace, else one whose every request first waits pace.
func pacedClient(pace time.Duration, workers int) *http.Client {
	if pace <= 0 {
		return nil
	}
	base := &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, IdleConnTimeout: 90 * time.Second}
	return &http.Client{Transport: pacer{base: base, pace: pace}}
}

// pacer delays each request by pace before sending it.
type pacer struct {
	base *http.Transport
	pace time.Duration
}

func (p pacer) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := sleep(r.Context(), p.pace); err != nil {
		return nil, err
	}
	return p.base.RoundTrip(r)
}

func startLoad(ctx context.Context, opts load.Options) *loadRun {
	ctx, cancel := context.WithCancel(ctx)
	l := &loadRun{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.res, l.err = load.Run(ctx, opts)
		if opts.Client != nil {
			opts.Client.CloseIdleConnections() // the load closes only a client of its own
		}
	}()
	return l
}

// failed reports a load that ended by itself, which only a failed setup
// or invalid options do.
func (l *loadRun) failed() error {
	select {
	case <-l.done:
		if l.err == nil {
			return errors.New("drill: the load ended early")
		}
		return l.err
	default:
		return nil
	}
}

// stop ends the load and returns what it measured. Being stopped is how
// a drill's load ends, so the cancellation is not an error.
func (l *loadRun) stop() (load.Result, error) {
	l.cancel()
	<-l.done
	if l.res.Interrupted && errors.Is(l.err, context.Canceled) {
		return l.res, nil
	}
	return l.res, l.err
}

// CloseIdleConnections lets the client close the pacer's connections.
func (p pacer) CloseIdleConnections() { p.base.CloseIdleConnections() }
