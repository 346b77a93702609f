package action

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// maxBodyRead bounds how much of a response is read, most of it only to be
// counted: a chatty endpoint cannot keep an action busy until its timeout.
const maxBodyRead = 1 << 20

// defaultClient bounds connection set-up; the action's context bounds the rest.
func defaultClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConns:        8,
		IdleConnTimeout:     90 * time.Second,
	}}
}

func (r *Runner) runHTTP(ctx context.Context, s Spec, d templateData) outcome {
	req, err := r.request(ctx, s, d)
	if err != nil {
		return outcome{err: err}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return outcome{err: requestErr(ctx, s, err)}
	}
	defer resp.Body.Close()
	out := newCapture(r.redact.keep())
	n, readErr := io.Copy(out, io.LimitReader(resp.Body, maxBodyRead+1))
	out.capped = n > maxBodyRead
	o := outcome{status: resp.StatusCode, output: out.text(r.redact)}
	switch {
	case !s.statusExpected(resp.StatusCode):
		o.err = fmt.Errorf("%w %d (expected %s)", ErrStatus, resp.StatusCode, expectText(s.ExpectStatus))
	case readErr != nil:
		o.err = fmt.Errorf("%w: reading the response: %w", ErrRequest, requestErr(ctx, s, readErr))
	}
	return o
}

// request renders the templates and builds the request. The rendered URL is
// checked again because Extra values are only known now.
func (r *Runner) request(ctx context.Context, s Spec, d templateData) (*http.Request, error) {
	rr, err := renderHTTP(s, d)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, rr.method, rr.url, strings.NewReader(rr.body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRequest, err)
	}
	req.Header = rr.header
	return req, nil
}

// renderHTTP compiles and renders s, adding default headers.
func renderHTTP(s Spec, d templateData) (renderedRequest, error) {
	tpl, err := compileHTTP(s)
	if err != nil {
		return renderedRequest{}, err
	}
	rr, err := tpl.render(d)
	if err != nil {
		return rr, err
	}
	if err := checkURL(rr.url); err != nil {
		return rr, fmt.Errorf("%w: url: %w", ErrRequest, err)
	}
	if rr.body != "" && rr.header.Get("Content-Type") == "" {
		rr.header.Set("Content-Type", "application/json")
	}
	if rr.header.Get("User-Agent") == "" {
		rr.header.Set("User-Agent", "lifeboat-action")
	}
	return rr, nil
}

func requestErr(ctx context.Context, s Spec, err error) error {
	if stop := stopErr(ctx, s.timeout()); stop != nil {
		return stop
	}
	return fmt.Errorf("%w: %w", ErrRequest, err)
}

func expectText(codes []int) string {
	if len(codes) == 0 {
		return "2xx"
	}
	return strings.Trim(fmt.Sprint(codes), "[]")
}
