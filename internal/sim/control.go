package sim

import (
	"errors"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Stats is the Server's view of its traffic, served at GET /_sim/stats.
type Stats struct {
	Service         string           `json:"service"`
	Requests        int64            `json:"requests"`         // received outside /_sim/
	Served          int64            `json:"served"`           // handed to the service
	Delayed         int64            `json:"delayed"`          // went through the latency stage
	InjectedErrors  int64            `json:"injected_errors"`  // answered by error_rate
	Hung            int64            `json:"hung"`             // entered the hang stage
	Dropped         int64            `json:"dropped"`          // connection dropped by down or Stop
	ServiceRequests int64            `json:"service_requests"` // counted by the service itself
	Listening       bool             `json:"listening"`        // the main listener is open
	Fault           Fault            `json:"fault"`
	LastError       string           `json:"last_error,omitempty"` // e.g. a failed automatic revive
	Detail          map[string]int64 `json:"detail,omitempty"`     // service-specific sizes (sessions, documents…)
}

// detailer is implemented by services that report their sizes in Stats.
type detailer interface {
	Requests() int64
	detail() map[string]int64
}

// Stats returns a snapshot of the counters and the fault in force.
func (s *Server) Stats() Stats {
	st := Stats{
		Service:        s.svc.Name(),
		Requests:       s.counts.requests.Load(),
		Served:         s.counts.served.Load(),
		Delayed:        s.counts.delayed.Load(),
		InjectedErrors: s.counts.errors.Load(),
		Hung:           s.counts.hung.Load(),
		Dropped:        s.counts.dropped.Load(),
		Fault:          s.Fault(),
	}
	if d, ok := s.svc.(detailer); ok {
		st.ServiceRequests, st.Detail = d.Requests(), d.detail()
	}
	s.mu.Lock()
	st.Listening, st.LastError = s.main != nil, s.lastErr
	s.mu.Unlock()
	return st
}

// controlError is the body of a rejected /_sim/ request; Field names the
// offending fault field when there is one.
type controlError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func (s *Server) controlHandler() http.Handler {
	rt := newRouter(func(w http.ResponseWriter, status int) {
		writeJSON(w, status, controlError{Error: http.StatusText(status)})
	})
	rt.handle("GET /_sim/fault", http.HandlerFunc(s.getFault))
	rt.handle("POST /_sim/fault", http.HandlerFunc(s.postFault))
	rt.handle("GET /_sim/stats", http.HandlerFunc(s.getStats))
	return rt
}

func (s *Server) getFault(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Fault())
}

func (s *Server) getStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

// postFault replaces the fault; `{}` clears it. Bad JSON, unknown fields and
// invalid values answer 400 naming the field and change nothing.
func (s *Server) postFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := decodeJSON(r, &f, true); err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{Error: err.Error(), Field: jsonErrorField(err)})
		return
	}
	if err := s.SetFault(f); err != nil {
		writeJSON(w, controlStatus(err), controlError{Error: err.Error(), Field: faultField(err)})
		return
	}
	writeJSON(w, http.StatusOK, s.Fault())
}

func controlStatus(err error) int {
	switch {
	case errors.Is(err, ErrInvalidFault):
		return http.StatusBadRequest
	case errors.Is(err, ErrStopped):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

func faultField(err error) string {
	var fe *field.Error
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
