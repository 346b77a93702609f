package sim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds request bodies; the simulators take small JSON only.
const maxBody = 1 << 20

// errEmptyBody is returned by decodeJSON when the body holds nothing.
var errEmptyBody = errors.New("sim: empty request body")

// writeJSON answers with v as JSON. Encoding errors can only come from a
// gone client at this point, so they are dropped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeRawJSON answers with an already encoded body.
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// mustJSON encodes values built by this package, which always encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sim: encoding a constant body: " + err.Error())
	}
	return append(b, '\n')
}

// decodeJSON reads one JSON value from the body into v and rejects
// trailing data. strict also rejects unknown fields.
func decodeJSON(r *http.Request, v any, strict bool) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errEmptyBody
		}
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// jsonErrorField names the field a decoding error is about, or "".
func jsonErrorField(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return typeErr.Field
	}
	const unknown = `json: unknown field "`
	if msg := err.Error(); strings.HasPrefix(msg, unknown) {
		return strings.TrimSuffix(strings.TrimPrefix(msg, unknown), `"`)
	}
	return ""
}
