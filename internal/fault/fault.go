package fault

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Fixed error values of the package; callers test them with errors.Is.
var (
	// ErrInvalid is wrapped by every error Fault.Validate returns.
	ErrInvalid = errors.New("fault: invalid fault")
	// ErrStopped is returned by Set after Stop.
	ErrStopped = errors.New("fault: injector stopped")
)

// MaxDuration bounds how long one fault lasts, and how long its latency
// may be: a drill that forgets a fault must not leave it for a day.
const MaxDuration = time.Hour

// maxMS is MaxDuration in milliseconds, the unit of the JSON fields.
const maxMS = int(MaxDuration / time.Millisecond)

// defaultErrorStatus is the status injected errors carry when the fault
// sets an error rate without naming a status, as in the simulators.
const defaultErrorStatus = http.StatusServiceUnavailable

// Fault is what the Injector does to requests toward the primary. Its JSON
// names are the simulators' (internal/sim.Fault), so a drill speaks one
// vocabulary to both; the simulators' cpu_percent and memory_percent have
// no counterpart here (see the package documentation).
type Fault struct {
	LatencyMS     int     `json:"latency_ms,omitempty"`     // added before the request is sent
	JitterMS      int     `json:"jitter_ms,omitempty"`      // uniform +/- jitter on the latency
	ErrorRate     float64 `json:"error_rate,omitempty"`     // 0..1 fraction answered with ErrorStatus
	ErrorStatus   int     `json:"error_status,omitempty"`   // 400..599; default 503 when ErrorRate > 0
	Down          bool    `json:"down,omitempty"`           // connections refused, nothing is dialled
	Hang          bool    `json:"hang,omitempty"`           // no answer until the caller gives up
	CorruptSearch bool    `json:"corrupt_search,omitempty"` // searches find nothing; health stays green
	DurationMS    int     `json:"duration_ms,omitempty"`    // required: the fault reverts after this long
}

// Validate reports the first invalid field, in declaration order, as a
// *field.Error wrapping ErrInvalid: a latency, jitter or duration outside
// its bounds, an error rate outside 0..1, an error status outside 400..599
// or without an error rate, a missing duration, or a fault that changes
// nothing. The field is named by its JSON name, or "body" when the fault as
// a whole is wrong.
func (f Fault) Validate() error {
	return field.First(ErrInvalid, ErrInvalid.Error(), f.checks())
}

func (f Fault) checks() []field.Check {
	return []field.Check{
		field.Range("latency_ms", float64(f.LatencyMS), 0, float64(maxMS)),
		field.Range("jitter_ms", float64(f.JitterMS), 0, float64(maxMS)),
		field.Range("error_rate", f.ErrorRate, 0, 1),
		field.OptionalRange("error_status", float64(f.ErrorStatus), 400, 599),
		{Field: "error_status", Bad: f.ErrorStatus != 0 && f.ErrorRate == 0, Msg: "needs an error_rate above 0"},
		{Field: "duration_ms", Bad: f.DurationMS <= 0 || f.DurationMS > maxMS,
			Msg: fmt.Sprintf("is required: how long the fault lasts, 1 to %d", maxMS)},
		{Field: "body", Bad: !f.effective(), Msg: "sets no fault: give latency_ms, jitter_ms, error_rate, down, hang or corrupt_search"},
	}
}

// effective reports whether the fault changes anything.
func (f Fault) effective() bool {
	return f.delays() || f.ErrorRate > 0 || f.Down || f.Hang || f.CorruptSearch
}

// Duration is how long the fault lasts.
func (f Fault) Duration() time.Duration { return time.Duration(f.DurationMS) * time.Millisecond }

// errorStatus is the status of injected errors, defaulting to 503.
func (f Fault) errorStatus() int {
	if f.ErrorStatus == 0 {
		return defaultErrorStatus
	}
	return f.ErrorStatus
}

// delays reports whether requests must wait before going on.
func (f Fault) delays() bool { return f.LatencyMS > 0 || f.JitterMS > 0 }

// String describes the fault for people, such as
// "latency 300ms ±50ms, errors 20% as 503 for 1m0s".
func (f Fault) String() string {
	var parts []string
	if f.delays() {
		p := "latency " + ms(f.LatencyMS).String()
		if f.JitterMS > 0 {
			p += " ±" + ms(f.JitterMS).String()
		}
		parts = append(parts, p)
	}
	if f.ErrorRate > 0 {
		parts = append(parts, fmt.Sprintf("errors %g%% as %d", f.ErrorRate*100, f.errorStatus()))
	}
	for _, b := range []struct {
		on   bool
		name string
	}{{f.Down, "down"}, {f.Hang, "hang"}, {f.CorruptSearch, "corrupt search"}} {
		if b.on {
			parts = append(parts, b.name)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no fault")
	}
	return strings.Join(parts, ", ") + " for " + f.Duration().String()
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
