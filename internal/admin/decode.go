package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ErrBadRequest marks admin input that was refused; nothing was changed.
var ErrBadRequest = errors.New("admin: bad request")

// inputError names the offending field, or "body" for the request as a whole.
type inputError struct {
	Field string
	Msg   string
}

func (e *inputError) Error() string { return e.Field + ": " + e.Msg }

// Is lets callers test with errors.Is(err, ErrBadRequest).
func (e *inputError) Is(target error) bool { return target == ErrBadRequest }

func bad(field, format string, args ...any) error {
	return &inputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// decode reads a JSON object into dst strictly: JSON content type, bounded
// size, no unknown fields, right types, a single object. An empty body is
// an empty object, so calls whose fields are all optional need none.
//
// A body announced larger than limit, or of another content type, is
// refused before a byte is read: a client that sent Expect: 100-continue
// then gets the refusal instead of "100 Continue" and a reset.
func decode(r *http.Request, dst any, limit int64) error {
	if r.ContentLength > limit {
		return bad("body", "exceeds %d bytes", limit)
	}
	if r.ContentLength > 0 {
		if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
			return err
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return bad("body", "exceeds %d bytes", limit)
		}
		return bad("body", "cannot be read: %v", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	// Numbers stay exact for the operations, which read loose bodies.
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad("body", "must hold a single JSON object")
	}
	return nil
}

func checkContentType(ct string) error {
	if ct == "" {
		return bad("Content-Type", "must be application/json, got none")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return bad("Content-Type", "must be application/json, got %q", ct)
	}
	return nil
}

// describeJSONError turns encoding/json's errors into field-named ones.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return bad(typeErr.Field, "must be %s, got %s", kindName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &typeErr):
		return bad("body", "must be a JSON object, got %s", typeErr.Value)
	case errors.As(err, &syntaxErr):
		return bad("body", "malformed JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return bad(name, "unknown field")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return bad("body", "malformed JSON: unexpected end")
	default:
		return bad("body", "malformed JSON: %v", err)
	}
}

func kindName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "a whole number"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "bool":
		return "true or false"
	case kind == "string":
		return "a string"
	}
	return kind
}
