package signal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// maxBody bounds how much of an answer a source reads: a /metrics page or a
// search answer is far smaller, and a runaway endpoint must not exhaust
// memory.
const maxBody = 4 << 20

// httpCall is one configured HTTP request; sources build it once.
type httpCall struct {
	client *http.Client
	method string
	url    string
	body   []byte
	header http.Header
}

// newHTTPCall checks rawURL and fills defaults: a nil client means
// http.DefaultClient.
func newHTTPCall(client *http.Client, method, rawURL string, body []byte, header http.Header) (httpCall, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return httpCall{}, fmt.Errorf("%w: URL %q must be absolute http or https", ErrConfig, rawURL)
	}
	if client == nil {
		client = http.DefaultClient
	}
	return httpCall{client: client, method: method, url: rawURL, body: bytes.Clone(body), header: header.Clone()}, nil
}

// timeout is the client's own timeout, or DefaultTimeout when it has none,
// so that a read never hangs on a client built without one.
func (c httpCall) timeout() time.Duration {
	if c.client.Timeout > 0 {
		return c.client.Timeout
	}
	return DefaultTimeout
}

// do sends the request and returns the status and up to maxBody bytes of
// the answer. A transport failure wraps ErrUnreachable.
func (c httpCall) do(ctx context.Context) (int, []byte, error) {
	ctx, cancel := withTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, bytes.NewReader(c.body))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	req.Header = c.header.Clone()
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if len(c.body) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%w: reading %s: %w", ErrUnreachable, c.url, err)
	}
	return resp.StatusCode, data, nil
}

// expectOK turns a non-2xx status into an ErrUnreachable error.
func expectOK(status int, url string) error {
	if status < 200 || status > 299 {
		return fmt.Errorf("%w: %s answered status %d", ErrUnreachable, url, status)
	}
	return nil
}
