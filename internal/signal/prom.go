package signal

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PromQuerySource runs a Prometheus instant query. See PromQuery.
type PromQuerySource struct {
	call  httpCall
	query string
}

// PromQuery reads the value of the first sample that the instant query
// returns from the Prometheus HTTP API at serverURL (GET
// /api/v1/query?query=...), in percent for resource triggers. When a query
// can return several series, aggregate it in PromQL (max(...)), since the
// order of series is Prometheus's. An empty result or NaN is invalid
// (ErrNoData). Each read is bounded by client.Timeout, or DefaultTimeout
// when the client has none; a nil client means http.DefaultClient.
func PromQuery(client *http.Client, serverURL, query string) (*PromQuerySource, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("%w: empty Prometheus query", ErrConfig)
	}
	u := strings.TrimRight(serverURL, "/") + "/api/v1/query?query=" + url.QueryEscape(query)
	call, err := newHTTPCall(client, http.MethodGet, u, nil, nil)
	if err != nil {
		return nil, err
	}
	return &PromQuerySource{call: call, query: query}, nil
}

// promResponse is the part of the API's answer the source reads.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// promSample is one element of a vector result.
type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// Read implements Source.
func (s *PromQuerySource) Read(ctx context.Context, _ time.Time) Reading {
	status, body, err := s.call.do(ctx)
	if err != nil {
		return invalid(UnitPercent, err)
	}
	v, labels, n, err := parsePromAnswer(status, body)
	if err != nil {
		return invalid(UnitPercent, fmt.Errorf("query %q: %w", s.query, err))
	}
	detail := fmt.Sprintf("prometheus %q -> %g%s", s.query, v, labels)
	if n > 1 {
		detail += fmt.Sprintf(" (first of %d series)", n)
	}
	return Reading{Value: v, Valid: true, Unit: UnitPercent, Detail: detail}
}

// parsePromAnswer returns the first sample's value, its labels rendered
// for Detail, and how many samples the answer held.
func parsePromAnswer(status int, body []byte) (float64, string, int, error) {
	var r promResponse
	if err := json.Unmarshal(body, &r); err != nil {
		if status/100 != 2 {
			return 0, "", 0, fmt.Errorf("%w: status %d", ErrUnreachable, status)
		}
		return 0, "", 0, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if r.Status != "success" {
		return 0, "", 0, fmt.Errorf("%w: status %d, %s: %s", ErrUnreachable, status, r.ErrorType, r.Error)
	}
	switch r.Data.ResultType {
	case "vector":
		return firstOfVector(r.Data.Result)
	case "scalar":
		var pair [2]any
		if err := json.Unmarshal(r.Data.Result, &pair); err != nil {
			return 0, "", 0, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		v, err := sampleValue(pair)
		return v, "", 1, err
	}
	return 0, "", 0, fmt.Errorf("%w: result type %q, want vector or scalar", ErrMalformed, r.Data.ResultType)
}

func firstOfVector(raw json.RawMessage) (float64, string, int, error) {
	var samples []promSample
	if err := json.Unmarshal(raw, &samples); err != nil {
		return 0, "", 0, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(samples) == 0 {
		return 0, "", 0, fmt.Errorf("%w: empty result", ErrNoData)
	}
	v, err := sampleValue(samples[0].Value)
	return v, renderLabels(samples[0].Metric), len(samples), err
}

// sampleValue reads the [timestamp, "value"] pair; NaN is no data.
func sampleValue(pair [2]any) (float64, error) {
	text, ok := pair[1].(string)
	if !ok {
		return 0, fmt.Errorf("%w: sample value %v is not a string", ErrMalformed, pair[1])
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: sample value %q: %w", ErrMalformed, text, err)
	}
	if math.IsNaN(v) {
		return 0, fmt.Errorf("%w: sample value is NaN", ErrNoData)
	}
	return v, nil
}

// renderLabels writes labels as {a="1",b="2"} in name order, or "" when
// there are none.
func renderLabels(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	names := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s=%q", k, m[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}
