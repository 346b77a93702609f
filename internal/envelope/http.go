package envelope

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// contentType is the Content-Type of every envelope.
const contentType = "application/json"

// WriteError answers w with an error envelope; "time" is seconds. The
// status is the caller's: mostly Status(code), but a gateway answers 502
// UNAVAILABLE when an upstream failed. Headers the caller set before, such
// as Retry-After, are kept. The write's error is not returned: the status
// line is gone by then, and there is nothing left to tell the client.
func WriteError(w http.ResponseWriter, status int, code, message string, seconds float64) {
	body := ErrorBody(code, message, seconds)
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Response wraps body, a JSON answer (an envelope, or a raw one such as a
// health check's), as the answer to r, for an http.RoundTripper that
// answers by itself. The header holds Content-Type and Content-Length and
// has room for one more, which callers use to say who answered.
func Response(r *http.Request, status int, body []byte) *http.Response {
	h := make(http.Header, 3)
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	return &http.Response{
		Status: statusLine(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		Request: r,
	}
}

// statusLine is the Status of a Response; the common 200 costs nothing.
func statusLine(status int) string {
	if status == http.StatusOK {
		return "200 OK"
	}
	return strconv.Itoa(status) + " " + http.StatusText(status)
}
