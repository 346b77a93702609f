// Package forward sends a follower's state-changing admin calls on
// incidents and levels to the replica that decides, in cluster mode.
//
// Only the decider records incidents and walks the levels; a follower
// holds mirrored copies that the next import overwrites, and its fenced
// saves of the level fail. So a follower hands these writes to the
// decider through a reverse proxy, unchanged, Authorization header
// included, and marks the answer with ForwardedToHeader. Reads stay local,
// since every replica mirrors the incidents and follows the decided
// level, and so do the calls on this replica's own gateway (breaker,
// cache, queue, route, faults, held journals).
//
// A forwarded call is never forwarded again: a replica that receives one
// without deciding (the decider changed in between) refuses it with a
// retryable 503, so two replicas cannot bounce a call between them.
package forward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// ForwardedToHeader names, on a forwarded call's answer, the decider
	// that served it.
	ForwardedToHeader = "X-Lifeboat-Forwarded-To"
	// ForwardedByHeader names, on the request sent to the decider, the
	// follower that forwarded it.
	ForwardedByHeader = "X-Lifeboat-Forwarded-By"
	// defaultTimeout outlasts the admin API's longest call, a level
	// command (60 s by default), so the decider answers before we give up.
	defaultTimeout = 70 * time.Second
	// retryAfter is what a refused call is told to wait, in seconds: about
	// the time an election takes with the default lease.
	retryAfter = 5
)

// ErrNoDecider is the cause a follower gives when it cannot reach a
// decider; the Decider's own error is wrapped with it.
var ErrNoDecider = errors.New("forward: no decider to forward to")

// Decider is the cluster as the forwarder needs it.
type Decider interface {
	// Deciding reports whether this replica decides now, and so serves
	// the writes itself.
	Deciding() bool
	// DeciderAdmin names the replica that decides and its admin API's base
	// URL, or fails when none is known.
	DeciderAdmin(ctx context.Context) (name, baseURL string, err error)
}

// Admin is the admin API the forwarder stands in front of.
type Admin interface {
	http.Handler
	Owns(path string) bool
}

// Options configure a Handler.
type Options struct {
	// Next is the local admin API. Required.
	Next Admin
	// Decider tells who decides. Required.
	Decider Decider
	// Self is this replica's name, sent in ForwardedByHeader. Default
	// empty.
	Self string
	// Timeout bounds a forwarded call, from finding the decider to its
	// answer. Zero means 70 s, longer than a level command may take.
	Timeout time.Duration
	// Transport carries the forwarded calls. Nil means
	// http.DefaultTransport.
	Transport http.RoundTripper
}

// Handler is the admin API with a follower's writes sent to the decider.
type Handler struct {
	o Options
}

var _ Admin = (*Handler)(nil)

// New builds a Handler.
func New(o Options) *Handler {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	return &Handler{o: o}
}

// Owns is the local admin API's: forwarding changes where a call is
// served, not which calls are the admin API's.
func (h *Handler) Owns(path string) bool { return h.o.Next.Owns(path) }

// ServeHTTP serves r locally, or forwards it when it is a decider's write
// and this replica does not decide.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !Forwards(r.Method, r.URL.Path) || h.o.Decider.Deciding() {
		h.o.Next.ServeHTTP(w, r)
		return
	}
	if by := r.Header.Get(ForwardedByHeader); by != "" {
		refuse(w, fmt.Errorf("%w: forwarded by %s to this replica, which no longer decides", ErrNoDecider, by))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.o.Timeout)
	defer cancel()
	name, base, err := h.o.Decider.DeciderAdmin(ctx)
	if err != nil {
		refuse(w, fmt.Errorf("%w: %w", ErrNoDecider, err))
		return
	}
	target, err := url.Parse(base)
	if err != nil {
		refuse(w, fmt.Errorf("%w: decider %s advertises %q: %w", ErrNoDecider, name, base, err))
		return
	}
	h.proxy(target, name).ServeHTTP(w, r.WithContext(ctx))
}

// proxy sends calls to the decider at target, named name.
func (h *Handler) proxy(target *url.URL, name string) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
			pr.Out.Header.Set(ForwardedByHeader, h.self())
		},
		Transport: h.o.Transport,
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set(ForwardedToHeader, name)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			refuse(w, fmt.Errorf("%w: decider %s at %s unreachable: %w", ErrNoDecider, name, target, err))
		},
	}
}

// self is the name sent in ForwardedByHeader, which must not be empty
// for the loop check to see it.
func (h *Handler) self() string {
	if h.o.Self == "" {
		return "a follower"
	}
	return h.o.Self
}

// Forwards reports whether a call is a decider's write: every POST, PUT
// or DELETE on an incident, the level and its commands (rollback,
// restore, automation).
func Forwards(method, path string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodDelete:
	default:
		return false
	}
	switch {
	case path == "/admin/level", path == "/admin/rollback":
		return true
	case strings.HasPrefix(path, "/admin/incidents/"),
		strings.HasPrefix(path, "/admin/restore/"),
		strings.HasPrefix(path, "/admin/automation/"):
		return true
	}
	return false
}

// refuse answers a call that could not be forwarded with a retryable 503
// in the admin API's error shape, naming the cause.
func refuse(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	w.WriteHeader(http.StatusServiceUnavailable)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "error",
		"error": map[string]string{"code": "NO_DECIDER", "field": "cluster", "message": err.Error()}})
}
