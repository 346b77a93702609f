package admin

import (
	"net/http"
	"time"
)

type queueRequest struct {
	MaxQueueSize  *int `json:"max_queue_size"`
	TimeoutMS     *int `json:"timeout_ms"`
	MaxConcurrent *int `json:"max_concurrent"`
}

func (a *API) getQueue(*http.Request) (any, error) {
	return queueView(a.o.Gateway.Queue()), nil
}

// enableQueue is the plan's Level 1 call:
// {"max_queue_size": 1000, "timeout_ms": 30000}.
func (a *API) enableQueue(r *http.Request) (any, error) {
	var in queueRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if err := firstErr(
		intIn("max_queue_size", in.MaxQueueSize, 1, maxQueueSize),
		intIn("timeout_ms", in.TimeoutMS, 1, maxTimeoutMS),
		intIn("max_concurrent", in.MaxConcurrent, 1, maxConcurrency),
	); err != nil {
		return nil, err
	}
	s := a.o.Defaults.Queue
	if in.MaxQueueSize != nil {
		s.MaxQueueSize = *in.MaxQueueSize
	}
	if in.TimeoutMS != nil {
		s.Timeout = time.Duration(*in.TimeoutMS) * time.Millisecond
	}
	if in.MaxConcurrent != nil {
		s.MaxConcurrent = *in.MaxConcurrent
	}
	if err := a.o.Gateway.EnableQueue(s); err != nil {
		return nil, bad("body", "%v", err)
	}
	a.changed(r, "request queue enabled", map[string]any{"max_queue_size": s.MaxQueueSize,
		"timeout": s.Timeout.String(), "max_concurrent": s.MaxConcurrent})
	return queueView(a.o.Gateway.Queue()), nil
}

func (a *API) disableQueue(r *http.Request) (any, error) {
	return a.bodyless(r, "request queue disabled", a.o.Gateway.DisableQueue,
		func() any { return queueView(nil) })
}
