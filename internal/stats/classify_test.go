package stats

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
	"time"
)

func TestClassifyStatus(t *testing.T) {
	cases := map[int]Outcome{
		101: OK, 200: OK, 204: OK, 304: OK,
		400: ClientError, 403: ClientError, 404: ClientError, 429: ClientError, 499: ClientError,
		500: ServerError, 503: ServerError, 504: ServerError, 0: ServerError, 600: ServerError,
	}
	for status, want := range cases {
		if got := Classify(status, nil, false); got != want {
			t.Errorf("Classify(%d) = %s, want %s", status, got, want)
		}
	}
}

func TestClassifyClientGoneWins(t *testing.T) {
	for _, err := range []error{nil, io.EOF, context.DeadlineExceeded} {
		if got := Classify(502, err, true); got != ClientGone {
			t.Errorf("Classify(502, %v, gone) = %s, want client_gone", err, got)
		}
	}
}

func TestClassifyConstructedErrors(t *testing.T) {
	refused := os.NewSyscallError("connect", syscall.ECONNREFUSED)
	cases := []struct {
		err  error
		want Outcome
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: refused}, ConnectError},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, ConnectError},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host"}}, ConnectError},
		{fmt.Errorf("proxy: %w", refused), ConnectError},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, Timeout},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), Timeout},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, ServerError},
		{io.ErrUnexpectedEOF, ServerError},
		{errors.New("malformed HTTP response"), ServerError},
		{fmt.Errorf("wrapped: %w", context.Canceled), ClientGone},
	}
	for _, c := range cases {
		if got := Classify(200, c.err, false); got != c.want {
			t.Errorf("Classify(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

// roundTrip sends GET url through a fresh transport, as the proxy does.
func roundTrip(t *testing.T, ctx context.Context, tr *http.Transport, url string) (int, error) {
	t.Helper()
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// sleepy starts a server that answers only when the client goes away.
func sleepy(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestClassifyTransportClosedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	status, err := roundTrip(t, context.Background(), &http.Transport{}, "http://"+addr)
	if got := Classify(status, err, false); got != ConnectError {
		t.Errorf("closed port: %v classified %s, want connect_error", err, got)
	}
}

func TestClassifyTransportDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	status, err := roundTrip(t, ctx, &http.Transport{}, sleepy(t))
	if got := Classify(status, err, false); got != Timeout {
		t.Errorf("deadline: %v classified %s, want timeout", err, got)
	}
}

func TestClassifyTransportHeaderTimeout(t *testing.T) {
	tr := &http.Transport{ResponseHeaderTimeout: 50 * time.Millisecond}
	status, err := roundTrip(t, context.Background(), tr, sleepy(t))
	if got := Classify(status, err, false); got != Timeout {
		t.Errorf("header timeout: %v classified %s, want timeout", err, got)
	}
}

func TestClassifyClientTimeout(t *testing.T) {
	client := &http.Client{Timeout: 50 * time.Millisecond}
	_, err := client.Get(sleepy(t))
	if got := Classify(0, err, false); got != Timeout {
		t.Errorf("client timeout: %v classified %s, want timeout", err, got)
	}
}

func TestClassifyTransportCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	url := sleepy(t)
	time.AfterFunc(20*time.Millisecond, cancel)
	status, err := roundTrip(t, ctx, &http.Transport{}, url)
	if got := Classify(status, err, false); got != ClientGone {
		t.Errorf("cancelled: %v classified %s, want client_gone", err, got)
	}
}

func TestClassifyTransportAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	status, err := roundTrip(t, ctx, &http.Transport{}, sleepy(t))
	if got := Classify(status, err, false); got != ClientGone {
		t.Errorf("cancelled before dial: %v classified %s, want client_gone", err, got)
	}
}

func TestClassifyTransportServerHangsUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	status, err := roundTrip(t, context.Background(), &http.Transport{}, srv.URL)
	if got := Classify(status, err, false); got != ServerError {
		t.Errorf("hang-up: %v classified %s, want server_error", err, got)
	}
}

func TestClassifyTransportResponses(t *testing.T) {
	for _, code := range []int{200, 404, 503} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(code)
		}))
		status, err := roundTrip(t, context.Background(), &http.Transport{}, srv.URL)
		srv.Close()
		if got, want := Classify(status, err, false), classifyStatus(code); got != want || status != code {
			t.Errorf("status %d: got %s (status %d, err %v), want %s", code, got, status, err, want)
		}
	}
}
