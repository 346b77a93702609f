package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// Errors the gateway reports to clients.
var (
	// ErrBadMode is an unknown routing mode name or weight.
	ErrBadMode = errors.New("proxy: bad routing")
	// ErrClientGone means the client hung up; it is never the upstream's fault.
	ErrClientGone = errors.New("proxy: client went away")
	// ErrUpgrade means the request asked for a protocol upgrade, which the
	// gateway does not proxy.
	ErrUpgrade = errors.New("proxy: protocol upgrades are not supported")
	// ErrBodyRead means the request body could not be read from the client.
	ErrBodyRead = errors.New("proxy: cannot read request body")
)

// StatusClientClosed is nginx's code for a client that hung up. It is only
// logged and counted: the client is no longer there to read it.
const StatusClientClosed = 499

// failure is an error decided for a client, with what it needs to render.
type failure struct {
	status     int
	code       string
	retryAfter time.Duration
}

// classify is the one place that maps errors to HTTP statuses and
// OpenViking error codes.
func classify(err error, retryAfter func() time.Duration) failure {
	var ne net.Error
	switch {
	case errors.Is(err, ErrClientGone), errors.Is(err, context.Canceled):
		return failure{status: StatusClientClosed, code: "CANCELLED"}
	case errors.Is(err, breaker.ErrOpen), errors.Is(err, queue.ErrFull), errors.Is(err, queue.ErrTimeout):
		return failure{status: http.StatusServiceUnavailable, code: "UNAVAILABLE", retryAfter: retryAfter()}
	case errors.Is(err, ErrUpgrade):
		return failure{status: http.StatusNotImplemented, code: "UNIMPLEMENTED"}
	case errors.Is(err, ErrBodyRead):
		return failure{status: http.StatusBadRequest, code: "INVALID_ARGUMENT"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return failure{status: http.StatusGatewayTimeout, code: "DEADLINE_EXCEEDED"}
	default:
		return failure{status: http.StatusBadGateway, code: "UNAVAILABLE"}
	}
}

// envelope is OpenViking's error body: clients of the gateway speak
// OpenViking's API, so they get its error shape from Lifeboat too.
type envelope struct {
	Status string    `json:"status"`
	Error  errorBody `json:"error"`
	Time   float64   `json:"time"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError renders a failure as an OpenViking error envelope.
func writeError(w http.ResponseWriter, f failure, msg string) {
	if f.status == StatusClientClosed {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if f.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((f.retryAfter+time.Second-1)/time.Second)))
	}
	w.WriteHeader(f.status)
	_ = json.NewEncoder(w).Encode(envelope{Status: "error", Error: errorBody{Code: f.code, Message: msg}})
}
