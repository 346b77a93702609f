package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one HTTP attempt of a notifier whose Client is nil.
const DefaultTimeout = 10 * time.Second

// maxSnippet is how much of a failed answer's body goes into the error.
const maxSnippet = 256

// request is one JSON POST with the strings that must stay out of errors.
type request struct {
	client  *http.Client
	url     string
	headers map[string]string
	body    any
	secrets []string
}

// clientOr returns c, or a client bounded by DefaultTimeout.
func clientOr(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: DefaultTimeout}
}

// post sends r and accepts any 2xx answer.
func post(ctx context.Context, r request) error {
	b, err := json.Marshal(r.body)
	if err != nil {
		return fmt.Errorf("%w: %w: %s", ErrPermanent, ErrEncode, scrub(err.Error(), r.secrets))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(b))
	if err != nil {
		// The parse error quotes the URL, so only its redacted form is kept.
		return fmt.Errorf("%w: %w: bad URL %s", ErrPermanent, ErrConfig, redactURL(r.url))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lifeboat-notify")
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return sendError(ctx, r, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxSnippet))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode/100 == 2 {
		return nil
	}
	return newStatusError(resp, string(snippet), r)
}

// sendError rebuilds a transport error without the URL it quotes.
func sendError(ctx context.Context, r request, err error) error {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	msg := fmt.Sprintf("%s: POST %s: %s", ErrSend, redactURL(r.url), scrub(inner.Error(), r.secrets))
	errs := []error{ErrSend}
	if cerr := ctx.Err(); cerr != nil {
		errs = append(errs, cerr)
	} else if errors.Is(err, context.DeadlineExceeded) {
		errs = append(errs, context.DeadlineExceeded)
	}
	return &redactedError{msg: msg, errs: errs}
}

// statusError is an unexpected answer. 429 and 5xx are worth retrying,
// after RetryAfter when the receiver said so; other statuses are permanent.
type statusError struct {
	code       int
	retryAfter time.Duration
	msg        string
}

func newStatusError(resp *http.Response, snippet string, r request) *statusError {
	e := &statusError{code: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	e.msg = fmt.Sprintf("%s: %d from %s", ErrStatus, e.code, redactURL(r.url))
	if e.permanent() {
		e.msg += " (permanent)"
	}
	if s := strings.TrimSpace(snippet); s != "" {
		e.msg += ": " + scrub(s, r.secrets)
	}
	return e
}

func (e *statusError) permanent() bool {
	return e.code != http.StatusTooManyRequests && e.code < 500
}

func (e *statusError) Error() string { return e.msg }

func (e *statusError) Unwrap() []error {
	if e.permanent() {
		return []error{ErrStatus, ErrPermanent}
	}
	return []error{ErrStatus}
}

// parseRetryAfter reads delay-seconds or an HTTP date; zero when absent.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// timestamp formats t for receivers: RFC 3339 in UTC.
func timestamp(n Notice) string { return n.when().UTC().Format(time.RFC3339) }
