package sim

import (
	"errors"
	"net/http"
	"time"
)

// apiError is an error a simulator answers with: an HTTP status plus, for
// OpenViking, the error code of its envelope.
type apiError struct {
	status  int
	code    string
	msg     string
	details map[string]any // the envelope's error.details; nil leaves it out
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

// newAPIError builds an error whose code follows the status.
func newAPIError(status int, msg string) *apiError {
	return &apiError{status: status, code: codeForStatus(status), msg: msg}
}

func errInvalidArgument(msg string) *apiError { return newAPIError(http.StatusBadRequest, msg) }
func errNotFound(msg string) *apiError        { return newAPIError(http.StatusNotFound, msg) }

// statusCodes maps HTTP statuses to OpenViking's error codes.
var statusCodes = map[int]string{
	http.StatusBadRequest:          "INVALID_ARGUMENT",
	http.StatusUnauthorized:        "UNAUTHENTICATED",
	http.StatusForbidden:           "PERMISSION_DENIED",
	http.StatusNotFound:            "NOT_FOUND",
	http.StatusRequestTimeout:      "DEADLINE_EXCEEDED",
	http.StatusConflict:            "CONFLICT",
	http.StatusGone:                "SESSION_EXPIRED",
	http.StatusPreconditionFailed:  "FAILED_PRECONDITION",
	http.StatusUnprocessableEntity: "INVALID_ARGUMENT",
	http.StatusTooManyRequests:     "RESOURCE_EXHAUSTED",
	http.StatusInternalServerError: "INTERNAL",
	http.StatusBadGateway:          "UNAVAILABLE",
	http.StatusServiceUnavailable:  "UNAVAILABLE",
	http.StatusGatewayTimeout:      "DEADLINE_EXCEEDED",
}

// codeForStatus is the OpenViking code of status; statuses it does not
// name fall back to INVALID_ARGUMENT (4xx) or INTERNAL (5xx), as the
// server's own mapping does for unknown client and server errors.
func codeForStatus(status int) string {
	if code, ok := statusCodes[status]; ok {
		return code
	}
	if status < 500 {
		return "INVALID_ARGUMENT"
	}
	return "INTERNAL"
}

// okEnvelope and errorEnvelope are OpenViking's two response shapes.
type okEnvelope struct {
	Status string  `json:"status"`
	Result any     `json:"result"`
	Time   float64 `json:"time"`
}

type errorEnvelope struct {
	Status string    `json:"status"`
	Error  errorBody `json:"error"`
	Time   float64   `json:"time"`
}

type errorBody struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

func writeOVResult(w http.ResponseWriter, start time.Time, result any) {
	writeJSON(w, http.StatusOK, okEnvelope{Status: "ok", Result: result, Time: since(start)})
}

// writeOVError answers err in the error envelope; errors that are not
// *apiError become INTERNAL.
func writeOVError(w http.ResponseWriter, start time.Time, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = newAPIError(http.StatusInternalServerError, err.Error())
	}
	body := errorBody{Code: ae.code, Message: ae.msg, Details: ae.details}
	writeJSON(w, ae.status, errorEnvelope{Status: "error", Error: body, Time: since(start)})
}

// since is the envelope's "time": seconds spent on the request.
func since(start time.Time) float64 {
	if start.IsZero() {
		return 0
	}
	return time.Since(start).Seconds()
}
