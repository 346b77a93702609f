package translate

import (
	"errors"
	"maps"
	"math"
	"net/http"
	"time"

	"github.com/itchyny/gojq"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// HeaderRule names the rule that translated a response.
const HeaderRule = "X-Lifeboat-Translation"

// statusKey is the top-level field of a raw output that sets the status.
const statusKey = "http_status"

var errStatus = errors.New(`"http_status" must be a whole number from 200 to 599`)

// respond builds the buffered response. rule is empty for unmatched calls.
func respond(r *http.Request, rule string, status int, body []byte) *http.Response {
	resp := envelope.Response(r, status, body)
	if rule != "" {
		resp.Header[HeaderRule] = []string{rule}
	}
	return resp
}

// encode turns a Response program's output into the body.
func (c *compiled) encode(out any, start time.Time) (int, []byte, error) {
	if !c.raw {
		return http.StatusOK, okBody(out, since(start)), nil
	}
	status, body, err := rawBody(out)
	if err != nil {
		return 0, nil, c.internal(err.Error())
	}
	return status, body, nil
}

// okBody is OpenViking's success body, assembled around the result so
// the result is encoded once, by jq's own encoder.
func okBody(result any, seconds float64) []byte {
	res, _ := gojq.Marshal(result)
	return envelope.AppendOK(make([]byte, 0, len(res)+48), res, seconds)
}

// rawBody encodes a raw output, taking its status from "http_status". The
// output is copied, not edited: gojq may hand out constants it shares
// between runs.
func rawBody(out any) (int, []byte, error) {
	status := http.StatusOK
	if m, ok := out.(map[string]any); ok {
		if v, has := m[statusKey]; has {
			s, err := httpStatus(v)
			if err != nil {
				return 0, nil, err
			}
			m = maps.Clone(m)
			delete(m, statusKey)
			status, out = s, m
		}
	}
	b, _ := gojq.Marshal(out)
	return status, b, nil
}

func httpStatus(v any) (int, error) {
	var f float64
	switch n := v.(type) {
	case int:
		f = float64(n)
	case float64:
		f = n
	default:
		return 0, errStatus
	}
	if f != math.Trunc(f) || f < 200 || f > 599 {
		return 0, errStatus
	}
	return int(f), nil
}

// since is the envelope's "time": seconds, to the microsecond.
func since(start time.Time) float64 {
	return math.Round(time.Since(start).Seconds()*1e6) / 1e6
}
