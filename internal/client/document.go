package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// errTooLarge means a document exceeded the size the client reads.
var errTooLarge = errors.New("client: answer too large")

// document GETs a document, such as a report or a chart, that the admin
// API sends as itself rather than in its JSON envelope.
func (c *Client) document(ctx context.Context, path, ctype string) ([]byte, error) {
	var buf bytes.Buffer
	if err := c.stream(ctx, path, ctype, &buf, maxDocumentBytes); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stream GETs path and copies a successful answer of media type ctype to
// w, refusing one longer than limit bytes (-1: no limit). An error answer
// is read as the admin API's JSON.
func (c *Client) stream(ctx context.Context, path, ctype string, w io.Writer, limit int64) error {
	req, err := c.request(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w at %s: %w", ErrUnreachable, c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !isType(resp.Header.Get("Content-Type"), ctype) {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		return errorAnswer(path, resp.StatusCode, raw)
	}
	return copyAnswer(w, resp.Body, limit, c.base)
}

func isType(header, want string) bool {
	mt, _, err := mime.ParseMediaType(header)
	return err == nil && mt == want
}

func copyAnswer(w io.Writer, body io.Reader, limit int64, base string) error {
	if limit >= 0 {
		body = io.LimitReader(body, limit+1)
	}
	n, err := io.Copy(w, body)
	switch {
	case err != nil:
		return fmt.Errorf("%w at %s: reading the answer: %w", ErrUnreachable, base, err)
	case limit >= 0 && n > limit:
		return fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return nil
}

// errorAnswer reads the admin API's error envelope, or describes an
// answer that is not the admin API's.
func errorAnswer(path string, code int, raw []byte) error {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || env.Error == nil {
		return notAPI(http.MethodGet, path, code, raw)
	}
	return &APIError{StatusCode: code, Code: env.Error.Code, Field: env.Error.Field, Message: env.Error.Message}
}
