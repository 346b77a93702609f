package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/envelope"
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
	// ErrInternalPath means the request's path is under an internal
	// prefix, which the gateway never forwards.
	ErrInternalPath = errors.New("proxy: this path is not served through the gateway")
	// ErrTryTimeout means an upstream sent no response headers within the
	// try's limit, the wait for a connection included. It wraps
	// context.DeadlineExceeded, so it is a timeout everywhere: 504 to the
	// client, Timeout in statistics and a failure for the breaker.
	ErrTryTimeout = fmt.Errorf("proxy: no response headers within the try's timeout: %w", context.DeadlineExceeded)
)

// StatusClientClosed is nginx's code for a client that hung up. It is only
// logged and counted: the client is no longer there to read it.
const StatusClientClosed = envelope.StatusClientClosed

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
		return failure{status: StatusClientClosed, code: envelope.Cancelled}
	case errors.Is(err, breaker.ErrOpen), errors.Is(err, queue.ErrFull), errors.Is(err, queue.ErrTimeout):
		return failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable, retryAfter: retryAfter()}
	case errors.Is(err, ErrUpgrade):
		return failure{status: http.StatusNotImplemented, code: envelope.Unimplemented}
	case errors.Is(err, ErrInternalPath):
		return failure{status: http.StatusNotFound, code: envelope.NotFound}
	case errors.Is(err, ErrBodyRead):
		return failure{status: http.StatusBadRequest, code: envelope.InvalidArgument}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return failure{status: http.StatusGatewayTimeout, code: envelope.DeadlineExceeded}
	default:
		return failure{status: http.StatusBadGateway, code: envelope.Unavailable}
	}
}

// writeError renders a failure as an OpenViking error envelope: clients of
// the gateway speak OpenViking's API, so they get its error shape from
// Lifeboat too.
func writeError(w http.ResponseWriter, f failure, msg string) {
	if f.status == StatusClientClosed {
		return
	}
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((f.retryAfter+time.Second-1)/time.Second)))
	}
	envelope.WriteError(w, f.status, f.code, msg, 0)
}
