package sim

import (
	"errors"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Fixed error values of the package; callers test them with errors.Is.
var (
	// ErrInvalidFault is wrapped by every error Fault.Validate returns.
	ErrInvalidFault = errors.New("sim: invalid fault")
	// ErrStarted is returned when a listener is started twice.
	ErrStarted = errors.New("sim: already started")
	// ErrStopped is returned by calls made after Stop.
	ErrStopped = errors.New("sim: server stopped")
	// ErrRelisten is returned when a "down" server cannot listen again on
	// its remembered address (another process took the port).
	ErrRelisten = errors.New("sim: cannot listen again")
)

// defaultErrorStatus is the status injected errors carry when the fault
// sets an error rate without naming a status.
const defaultErrorStatus = http.StatusServiceUnavailable

// Fault is the set of knobs a Server applies to every request outside
// /_sim/. The zero value means no fault. The JSON names are part of the
// control API (POST /_sim/fault) and must not change.
type Fault struct {
	LatencyMS     int     `json:"latency_ms,omitempty"`     // added before answering
	JitterMS      int     `json:"jitter_ms,omitempty"`      // uniform +/- jitter on the latency
	ErrorRate     float64 `json:"error_rate,omitempty"`     // 0..1 fraction of requests answered with ErrorStatus
	ErrorStatus   int     `json:"error_status,omitempty"`   // default 503 when ErrorRate > 0
	Down          bool    `json:"down,omitempty"`           // listener closed: connections refused
	Hang          bool    `json:"hang,omitempty"`           // accept, never answer until the client gives up or the server stops
	CorruptSearch bool    `json:"corrupt_search,omitempty"` // searches find nothing while /health stays green
	RAGFailure    bool    `json:"rag_failure,omitempty"`    // LightRAG answers status "failure" with HTTP 200 (queries and inserts)
	CPUPercent    float64 `json:"cpu_percent,omitempty"`    // resource pressure reported on /metrics
	MemoryPercent float64 `json:"memory_percent,omitempty"` // resource pressure reported on /metrics
	DurationMS    int     `json:"duration_ms,omitempty"`    // when >0 the fault clears itself after this long
}

// Validate reports the first invalid field, in declaration order, as a
// *field.Error wrapping ErrInvalidFault and named by its JSON name:
// negative durations, an error rate outside 0..1, an error status outside
// 400..599, or a percentage outside 0..100.
func (f Fault) Validate() error {
	return field.First(ErrInvalidFault, ErrInvalidFault.Error(), []field.Check{
		field.NotNegative("latency_ms", float64(f.LatencyMS)),
		field.NotNegative("jitter_ms", float64(f.JitterMS)),
		field.Range("error_rate", f.ErrorRate, 0, 1),
		field.OptionalRange("error_status", float64(f.ErrorStatus), 400, 599),
		field.Range("cpu_percent", f.CPUPercent, 0, 100),
		field.Range("memory_percent", f.MemoryPercent, 0, 100),
		field.NotNegative("duration_ms", float64(f.DurationMS)),
	})
}

// IsZero reports whether the fault changes nothing.
func (f Fault) IsZero() bool { return f == Fault{} }

// errorStatus is the status of injected errors, defaulting to 503.
func (f Fault) errorStatus() int {
	if f.ErrorStatus == 0 {
		return defaultErrorStatus
	}
	return f.ErrorStatus
}

// delays reports whether requests must pass through the latency stage.
func (f Fault) delays() bool { return f.LatencyMS > 0 || f.JitterMS > 0 }
