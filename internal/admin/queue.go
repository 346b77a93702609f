package admin

import (
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/operation"
)

func (a *API) getQueue(*http.Request) (any, error) {
	return queueView(a.o.Gateway.Queue()), nil
}

// enableQueue is the plan's Level 1 call:
// {"max_queue_size": 1000, "timeout_ms": 30000}.
func (a *API) enableQueue(r *http.Request) (any, error) {
	p, err := params(r, a.o.MaxBodyBytes, operation.ParseQueue)
	if err != nil {
		return nil, err
	}
	s, err := a.ops().EnableQueue(p)
	if err != nil {
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
