package signal

import (
	"context"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"net/http"
	"strings"
	"time"
)

// The canary the default probes look for. Lifeboat's simulators seed it
// (sim.CanaryQuery, sim.CanaryURI, sim.CanaryFilePath); against a real
// deployment, import a document at CanaryURI that CanaryQuery finds.
const (
	CanaryQuery    = "lifeboat canary"
	CanaryURI      = "viking://resources/lifeboat/canary.md"
	CanaryFilePath = "resources/lifeboat/canary.md"
)

// ProbeSource is a functional probe. See FunctionalProbe.
type ProbeSource struct {
	call   httpCall
	label  string // "POST /api/v1/search/find", for Detail
	expect Expect
	path   jsonpath.Path
}

// FunctionalProbe sends method baseURL+path with body and header and
// checks the JSON answer against expect: a known query through the
// service must find a known item. It is an integrity check (Value 1 when
// the answer misses, the status is wrong or the service is unreachable;
// always valid unless the caller's ctx was cancelled), because a search
// index can fail silently while /health stays green. A body gets
// Content-Type application/json unless header sets one. Timeouts are as
// for PromQuery.
func FunctionalProbe(client *http.Client, baseURL, method, path string, body []byte, header http.Header, expect Expect) (*ProbeSource, error) {
	jp, err := expect.compile()
	if err != nil {
		return nil, err
	}
	if method == "" {
		method = http.MethodGet
	}
	call, err := newHTTPCall(client, method, strings.TrimRight(baseURL, "/")+path, body, header)
	if err != nil {
		return nil, err
	}
	return &ProbeSource{call: call, label: method + " " + path, expect: expect, path: jp}, nil
}

// OpenVikingCanary is the default probe of OpenViking: POST
// /api/v1/search/find {"query": CanaryQuery} must list CanaryURI among
// its resources. header carries the API key and tenant headers.
func OpenVikingCanary(client *http.Client, baseURL string, header http.Header) (*ProbeSource, error) {
	body := fmt.Appendf(nil, `{"query":%q}`, CanaryQuery)
	return FunctionalProbe(client, baseURL, http.MethodPost, "/api/v1/search/find", body, header,
		Expect{Path: "result.resources[].uri", Contains: CanaryURI})
}

// LightRAGCanary is the matching probe of the LightRAG fallback: POST
// /query with CanaryQuery must reference CanaryFilePath. It uses mode
// "naive" (vector retrieval only), the cheapest mode that still proves
// the index answers.
func LightRAGCanary(client *http.Client, baseURL string, header http.Header) (*ProbeSource, error) {
	body := fmt.Appendf(nil, `{"query":%q,"mode":"naive","include_references":true}`, CanaryQuery)
	return FunctionalProbe(client, baseURL, http.MethodPost, "/query", body, header,
		Expect{Path: "references[].file_path", Contains: CanaryFilePath})
}

// Read implements Source.
func (s *ProbeSource) Read(ctx context.Context, _ time.Time) Reading {
	status, body, err := s.call.do(ctx)
	if err != nil {
		return failed(ctx, fmt.Errorf("%w: %s: %w", ErrCheckFailed, s.label, err))
	}
	if !s.expect.statusOK(status) {
		return failed(ctx, fmt.Errorf("%w: %s -> status %d: %s", ErrCheckFailed, s.label, status, shorten(string(body))))
	}
	values, err := collect(body, s.path)
	if err != nil {
		return failed(ctx, fmt.Errorf("%w: %s -> %w", ErrCheckFailed, s.label, err))
	}
	if !s.expect.match(values) {
		return failed(ctx, fmt.Errorf("%w: %s -> %d, want %s, found %s",
			ErrCheckFailed, s.label, status, s.expect.describe(), jsonpath.Preview(values, maxShown)))
	}
	return passed(fmt.Sprintf("%s -> %d, %s", s.label, status, s.expect.describe()))
}
