package stats

import "strconv"

// Outcome classifies how one proxied request ended.
type Outcome uint8

// The outcomes. Only ServerError, ConnectError and Timeout count against the
// upstream; see Failure.
const (
	// OK is a 1xx, 2xx or 3xx response.
	OK Outcome = iota
	// ClientError is a 4xx response: the request was wrong, not the upstream.
	ClientError
	// ServerError is a 5xx response, or a response that broke off or could
	// not be parsed.
	ServerError
	// ConnectError means no connection could be made (refused, unreachable,
	// DNS failure, dial timeout), so the request never reached the upstream.
	ConnectError
	// Timeout means the upstream took longer than the request's deadline.
	Timeout
	// ClientGone means the caller gave up first; it is never the upstream's
	// fault and is left out of error rates and latencies.
	ClientGone
	// Rejected means the gateway did not send the request (breaker open,
	// queue full); it is left out of error rates and latencies.
	Rejected

	// NumOutcomes is the number of outcomes, for sizing tables indexed by Outcome.
	NumOutcomes = iota
)

var outcomeNames = [NumOutcomes]string{
	"ok", "client_error", "server_error", "connect_error", "timeout", "client_gone", "rejected",
}

// String returns a snake_case name suitable for metric labels.
func (o Outcome) String() string {
	if o < NumOutcomes {
		return outcomeNames[o]
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// Failure reports whether the outcome counts against the upstream.
func (o Outcome) Failure() bool {
	return o == ServerError || o == ConnectError || o == Timeout
}

// judged reports whether the outcome says anything about the upstream, that
// is whether it enters error rates and latency statistics.
func (o Outcome) judged() bool {
	return o != ClientGone && o != Rejected
}
