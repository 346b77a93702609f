package fault

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrHeaderTimeout is what a delayed or hung request returns when the
// wrapped *http.Transport's ResponseHeaderTimeout runs out first, as the
// transport itself would. It is a net.Error whose Timeout is true.
var ErrHeaderTimeout error = &timeoutError{}

type timeoutError struct{}

func (*timeoutError) Error() string   { return "fault: injected: timeout awaiting response headers" }
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }

// transport applies the Injector's fault in front of one real transport.
type transport struct {
	inj  *Injector
	next http.RoundTripper
	// headerTimeout is next's ResponseHeaderTimeout when next is an
	// *http.Transport, so an injected hang ends as a real one would.
	headerTimeout time.Duration
}

func newTransport(i *Injector, next http.RoundTripper) transport {
	t := transport{inj: i, next: next}
	if ht, ok := next.(*http.Transport); ok {
		t.headerTimeout = ht.ResponseHeaderTimeout
	}
	return t
}

var (
	_ http.RoundTripper = (*Injector)(nil)
	_ http.RoundTripper = (*transport)(nil)
)

// RoundTrip applies the active fault to requests toward the primary and
// passes every other request to Options.Transport untouched.
func (i *Injector) RoundTrip(req *http.Request) (*http.Response, error) { return i.self.RoundTrip(req) }

// Wrap returns a RoundTripper that applies the same faults in front of
// next, for another client of the primary such as its health checks: an
// injected outage or hang is then seen by active checks too, as in
// reality.
func (i *Injector) Wrap(next http.RoundTripper) http.RoundTripper {
	t := newTransport(i, next)
	return &t
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	a := t.inj.cur.Load()
	if a == nil || req.URL.Host != t.inj.host {
		return t.next.RoundTrip(req)
	}
	return t.inject(a, req)
}

// inject runs the stages of a in this order: down (refused at once, as a
// closed port answers), latency, error_rate, hang, then the real request
// with corrupt_search applied to its answer. A fault that ends while a
// request waits lets it go on untouched.
func (t *transport) inject(a *active, req *http.Request) (*http.Response, error) {
	f := a.f
	if f.Down {
		closeBody(req)
		return nil, refused(req)
	}
	if f.delays() {
		if ended, err := t.wait(req, a, t.inj.delay(f)); err != nil || ended {
			return t.pass(req, err)
		}
	}
	if f.ErrorRate > 0 && t.inj.rand() < f.ErrorRate {
		closeBody(req)
		return a.errorResponse(req), nil
	}
	if f.Hang {
		if ended, err := t.wait(req, a, -1); err != nil || ended {
			return t.pass(req, err)
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && f.CorruptSearch && isSearch(req) {
		corrupt(resp)
	}
	return resp, err
}

// pass ends a request whose wait failed with err, or sends it on
// untouched when its fault ended while it waited.
func (t *transport) pass(req *http.Request, err error) (*http.Response, error) {
	if err != nil {
		closeBody(req)
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// wait holds the request for d (forever when negative), and reports
// whether the fault ended meanwhile. It fails with the context's error
// when the caller gives up, and with ErrHeaderTimeout when the wrapped
// transport's header timeout would have run out first.
func (t *transport) wait(req *http.Request, a *active, d time.Duration) (ended bool, err error) {
	fail := error(nil)
	if t.headerTimeout > 0 && (d < 0 || d >= t.headerTimeout) {
		d, fail = t.headerTimeout, ErrHeaderTimeout
	}
	var timeout <-chan time.Time
	if d >= 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		timeout = tm.C
	}
	select {
	case <-timeout:
		return false, fail
	case <-req.Context().Done():
		return false, req.Context().Err()
	case <-a.done:
		return true, nil
	}
}

// delay is one request's latency: the fault's latency moved by a uniform
// jitter in [-JitterMS, +JitterMS], never below zero.
func (i *Injector) delay(f Fault) time.Duration {
	ms := float64(f.LatencyMS)
	if f.JitterMS > 0 {
		ms += (i.rand()*2 - 1) * float64(f.JitterMS)
	}
	return time.Duration(max(ms, 0) * float64(time.Millisecond))
}

// refused is the error a dial to a closed port returns, so the gateway
// classifies an injected outage exactly as a real one.
func refused(req *http.Request) error {
	return &net.OpError{Op: "dial", Net: "tcp", Addr: hostAddr(req.URL.Host),
		Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
}

// hostAddr names the address in the error message, as a real dial does.
type hostAddr string

func (hostAddr) Network() string  { return "tcp" }
func (h hostAddr) String() string { return string(h) }

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// errorResponse is the primary's answer to an injected error, in
// OpenViking's error envelope.
func (a *active) errorResponse(req *http.Request) *http.Response {
	code := a.f.errorStatus()
	return &http.Response{
		Status:     strconv.Itoa(code) + " " + http.StatusText(code),
		StatusCode: code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"},
			"Content-Length": {strconv.Itoa(len(a.errBody))}},
		Body:          io.NopCloser(bytes.NewReader(a.errBody)),
		ContentLength: int64(len(a.errBody)),
		Request:       req,
	}
}

// errorBody is OpenViking's error envelope for status.
func errorBody(status int) []byte {
	msg := "injected fault: " + strings.ToLower(http.StatusText(status))
	b, _ := json.Marshal(map[string]any{"status": "error", "time": 0,
		"error": map[string]string{"code": codeForStatus(status), "message": msg}})
	return b
}

// statusCodes maps HTTP statuses to OpenViking's error codes.
var statusCodes = map[int]string{
	400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	408: "DEADLINE_EXCEEDED", 409: "CONFLICT", 410: "SESSION_EXPIRED", 412: "FAILED_PRECONDITION",
	422: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE",
	503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}

// codeForStatus is the OpenViking code of status; statuses it does not
// name fall back to INVALID_ARGUMENT (4xx) or INTERNAL (5xx), as the
// server's own mapping does.
func codeForStatus(status int) string {
	if code, ok := statusCodes[status]; ok {
		return code
	}
	if status < 500 {
		return "INVALID_ARGUMENT"
	}
	return "INTERNAL"
}
