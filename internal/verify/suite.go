package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"go.yaml.in/yaml/v3"
)

// The canary document of the simulators' corpus; the real service holds it
// when the team has imported it, as the functional probe also expects.
const (
	canaryQuery = "lifeboat canary"
	canaryURI   = "viking://resources/lifeboat/canary.md"
)

// OpenViking is the built-in suite: the calls OpenViking clients make,
// through the gateway or to OpenViking itself. The health step wants
// OpenViking's "ok", which the gateway answers too while it can serve; the
// search must find the canary document; the session and the resource are
// named after the run, so runs do not interfere. It is also written out as
// testdata/openviking.yaml, a starting point for custom suites.
func OpenViking() Suite {
	post := http.MethodPost
	return Suite{Name: "openviking", Steps: []Step{
		{Name: "health", Method: http.MethodGet, Path: "/health",
			Expect: []Expect{{Path: "status", OneOf: []string{"ok"}}}},
		{Name: "create session", Method: post, Path: "/api/v1/sessions",
			Body: `{"session_id":"lifeboat-verify-{{.run_id}}"}`,
			Save: map[string]string{"session_id": "result.session_id"}},
		{Name: "add message", Method: post, Path: "/api/v1/sessions/{{.session_id}}/messages",
			Body:   `{"role":"user","parts":[{"type":"text","text":"Lifeboat verification {{.run_id}}"}]}`,
			Expect: []Expect{{Path: "result.message_count", Contains: "1"}}},
		{Name: "get session", Method: http.MethodGet, Path: "/api/v1/sessions/{{.session_id}}",
			Expect: []Expect{{Path: "result.message_count", Contains: "1"}}},
		{Name: "commit session", Method: post, Path: "/api/v1/sessions/{{.session_id}}/commit", Body: `{}`,
			Expect: []Expect{{Path: "result.status", Contains: "accepted"}}},
		{Name: "search canary", Method: post, Path: "/api/v1/search/find",
			Body:   `{"query":"` + canaryQuery + `","limit":10}`,
			Expect: []Expect{{Path: "result.resources[].uri", Contains: canaryURI}}},
		{Name: "add resource", Method: post, Path: "/api/v1/resources",
			Body:   `{"path":"https://example.com/lifeboat-verify-{{.run_id}}.md","to":"viking://resources/lifeboat/verify-{{.run_id}}","reason":"Lifeboat verification"}`,
			Expect: []Expect{{Path: "result.root_uri", Contains: "viking://resources/lifeboat/verify-{{.run_id}}"}}},
	}}
}

// Named resolves a configured suite name: "" is none (nil), "openviking"
// the built-in suite, and anything else a suite file for LoadSuite.
func Named(name string) (*Suite, error) {
	switch name {
	case "":
		return nil, nil
	case "openviking":
		s := OpenViking()
		return &s, nil
	}
	s, err := LoadSuite(name)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// LoadSuite reads a suite from a YAML file; see ParseSuite.
func LoadSuite(path string) (Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Suite{}, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	s, err := ParseSuite(data)
	if err != nil {
		return Suite{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSuite decodes one YAML document strictly, so a misspelt key is an
// error rather than a silently missing check, and validates the suite.
func ParseSuite(data []byte) (Suite, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Suite
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return Suite{}, fmt.Errorf("%w: the file is empty", ErrSuite)
		}
		return Suite{}, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	if err := s.Validate(); err != nil {
		return Suite{}, err
	}
	return s, nil
}
