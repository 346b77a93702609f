package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Options configure a Run.
type Options struct {
	// State selects the fixtures that apply and their expect_in. Default
	// "": only fixtures without states run, with their plain expect.
	State string
	// Header is added to every request (an API key, a tenant), under the
	// fixture's own headers. Default none.
	Header http.Header
	// Client sends the requests. Default: a client with a 10 s timeout.
	Client *http.Client
}

// runs numbers the runs of this process for "${run}".
var runs atomic.Int64

// Run runs each fixture that applies in opts.State against baseURL as a
// subtest named after its file and name.
func Run(t *testing.T, baseURL string, fixtures []Fixture, opts Options) {
	t.Helper()
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	selected := Select(fixtures, opts.State)
	if len(selected) == 0 {
		t.Fatalf("contract: no fixture applies in state %q", opts.State)
	}
	runID := strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(runs.Add(1), 10)
	for _, f := range selected {
		t.Run(f.file+"/"+f.Name, func(t *testing.T) {
			vars := map[string]string{"run": runID}
			for i, s := range f.Steps {
				if err := runStep(opts, baseURL, s, vars); err != nil {
					t.Fatalf("step %d (%s %s): %v\nsource: %s", i+1, s.Request.Method, s.Request.Path, err, f.Source)
				}
			}
		})
	}
}

// runStep sends one request, checks the answer and captures values.
func runStep(opts Options, baseURL string, s Step, vars map[string]string) error {
	req, err := buildRequest(baseURL, s.Request, vars, opts.Header)
	if err != nil {
		return err
	}
	resp, err := opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("sending: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	want := s.expect(opts.State)
	if resp.StatusCode != want.Status {
		return fmt.Errorf("status %d, want %d; body %s", resp.StatusCode, want.Status, raw)
	}
	var body any
	if len(want.Shape) > 0 || len(s.Capture) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return fmt.Errorf("the answer is not JSON: %w; body %s", err, raw)
		}
	}
	if len(want.Shape) > 0 {
		var shape any
		if err := json.Unmarshal(want.Shape, &shape); err != nil {
			return fmt.Errorf("the fixture's shape: %w", err)
		}
		if err := Match(shape, body); err != nil {
			return fmt.Errorf("%w; body %s", err, raw)
		}
	}
	return capture(s.Capture, body, vars)
}

// capture keeps the values a step names for the steps after it.
func capture(paths map[string]string, body any, vars map[string]string) error {
	for name, path := range paths {
		v, ok := lookup(body, path)
		if !ok {
			return fmt.Errorf("capture %q: nothing at %q", name, path)
		}
		if s, isString := v.(string); isString {
			vars[name] = s
		} else {
			b, _ := json.Marshal(v)
			vars[name] = string(b)
		}
	}
	return nil
}

// lookup walks a dotted path of keys and indexes.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// buildRequest makes the HTTP request of r with the variables expanded.
func buildRequest(baseURL string, r Request, vars map[string]string, extra http.Header) (*http.Request, error) {
	expand := func(s string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "${"+k+"}", v)
		}
		return s
	}
	body, contentType, err := requestBody(r, expand)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(r.Method, strings.TrimSuffix(baseURL, "/")+expand(r.Path), body)
	if err != nil {
		return nil, fmt.Errorf("building the request: %w", err)
	}
	for k, vs := range extra {
		req.Header[k] = append([]string(nil), vs...)
	}
	for k, v := range r.Headers {
		req.Header.Set(k, expand(v))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

func requestBody(r Request, expand func(string) string) (io.Reader, string, error) {
	switch {
	case len(r.JSON) > 0:
		return strings.NewReader(expand(string(r.JSON))), "application/json", nil
	case r.Body != nil:
		return strings.NewReader(expand(*r.Body)), "", nil
	case r.Multipart != nil:
		return multipartBody(r.Multipart, expand)
	}
	return nil, "", nil
}

func multipartBody(m *Multipart, expand func(string) string) (io.Reader, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range m.Fields {
		if err := mw.WriteField(k, expand(v)); err != nil {
			return nil, "", fmt.Errorf("multipart field %s: %w", k, err)
		}
	}
	if f := m.File; f != nil {
		w, err := mw.CreateFormFile(f.Field, expand(f.Name))
		if err != nil {
			return nil, "", fmt.Errorf("multipart file: %w", err)
		}
		if _, err := io.WriteString(w, expand(f.Content)); err != nil {
			return nil, "", fmt.Errorf("multipart file: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("multipart body: %w", err)
	}
	return &buf, mw.FormDataContentType(), nil
}
