package health

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

// errorReason condenses a transport error into a short, stable reason, so
// that alerts and dashboards can group probe failures without parsing
// error text.
func errorReason(err error) string {
	_, isDNS := errors.AsType[*net.DNSError](err)
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case isTimeout(err) && isDial(err):
		return "connect timeout"
	case isTimeout(err):
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connect refused"
	case isDNS:
		return "dns lookup failed"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case isDial(err):
		return "connect failed"
	}
	return "request failed"
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	netErr, ok := errors.AsType[net.Error](err)
	return ok && netErr.Timeout()
}

func isDial(err error) bool {
	opErr, ok := errors.AsType[*net.OpError](err)
	return ok && opErr.Op == "dial"
}
