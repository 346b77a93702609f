package sim

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// Header names OpenViking reads.
const (
	HeaderAPIKey  = "X-API-Key"
	HeaderUser    = "X-OpenViking-User"
	HeaderAccount = "X-OpenViking-Account"
	defaultUser   = "default"
)

// OpenVikingOptions configure a simulated OpenViking server.
type OpenVikingOptions struct {
	// APIKey, when set, is required on every endpoint except /health and
	// /ready, as X-API-Key or Authorization: Bearer. Default "": no auth.
	APIKey string
	// Version is reported by /health. Default "0.2.1".
	Version string
	// Seed is the searchable corpus. Default nil: DefaultCorpus().
	Seed []Document
}

// OpenViking simulates the OpenViking HTTP server (REFERENCE §2): the
// envelope, auth, health and readiness, sessions, tasks, search, resources
// and Prometheus metrics. It is safe for concurrent use.
type OpenViking struct {
	apiKey     string
	version    string
	healthJSON []byte
	rt         *router
	requests   atomic.Int64
	cond       conditions
	index      *index
	store      *sessionStore
	uploads    uploadStore
}

// ovHandler is an enveloped endpoint: it returns the result or an error.
type ovHandler func(r *http.Request) (any, error)

// NewOpenViking builds a simulator with its own state.
func NewOpenViking(opts OpenVikingOptions) *OpenViking {
	seed := opts.Seed
	if seed == nil {
		seed = DefaultCorpus()
	}
	o := &OpenViking{
		apiKey:  opts.APIKey,
		version: opts.Version,
		index:   newIndex(seed),
		store:   newSessionStore(),
	}
	if o.version == "" {
		o.version = "0.2.1"
	}
	o.healthJSON = o.healthBody()
	o.rt = newRouter(o.miss)
	o.routes()
	return o
}

func (o *OpenViking) routes() {
	o.rt.handle("GET /health", http.HandlerFunc(o.health))
	o.rt.handle("GET /ready", http.HandlerFunc(o.ready))
	o.rt.handle("GET /metrics", o.authed(o.metrics))
	o.rt.handle("GET /api/v1/system/status", o.endpoint(o.systemStatus))
	o.sessionRoutes()
	o.rt.handle("POST /api/v1/search/find", o.endpoint(o.find))
	o.rt.handle("POST /api/v1/search/search", o.endpoint(o.search))
	o.rt.handle("POST /api/v1/resources", o.endpoint(o.addResource))
	o.rt.handle("POST /api/v1/resources/temp_upload", o.endpoint(o.tempUpload))
	o.rt.handle("GET /api/v1/content/read", o.endpoint(o.readContent))
	o.rt.handle("GET /api/v1/content/abstract", o.endpoint(o.abstractOf))
	o.rt.handle("GET /api/v1/content/overview", o.endpoint(o.overviewOf))
}

// Name is "openviking".
func (o *OpenViking) Name() string { return "openviking" }

// Requests counts the requests the simulator has handled.
func (o *OpenViking) Requests() int64 { return o.requests.Load() }

func (o *OpenViking) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.requests.Add(1)
	o.rt.ServeHTTP(w, r)
}

// endpoint wraps h with auth and the envelope.
func (o *OpenViking) endpoint(h ovHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if err := o.authorize(r); err != nil {
			writeOVError(w, start, err)
			return
		}
		res, err := h(r)
		if err != nil {
			writeOVError(w, start, err)
			return
		}
		writeOVResult(w, start, res)
	})
}

// authed wraps a non-enveloped handler with auth.
func (o *OpenViking) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := o.authorize(r); err != nil {
			writeOVError(w, time.Now(), err)
			return
		}
		h(w, r)
	})
}

// authorize accepts X-API-Key or Authorization: Bearer when a key is set.
func (o *OpenViking) authorize(r *http.Request) error {
	if o.apiKey == "" {
		return nil
	}
	key := r.Header.Get(HeaderAPIKey)
	if key == "" {
		key, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	if key == "" {
		return newAPIError(http.StatusUnauthorized, "Missing API Key")
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(o.apiKey)) != 1 {
		return newAPIError(http.StatusUnauthorized, "Invalid API Key")
	}
	return nil
}

// userOf is the tenant user of r: X-OpenViking-User, default "default".
func userOf(r *http.Request) (string, error) {
	u := r.Header.Get(HeaderUser)
	if u == "" {
		return defaultUser, nil
	}
	if !message.ValidID(u) {
		return "", errInvalidArgument("invalid " + HeaderUser + " header")
	}
	return u, nil
}

// ownerOf is the tenant of r: X-OpenViking-Account and X-OpenViking-User,
// each "default" when absent (the server's single-tenant defaults).
func ownerOf(r *http.Request) (owner, error) {
	u, err := userOf(r)
	if err != nil {
		return owner{}, err
	}
	a := r.Header.Get(HeaderAccount)
	if a == "" {
		a = defaultUser
	} else if !message.ValidID(a) {
		return owner{}, errInvalidArgument("invalid " + HeaderAccount + " header")
	}
	return owner{account: a, user: u}, nil
}

func (o *OpenViking) miss(w http.ResponseWriter, status int) {
	writeOVError(w, time.Time{}, newAPIError(status, http.StatusText(status)))
}

// healthBody is the constant answer of /health, encoded once because
// health checks are the most frequent request a simulator gets.
func (o *OpenViking) healthBody() []byte {
	mode := "none"
	if o.apiKey != "" {
		mode = "api_key"
	}
	return mustJSON(map[string]any{"status": "ok", "healthy": true, "version": o.version, "auth_mode": mode})
}

func (o *OpenViking) health(w http.ResponseWriter, _ *http.Request) {
	writeRawJSON(w, http.StatusOK, o.healthJSON)
}

// ready always passes: corrupt_search is the failure health checks miss.
func (o *OpenViking) ready(w http.ResponseWriter, _ *http.Request) {
	keys := "not_configured"
	if o.apiKey != "" {
		keys = "ok"
	}
	checks := map[string]string{"agfs": "ok", "vectordb": "ok", "api_key_manager": keys, "ollama": "not_configured"}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}

func (o *OpenViking) systemStatus(r *http.Request) (any, error) {
	user, err := userOf(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"initialized": true, "user": user}, nil
}

func (o *OpenViking) observeFault(f Fault) { o.cond.set(f) }

func (o *OpenViking) writeInjectedError(w http.ResponseWriter, status int) {
	writeOVError(w, time.Time{}, newAPIError(status, injectedMessage(status)))
}

func (o *OpenViking) detail() map[string]int64 {
	sessions, tasks := o.store.sizes()
	return map[string]int64{"sessions": int64(sessions), "tasks": int64(tasks), "documents": int64(o.index.len())}
}
