package sim

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"sync/atomic"
	"time"
)

// LightRAGOptions configure a simulated LightRAG API server.
type LightRAGOptions struct {
	// APIKey, when set, is required as X-API-Key on every endpoint except
	// /health; a missing or wrong key answers 403 like LightRAG. Default "": no auth.
	APIKey string
	// CoreVersion and APIVersion are reported by /health. Defaults "1.4.9" and "0251".
	CoreVersion string
	APIVersion  string
	// Seed is the searchable corpus. Default nil: DefaultCorpus().
	Seed []Document
	// IndexDelay is how long an inserted text waits in the background
	// pipeline before it is searchable; until then its track status says
	// "pending". Default 0: DefaultIndexDelay (50 ms).
	IndexDelay time.Duration
	// StreamGap is the pause between the pieces /query/stream sends.
	// Default 0: none.
	StreamGap time.Duration
}

// LightRAG simulates the LightRAG API server used as the fallback (REFERENCE
// §3): health, queries, text insertion with track ids and the pipeline
// status, with FastAPI's error shapes. It is safe for concurrent use.
type LightRAG struct {
	apiKey      string
	coreVersion string
	apiVersion  string
	healthJSON  []byte
	rt          *router
	requests    atomic.Int64
	cond        conditions
	index       *index
	docs        *docStore
	pipeline    *indexer
	streamGap   time.Duration
}

// lrHandler is a JSON endpoint: it returns the body or an error.
type lrHandler func(r *http.Request) (any, error)

// httpError is a FastAPI HTTPException: a status and a "detail".
type httpError struct {
	status int
	detail any
}

func (e *httpError) Error() string { return http.StatusText(e.status) }

// NewLightRAG builds a simulator with its own state.
func NewLightRAG(opts LightRAGOptions) *LightRAG {
	seed := opts.Seed
	if seed == nil {
		seed = DefaultCorpus()
	}
	l := &LightRAG{
		apiKey:      opts.APIKey,
		coreVersion: valueOr(opts.CoreVersion, "1.4.9"),
		apiVersion:  valueOr(opts.APIVersion, "0251"),
		index:       newIndex(seed),
		docs:        newDocStore(),
		streamGap:   opts.StreamGap,
	}
	delay := opts.IndexDelay
	if delay <= 0 {
		delay = DefaultIndexDelay
	}
	l.pipeline = newIndexer(delay, l.indexDoc)
	l.healthJSON = l.healthBody()
	l.rt = newRouter(l.miss)
	l.rt.handle("GET /health", http.HandlerFunc(l.health))
	l.rt.handle("POST /query", l.endpoint(l.query))
	l.rt.handle("POST /query/data", l.endpoint(l.queryData))
	l.rt.handle("POST /query/stream", http.HandlerFunc(l.queryStream))
	l.rt.handle("POST /documents/text", l.endpoint(l.insertText))
	l.rt.handle("GET /documents/track_status/{track_id}", l.endpoint(l.trackStatus))
	l.rt.handle("GET /documents/pipeline_status", l.endpoint(l.pipelineStatus))
	return l
}

func valueOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Close stops the background pipeline and waits for it; texts still
// queued stay pending and later inserts answer 503. A Server closes its
// service when it stops. It is safe to call twice.
func (l *LightRAG) Close() { l.pipeline.close() }

// Name is "lightrag".
func (l *LightRAG) Name() string { return "lightrag" }

// Requests counts the requests the simulator has handled.
func (l *LightRAG) Requests() int64 { return l.requests.Load() }

func (l *LightRAG) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.requests.Add(1)
	l.rt.ServeHTTP(w, r)
}

// endpoint wraps h with auth and FastAPI's error shape.
func (l *LightRAG) endpoint(h lrHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := l.run(h, r)
		if err != nil {
			writeDetail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, body)
	})
}

func (l *LightRAG) run(h lrHandler, r *http.Request) (any, error) {
	if err := l.authorize(r); err != nil {
		return nil, err
	}
	return h(r)
}

// authorize checks X-API-Key when a key is set.
func (l *LightRAG) authorize(r *http.Request) error {
	if l.apiKey == "" {
		return nil
	}
	key := r.Header.Get(HeaderAPIKey)
	if key == "" {
		return &httpError{status: http.StatusForbidden, detail: "API Key required"}
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(l.apiKey)) != 1 {
		return &httpError{status: http.StatusForbidden, detail: "Invalid API Key"}
	}
	return nil
}

// writeDetail answers err as {"detail": …}; other errors are 500s.
func writeDetail(w http.ResponseWriter, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = &httpError{status: http.StatusInternalServerError, detail: err.Error()}
	}
	writeJSON(w, he.status, map[string]any{"detail": he.detail})
}

func (l *LightRAG) miss(w http.ResponseWriter, status int) {
	writeDetail(w, &httpError{status: status, detail: http.StatusText(status)})
}

func (l *LightRAG) health(w http.ResponseWriter, _ *http.Request) {
	writeRawJSON(w, http.StatusOK, l.healthJSON)
}

// healthBody is the constant answer of /health, encoded once.
func (l *LightRAG) healthBody() []byte {
	return mustJSON(map[string]any{
		"status":            "healthy",
		"working_directory": "./rag_storage",
		"input_directory":   "./inputs",
		"configuration":     map[string]any{"llm_binding": "simulated", "embedding_binding": "simulated"},
		"auth_mode":         "disabled",
		"pipeline_busy":     false,
		"core_version":      l.coreVersion,
		"api_version":       l.apiVersion,
		"webui_title":       "LightRAG (simulated)",
		"webui_description": "",
	})
}

func (l *LightRAG) observeFault(f Fault) { l.cond.set(f) }

func (l *LightRAG) writeInjectedError(w http.ResponseWriter, status int) {
	writeDetail(w, &httpError{status: status, detail: injectedMessage(status)})
}

func (l *LightRAG) detail() map[string]int64 {
	return map[string]int64{"documents": int64(l.index.len()), "inserted": int64(l.docs.len())}
}
