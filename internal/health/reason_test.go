package health

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
)

func TestErrorReason(t *testing.T) {
	dialTimeout := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	cases := []struct {
		err  error
		want string
	}{
		{context.Canceled, "canceled"},
		{fmt.Errorf("get: %w", context.DeadlineExceeded), "timeout"},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, "timeout"},
		{dialTimeout, "connect timeout"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, "connect refused"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "x"}}, "dns lookup failed"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("network unreachable")}, "connect failed"},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, "connection reset"},
		{fmt.Errorf("get: %w", io.EOF), "connection closed"},
		{errors.New("tls: bad certificate"), "request failed"},
	}
	for _, c := range cases {
		if got := errorReason(c.err); got != c.want {
			t.Errorf("errorReason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestHTTPProberServerHangsUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // Close without answering.
		}
	}))
	t.Cleanup(srv.Close)
	r := probeOnce(t, srv.URL, Settings{})
	if r.OK || r.Reason != "connection closed" {
		t.Errorf("got OK=%v reason=%q error=%q, want connection closed", r.OK, r.Reason, r.Error)
	}
}
