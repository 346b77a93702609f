package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer runs svc on a loopback port and stops it when the test ends.
func startServer(t *testing.T, svc Service) *Server {
	t.Helper()
	s := NewServer(svc)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { stopServer(t, s) })
	return s
}

func stopServer(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
}

// reply is a decoded HTTP answer.
type reply struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// call sends body (a string is sent as is, anything else as JSON) with
// header pairs and decodes a JSON object answer.
func call(t *testing.T, method, url string, body any, headers ...string) reply {
	t.Helper()
	resp, err := send(&http.Client{Timeout: 5 * time.Second}, method, url, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	rep := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &rep.body)
	return rep
}

func send(c *http.Client, method, url string, body any, headers ...string) (*http.Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// at walks a decoded JSON value along keys (strings) and indexes (ints).
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// wantStatus fails the test when rep has another status.
func wantStatus(t *testing.T, rep reply, status int) {
	t.Helper()
	if rep.status != status {
		t.Fatalf("status %d, want %d; body %s", rep.status, status, rep.raw)
	}
}

// wantOVError checks an OpenViking error envelope.
func wantOVError(t *testing.T, rep reply, status int, code string) {
	t.Helper()
	wantStatus(t, rep, status)
	if at(rep.body, "status") != "error" || at(rep.body, "error", "code") != code {
		t.Fatalf("want error envelope with code %s, got %s", code, rep.raw)
	}
	if _, ok := at(rep.body, "time").(float64); !ok {
		t.Fatalf("envelope without time: %s", rep.raw)
	}
}

// ovResult checks a success envelope and returns its result.
func ovResult(t *testing.T, rep reply) map[string]any {
	t.Helper()
	wantStatus(t, rep, http.StatusOK)
	if at(rep.body, "status") != "ok" {
		t.Fatalf("want ok envelope, got %s", rep.raw)
	}
	res, ok := at(rep.body, "result").(map[string]any)
	if !ok {
		t.Fatalf("result is not an object: %s", rep.raw)
	}
	return res
}

// sequence returns a random source that yields vals in a loop.
func sequence(vals ...float64) func() float64 {
	i := 0
	return func() float64 {
		v := vals[i%len(vals)]
		i++
		return v
	}
}
