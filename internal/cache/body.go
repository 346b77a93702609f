package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
)

// Tags that keep a JSON digest and a raw-bytes digest apart in the key.
const (
	bodyJSON = 'J'
	bodyRaw  = 'B'
)

// appendBodyDigest appends a digest of the POST body. A JSON body is first
// canonicalised (decoded and re-encoded: object keys sorted, insignificant
// whitespace gone, string escapes normalised), so semantically equal
// queries share an entry; anything else is keyed by its bytes.
func appendBodyDigest(b []byte, body []byte) []byte {
	if canon, ok := canonicalJSON(body); ok {
		sum := sha256.Sum256(canon)
		return append(append(b, bodyJSON), sum[:]...)
	}
	sum := sha256.Sum256(body)
	return append(append(b, bodyRaw), sum[:]...)
}

// canonicalJSON re-encodes one JSON value. Numbers keep their literal text
// (json.Number), so 1 and 1.0 stay distinct rather than losing precision.
func canonicalJSON(body []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false // trailing data: not one JSON document
	}
	out, err := json.Marshal(v)
	return out, err == nil
}
