package action

import (
	"encoding/json"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

func renderBody(t *testing.T, body string, c Context) string {
	t.Helper()
	s := Spec{Name: "h", Type: TypeHTTP, URL: "http://x", Body: body}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	rr, err := renderHTTP(s, newTemplateData(s.Name, c, fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	return rr.body
}

func TestBodyEscapingEverywhere(t *testing.T) {
	c := testContext()
	c.Reason = "a \"quoted\"\n\tline \\ </script>"
	c.Extra = map[string]string{"k": `"x"`}
	body := `{{$r := .Reason}}{"plain":"{{.Reason}}","in_if":"{{if .Level}}{{$r}}{{end}}",` +
		`"range":[{{range $k, $v := .Extra}}"{{$k}}={{$v}}"{{end}}],"with":"{{with .Reason}}{{.}}{{end}}",` +
		`"json":{{json .Reason}},"piped":{{.Reason | json}},"printf":"{{printf "%s!" .Reason}}"}`
	out := renderBody(t, body, c)
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"plain", "in_if", "with", "json", "piped"} {
		if got[k] != c.Reason {
			t.Errorf("%s = %q, want the Reason unchanged", k, got[k])
		}
	}
	if got["printf"] != c.Reason+"!" {
		t.Errorf("printf = %q", got["printf"])
	}
	if r := got["range"].([]any); len(r) != 1 || r[0] != `k="x"` {
		t.Errorf("range = %v", got["range"])
	}
}

func TestBodyEscapesDefinedTemplates(t *testing.T) {
	c := testContext()
	c.Reason = `say "hi"`
	out := renderBody(t, `{{define "r"}}{{.Reason}}{{end}}{"r":"{{template "r" .}}"}`, c)
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil || got["r"] != c.Reason {
		t.Fatalf("got %q (%v)", out, err)
	}
}

func TestURLAndHeadersAreNotJSONEscaped(t *testing.T) {
	s := Spec{Name: "h", Type: TypeHTTP, URL: `http://x/{{.Level}}?q={{urlquery .Reason}}`, Headers: map[string]secret.Secret{"X-R": "{{.Reason}}"}}
	c := testContext()
	c.Reason = `a "b"`
	rr, err := renderHTTP(s, newTemplateData("h", c, fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	if rr.url != "http://x/L2?q=a+%22b%22" || rr.header.Get("X-R") != `a "b"` {
		t.Fatalf("url %q, header %q", rr.url, rr.header.Get("X-R"))
	}
}

func TestEnvName(t *testing.T) {
	for in, want := range map[string]string{"replicas": "REPLICAS", "primary-weight": "PRIMARY_WEIGHT", "a.b c": "A_B_C", "X_1": "X_1"} {
		if got := envName(in); got != want {
			t.Errorf("envName(%q) = %q, want %q", in, got, want)
		}
	}
}
