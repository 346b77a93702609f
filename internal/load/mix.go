package load

import (
	"net/http"
	"strings"
)

// sessionSlot marks the session writes' turn in a schedule.
const sessionSlot = -1

// call is one ready-to-send request.
type call struct {
	label, method, url, body string
	header                   http.Header // never modified once built
	keep                     bool        // the caller reads the answer's body
}

// plan is the compiled mix: the calls and the weighted round-robin order in
// which workers walk them, each from its own starting point.
type plan struct {
	calls    []call
	schedule []int // indexes into calls, or sessionSlot
}

func newPlan(o Options) plan {
	p := plan{calls: make([]call, len(o.Requests))}
	weights := make([]int, 0, len(o.Requests)+1)
	for i, r := range o.Requests {
		p.calls[i] = compile(o, r)
		weights = append(weights, max(r.Weight, 1))
	}
	if o.Sessions != nil {
		weights = append(weights, max(o.Sessions.Weight, 1))
	}
	for _, i := range smoothOrder(weights) {
		if i == len(o.Requests) {
			i = sessionSlot
		}
		p.schedule = append(p.schedule, i)
	}
	return p
}

// smoothOrder spreads the indexes of weights over one cycle of their sum,
// the way nginx's smooth weighted round-robin does: weights 3 and 1 give
// 0 0 1 0, never long runs of one request.
func smoothOrder(weights []int) []int {
	total := 0
	for _, w := range weights {
		total += w
	}
	current := make([]int, len(weights))
	order := make([]int, 0, total)
	for range total {
		best := 0
		for i, w := range weights {
			current[i] += w
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		order = append(order, best)
	}
	return order
}

// compile turns r into a call, with the run's headers merged in.
func compile(o Options, r Request) call {
	return call{label: r.label(), method: r.method(), url: joinURL(o.BaseURL, r.Path), body: r.Body,
		header: mergeHeader(o.Header, r.Header, r.Body != "")}
}

// mergeHeader combines the run's and a request's headers; a body without a
// Content-Type is declared JSON, the language of both services.
func mergeHeader(run, req http.Header, body bool) http.Header {
	h := run.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, vs := range req {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if body && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return h
}

func joinURL(base, path string) string { return strings.TrimRight(base, "/") + path }

// OpenVikingMix is the traffic OpenViking clients make most, for the
// gateway or OpenViking itself: searches for a few topics and reads of
// session sessionID. Send OpenVikingSetup(sessionID) first (Options.Setup)
// so that the reads find it.
func OpenVikingMix(sessionID string) []Request {
	find := func(q string) Request {
		return Request{Name: "find " + q, Method: http.MethodPost, Path: "/api/v1/search/find",
			Body: `{"query":"` + q + `","limit":5}`}
	}
	return []Request{
		find("context database"), find("agent memory"), find("lifeboat canary"), find("fallback plan"),
		{Name: "get session", Method: http.MethodGet, Path: "/api/v1/sessions/" + sessionID},
	}
}

// OpenVikingSetup creates session sessionID (creation is idempotent).
func OpenVikingSetup(sessionID string) []Request {
	return []Request{{Name: "create session", Method: http.MethodPost, Path: "/api/v1/sessions",
		Body: `{"session_id":"` + sessionID + `"}`}}
}
