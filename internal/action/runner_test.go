package action

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/secret"
)

func TestRunAllContinuesAfterFailures(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, "ok")
	var called atomic.Int32
	r := newTestRunner(Options{Builtins: map[string]Builtin{
		"enable_queue": func(context.Context, map[string]any) (string, error) { called.Add(1); return "queued", nil },
	}})
	specs := []Spec{
		{Name: "fails", Type: TypeCommand, Command: []string{"/bin/sh", "-c", "exit 1"}},
		{Name: "invalid", Type: TypeCommand},
		{Name: "missing-builtin", Type: TypeBuiltin, Builtin: "nope"},
		{Name: "queue", Type: TypeBuiltin, Builtin: "enable_queue"},
		{Name: "alert", Type: TypeHTTP, URL: rc.URL},
	}
	results := r.RunAll(context.Background(), specs, testContext())
	if len(results) != len(specs) {
		t.Fatalf("%d results for %d specs", len(results), len(specs))
	}
	wantOK := []bool{false, false, false, true, true}
	for i, res := range results {
		if res.Name != specs[i].Name || res.OK != wantOK[i] {
			t.Errorf("result %d: %+v, want name %q OK=%v", i, res, specs[i].Name, wantOK[i])
		}
	}
	if !strings.Contains(results[1].Error, `action "invalid": command: required`) {
		t.Errorf("invalid spec error = %q", results[1].Error)
	}
	if called.Load() != 1 || len(rc.requests()) != 1 {
		t.Fatalf("later actions did not run: builtin %d, http %d", called.Load(), len(rc.requests()))
	}
}

func TestRunAllAfterCancelRecordsEveryAction(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	specs := []Spec{cmdSpec("/bin/true"), {Name: "two", Type: TypeCommand, Command: []string{"/bin/true"}}}
	results := newTestRunner(Options{}).RunAll(ctx, specs, testContext())
	if len(results) != 2 || results[0].OK || results[1].OK || !strings.Contains(results[1].Error, "canceled") {
		t.Fatalf("results: %+v", results)
	}
}

func TestDryRunRunsNothing(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, "")
	marker := filepath.Join(t.TempDir(), "ran")
	var called atomic.Int32
	r := newTestRunner(Options{Builtins: map[string]Builtin{
		"resize_cache": func(context.Context, map[string]any) (string, error) { called.Add(1); return "", nil },
	}})
	specs := []Spec{
		{Name: "scale", Type: TypeCommand, Command: []string{"/bin/sh", "-c", "touch " + marker}, Env: map[string]string{"TOKEN": "hidden"}, Dir: "/"},
		{Name: "alert", Type: TypeHTTP, URL: rc.URL + "/{{.Level}}", Headers: map[string]secret.Secret{"Authorization": "Bearer hidden"}, Body: `{"r":"{{.Reason}}"}`},
		{Name: "cache", Type: TypeBuiltin, Builtin: "resize_cache", Params: map[string]any{"max_size": 2000}},
	}
	c := testContext()
	c.DryRun = true
	results := r.RunAll(context.Background(), specs, c)
	for _, res := range results {
		if !res.OK || !res.DryRun || strings.Contains(res.Output, "hidden") {
			t.Errorf("%s: %+v", res.Name, res)
		}
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) || len(rc.requests()) != 0 || called.Load() != 0 {
		t.Fatalf("dry run acted: marker err %v, requests %d, builtin calls %d", err, len(rc.requests()), called.Load())
	}
	wantParts := []string{
		`would run: /bin/sh -c "touch ` + marker + `"` + "\nin: /\nextra env: TOKEN\ntimeout: 30s",
		"would send: POST " + rc.URL + "/L2\nheaders: Authorization, Content-Type, User-Agent\ntimeout: 30s\nbody: {\"r\":\"error rate 35% > 20%\"}",
		"would call built-in resize_cache(max_size=2000)\ntimeout: 30s",
	}
	for i, want := range wantParts {
		if results[i].Output != want {
			t.Errorf("%s: Output =\n%s\nwant\n%s", results[i].Name, results[i].Output, want)
		}
	}
}

func TestDryRunStillFindsMistakes(t *testing.T) {
	c := testContext()
	c.DryRun = true
	r := newTestRunner(Options{})
	res := r.Run(context.Background(), builtinSpec("enable_breaker", nil), c)
	if res.OK || !res.DryRun || !strings.Contains(res.Error, "unknown built-in") {
		t.Fatalf("got %+v", res)
	}
	res = r.Run(context.Background(), cmdSpec("lifeboat-no-such-program", "-s", "reload"), c)
	if res.OK || !strings.Contains(res.Error, ErrStart.Error()) {
		t.Fatalf("missing program: %+v", res)
	}
	res = r.Run(context.Background(), httpSpec(`http://x/{{.Level}}`+"\x7f"), c)
	if res.OK || res.Error == "" {
		t.Fatalf("bad URL: %+v", res)
	}
}

func TestRedaction(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	r := newTestRunner(Options{Redact: []string{"", "s3cr3t", secret}})
	res := r.Run(context.Background(), cmdSpec("/bin/sh", "-c", "echo token="+secret+" short=s3cr3t; echo $0 >&2; exit 1"), testContext())
	if strings.Contains(res.Output, "s3cr3t") || res.Output != "token=<redacted> short=<redacted>\n/bin/sh\n" {
		t.Fatalf("Output = %q", res.Output)
	}
	res = r.Run(context.Background(), httpSpec("http://127.0.0.1:1/hook?token="+secret), testContext())
	if res.OK || res.Error == "" || strings.Contains(res.Error, "s3cr3t") || !strings.Contains(res.Error, "token=<redacted>") {
		t.Fatalf("Error = %q", res.Error)
	}
}

func TestRedactionAtTheTruncationEdge(t *testing.T) {
	const secret = "supersecretvalue"
	r := newTestRunner(Options{Redact: []string{secret}})
	pad := strings.Repeat("a", MaxOutput-3)
	out := r.clip(pad + secret + strings.Repeat("b", 100))
	if strings.Contains(out, "sup") || !strings.HasPrefix(out, pad+"<re") {
		t.Fatalf("a secret cut by truncation leaked: %q", out[len(pad)-5:])
	}
}

func TestResultJSON(t *testing.T) {
	res := run(t, cmdSpec("/bin/sh", "-c", "echo hi; exit 2"))
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"name", "type", "started", "duration", "ok", "exit_code", "output", "error"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if _, ok := m["http_status"]; ok {
		t.Errorf("JSON of a command has http_status: %s", b)
	}
}

func TestCheckFindsUnknownBuiltinsAndDuplicates(t *testing.T) {
	r := builtinRunner(nil)
	specs := []Spec{
		builtinSpec("enable_breaker", nil),
		{Name: "b", Type: TypeBuiltin, Builtin: "enable_queue"},
	}
	err := r.Check(specs)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	for _, want := range []string{`action "b": builtin: action: unknown built-in "enable_queue"`, `action "b": name: duplicate`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err %q lacks %q", err, want)
		}
	}
	if err := r.Check(specs[:1]); err != nil {
		t.Fatalf("valid list refused: %v", err)
	}
}

func TestConcurrentRuns(t *testing.T) {
	r := newTestRunner(Options{Environ: make([]string, 0, 64)})
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := range 16 {
		wg.Go(func() {
			c := testContext()
			c.Level = "L" + string(rune('0'+i%4))
			res := r.Run(context.Background(), cmdSpec("/bin/sh", "-c", "echo $LIFEBOAT_LEVEL"), c)
			if res.Output != c.Level+"\n" {
				errs <- res.Output
			}
		})
	}
	wg.Wait()
	close(errs)
	for out := range errs {
		t.Errorf("a run saw another run's context: %q", out)
	}
}
