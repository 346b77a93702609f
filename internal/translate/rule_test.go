package translate

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCompileErrorsNameRuleAndField(t *testing.T) {
	ok := Rule{Name: "mine", Paths: []string{"/a"}, Path: "/b", Request: "{x: .body}", Response: "."}
	cases := []struct {
		edit func(*Rule)
		want string
	}{
		{func(r *Rule) { r.Response = "nosuchfn(.)" }, `rule "mine": response: `},
		{func(r *Rule) { r.Response = "{" }, `rule "mine": response: `},
		{func(r *Rule) { r.Request = ".a | " }, `rule "mine": request: `},
		{func(r *Rule) { r.Request = "input" }, `rule "mine": request: input(s)/0 is not allowed`},
		{func(r *Rule) { r.Response = "" }, `rule "mine": response: a jq program is required`},
		{func(r *Rule) { r.Paths = nil }, `rule "mine": paths: `},
		{func(r *Rule) { r.Paths = []string{"a"} }, `rule "mine": paths: must start with /`},
		{func(r *Rule) { r.Paths = []string{"/**/a"} }, `rule "mine": paths: "**" is only allowed as the last segment`},
		{func(r *Rule) { r.Paths = []string{"/a*"} }, `rule "mine": paths: "*" must be a whole segment`},
		{func(r *Rule) { r.Path = "query" }, `rule "mine": path: must start with /`},
		{func(r *Rule) { r.Name = "" }, `a rule has no name`},
	}
	for _, c := range cases {
		r := ok
		c.edit(&r)
		for _, err := range []error{Compile(r), newErr(r)} {
			if !errors.Is(err, ErrRule) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want ErrRule mentioning %q", err, c.want)
			}
		}
	}
	if err := Compile(ok); err != nil {
		t.Errorf("valid rule: %v", err)
	}
}

func newErr(r Rule) error {
	_, err := New(Options{Rules: []Rule{r}, Fallback: &url.URL{Scheme: "http", Host: "lightrag:9621"}})
	return err
}

func TestNewRejectsBadOptions(t *testing.T) {
	u := &url.URL{Scheme: "http", Host: "lightrag:9621"}
	for name, o := range map[string]Options{
		"no rules":     {Fallback: u},
		"no fallback":  {Rules: Builtin()},
		"no host":      {Rules: Builtin(), Fallback: &url.URL{Scheme: "http"}},
		"bad scheme":   {Rules: Builtin(), Fallback: &url.URL{Scheme: "ftp", Host: "x"}},
		"negative max": {Rules: Builtin(), Fallback: u, MaxBody: -1},
	} {
		if _, err := New(o); !errors.Is(err, ErrOptions) {
			t.Errorf("%s: err = %v, want ErrOptions", name, err)
		}
	}
}

func TestMatch(t *testing.T) {
	tr := newTranslator(t, Options{Fallback: &url.URL{Scheme: "http", Host: "x"}, Rules: append([]Rule{
		{Name: "mine", Paths: []string{"/api/v1/search/find", "/api/v1/fs/*/ls", "/api/v1/tasks/**"}, Response: "."},
	}, Builtin()...)})
	cases := []struct {
		method, path, want string
	}{
		{"POST", "/api/v1/search/find", "mine"}, // first match wins
		{"POST", "/api/v1/search/search", "search"},
		{"GET", "/api/v1/fs/abc/ls", "mine"},
		{"GET", "/api/v1/fs//ls", ""},
		{"GET", "/api/v1/tasks/a/b", "mine"},
		{"GET", "/api/v1/tasks/", ""},
		{"POST", "/api/v1/resources", "add-resource"},
		{"GET", "/api/v1/resources", ""},
		{"GET", "/health", "health"},
		{"GET", "/ready", "ready"},
		{"GET", "/health/x", ""},
	}
	for _, c := range cases {
		if name, ok := tr.Match(c.method, c.path); name != c.want || ok != (c.want != "") {
			t.Errorf("Match(%s %s) = %q, %v; want %q", c.method, c.path, name, ok, c.want)
		}
	}
}

// A rule without a fallback path answers by itself from the request.
func TestRuleAnswersByItself(t *testing.T) {
	u := standIn(t, func(http.ResponseWriter, *http.Request) { t.Error("the fallback was called") })
	tr := newTranslator(t, Options{Fallback: u, Rules: []Rule{{Name: "echo", Paths: []string{"/api/v1/sessions/*"},
		Response: `{status, id: (.request.path | split("/") | last), q: .request.query.a, m: .request.method, body: .request.body}`}}})
	r := do(t, tr, "DELETE", "/api/v1/sessions/s1?a=1&a=2&b", `{"x":[1,"y"]}`)
	want := `{"body":{"x":[1,"y"]},"id":"s1","m":"DELETE","q":"1","status":200}`
	if r.status != http.StatusOK || !strings.Contains(r.raw, `"result":`+want) {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

// The fallback URL's own path and a rule path's query string are kept.
func TestFallbackURL(t *testing.T) {
	var got atomic.Value
	u := standIn(t, func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Method + " " + r.URL.RequestURI())
		answer(200, `{}`)(w, r)
	})
	base := *u
	base.Path = "/lightrag/"
	tr := newTranslator(t, Options{Fallback: &base, Rules: []Rule{
		{Name: "list", Paths: []string{"/api/v1/fs/ls"}, Path: "/documents?page=1", Response: "."},
		{Name: "post", Paths: []string{"/api/v1/x"}, Path: "/query", Request: "{q: .query.q}", Response: "."},
	}})
	do(t, tr, "GET", "/api/v1/fs/ls?uri=x", "")
	if got.Load() != "GET /lightrag/documents?page=1" {
		t.Errorf("fallback saw %v", got.Load())
	}
	do(t, tr, "GET", "/api/v1/x?q=hi", "")
	if got.Load() != "POST /lightrag/query" {
		t.Errorf("fallback saw %v", got.Load())
	}
}

func TestResponseProgramFailures(t *testing.T) {
	u := standIn(t, answer(200, `{"n":"text"}`))
	cases := map[string]string{
		`.body.n + 1`:                  `rule "r": cannot add: string ("text") and number (1)`,
		`empty`:                        `rule "r": the program produced no value`,
		`error({"why":"x"})`:           `rule "r": error: {"why":"x"}`,
		`error("plain words")`:         `rule "r": plain words`,
		`{http_status: "teapot"}`:      `rule "r": "http_status" must be a whole number from 200 to 599`,
		`{http_status: 99}`:            `"http_status" must be a whole number`,
		`{http_status: 503.5, a: 1}`:   `"http_status" must be a whole number`,
		`$ENV.HOME // error("no env")`: `rule "r": no env`,
	}
	for prog, msg := range cases {
		got := &causes{}
		tr := newTranslator(t, Options{Fallback: u, OnFallbackError: got.record,
			Rules: []Rule{{Name: "r", Paths: []string{"/r"}, Path: "/r", Response: prog, Raw: true}}})
		wantUnavailable(t, do(t, tr, "GET", "/r", ""), got, CauseShape)
		if !strings.Contains(got.last(), msg) {
			t.Errorf("%s: reported %q, want %q", prog, got.last(), msg)
		}
	}
}

func TestRequestProgramFailureIsInvalid(t *testing.T) {
	u := standIn(t, func(http.ResponseWriter, *http.Request) { t.Error("the fallback was called") })
	tr := newTranslator(t, Options{Fallback: u, Rules: []Rule{{Name: "r", Paths: []string{"/r"}, Path: "/r",
		Request: `if .body.ok then . else error("ok must be true") end`, Response: "."}, {Name: "e", Paths: []string{"/e"},
		Path: "/e", Request: "empty", Response: "."}}})
	wantError(t, do(t, tr, "POST", "/r", `{"ok":false}`), http.StatusBadRequest, "INVALID_ARGUMENT", "ok must be true")
	wantError(t, do(t, tr, "POST", "/e", `{}`), http.StatusBadRequest, "INVALID_ARGUMENT", "the program produced no value")
}

// gojq may share a constant output between runs; taking http_status out
// must not change it for the next request.
func TestRawStatusFromConstantOutput(t *testing.T) {
	tr := newTranslator(t, Options{Fallback: &url.URL{Scheme: "http", Host: "x"}, Rules: []Rule{
		{Name: "teapot", Paths: []string{"/t"}, Response: `{"http_status": 418, "short": "stout"}`, Raw: true}}})
	for range 3 {
		r := do(t, tr, "GET", "/t", "")
		if r.status != http.StatusTeapot || r.raw != `{"short":"stout"}` {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	}
}

// The envelope carries the result as is, with the time taken.
func TestSuccessEnvelope(t *testing.T) {
	tr := newTranslator(t, Options{Fallback: &url.URL{Scheme: "http", Host: "x"}, Rules: []Rule{
		{Name: "c", Paths: []string{"/c"}, Response: `{"html": "<a&b>", "n": [1, 2.5, null]}`}}})
	r := do(t, tr, "GET", "/c", "")
	if !strings.HasPrefix(r.raw, `{"status":"ok","result":{"html":"<a&b>","n":[1,2.5,null]},"time":`) {
		t.Fatalf("got %s", r.raw)
	}
	if s, ok := r.body["time"].(float64); !ok || s < 0 {
		t.Errorf("time = %v", r.body["time"])
	}
}
