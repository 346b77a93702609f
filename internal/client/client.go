// Package client is a Go client of Lifeboat's admin API, shared by the
// command line and the tests, so the API is exercised the way people call
// it.
//
// Every call returns an *APIError when the gateway answers with an error,
// carrying the API's code, the field it names and its message, and an
// error wrapping ErrUnreachable when no answer came at all.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ErrUnreachable means the gateway did not answer: it is not running, not
// at that address, or too slow.
var ErrUnreachable = errors.New("client: gateway unreachable")

// DefaultTimeout bounds a call made with the default HTTP client.
const DefaultTimeout = 10 * time.Second

// maxResponseBytes bounds how much of an answer is read; /status with its
// recent events is the largest and stays far below it.
const maxResponseBytes = 8 << 20

// APIError is an error answer of the admin API.
type APIError struct {
	// StatusCode is the HTTP status, such as 400 or 409.
	StatusCode int
	// Code is the API's error code, such as INVALID_ARGUMENT or
	// FAILED_PRECONDITION.
	Code string
	// Field names the offending input, or "body", "state", "path".
	Field string
	// Message explains the refusal; it starts with the field.
	Message string
}

func (e *APIError) Error() string { return e.Message }

// Client calls one gateway's admin API. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	hc    *http.Client
}

// New returns a client of the gateway at baseURL, such as
// "http://127.0.0.1:8002". An empty token sends no Authorization header; a
// nil hc means an http.Client with DefaultTimeout.
func New(baseURL, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token, hc: hc}
}

// envelope is the admin API's answer: {"status":"ok","result":…} or
// {"status":"error","error":{…}}.
type envelope struct {
	Status string          `json:"status"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"error"`
}

// call sends in (nil for no body) and decodes the result into out (nil to
// ignore it).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	raw, code, err := c.send(ctx, method, path, in)
	if err != nil {
		return err
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || (env.Status != "ok" && env.Error == nil) {
		return notAPI(method, path, code, raw)
	}
	if env.Error != nil {
		return &APIError{StatusCode: code, Code: env.Error.Code, Field: env.Error.Field, Message: env.Error.Message}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("client: %s %s: cannot read the result: %w", method, path, err)
	}
	return nil
}

// send makes one request and reads the whole answer.
func (c *Client) send(ctx context.Context, method, path string, in any) ([]byte, int, error) {
	req, err := c.request(ctx, method, path, in)
	if err != nil {
		return nil, 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("%w at %s: %w", ErrUnreachable, c.base, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, 0, fmt.Errorf("%w at %s: reading the answer: %w", ErrUnreachable, c.base, err)
	}
	return raw, resp.StatusCode, nil
}

func (c *Client) request(ctx context.Context, method, path string, in any) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// notAPI describes an answer that is not the admin API's, such as a proxy's
// error page: the address probably points at something else.
func notAPI(method, path string, code int, raw []byte) error {
	excerpt := strings.TrimSpace(string(raw))
	if len(excerpt) > 200 {
		excerpt = excerpt[:200] + "…"
	}
	return &APIError{StatusCode: code, Code: fmt.Sprintf("HTTP_%d", code), Field: "response",
		Message: fmt.Sprintf("response: %s %s answered HTTP %d without the admin API's JSON: %q", method, path, code, excerpt)}
}
