package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// maxBody bounds how much of an answer a step reads.
const maxBody = 4 << 20

// Report is the outcome of one run of a suite.
type Report struct {
	Suite    string        `json:"suite"`
	URL      string        `json:"url"`
	Steps    []StepResult  `json:"steps"`
	Duration time.Duration `json:"duration_ns"`
}

// StepResult is the outcome of one step.
type StepResult struct {
	Name   string `json:"name"`
	Method string `json:"method"`
	// Path is the path sent, placeholders filled in.
	Path string `json:"path"`
	// Status is the answer's status; 0 when there was none.
	Status int `json:"status,omitempty"`
	// Latency is from sending the request to the end of the answer.
	Latency time.Duration `json:"latency_ns"`
	Passed  bool          `json:"passed"`
	// Reason says why the step failed, or was not run.
	Reason string `json:"reason,omitempty"`
}

// OK reports whether there were steps and every one passed.
func (r Report) OK() bool { return len(r.Steps) > 0 && r.Failed() == 0 }

// Failed counts the steps that did not pass.
func (r Report) Failed() int {
	n := 0
	for _, s := range r.Steps {
		if !s.Passed {
			n++
		}
	}
	return n
}

// runner is one run's state: the values saved so far.
type runner struct {
	client  *http.Client
	base    string
	suite   Suite
	timeout time.Duration
	vars    map[string]string
}

// Run runs the suite's steps in order against baseURL (such as the
// gateway's "http://127.0.0.1:8002") and reports each. A nil client means
// http.DefaultClient; every step is bounded by the suite's timeout anyway.
// An invalid suite is reported as one failed step named "suite". Steps
// left when ctx ends are reported as not run.
func Run(ctx context.Context, client *http.Client, baseURL string, suite Suite) Report {
	start := time.Now()
	rep := Report{Suite: suite.Name, URL: baseURL}
	if err := suite.Validate(); err != nil {
		rep.Steps = []StepResult{{Name: "suite", Reason: err.Error()}}
		return rep
	}
	r := &runner{client: client, base: strings.TrimRight(baseURL, "/"), suite: suite, timeout: suite.Timeout,
		vars: map[string]string{"run_id": strconv.FormatInt(start.UnixNano(), 36)}}
	if r.client == nil {
		r.client = http.DefaultClient
	}
	if r.timeout == 0 {
		r.timeout = DefaultTimeout
	}
	maps.Copy(r.vars, suite.Vars)
	for _, st := range suite.Steps {
		rep.Steps = append(rep.Steps, r.step(ctx, st))
	}
	rep.Duration = time.Since(start)
	return rep
}

// prepared is a step with its placeholders filled in.
type prepared struct {
	path, body string
	header     http.Header
	expect     []Expect
}

// step runs one step.
func (r *runner) step(ctx context.Context, st Step) StepResult {
	res := StepResult{Name: st.Name, Method: st.method(), Path: st.Path}
	if err := ctx.Err(); err != nil {
		res.Reason = "not run: " + err.Error()
		return res
	}
	p, err := r.prepare(st)
	if err != nil {
		res.Reason = "not run: " + err.Error()
		return res
	}
	res.Path = p.path
	start := time.Now()
	status, body, err := r.exchange(ctx, res.Method, p)
	res.Latency, res.Status = time.Since(start), status
	if err == nil {
		err = r.judge(st, p, status, body)
	}
	if err != nil {
		res.Reason = err.Error()
		return res
	}
	res.Passed = true
	return res
}

// prepare fills in the step's placeholders.
func (r *runner) prepare(st Step) (prepared, error) {
	var p prepared
	var err error
	if p.path, err = fill(st.Path, r.vars); err != nil {
		return p, err
	}
	if p.body, err = fill(st.Body, r.vars); err != nil {
		return p, err
	}
	if p.header, err = r.header(st); err != nil {
		return p, err
	}
	for _, e := range st.Expect {
		if e, err = e.fill(r.vars); err != nil {
			return p, err
		}
		p.expect = append(p.expect, e)
	}
	return p, nil
}

// header merges the suite's and the step's headers, filled in; a body
// without a Content-Type is declared JSON.
func (r *runner) header(st Step) (http.Header, error) {
	h := http.Header{}
	for _, m := range []map[string]string{r.suite.Headers, st.Headers} {
		for k, v := range m {
			v, err := fill(v, r.vars)
			if err != nil {
				return nil, err
			}
			h.Set(k, v)
		}
	}
	if st.Body != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return h, nil
}

// exchange sends the request and reads the answer within the timeout.
func (r *runner) exchange(ctx context.Context, method string, p prepared) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var body io.Reader
	if p.body != "" {
		body = strings.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+p.path, body)
	if err != nil {
		return 0, nil, fmt.Errorf("bad request: %w", err)
	}
	req.Header = p.header
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, r.noAnswer(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, r.noAnswer(err)
	}
	return resp.StatusCode, data, nil
}

// noAnswer explains a transport failure by its class.
func (r *runner) noAnswer(err error) error {
	class := load.Classify(err)
	if class == load.ClassTimeout {
		return fmt.Errorf("no answer within %v (timeout)", r.timeout)
	}
	return fmt.Errorf("no answer (%s): %w", class, unwrapURL(err))
}

// unwrapURL drops net/http's "Post \"url\": " prefix, which repeats the step.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// judge checks the status, saves values and checks the conditions; the
// saves come first so that later steps can run even when a condition fails.
func (r *runner) judge(st Step, p prepared, status int, body []byte) error {
	if want := st.expectStatus(); status != want {
		return fmt.Errorf("status %d, want %d: %s", status, want, jsonpath.Shorten(string(body), 200))
	}
	if len(st.Save) == 0 && len(p.expect) == 0 {
		return nil
	}
	doc, err := jsonpath.Decode(bytes.TrimSpace(body))
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(st.Save)) {
		values := lookup(doc, st.Save[name])
		if len(values) == 0 {
			return fmt.Errorf("save %s: nothing at %s", name, st.Save[name])
		}
		r.vars[name] = jsonpath.Text(values[0])
	}
	for _, e := range p.expect {
		if err := e.check(doc); err != nil {
			return err
		}
	}
	return nil
}

// fill replaces the placeholders of s with their values.
func fill(s string, vars map[string]string) (string, error) {
	var missing string
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		v, ok := vars[name]
		if !ok && missing == "" {
			missing = name
		}
		return v
	})
	if missing != "" {
		return "", fmt.Errorf("needs {{.%s}}, which no earlier step saved", missing)
	}
	return out, nil
}
