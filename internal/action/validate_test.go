package action

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/field"
	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

func TestValidate(t *testing.T) {
	cmd := func(argv ...string) Spec { return Spec{Name: "c", Type: TypeCommand, Command: argv} }
	web := func(url string) Spec { return Spec{Name: "h", Type: TypeHTTP, URL: url} }
	cases := []struct {
		name string
		spec Spec
		want []string // substrings of the error; none means valid
	}{
		{"command ok", cmd("docker", "compose", "up"), nil},
		{"absolute program", cmd("/usr/sbin/nginx", "-s", "reload"), nil},
		{"relative program with dir", Spec{Name: "c", Type: TypeCommand, Command: []string{"./scale.sh"}, Dir: "/opt/ov"}, nil},
		{"http ok", web("https://alerts.example.com/webhook"), nil},
		{"http templated ok", web("{{.PrimaryURL}}/admin/cache/resize"), nil},
		{"builtin ok", Spec{Name: "b", Type: TypeBuiltin, Builtin: "enable_breaker", Params: map[string]any{"x": 1}}, nil},
		{"missing name", Spec{Type: TypeCommand, Command: []string{"true"}}, []string{"action: name: required"}},
		{"padded name", Spec{Name: " x", Type: TypeBuiltin, Builtin: "b"}, []string{"name: must not start or end with spaces"}},
		{"control in name", Spec{Name: "a\nb", Type: TypeBuiltin, Builtin: "b"}, []string{"name: must not contain control"}},
		{"missing type", Spec{Name: "x"}, []string{`action "x": type: required`}},
		{"unknown type", Spec{Name: "x", Type: "shell"}, []string{`type: must be one of builtin, command, http, got "shell"`}},
		{"negative timeout", Spec{Name: "x", Type: TypeBuiltin, Builtin: "b", Timeout: -time.Second}, []string{"timeout: must not be negative"}},
		{"empty command", cmd(), []string{"command: required"}},
		{"blank program", cmd(" ", "x"), []string{"command[0]: the program must not be blank"}},
		{"padded program", cmd(" nginx", "-s"), []string{"command[0]: must not start or end with spaces"}},
		{"shell string", cmd("nginx -s reload"), []string{"command: looks like a shell string"}},
		{"relative program", cmd("bin/scale.sh"), []string{`command[0]: relative path "bin/scale.sh"`}},
		{"NUL in argument", cmd("/bin/echo", "a\x00b"), []string{"command[1]: must not contain NUL"}},
		{"relative dir", Spec{Name: "c", Type: TypeCommand, Command: []string{"true"}, Dir: "deploy"}, []string{"dir: must be an absolute path"}},
		{"reserved env", Spec{Name: "c", Type: TypeCommand, Command: []string{"true"}, Env: map[string]string{"lifeboat_level": "x"}}, []string{"env.lifeboat_level: the LIFEBOAT_ prefix is reserved"}},
		{"bad env name", Spec{Name: "c", Type: TypeCommand, Command: []string{"true"}, Env: map[string]string{"A=B": "x"}}, []string{`env: invalid variable name "A=B"`}},
		{"url on command", Spec{Name: "c", Type: TypeCommand, Command: []string{"true"}, URL: "http://x", Body: "{}"}, []string{"url: only allowed for type http, not command", "body: only allowed for type http"}},
		{"command on http", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Command: []string{"true"}, Params: map[string]any{"a": 1}}, []string{"command: only allowed for type command, not http", "params: only allowed for type builtin"}},
		{"missing builtin", Spec{Name: "b", Type: TypeBuiltin, Dir: "/"}, []string{"builtin: required", "dir: only allowed for type command"}},
		{"missing url", web(""), []string{"url: required"}},
		{"bad scheme", web("ftp://files.example.com/x"), []string{`url: scheme must be http or https, got "ftp"`}},
		{"no scheme", web("alerts.example.com/webhook"), []string{"url: scheme must be http or https"}},
		{"no host", web("http:///webhook"), []string{"url: missing host"}},
		{"bad method", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Method: "FETCH"}, []string{`method: must be one of GET`}},
		{"bad header name", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Headers: map[string]secret.Secret{"Bad Header": "1"}}, []string{`headers: invalid header name "Bad Header"`}},
		{"bad status", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", ExpectStatus: []int{200, 99}}, []string{"expect_status: codes must be between 100 and 599, got 99"}},
		{"url template syntax", web("http://x/{{.Level"), []string{"url: template:"}},
		{"body template syntax", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Body: `{"a":"{{if .Level}}"}`}, []string{"body: template:"}},
		{"header template field typo", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Headers: map[string]secret.Secret{"X-L": "{{.Levle}}"}}, []string{"headers.X-L: template:", "Levle"}},
		{"unknown template func", Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Body: "{{shout .Level}}"}, []string{`body: template:`, `"shout" not defined`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.spec.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("valid spec refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			var fe *field.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err %v holds no field.Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestValidateListDuplicates(t *testing.T) {
	a := Spec{Name: "a", Type: TypeBuiltin, Builtin: "x"}
	err := ValidateList([]Spec{a, {Name: "b", Type: TypeBuiltin, Builtin: "x"}, a})
	if err == nil || !strings.Contains(err.Error(), `action "a": name: duplicate: actions #1 and #3 share it`) {
		t.Fatalf("err = %v", err)
	}
}

// planYAML wires the operations plan's commands the way the README shows.
const planYAML = `
- name: breaker
  type: builtin
  builtin: enable_breaker
  params: {failure_threshold: 3, recovery_timeout: 30s}
- name: scale-up
  type: command
  command: [docker, compose, -f, docker-compose.openviking.yml, up, -d, --scale, openviking-server=3]
  dir: /opt/openviking
  timeout: 2m
- name: route-to-backup
  type: command
  command: [kubectl, patch, service, openviking, -p, '{"spec":{"selector":{"version":"backup"}}}']
- name: reload-nginx
  type: command
  command: [nginx, -s, reload]
  timeout: 10s
- name: alert
  type: http
  url: https://alerts.example.com/webhook
  headers: {Authorization: "Bearer {{.Incident}}"}
  body: '{"text": "Lifeboat {{.PreviousLevel}} -> {{.Level}}: {{.Reason}}"}'
  expect_status: [200, 202]
`

func TestSpecYAMLShape(t *testing.T) {
	var specs []Spec
	if err := yaml.Unmarshal([]byte(planYAML), &specs); err != nil {
		t.Fatal(err)
	}
	if err := ValidateList(specs); err != nil {
		t.Fatalf("plan actions refused: %v", err)
	}
	if specs[1].Timeout != 2*time.Minute || specs[1].timeout() != 2*time.Minute || specs[2].timeout() != DefaultTimeout {
		t.Fatalf("timeouts: %s, %s", specs[1].Timeout, specs[2].timeout())
	}
	if got := specs[2].Command[5]; got != `{"spec":{"selector":{"version":"backup"}}}` {
		t.Fatalf("kubectl patch argument = %q", got)
	}
	if specs[0].Params["failure_threshold"] != 3 || specs[4].ExpectStatus[1] != 202 {
		t.Fatalf("params/status: %+v %+v", specs[0].Params, specs[4].ExpectStatus)
	}
	out, err := yaml.Marshal(specs[3])
	if err != nil || !strings.Contains(string(out), "timeout: 10s") || strings.Contains(string(out), "url:") {
		t.Fatalf("marshalled spec:\n%s (%v)", out, err)
	}
}
