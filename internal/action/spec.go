package action

import (
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

// Type selects how an action runs.
type Type string

// The action types.
const (
	// TypeBuiltin calls a Go function registered with the Runner.
	TypeBuiltin Type = "builtin"
	// TypeCommand runs a program from an argv list, without a shell.
	TypeCommand Type = "command"
	// TypeHTTP sends one templated HTTP request.
	TypeHTTP Type = "http"
)

// DefaultTimeout bounds an action whose Spec leaves Timeout at zero.
const DefaultTimeout = 30 * time.Second

// DefaultMethod is the HTTP method used when Spec.Method is empty: the plan's
// admin calls and alert webhooks are all POSTs.
const DefaultMethod = http.MethodPost

// Spec describes one action. It is also the YAML shape of an action in the
// configuration file. Only the fields of the chosen Type may be set.
type Spec struct {
	// Name identifies the action in results and events. Required, and
	// unique within a list (see ValidateList).
	Name string `yaml:"name" json:"name"`
	// Type is builtin, command or http. Required.
	Type Type `yaml:"type" json:"type"`
	// Timeout bounds the whole action, including reading its output.
	// Default 30s (DefaultTimeout); must not be negative.
	Timeout time.Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`

	// Builtin names a registered built-in such as "enable_breaker".
	// Required for type builtin.
	Builtin string `yaml:"builtin,omitempty" json:"builtin,omitempty"`
	// Params are the built-in's parameters. Default none.
	Params map[string]any `yaml:"params,omitempty" json:"params,omitempty"`

	// Command is the program and its arguments. Required for type command.
	// The program is an absolute path, a bare name looked up in Lifeboat's
	// PATH, or a path relative to Dir. It is never a shell string: write
	// ["/bin/sh", "-c", "..."] to use a shell, knowingly.
	Command []string `yaml:"command,omitempty" json:"command,omitempty"`
	// Env adds environment variables to the command's environment. Keys
	// starting with LIFEBOAT_ are reserved for the Context. Default none.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	// Dir is the command's working directory, an absolute path. Default
	// Lifeboat's own working directory.
	Dir string `yaml:"dir,omitempty" json:"dir,omitempty"`

	// Method is the HTTP method. Default POST.
	Method string `yaml:"method,omitempty" json:"method,omitempty"`
	// URL is a template rendering to an http or https URL. Required for
	// type http. Use {{urlquery .Reason}} to put free text in a query.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Headers are added to the request; their values are templates. Line
	// breaks in rendered values become spaces. Default none, except
	// Content-Type: application/json when Body is set.
	// They are secrets: a header often carries a token, so the values print
	// and marshal redacted, and Secrets lists them for Options.Redact.
	Headers map[string]secret.Secret `yaml:"headers,omitempty" json:"headers,omitempty"`
	// Body is a JSON template: every value it prints is JSON-string
	// escaped, so write "{{.Reason}}" inside quotes, or {{json .Reason}}
	// for a complete JSON value. Default empty.
	Body string `yaml:"body,omitempty" json:"body,omitempty"`
	// ExpectStatus lists the status codes that mean success. Default any
	// 2xx.
	ExpectStatus []int `yaml:"expect_status,omitempty" json:"expect_status,omitempty"`
}

// timeout returns the effective timeout.
func (s Spec) timeout() time.Duration {
	if s.Timeout == 0 {
		return DefaultTimeout
	}
	return s.Timeout
}

// method returns the effective HTTP method, upper-cased.
func (s Spec) method() string {
	if s.Method == "" {
		return DefaultMethod
	}
	return strings.ToUpper(s.Method)
}

// statusExpected reports whether code means success for this action.
func (s Spec) statusExpected(code int) bool {
	if len(s.ExpectStatus) == 0 {
		return code >= 200 && code <= 299
	}
	for _, c := range s.ExpectStatus {
		if c == code {
			return true
		}
	}
	return false
}

// Secrets lists the clear values of every header of the specs, for
// Options.Redact: an action's output or error may echo a token it sent.
func Secrets(lists ...[]Spec) []string {
	var out []string
	for _, list := range lists {
		for _, s := range list {
			for _, v := range s.Headers {
				out = append(out, v.Reveal())
			}
		}
	}
	return out
}
