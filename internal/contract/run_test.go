package contract

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// echo answers every request with what it received.
func echo(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		var body []byte
		if f, h, err := r.FormFile("file"); err == nil {
			content, _ := io.ReadAll(f)
			body = []byte(h.Filename + ":" + string(content) + ":" + r.FormValue("mode"))
		} else {
			body, _ = io.ReadAll(r.Body)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.RequestURI(),
			"user": r.Header.Get("X-User"), "key": r.Header.Get("X-Key"), "type": ct, "body": string(body)})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func step(t *testing.T, s string) Step {
	t.Helper()
	var st Step
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestRunStepSendsAndChecks(t *testing.T) {
	srv := echo(t)
	opts := Options{Client: srv.Client(), State: "fallback", Header: http.Header{"X-Key": {"k"}}}
	vars := map[string]string{"run": "r1"}
	first := step(t, `{"request":{"method":"POST","path":"/a?x=${run}","headers":{"X-User":"u-${run}"},"json":{"q":"${run}"}},
		"expect":{"status":200,"shape":{"path":"=/a?x=r1","user":"=u-r1","key":"=k","type":"=application/json","body":"={\"q\":\"r1\"}"}},
		"capture":{"got":"path"}}`)
	if err := runStep(opts, srv.URL, first, vars); err != nil {
		t.Fatal(err)
	}
	if vars["got"] != "/a?x=r1" {
		t.Fatalf("capture: %v", vars)
	}
	upload := step(t, `{"request":{"method":"POST","path":"/u","multipart":{"fields":{"mode":"local"},"file":{"field":"file","name":"a.md","content":"hi ${got}"}}},
		"expect":{"status":200,"shape":{"body":"=a.md:hi /a?x=r1:local"}}}`)
	if err := runStep(opts, srv.URL, upload, vars); err != nil {
		t.Fatal(err)
	}
	override := step(t, `{"request":{"method":"GET","path":"/b"},"expect":{"status":404},"expect_in":{"fallback":{"status":200}}}`)
	if err := runStep(opts, srv.URL, override, vars); err != nil {
		t.Fatalf("expect_in: %v", err)
	}
	for _, bad := range []string{
		`{"request":{"method":"GET","path":"/b"},"expect":{"status":201}}`,
		`{"request":{"method":"GET","path":"/b"},"expect":{"status":200,"shape":{"method":"=POST"}}}`,
		`{"request":{"method":"GET","path":"/b"},"expect":{"status":200},"capture":{"x":"nowhere.0"}}`,
	} {
		if err := runStep(opts, srv.URL, step(t, bad), vars); err == nil {
			t.Errorf("%s passed", bad)
		}
	}
}

func TestLoadChecksFixtures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "no *.json") {
		t.Fatalf("empty dir: %v", err)
	}
	write("a.json", `[{"name":"n","source":"s.py: f","states":["sim"],"steps":[{"request":{"method":"GET","path":"/"},"expect":{"status":200}}]},
		{"name":"m","source":"s.py: g","steps":[{"request":{"method":"GET","path":"/"},"expect":{"status":200}}]}]`)
	fixtures, err := Load(dir)
	if err != nil || len(fixtures) != 2 {
		t.Fatalf("Load: %v %v", fixtures, err)
	}
	if got := Select(fixtures, "primary"); len(got) != 1 || got[0].Name != "m" {
		t.Fatalf("Select(primary): %v", got)
	}
	for _, bad := range []string{
		`[{"name":"n","steps":[{"request":{"method":"GET","path":"/"},"expect":{"status":200}}]}]`,
		`[{"name":"n","source":"s","steps":[]}]`,
		`[{"name":"n","source":"s","steps":[{"request":{"method":"GET","path":"/"},"expect":{}}]}]`,
		`[{"name":"n","source":"s","steps":[{"request":{"method":"GET","path":"/","json":{},"body":"x"},"expect":{"status":200}}]}]`,
		`{"not":"a list"}`,
	} {
		write("a.json", bad)
		if _, err := Load(dir); err == nil {
			t.Errorf("Load accepted %s", bad)
		}
	}
}
