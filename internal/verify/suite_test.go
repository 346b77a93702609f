package verify

import (
	"errors"
	"github.com/lifeboat-sre/lifeboat/internal/jsonpath"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestTestdataIsTheBuiltInSuite(t *testing.T) {
	s, err := LoadSuite("testdata/openviking.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, OpenViking()) {
		t.Fatalf("testdata/openviking.yaml differs from OpenViking():\n%+v\n%+v", s, OpenViking())
	}
}

func TestCanaryIsTheSimulators(t *testing.T) {
	if canaryQuery != sim.CanaryQuery || canaryURI != sim.CanaryURI {
		t.Fatal("the built-in suite's canary differs from the simulators'")
	}
}

func TestParseSuite(t *testing.T) {
	s, err := ParseSuite([]byte("name: x\ntimeout: 2s\nsteps:\n  - {name: a, path: /health, expect_status: 204}\n"))
	if err != nil || s.Timeout != 2*time.Second || s.Steps[0].ExpectStatus != 204 {
		t.Fatalf("%+v, %v", s, err)
	}
	for name, c := range map[string]struct{ yaml, want string }{
		"unknown key":      {"steps:\n  - {name: a, path: /h, expect_stauts: 200}\n", "expect_stauts"},
		"unknown top key":  {"step: []\n", "field step not found"},
		"empty":            {"", "empty"},
		"no steps":         {"name: x\n", "no steps"},
		"bad type":         {"steps: 3\n", "cannot unmarshal"},
		"bad duration":     {"timeout: soon\nsteps: [{name: a, path: /}]\n", "soon"},
		"unknown expect":   {"steps: [{name: a, path: /, expect: [{path: a, equals: b}]}]\n", "equals"},
		"bad placeholder":  {"steps: [{name: a, path: '/x/{{session_id}}'}]\n", "not a placeholder"},
		"duplicate name":   {"steps: [{name: a, path: /}, {name: a, path: /}]\n", "used twice"},
		"bad path":         {"steps: [{name: a, path: x}]\n", "must start with /"},
		"bad status":       {"steps: [{name: a, path: /, expect_status: 42}]\n", "expect_status 42"},
		"bad json path":    {"steps: [{name: a, path: /, expect: [{path: 'a..b'}]}]\n", "segment"},
		"bad save name":    {"steps: [{name: a, path: /, save: {'a-b': x}}]\n", "not a placeholder name"},
		"bad header value": {"headers: {X: '{{x'}\nsteps: [{name: a, path: /}]\n", "not a placeholder"},
	} {
		_, err := ParseSuite([]byte(c.yaml))
		if !errors.Is(err, ErrSuite) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrSuite mentioning %q", name, err, c.want)
		}
	}
}

func TestLoadSuiteNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "suite.yaml")
	if err := os.WriteFile(path, []byte("steps: [{name: a, path: /, methd: GET}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSuite(path); !errors.Is(err, ErrSuite) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "methd") {
		t.Errorf("err = %v", err)
	}
	if _, err := LoadSuite(path + ".missing"); !errors.Is(err, ErrSuite) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestExpectConditions(t *testing.T) {
	doc, err := jsonpath.Decode([]byte(`{"status":"ok","result":{"resources":[{"uri":"a","score":0.4},{"uri":"b","score":0.9}],
		"memories":[],"total":2,"flag":true},"matrix":[[1,2],[3]]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		e    Expect
		want string // "" when the condition holds
	}{
		{Expect{Path: "result.resources[].uri", Contains: "b"}, ""},
		{Expect{Path: "result.resources[].uri", Contains: "c"}, `result.resources[].uri is [a, b], want "c"`},
		{Expect{Path: "status", OneOf: []string{"healthy", "ok"}}, ""},
		{Expect{Path: "status", OneOf: []string{"healthy", "degraded"}}, "status is [ok], want one of healthy|degraded"},
		{Expect{Path: "result.total", Contains: "2"}, ""},
		{Expect{Path: "result.flag", Contains: "true"}, ""},
		{Expect{Path: "result.resources[].score", Min: 0.5}, ""},
		{Expect{Path: "result.total", Min: 3}, "result.total is [2], want a number >= 3"},
		{Expect{Path: "result.resources[].uri"}, "result.resources[].uri is [a, b], want a number >= 0"},
		{Expect{Path: "matrix[].[]", Contains: "3"}, ""},
		{Expect{Path: "result.memories[].uri", Contains: "x"}, `result.memories[].uri: nothing at that path, want "x"`},
		{Expect{Path: "status.deeper", Contains: "ok"}, `status.deeper: nothing at that path, want "ok"`},
	} {
		err := c.e.check(doc)
		if got := errText(err); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.e, got, c.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestShortenKeepsRunesWhole(t *testing.T) {
	if got := jsonpath.Shorten("héllo\n  wörld", 2); got != "h..." {
		t.Errorf("shorten = %q", got)
	}
	if got := jsonpath.Shorten("a\n b", 10); got != "a b" {
		t.Errorf("shorten = %q", got)
	}
}
