package health

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxBody is how much of a health response is read. Health bodies are
// small; a larger one is treated as a failure rather than buffered.
const maxBody = 64 << 10

// errBodyTooLarge is reported when a body exceeds maxBody.
var errBodyTooLarge = errors.New("health: body larger than 64 KiB")

type httpProber struct {
	client  *http.Client
	url     string
	timeout time.Duration
	expect  []int
	path    []string
	healthy []string
}

// NewHTTPProber returns a Prober that sends GET url and judges the answer by
// s.ExpectStatus, s.JSONField and s.HealthyValues, within s.Timeout. A nil
// client means a private client that does not follow redirects, so that a
// redirect is judged by ExpectStatus like any other status. It panics when
// s.Validate fails; a malformed url makes every probe fail instead.
func NewHTTPProber(client *http.Client, url string, s Settings) Prober {
	s = s.mustValid()
	if client == nil {
		client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	p := &httpProber{client: client, url: url, timeout: s.Timeout,
		expect: s.ExpectStatus, healthy: s.HealthyValues}
	if s.JSONField != "" {
		p.path = strings.Split(s.JSONField, ".")
	}
	return p
}

// Probe runs one check and measures it.
func (p *httpProber) Probe(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	r := p.check(ctx)
	r.At = start
	r.Latency = time.Since(start)
	return r
}

func (p *httpProber) check(ctx context.Context) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return failed(0, "invalid request", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return failed(0, errorReason(err), err)
	}
	defer resp.Body.Close()
	code := resp.StatusCode
	if !slices.Contains(p.expect, code) {
		drain(resp.Body)
		return failed(code, fmt.Sprintf("status %d", code), nil)
	}
	if p.path == nil {
		drain(resp.Body)
		return result(true, code, "ok", nil)
	}
	return p.judgeBody(code, resp.Body)
}

// judgeBody reads the body and checks the configured field.
func (p *httpProber) judgeBody(code int, body io.Reader) Result {
	data, err := io.ReadAll(io.LimitReader(body, maxBody+1))
	if err != nil {
		return failed(code, "body read "+errorReason(err), err)
	}
	if len(data) > maxBody {
		return failed(code, "body too large", errBodyTooLarge)
	}
	reason, ok, err := judgeField(data, p.path, p.healthy)
	return result(ok, code, reason, err)
}

// drain reads a bounded amount of an unwanted body so that the connection
// can be reused for the next probe.
func drain(body io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxBody))
}

// result builds a Result without timing, which Probe adds.
func result(ok bool, code int, reason string, err error) Result {
	r := Result{OK: ok, StatusCode: code, Reason: reason}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

func failed(code int, reason string, err error) Result { return result(false, code, reason, err) }
