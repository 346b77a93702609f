package stats

import (
	"context"
	"errors"
	"net"
	"syscall"
)

// Classify maps how a proxied request ended to an Outcome. status is the
// upstream's HTTP status (ignored when err is set), err is the error from
// http.Transport.RoundTrip (or http.Client.Do), and clientGone tells that the
// downstream client hung up, which takes precedence over everything else.
//
// A cancelled context means the caller gave up, the client or the gateway
// itself, so it is ClientGone. Any failure while dialing is ConnectError,
// including a dial timeout: the request was never sent, which makes it safe
// to retry even when it is not idempotent. Other timeouts are Timeout, and
// any other transport error (reset, early EOF, malformed response) is
// ServerError because the upstream broke the exchange.
func Classify(status int, err error, clientGone bool) Outcome {
	switch {
	case clientGone:
		return ClientGone
	case err == nil:
		return classifyStatus(status)
	case errors.Is(err, context.Canceled):
		return ClientGone
	case isDial(err) || errors.Is(err, syscall.ECONNREFUSED):
		return ConnectError
	case isTimeout(err):
		return Timeout
	}
	return ServerError
}

// classifyStatus maps an HTTP status; anything outside 100..499, including
// the 0 of a missing response, is the upstream's failure.
func classifyStatus(status int) Outcome {
	switch {
	case status >= 100 && status < 400:
		return OK
	case status >= 400 && status < 500:
		return ClientError
	}
	return ServerError
}

func isDial(err error) bool {
	opErr, ok := errors.AsType[*net.OpError](err)
	return ok && opErr.Op == "dial"
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	netErr, ok := errors.AsType[net.Error](err)
	return ok && netErr.Timeout()
}
