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
	details any    // OpenViking's error details, when the program gave some
	cause   string // a fallback failure's cause; "" for the client's own errors
	detail  string // what the fallback said, for the owner, never the client
}

func (f *failure) Error() string { return f.code + ": " + f.msg }

// body is the failure in OpenViking's error envelope.
func (f *failure) body(seconds float64) []byte {
	return envelope.ErrorBodyDetails(f.code, f.msg, f.details, seconds)
}

func invalid(msg string) *failure {
	return &failure{status: http.StatusBadRequest, code: envelope.InvalidArgument, msg: msg}
}

// Causes of a fallback answer the gateway could not use, as OnFallbackError
// reports them.
const (
	CauseRefused     = "refused"     // a 4xx: the fallback would not take what the gateway sent (keys, limits)
	CauseFailed      = "failed"      // a 5xx, or status "failure" in a 2xx
	CauseTimeout     = "timeout"     // no answer within CallTimeout
	CauseUnreachable = "unreachable" // no connection
	CauseShape       = "shape"       // an answer that is not JSON, or not the shape the rule reads
)

// FallbackCauses lists every cause, for owners that count them.
var FallbackCauses = []string{CauseRefused, CauseFailed, CauseTimeout, CauseUnreachable, CauseShape}

// retryAfter is the Retry-After of a fallback failure: soon, since the
// gateway's own checks and verification act on a fallback that stays bad.
const retryAfter = "5"

// unusable is a fallback answer the gateway could not use. Whatever the
// fallback said (a 401 for a wrong fallback_api_key, a 422, a 500, a
// timeout) is the gateway's failure, never the client's: the client gets
// OpenViking's UNAVAILABLE and a Retry-After, and the cause goes to the
// owner, never into the client's answer.
func unusable(cause, detail string) *failure {
	return &failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable, cause: cause, detail: detail,
		msg: "the fallback cannot answer this now; retry later"}
}

// internal reports a translation that went wrong on Lifeboat's side: the
// fallback answered, but not in a shape the rule can turn into a result.
func (c *compiled) internal(msg string) *failure {
	return unusable(CauseShape, fmt.Sprintf("rule %q: %s", c.name, msg))
}

// unmatched answers a call no rule translates. It is refused rather than
// forwarded: the fallback does not speak OpenViking's API.
func unmatched(r *http.Request) []byte {
	f := failure{status: http.StatusServiceUnavailable, code: envelope.Unavailable,
		msg: r.Method + " " + r.URL.Path + " is not available while the primary is down"}
	return f.body(0)
}

// fallbackFailure is a fallback's non-2xx answer: a 4xx means the gateway
// sent what the fallback will not take, a 5xx that it failed.
func fallbackFailure(status int, body any) *failure {
	cause := CauseFailed
	if status < http.StatusInternalServerError {
		cause = CauseRefused
	}
	return unusable(cause, fmt.Sprintf("status %d: %s", status, detailMessage(status, body)))
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
