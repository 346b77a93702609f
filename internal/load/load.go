// Package load is Lifeboat's closed-loop load generator, the plan's
// smp_load_test.py: a fixed number of workers each send one request, wait
// for its answer and send the next, for a fixed time. It measures latency
// percentiles, throughput, errors by HTTP status and by transport failure,
// and a per-second series that drills turn into user-visible downtime. In
// sessions mode it also writes OpenViking sessions and records every
// acknowledged write, so a drill can prove none was lost.
//
// The package never logs and never imports the simulators: it speaks HTTP
// to whatever BaseURL names, usually the gateway.
package load

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Fixed error values of the package; callers test them with errors.Is.
var (
	// ErrConfig is wrapped by every error about invalid Options.
	ErrConfig = errors.New("load: invalid options")
	// ErrSetup is wrapped when a setup request fails; nothing was measured.
	ErrSetup = errors.New("load: setup request failed")
)

// Defaults of Options.
const (
	DefaultConcurrency = 100
	DefaultDuration    = 60 * time.Second
	DefaultTimeout     = 10 * time.Second
)

// Request is one kind of request of the mix.
type Request struct {
	// Name labels the request in errors. Default: "METHOD PATH".
	Name string `json:"name,omitempty" yaml:"name"`
	// Method is the HTTP method. Default GET, or POST when Body is set.
	Method string `json:"method,omitempty" yaml:"method"`
	// Path is appended to Options.BaseURL, query included. Required.
	Path string `json:"path" yaml:"path"`
	// Body is sent as is; a body without a Content-Type header is sent as
	// application/json. Default "": no body.
	Body string `json:"body,omitempty" yaml:"body"`
	// Header is added to Options.Header for this request. Default nil.
	Header http.Header `json:"header,omitempty" yaml:"header"`
	// Weight is the request's share of the mix against the other weights:
	// with weights 3 and 1, three of every four requests are the first.
	// Default 0: 1.
	Weight int `json:"weight,omitempty" yaml:"weight"`
}

// Options configure one run. The zero value of every field but BaseURL and
// the traffic (Requests or Sessions) has a working default.
type Options struct {
	// BaseURL is where requests go, such as the gateway's
	// "http://127.0.0.1:8002". Required.
	BaseURL string
	// Requests is the mix, sent in a fixed weighted round-robin order that
	// each worker starts at a different place. Required unless Sessions is
	// set.
	Requests []Request
	// Sessions, when set, adds OpenViking session writes to the mix and
	// records every acknowledged write in Result.Acked. Default nil: none.
	Sessions *SessionWrites
	// Setup is sent once, in order, before the clock starts; any failure
	// (a transport error or a status outside 2xx) ends the run with
	// ErrSetup. Default nil: nothing.
	Setup []Request
	// Header is sent with every request, for example an API key or
	// X-OpenViking-User. Default nil.
	Header http.Header
	// Concurrency is the number of workers, each with one request in
	// flight at a time. Default 100.
	Concurrency int
	// Duration is how long workers keep sending; requests in flight then
	// finish, bounded by Timeout. Default 60s.
	Duration time.Duration
	// Timeout bounds every request, the answer's body included; a request
	// that takes longer fails as a timeout. Default 10s.
	Timeout time.Duration
	// Client sends the requests. Default nil: a client with a transport
	// tuned for the run (MaxIdleConnsPerHost = Concurrency, no proxy),
	// whose idle connections are closed when Run returns.
	Client *http.Client
	// Progress, when set, is called about every second with the figures so
	// far, and once more when the run ends. It is called from one
	// goroutine at a time and must not block for long. Default nil: no
	// progress reports.
	Progress func(Snapshot)
}

// withDefaults fills the defaults documented on Options.
func (o Options) withDefaults() Options {
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Duration == 0 {
		o.Duration = DefaultDuration
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// validate reports the first problem with o, which has its defaults.
func (o Options) validate() error {
	u, err := url.Parse(o.BaseURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%w: base URL %q must be absolute http or https", ErrConfig, o.BaseURL)
	case o.Concurrency < 0 || o.Duration < 0 || o.Timeout < 0:
		return fmt.Errorf("%w: concurrency, duration and timeout must not be negative", ErrConfig)
	case len(o.Requests) == 0 && o.Sessions == nil:
		return fmt.Errorf("%w: no requests and no session writes", ErrConfig)
	}
	for _, r := range slices.Concat(o.Requests, o.Setup) {
		if err := r.validate(); err != nil {
			return err
		}
	}
	return o.Sessions.validate()
}

func (r Request) validate() error {
	if r.Weight < 0 {
		return fmt.Errorf("%w: request %s: weight %d is negative", ErrConfig, r.label(), r.Weight)
	}
	if len(r.Path) == 0 || r.Path[0] != '/' {
		return fmt.Errorf("%w: request %s: path must start with /", ErrConfig, r.label())
	}
	return nil
}

// method applies the default documented on Request.Method.
func (r Request) method() string {
	switch {
	case r.Method != "":
		return r.Method
	case r.Body != "":
		return http.MethodPost
	}
	return http.MethodGet
}

// label is the request's name in errors.
func (r Request) label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.method() + " " + r.Path
}
