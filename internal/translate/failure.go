package translate

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// failure is an answer in OpenViking's error envelope. Translation steps
// return it as an error; RoundTrip turns it into the response, so only
// transport and context errors reach the caller.
type failure struct {
	status  int
	code    string
	msg     string
	details any // OpenViking's error details, when the program gave some
}

func (f *failure) Error() string { return f.code + ": " + f.msg }

// body is the failure in OpenViking's error envelope.
func (f *failure) body(seconds float64) []byte {
	return envelope.ErrorBodyDetails(f.code, f.msg, f.details, seconds)
}

func invalid(msg string) *failure {
	return &failure{status: http.StatusBadRequest, code: envelope.InvalidArgument, msg: msg}
}

// internal reports a translation that went wrong on Lifeboat's side: the
// fallback answered, but not in a shape the rule can turn into a result.
func (c *compiled) internal(msg string) *failure {
	return &failure{status: http.StatusBadGateway, code: envelope.Internal, msg: fmt.Sprintf("rule %q: %s", c.name, msg)}
}

// unmatched answers a call no rule translates. It is refused rather than
// forwarded: the fallback does not speak OpenViking's API.
func unmatched(r *http.Request) []byte {
	f := failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable,
		msg: r.Method + " " + r.URL.Path + " is not available while the primary is down"}
	return f.body(0)
}

// fallbackFailure maps a fallback's non-2xx answer onto OpenViking's codes.
// Server errors and anything unexpected become UNAVAILABLE: the client
// should retry later, as when the primary itself is down.
func fallbackFailure(status int, body any) *failure {
	f := &failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable, msg: detailMessage(status, body)}
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		f.status, f.code = http.StatusBadRequest, envelope.InvalidArgument
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests:
		f.status, f.code = status, envelope.Code(status)
	}
	return f
}

// detailMessage reads FastAPI's error body: {"detail": "text"} or a
// validation list {"detail": [{"msg", "loc"}]}. The raw body is never
// passed on, since it may echo the fallback's internals.
func detailMessage(status int, body any) string {
	m, _ := body.(map[string]any)
	switch d := m["detail"].(type) {
	case string:
		if d != "" {
			return d
		}
	case []any:
		if msg := firstIssue(d); msg != "" {
			return msg
		}
	}
	if text := http.StatusText(status); text != "" {
		return text
	}
	return "fallback status " + strconv.Itoa(status)
}

// firstIssue formats a validation issue as "body.query: msg".
func firstIssue(issues []any) string {
	if len(issues) == 0 {
		return ""
	}
	issue, _ := issues[0].(map[string]any)
	msg, _ := issue["msg"].(string)
	loc, _ := issue["loc"].([]any)
	if len(loc) == 0 || msg == "" {
		return msg
	}
	parts := make([]string, len(loc))
	for i, l := range loc {
		parts[i] = fmt.Sprint(l)
	}
	return strings.Join(parts, ".") + ": " + msg
}
