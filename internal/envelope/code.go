package envelope

import "net/http"

// OpenViking's error codes.
const (
	InvalidArgument    = "INVALID_ARGUMENT"
	Unauthenticated    = "UNAUTHENTICATED"
	PermissionDenied   = "PERMISSION_DENIED"
	NotFound           = "NOT_FOUND"
	SessionExpired     = "SESSION_EXPIRED"
	FailedPrecondition = "FAILED_PRECONDITION"
	ResourceExhausted  = "RESOURCE_EXHAUSTED"
	Internal           = "INTERNAL"
	Unavailable        = "UNAVAILABLE"
	DeadlineExceeded   = "DEADLINE_EXCEEDED"
)

// Codes of Lifeboat's own, with gRPC's names, for answers OpenViking never
// gives: a client that hung up (499, recorded but never sent) and a request
// the gateway does not proxy (501).
const (
	Cancelled     = "CANCELLED"
	InvalidURI    = "INVALID_URI" // a viking:// URI that does not validate (InvalidURIError)
	Unimplemented = "UNIMPLEMENTED"
)

// StatusClientClosed is nginx's status for a client that hung up.
const StatusClientClosed = 499

// codes is the table of codes and statuses; each status appears once, so
// it reads both ways.
var codes = [...]struct {
	code   string
	status int
}{
	{InvalidArgument, http.StatusBadRequest},
	{Unauthenticated, http.StatusUnauthorized},
	{PermissionDenied, http.StatusForbidden},
	{NotFound, http.StatusNotFound},
	{SessionExpired, http.StatusGone},
	{FailedPrecondition, http.StatusPreconditionFailed},
	{ResourceExhausted, http.StatusTooManyRequests},
	{Internal, http.StatusInternalServerError},
	{Unavailable, http.StatusServiceUnavailable},
	{DeadlineExceeded, http.StatusGatewayTimeout},
	{Cancelled, StatusClientClosed},
	{Unimplemented, http.StatusNotImplemented},
	{InvalidURI, http.StatusBadRequest}, // after INVALID_ARGUMENT, which Code(400) answers
}

// Status is the HTTP status that goes with code. An unknown code is 500,
// as INTERNAL.
func Status(code string) int {
	for _, c := range codes {
		if c.code == code {
			return c.status
		}
	}
	return http.StatusInternalServerError
}

// Code is the error code that goes with an HTTP status. A status the table
// does not name is INVALID_ARGUMENT below 500 and INTERNAL from 500 on, as
// OpenViking maps client and server errors it has no code for.
func Code(status int) string {
	for _, c := range codes {
		if c.status == status {
			return c.code
		}
	}
	if status < http.StatusInternalServerError {
		return InvalidArgument
	}
	return Internal
}
