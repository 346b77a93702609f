// Package admin serves Lifeboat's control plane over HTTP: the operations
// plan's /admin calls and their counterparts, plus /health, /status and
// /metrics.
//
// Every call takes and returns JSON. Bad input gets a 400 naming the field
// and changes nothing.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// Gateway is the set of live controls the admin API drives: the
// operations' controls, and the reads its views need.
type Gateway interface {
	operation.Gateway
	Routing() proxy.Routing
	DisableBreaker()
	Breaker() *breaker.Breaker
	DisableQueue()
	Queue() *queue.Queue
	DisableCache()
	CacheEnabled() bool
}

var _ Gateway = (*proxy.Gateway)(nil)

// Defaults fill in what an enable call leaves out. They are the
// operations' defaults, shared with the built-in actions.
type Defaults = operation.Defaults

// Options configures the admin API.
type Options struct {
	// Gateway is what the calls control. Required.
	Gateway Gateway
	// Defaults fill in omitted fields. Zero values are the packages' defaults.
	Defaults Defaults
	// Token, when not empty, is required as a bearer token on /admin calls.
	Token string
	// MaxBodyBytes bounds request bodies. Zero means 64 KiB.
	MaxBodyBytes int64
	// Events receives a record of every change. Nil means none.
	Events event.Sink
	// Status builds the /status and /health views. Nil serves neither.
	Status *Status
	// Metrics serves /metrics. Nil serves none.
	Metrics http.Handler
	// Levels is the escalation engine behind /admin/level and its commands,
	// and the "escalation" part of /status. Nil means escalation is off:
	// those calls answer 404 and /status leaves the part out.
	Levels Levels
	// LevelTimeout bounds a level command, including its wait for a running
	// evaluation and the actions it runs. Zero means 60s.
	LevelTimeout time.Duration
	// Incidents serves /admin/incidents, /admin/analyze and the incident
	// parts of /admin/diagnostics. Nil means escalation is off: the
	// incident calls answer 404 and the bundle leaves those parts out.
	Incidents *Incidents
	// IncidentTimeout bounds an incident call's reads and writes, and the
	// gathering of a diagnostics bundle. Zero means 30s.
	IncidentTimeout time.Duration
	// Faults is the fault injector behind /admin/faults, which drills use
	// to inject faults toward the primary. Nil means fault injection is
	// off: those calls answer 404.
	Faults Faults
	// Config is the effective configuration as YAML, secrets already
	// redacted, put in the diagnostics bundle as config.yaml. Nil leaves
	// the file out.
	Config []byte
	// Secrets are scrubbed from every file of the diagnostics bundle, in
	// case an event quoted one (an HTTP client's error quotes the URL it
	// called, a notifier's URL included). The Token is always scrubbed.
	// Default none.
	Secrets []string
	// Held are the journals set aside for another primary, behind
	// /admin/journal/held. Nil means the journal is off: those calls
	// answer 404.
	Held HeldJournals
	// Now is the clock for the window of an open incident's report and the
	// hour of history in a diagnostics bundle. Nil means time.Now.
	Now func() time.Time
	// UI serves the operations page under /ui/, next to /status and
	// readable without a token like it: the page acts only through the
	// admin calls, with the caller's token. Nil serves no page.
	UI http.Handler
}

// API is the admin HTTP handler.
type API struct {
	o     Options
	token [sha256.Size]byte
	mux   *http.ServeMux
	auth  *authLimiter
}

// New builds the admin API.
func New(o Options) *API {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 64 << 10
	}
	if o.LevelTimeout <= 0 {
		o.LevelTimeout = 60 * time.Second
	}
	if o.IncidentTimeout <= 0 {
		o.IncidentTimeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &API{o: o, token: sha256.Sum256([]byte(o.Token)), mux: http.NewServeMux(), auth: newAuthLimiter(o.Now)}
	a.routes()
	return a
}

func (a *API) routes() {
	a.handle("GET /admin/circuit-breaker", a.getBreaker)
	a.handle("POST /admin/circuit-breaker/enable", a.enableBreaker)
	a.handle("POST /admin/circuit-breaker/disable", a.disableBreaker)
	a.handle("POST /admin/circuit-breaker/reset", a.resetBreaker)
	a.handle("GET /admin/cache", a.getCache)
	a.handle("POST /admin/cache/resize", a.resizeCache)
	a.handle("POST /admin/cache/aggressive", a.aggressiveCache)
	a.handle("POST /admin/cache/aggressive/disable", a.normalCache)
	a.handle("POST /admin/cache/enable", a.enableCache)
	a.handle("POST /admin/cache/disable", a.disableCache)
	a.handle("POST /admin/cache/purge", a.purgeCache)
	a.handle("GET /admin/queue", a.getQueue)
	a.handle("POST /admin/queue/enable", a.enableQueue)
	a.handle("POST /admin/queue/disable", a.disableQueue)
	a.handle("GET /admin/route", a.getRoute)
	a.handle("POST /admin/route", a.setRoute)
	a.levelRoutes()
	a.incidentRoutes()
	a.faultRoutes()
	a.journalRoutes()
	a.mux.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, http.StatusNotFound, "NOT_FOUND", "path", "no admin call "+r.Method+" "+r.URL.Path)
	})
	if a.o.Status != nil {
		a.mux.HandleFunc("GET /health", a.o.Status.serveHealth)
		a.mux.HandleFunc("GET "+OperatorHealthPath, a.o.Status.serveOperatorHealth)
		a.mux.HandleFunc("GET /status", a.serveStatus)
	}
	if a.o.Metrics != nil {
		a.mux.Handle("GET /metrics", a.o.Metrics)
	}
	if a.o.UI != nil {
		a.mux.Handle("GET /ui", a.o.UI)
		a.mux.Handle("GET /ui/", a.o.UI)
	}
}

// handlerFunc is an admin call: it returns the result to render or an error.
type handlerFunc func(r *http.Request) (any, error)

func (a *API) handle(pattern string, h handlerFunc) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !a.guard(w, r) {
			return
		}
		result, err := h(r)
		if err != nil {
			writeInputErr(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "result": result})
	})
}

// documentFunc is an admin call whose answer is a document of its own
// (Markdown, SVG, an archive) rather than the JSON envelope. It writes the
// document itself; an error it returns before writing is answered as JSON.
type documentFunc func(w http.ResponseWriter, r *http.Request) error

func (a *API) handleDocument(pattern string, h documentFunc) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !a.guard(w, r) {
			return
		}
		if err := h(w, r); err != nil {
			writeInputErr(w, err)
		}
	})
}

// ServeHTTP dispatches to the admin calls.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Owns reports whether a path belongs to the admin API rather than the
// upstreams, so the app can route without a second mux lookup.
func (a *API) Owns(path string) bool {
	switch path {
	case "/health", "/status", OperatorHealthPath:
		return a.o.Status != nil
	case "/metrics":
		return a.o.Metrics != nil
	case "/ui":
		return a.o.UI != nil
	}
	if len(path) >= 4 && path[:4] == "/ui/" {
		return a.o.UI != nil
	}
	return len(path) >= 7 && path[:7] == "/admin/"
}

// authorized compares hashes in constant time, so neither the token's
// bytes nor its length leak through timing.
func (a *API) authorized(r *http.Request) bool {
	if a.o.Token == "" {
		return true
	}
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return false
	}
	got := sha256.Sum256([]byte(h[len(prefix):]))
	return subtle.ConstantTimeCompare(got[:], a.token[:]) == 1
}

// changed records a successful change as an event.
func (a *API) changed(r *http.Request, what string, fields map[string]any) {
	if a.o.Events == nil {
		return
	}
	if fields == nil {
		fields = map[string]any{}
	}
	fields["remote"] = r.RemoteAddr
	fields["call"] = r.Method + " " + r.URL.Path
	a.o.Events.Emit(event.Event{Time: time.Now(), Kind: event.AdminChanged, Source: "admin",
		Severity: event.Info, Message: what, Fields: fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, field, msg string) {
	writeJSON(w, status, map[string]any{"status": "error",
		"error": map[string]string{"code": code, "field": field, "message": fmt.Sprintf("%s: %s", field, msg)}})
}

// callError is a refusal that carries its own HTTP status and code, so
// handlers stay short.
type callError struct {
	status           int
	code, field, msg string
}

func (e *callError) Error() string { return e.field + ": " + e.msg }

func writeInputErr(w http.ResponseWriter, err error) {
	var ce *callError
	if ie, ok := err.(*inputError); ok {
		writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", ie.Field, ie.Msg)
		return
	}
	if errors.As(err, &ce) {
		writeErr(w, ce.status, ce.code, ce.field, ce.msg)
		return
	}
	writeErr(w, http.StatusInternalServerError, "INTERNAL", "server", err.Error())
}
