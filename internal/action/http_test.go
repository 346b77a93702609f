package action

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

// received is one request seen by a receiver.
type received struct {
	method, path, query string
	header              http.Header
	body                string
}

// receiver is a loopback webhook endpoint that records requests and answers
// with a fixed status and body.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []received
}

func newReceiver(t *testing.T, status int, body string) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, received{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)})
		rc.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.reqs...)
}

func httpSpec(url string) Spec {
	return Spec{Name: "hook", Type: TypeHTTP, URL: url}
}

func TestHTTPTemplatedRequest(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, "accepted")
	s := httpSpec("{{.PrimaryURL}}/hook/{{.Level}}?reason={{urlquery .Reason}}")
	s.Method = "put"
	s.Headers = map[string]secret.Secret{"X-Incident": "{{.Incident}}", "X-Reason": "{{.Reason}}"}
	s.Body = `{"text":"[{{.Level}}] {{.Reason}}","reason":{{json .Reason}},"dry_run":{{.DryRun}},` +
		`"at":"{{.Timestamp}}","replicas":"{{.Extra.replicas}}","missing":"{{.Extra.nope}}"}`
	c := testContext()
	c.PrimaryURL = rc.URL
	c.Reason = "primary \"down\"\nerror rate 35% <b>&\\ \u2603"
	res := newTestRunner(Options{}).Run(context.Background(), s, c)
	wantOK(t, res)
	if res.HTTPStatus != 200 || res.Output != "accepted" {
		t.Fatalf("got %+v", res)
	}
	reqs := rc.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	got := reqs[0]
	if got.method != http.MethodPut || got.path != "/hook/L2" || !strings.HasPrefix(got.query, "reason=primary+%22down%22%0A") {
		t.Fatalf("request line: %s %s?%s", got.method, got.path, got.query)
	}
	if got.header.Get("X-Incident") != "inc-7" || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers: %v", got.header)
	}
	if xr := got.header.Get("X-Reason"); strings.ContainsAny(xr, "\r\n") || !strings.HasPrefix(xr, `primary "down" error`) {
		t.Fatalf("X-Reason = %q, want line breaks replaced", xr)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(got.body), &body); err != nil {
		t.Fatalf("body is not valid JSON: %v\n%s", err, got.body)
	}
	want := map[string]any{
		"text": "[L2] " + c.Reason, "reason": c.Reason, "dry_run": false,
		"at": "2025-03-14T15:09:26Z", "replicas": "3", "missing": "",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body[%q] = %#v, want %#v", k, body[k], v)
		}
	}
}

func TestHTTPDefaultMethodIsPost(t *testing.T) {
	rc := newReceiver(t, http.StatusNoContent, "")
	res := run(t, httpSpec(rc.URL+"/alert"))
	wantOK(t, res)
	if reqs := rc.requests(); len(reqs) != 1 || reqs[0].method != http.MethodPost || reqs[0].header.Get("User-Agent") != "lifeboat-action" {
		t.Fatalf("requests: %+v", reqs)
	}
}

func TestHTTPUnexpectedStatus(t *testing.T) {
	rc := newReceiver(t, http.StatusInternalServerError, "boom")
	res := run(t, httpSpec(rc.URL))
	wantFail(t, res, "unexpected HTTP status 500 (expected 2xx)")
	if res.HTTPStatus != 500 || res.Output != "boom" {
		t.Fatalf("got %+v", res)
	}
}

func TestHTTPExpectStatusList(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, "")
	s := httpSpec(rc.URL)
	s.ExpectStatus = []int{202, 204}
	wantFail(t, run(t, s), "expected 202 204")
	s.ExpectStatus = []int{200}
	wantOK(t, run(t, s))
}

func TestHTTPUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res := run(t, httpSpec("http://"+addr+"/hook"))
	wantFail(t, res, ErrRequest.Error())
	if res.HTTPStatus != 0 || !strings.Contains(res.Error, "connection refused") {
		t.Fatalf("got %+v", res)
	}
}

func TestHTTPTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	s := httpSpec(srv.URL)
	s.Timeout = 100 * time.Millisecond
	wantFail(t, run(t, s), "timed out after 100ms")
}

func TestHTTPLargeBodyIsTruncated(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, strings.Repeat("x", 3*MaxOutput))
	res := run(t, httpSpec(rc.URL))
	wantOK(t, res)
	want := strings.Repeat("x", MaxOutput) + "\n[output truncated: 32768 more bytes]"
	if res.Output != want {
		t.Fatalf("Output: len %d, tail %q", len(res.Output), res.Output[len(res.Output)-50:])
	}
}

func TestHTTPHugeBodyIsNotReadToTheEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("z", 64<<10))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	res := run(t, httpSpec(srv.URL))
	wantOK(t, res)
	if !strings.HasSuffix(res.Output, "[output truncated: at least 1032193 more bytes]") {
		t.Fatalf("tail %q", res.Output[len(res.Output)-60:])
	}
}

func TestHTTPRenderedURLIsCheckedAtRunTime(t *testing.T) {
	s := httpSpec("http{{.Extra.suffix}}://example.invalid/")
	c := testContext()
	c.Extra = map[string]string{"suffix": "x"}
	res := newTestRunner(Options{}).Run(context.Background(), s, c)
	wantFail(t, res, `scheme must be http or https, got "httpx"`)
}
