// Package verify runs integration suites, the plan's smp_integration_test.py:
// a list of HTTP requests, usually through the gateway, each with an
// expected status and JSON assertions, where a later step can use what an
// earlier one returned. OpenViking returns the built-in suite of the calls
// OpenViking clients make; LoadSuite reads others from YAML.
//
// A Verifier uses these checks for the level engine (it implements
// level.Verifier): it proves the fallback before traffic moves to it, the
// gateway after, and the primary before traffic steps back, judging the
// primary's recovery with level's HoldGate and a restore step's traffic
// against the learned latency baseline.
//
// The package never logs and never imports the simulators.
package verify

import (
	"errors"
	"fmt"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"math"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// ErrSuite is wrapped by every error about an invalid suite.
var ErrSuite = errors.New("verify: invalid suite")

// DefaultTimeout bounds each step when the suite does not say.
const DefaultTimeout = 10 * time.Second

// Suite is a list of steps run in order. Path, body, header values and
// expected values may hold placeholders {{.name}}, filled in from Vars, from
// what earlier steps saved, and from run_id, which is unique per run.
type Suite struct {
	// Name names the suite in reports. Default "".
	Name string `yaml:"name"`
	// Headers are sent with every step, for example an API key; a step's
	// own header of the same name wins. Default nil.
	Headers map[string]string `yaml:"headers"`
	// Vars are the placeholders' starting values. Default nil.
	Vars map[string]string `yaml:"vars"`
	// Timeout bounds each step, the answer's body included. Default 0: 10s.
	Timeout time.Duration `yaml:"timeout"`
	// Steps are run in order; every step runs even after a failure, except
	// those needing a value a failed step did not save. Required.
	Steps []Step `yaml:"steps"`
}

// Step is one request and what its answer must hold.
type Step struct {
	// Name names the step in reports; names are unique in a suite. Required.
	Name string `yaml:"name"`
	// Method is the HTTP method. Default GET, or POST when Body is set.
	Method string `yaml:"method"`
	// Path is appended to the base URL, query included. Required.
	Path string `yaml:"path"`
	// Body is sent as is, as application/json unless Headers says
	// otherwise; placeholders are filled in as they are, unquoted.
	// Default "": no body.
	Body string `yaml:"body"`
	// Headers are sent with this step. Default nil.
	Headers map[string]string `yaml:"headers"`
	// ExpectStatus is the status the answer must have. Default 0: 200.
	ExpectStatus int `yaml:"expect_status"`
	// Expect are conditions on the JSON answer, all of which must hold.
	// Default nil: the status alone decides.
	Expect []Expect `yaml:"expect"`
	// Save maps a placeholder name to a path into the JSON answer; the
	// first value found is saved for later steps, such as
	// {session_id: result.session_id}. Default nil.
	Save map[string]string `yaml:"save"`
}

// Expect is one condition on a JSON answer, in the language of the
// gateway's functional probes. Exactly one of Contains, OneOf and Min
// applies, in that order.
type Expect struct {
	// Path is a dotted path into the answer. A segment ending in "[]"
	// walks every element of the array it names, as in
	// "result.resources[].uri". Required.
	Path string `yaml:"path"`
	// Contains, when set, requires one value at Path to equal it;
	// numbers and booleans compare by their JSON text ("1", "true").
	Contains string `yaml:"contains"`
	// OneOf, when set and Contains is not, requires one value at Path to
	// equal one of these.
	OneOf []string `yaml:"one_of"`
	// Min applies when Contains and OneOf are empty: one value at Path
	// must be a number of at least Min. Default 0: any number of at least 0.
	Min float64 `yaml:"min"`
}

// placeholder matches {{.name}}; braces that are not a placeholder are an
// error, so a typo cannot be sent to the server silently.
var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// Validate reports the first problem with the suite, wrapping ErrSuite.
func (s Suite) Validate() error {
	if len(s.Steps) == 0 {
		return fmt.Errorf("%w: no steps", ErrSuite)
	}
	if s.Timeout < 0 {
		return fmt.Errorf("%w: timeout %v is negative", ErrSuite, s.Timeout)
	}
	names := map[string]bool{}
	for i, st := range s.Steps {
		if err := st.validate(); err != nil {
			return fmt.Errorf("%w: step %d (%s): %w", ErrSuite, i+1, st.Name, err)
		}
		if names[st.Name] {
			return fmt.Errorf("%w: step %d: name %q is used twice", ErrSuite, i+1, st.Name)
		}
		names[st.Name] = true
	}
	if err := checkTemplates(s.Headers); err != nil {
		return fmt.Errorf("%w: headers: %w", ErrSuite, err)
	}
	return nil
}

func (st Step) validate() error {
	switch {
	case st.Name == "":
		return errors.New("name is required")
	case len(st.Path) == 0 || st.Path[0] != '/':
		return fmt.Errorf("path %q must start with /", st.Path)
	case st.ExpectStatus != 0 && (st.ExpectStatus < 100 || st.ExpectStatus > 599):
		return fmt.Errorf("expect_status %d is not an HTTP status", st.ExpectStatus)
	}
	for _, e := range st.Expect {
		if err := e.validate(); err != nil {
			return err
		}
	}
	for name, path := range st.Save {
		if !validName(name) {
			return fmt.Errorf("save: %q is not a placeholder name (letters, digits, _)", name)
		}
		if _, err := jsonpath.Compile(path); err != nil {
			return fmt.Errorf("save %s: %w", name, err)
		}
	}
	return checkTemplates(st.Headers, st.Path, st.Body)
}

func (e Expect) validate() error {
	if math.IsNaN(e.Min) || math.IsInf(e.Min, 0) {
		return fmt.Errorf("expect %s: min %g is not a number", e.Path, e.Min)
	}
	if _, err := jsonpath.Compile(e.Path); err != nil {
		return fmt.Errorf("expect: %w", err)
	}
	return checkTemplates(nil, append([]string{e.Contains}, e.OneOf...)...)
}

// checkTemplates rejects braces that are not placeholders.
func checkTemplates(headers map[string]string, texts ...string) error {
	for _, v := range headers {
		texts = append(texts, v)
	}
	for _, t := range texts {
		if rest := placeholder.ReplaceAllString(t, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
			return fmt.Errorf("%q has braces that are not a placeholder {{.name}}", t)
		}
	}
	return nil
}

// method applies the default documented on Step.Method.
func (st Step) method() string {
	switch {
	case st.Method != "":
		return st.Method
	case st.Body != "":
		return http.MethodPost
	}
	return http.MethodGet
}

// expectStatus applies the default documented on Step.ExpectStatus.
func (st Step) expectStatus() int {
	if st.ExpectStatus == 0 {
		return http.StatusOK
	}
	return st.ExpectStatus
}

// validName accepts what a placeholder can name: letters, digits and _,
// not starting with a digit.
func validName(s string) bool {
	for i, c := range s {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return false
		}
	}
	return s != ""
}
