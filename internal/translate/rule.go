package translate

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/route"
)

// Rule is one translation. Rules are consulted in order; the first match wins.
// Its YAML and JSON names are those of the configuration file's
// translation.rules, which lists Rules.
type Rule struct {
	// Name names the rule in errors and in the X-Lifeboat-Translation
	// response header. Required; names need not be unique.
	Name string `yaml:"name" json:"name"`
	// Methods are the HTTP methods matched, compared exactly (use upper
	// case). Default: empty, any method.
	Methods []string `yaml:"methods,omitempty" json:"methods,omitempty"`
	// Paths are the OpenViking path patterns matched, as in internal/route:
	// segments split by "/", "*" matches exactly one non-empty segment and
	// "**" as the last segment matches the non-empty rest. Required (at
	// least one), each starting with "/".
	Paths []string `yaml:"paths" json:"paths"`
	// Method is the fallback call's method. Default: POST when Request is
	// set, else GET.
	Method string `yaml:"method,omitempty" json:"method,omitempty"`
	// Path is the fallback call's path, appended to Options.Fallback's own
	// path; it may end in a fixed query string ("/documents?page=1"). Default: empty, Lifeboat answers by itself and Response is run
	// with status 200 and a null body.
	Path string `yaml:"path,omitempty" json:"path,omitempty"`
	// Request is a jq program turning the input {method, path, query,
	// headers, body} into the JSON body sent to the fallback. query holds
	// the first value of each URL query parameter; headers holds the
	// OpenViking tenant headers present (X-OpenViking-Account, -User and
	// -Agent) under lower-case names; body is the parsed JSON request body,
	// or null when there is none. A runtime error, such as one raised with
	// jq's error("message"), answers 400 INVALID_ARGUMENT with the message;
	// error({message, details}) adds OpenViking's error details. An output
	// of null asks the fallback nothing: Response runs with status 200 and
	// a null body (a search too short for the fallback answers empty); a
	// Stream rule then calls the fallback without a body.
	// Default: empty, the fallback call has no body.
	Request string `yaml:"request,omitempty" json:"request,omitempty"`
	// Response is a jq program turning {status, body, request} into
	// OpenViking's result: status is the fallback's HTTP status, body its
	// parsed JSON answer and request the input Request saw. It runs only on
	// 2xx answers; a runtime error answers 502 INTERNAL. Required.
	Response string `yaml:"response" json:"response"`
	// Raw sends Response's output as the whole body instead of inside
	// OpenViking's success envelope {"status":"ok","result":…,"time":…};
	// health and readiness are raw. A raw output object may carry a
	// top-level "http_status" number, which sets the response status (e.g.
	// 503 for not ready) and is removed from the body. Default false.
	Raw bool `yaml:"raw,omitempty" json:"raw,omitempty"`
	// Stream reads the fallback's answer as it comes, one JSON value a
	// line (NDJSON, as LightRAG's /query/stream answers), runs Response on
	// each line ({status, body: the line's value, request}) and sends each
	// output to the client as a server-sent event ("data: <json>"), flushed
	// at once; a line whose program outputs nothing (empty) is skipped.
	// The client sees the first event before the fallback has finished.
	// Default false: the answer is read whole.
	Stream bool `yaml:"stream,omitempty" json:"stream,omitempty"`
}

// compiled is a Rule ready to serve. target is filled in by New, which
// knows the fallback's URL.
type compiled struct {
	name     string
	match    route.Matcher
	method   string
	path     string
	target   string
	request  *program
	response *program
	raw      bool
	stream   bool
}

// Compile validates one rule alone, as New would; config validation uses it.
// Errors wrap ErrRule and name the rule and the field, e.g.
// `rule "search": response: <jq error>`.
func Compile(r Rule) error {
	_, err := compile(r)
	return err
}

func compile(r Rule) (*compiled, error) {
	if r.Name == "" {
		return nil, fmt.Errorf("%w: a rule has no name", ErrRule)
	}
	c := &compiled{name: r.Name, match: route.Matcher{Methods: slices.Clone(r.Methods)}, method: r.Method, path: r.Path, raw: r.Raw, stream: r.Stream}
	if err := c.compileMatch(r); err != nil {
		return nil, err
	}
	if err := c.compileCall(r); err != nil {
		return nil, err
	}
	if err := c.compilePrograms(r); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *compiled) compileMatch(r Rule) error {
	if len(r.Paths) == 0 {
		return c.fail("paths", "at least one pattern is required")
	}
	for _, p := range r.Paths {
		if msg := route.CheckPattern(p); msg != "" {
			return c.fail("paths", fmt.Sprintf("%s: %q", msg, p))
		}
		c.match.Patterns = append(c.match.Patterns, route.ParsePattern(p))
	}
	return nil
}

func (c *compiled) compileCall(r Rule) error {
	if r.Path != "" && !strings.HasPrefix(r.Path, "/") {
		return c.fail("path", fmt.Sprintf("must start with /, got %q", r.Path))
	}
	if c.method == "" {
		c.method = http.MethodGet
		if r.Request != "" {
			c.method = http.MethodPost
		}
	}
	return nil
}

func (c *compiled) compilePrograms(r Rule) error {
	var err error
	if r.Request != "" {
		if c.request, err = newProgram(r.Request); err != nil {
			return c.fail("request", err.Error())
		}
	}
	if r.Response == "" {
		return c.fail("response", "a jq program is required")
	}
	if c.response, err = newProgram(r.Response); err != nil {
		return c.fail("response", err.Error())
	}
	return nil
}

func (c *compiled) fail(field, msg string) error {
	return fmt.Errorf("%w: rule %q: %s: %s", ErrRule, c.name, field, msg)
}
