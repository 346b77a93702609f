package escalation

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/operation"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Deps is what the escalation needs from the data plane the app built.
type Deps struct {
	// Gateway is the data plane the engine routes and the built-ins act on.
	Gateway *proxy.Gateway
	// Ops are the gateway's operations with the configured defaults, the
	// admin API's, which the built-in actions call by name.
	Ops operation.Ops
	// Stats is this replica's recorder, whose per-second figures the
	// incidents' history keeps.
	Stats *stats.Recorder
	// Traffic is what the triggers, the baseline and the verifier read:
	// the recorder, or in a cluster the fleet's merged traffic.
	Traffic signal.Traffic
	// Keys are the key routes' indexes in the recorder.
	Keys []int
	// Primary and Fallback are the upstreams' active health checks.
	Primary, Fallback *health.Checker
	// PrimaryHealth is the primary's health as the triggers read it.
	PrimaryHealth signal.HealthStatuser
	// Side is the fallback side: the journal's data loss, its replay
	// before a restore, and the journals held aside at start.
	Side Side
	// Probe wraps the transports of the triggers' probes with the drills'
	// faults, as the health checks' are.
	Probe func(http.RoundTripper) http.RoundTripper
	// Transport makes an upstream transport the app closes at Stop.
	Transport func(proxy.TransportSettings) *http.Transport
	// Addr is the gateway's client address, known once it listens.
	Addr func() string
	// Local serves the verifier's requests to the gateway itself in
	// process; nil without TLS.
	Local http.Handler
	// Recent are the recent events the archive_events built-in writes.
	Recent *event.Ring
	// Events is the app's sink, which brings every event back to Emit.
	Events event.Sink
	// Registry receives the decision metrics.
	Registry prometheus.Registerer
	// Store keeps the level state: level.json, or etcd in a cluster.
	Store level.Store
	// Fleet is the cluster's share in the incidents and the actions, nil
	// in a single process.
	Fleet Fleet
	Log   *slog.Logger
	// Now stamps what the escalation records itself (see app.Options).
	Now func() time.Time
	// Manual leaves the engine's evaluations and the chain's ticks to the
	// caller.
	Manual bool
}

// Side is the fallback side as the escalation uses it.
type Side interface {
	DataLoss() func(incident.Incident) (lost, total int, ok bool)
	BeforeRestore(ctx context.Context) error
	StaleReason(id string, f fallback.Foreigner, now level.Upstreams) (string, error)
}

// Fleet is what a cluster adds to the escalation. Only the decider's term
// records incidents, pages and runs actions; every replica's book is
// mirrored from the decider's.
type Fleet interface {
	// Mirror is handed the book's recorder once it is open, before the
	// engine is built.
	Mirror(*incident.Recorder)
	// Actions wraps the engine's action runner (the step log).
	Actions(level.ActionRunner) level.ActionRunner
	// Change is an incident change for the term's chain.
	Change(incident.Change)
	// Entry says incident id has a new timeline entry.
	Entry(id string)
	// Follows tells whether this replica is not deciding now.
	Follows() bool
}
