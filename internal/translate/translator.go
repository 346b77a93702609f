package translate

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// defaultMaxBody bounds request bodies and fallback answers by default.
const defaultMaxBody = 4 << 20

// defaultCallTimeout bounds a fallback call by default.
const defaultCallTimeout = 10 * time.Second

// Options configure a Translator.
type Options struct {
	// Rules are the translations, consulted in order. Required; use
	// Builtin() for the default profile, after rules of your own.
	Rules []Rule
	// Fallback is the fallback's base URL; it may carry a base path, which
	// is put before every Rule.Path. Required.
	Fallback *url.URL
	// Transport carries the fallback calls. Default nil: http.DefaultTransport.
	Transport http.RoundTripper
	// Header is added to every fallback call, e.g. LightRAG's X-API-Key.
	// The clients' own Authorization and X-API-Key are never forwarded:
	// they are OpenViking keys. Default nil: no header.
	Header http.Header
	// MaxBody is the largest request body or fallback answer read, in
	// bytes. Default 0: 4 MiB.
	MaxBody int64
	// CallTimeout bounds one fallback call; a fallback that does not
	// answer within it is the gateway's failure (503 UNAVAILABLE), not
	// the client's. Default 0: 10 s.
	CallTimeout time.Duration
	// OnFallbackError is told of every fallback answer the gateway could
	// not use (the fallback refused, failed, hung or answered in a shape
	// the rule cannot read), with the rule, a cause from FallbackCauses
	// and the detail, so the owner can log and count it. It must not
	// block. Default nil: not reported.
	OnFallbackError func(rule, cause, detail string)
}

// Translator answers OpenViking requests from the fallback. It is an
// http.RoundTripper, safe for concurrent use, and holds no state between
// requests beyond its compiled rules and a pool of buffers.
type Translator struct {
	rules     []*compiled
	transport http.RoundTripper
	header    http.Header
	maxBody   int64
	timeout   time.Duration
	onError   func(rule, cause, detail string)
	docs      *documents // what the fallback retrieved, for content reads
	queryData string     // the fallback's retrieval URL, for content reads of what was not seen
	buffers   sync.Pool  // *bytes.Buffer for reading bodies
}

// New compiles every rule once. Errors wrap ErrRule (naming the rule and
// the field) or ErrOptions.
func New(o Options) (*Translator, error) {
	base, err := fallbackBase(o)
	if err != nil {
		return nil, err
	}
	t := &Translator{transport: o.Transport, header: clipHeader(o.Header), maxBody: o.MaxBody,
		timeout: o.CallTimeout, onError: o.OnFallbackError}
	if t.timeout <= 0 {
		t.timeout = defaultCallTimeout
	}
	if t.transport == nil {
		t.transport = http.DefaultTransport
	}
	if t.maxBody == 0 {
		t.maxBody = defaultMaxBody
	}
	t.buffers.New = func() any { return new(bytes.Buffer) }
	t.docs, t.queryData = newDocuments(), target(base, "/query/data")
	for _, r := range o.Rules {
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		c.target = target(base, c.path)
		t.rules = append(t.rules, c)
	}
	return t, nil
}

func fallbackBase(o Options) (*url.URL, error) {
	switch {
	case len(o.Rules) == 0:
		return nil, fmt.Errorf("%w: no rules", ErrOptions)
	case o.Fallback == nil || o.Fallback.Host == "":
		return nil, fmt.Errorf("%w: the fallback URL is required", ErrOptions)
	case o.Fallback.Scheme != "http" && o.Fallback.Scheme != "https":
		return nil, fmt.Errorf("%w: the fallback URL must be http or https, got %q", ErrOptions, o.Fallback.Scheme)
	case o.MaxBody < 0:
		return nil, fmt.Errorf("%w: max body must not be negative, got %d", ErrOptions, o.MaxBody)
	}
	return o.Fallback, nil
}

// target is the fallback URL of a rule, built once so requests do not
// join paths; a query string in the rule's path is kept. Rules that answer
// by themselves have none.
func target(base *url.URL, path string) string {
	if path == "" {
		return ""
	}
	path, query, _ := strings.Cut(path, "?")
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + path
	u.RawPath, u.RawQuery, u.Fragment = "", query, ""
	return u.String()
}

// Match reports which rule, if any, would translate a request.
func (t *Translator) Match(method, path string) (name string, ok bool) {
	if c := t.find(method, path); c != nil {
		return c.name, true
	}
	return "", false
}

func (t *Translator) find(method, path string) *compiled {
	for _, c := range t.rules {
		if c.match.Match(method, path) {
			return c
		}
	}
	return nil
}
